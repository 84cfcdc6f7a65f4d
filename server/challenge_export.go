package server

// Exports of 揭榜挂帅 lists: the published list (榜单) and the panel's
// review sheet, as XLSX workbooks. Neither carries contact data.

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/tabular"
)

// ChallengeListHeader and ReviewSheetHeader are the exports' columns.
var (
	ChallengeListHeader = []string{"序号", "项目编号", "项目名称", "需求编号", "揭榜奖励（万元）", "实施周期（月）", "最低成熟度", "资质要求", "揭榜要求", "里程碑"}
	reviewFixedHeader   = []string{"申请编号", "团队", "单位", "负责人", "支撑成果", "经费预算（万元）", "实施周期（月）", "评审人数"}
)

func (s *Server) challengeListXLSX(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	v, err := s.ChallengeListFor(ctx, token(c), c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	var rows [][]any
	for i, ch := range v.Challenges {
		var ms []string
		for _, m := range ch.Milestones {
			ms = append(ms, m.Due+" "+m.Title)
		}
		rows = append(rows, []any{i + 1, ch.ID, ch.Title, ch.DemandID, ch.RewardWan, ch.DurationMonths, ch.Requirements.MinMaturity,
			strings.Join(ch.Requirements.Qualifications, "、"), ch.Requirements.Text, strings.Join(ms, "\n")})
	}
	notes := [][]any{{"榜单", v.Title}, {"类型", v.KindLabel}, {"批次", v.Batch}, {"开榜日期", v.OpensOn}, {"截止日期", v.ClosesOn}, {"状态", v.StatusLabel},
		{"每个项目最多授予", fmt.Sprintf("%d 个团队", v.AwardsPerChallenge())}}
	return xlsxReply("榜单-"+v.ID, tabular.Sheet{Name: "揭榜项目", Header: ChallengeListHeader, Rows: rows}, tabular.Sheet{Name: "说明", Header: []string{"项目", "内容"}, Rows: notes})
}

// challengeListHTML answers the printable 榜单: a cover line, then one
// block per project with its reward, period, requirements and milestones
// (A4, a project never split across pages). It carries no contact data.
func (s *Server) challengeListHTML(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	v, err := s.ChallengeListFor(ctx, token(c), c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	return fileReply(event.FormatHTML, "榜单-"+v.ID, func(w io.Writer) error {
		return challengeListPage.Execute(w, map[string]any{"List": v, "Kind": v.KindLabel, "Status": v.StatusLabel, "Challenges": v.Challenges})
	})
}

var challengeListPage = template.Must(template.New("list").Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.List.Title}}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 11pt; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm; }
.cover { text-align: center; color: #333; margin-bottom: 8mm; }
.project { break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #999; padding: 3mm 0; }
.project h2 { font-size: 13pt; margin: 0 0 2mm; }
dl { display: grid; grid-template-columns: 26mm 1fr; gap: 1mm 3mm; margin: 0; }
dt { color: #555; white-space: nowrap; } dd { margin: 0; }
ol { margin: 0; padding-left: 5mm; }
</style></head><body>
<h1>{{.List.Title}}</h1>
<p class="cover">{{.Kind}}{{with .List.Batch}} · {{.}}{{end}} · 开榜 {{.List.OpensOn}} · 截止 {{.List.ClosesOn}} · {{.Status}}{{if gt .List.MaxAwards 1}} · 每个项目最多授予 {{.List.MaxAwards}} 个团队{{end}} · 共 {{len .Challenges}} 个项目</p>
{{range $i, $c := .Challenges}}<section class="project">
<h2>{{inc $i}}. {{$c.Title}}</h2>
<dl>
<dt>项目编号</dt><dd>{{$c.ID}}</dd>
<dt>揭榜奖励</dt><dd>{{if $c.RewardWan}}{{$c.RewardWan}} 万元{{else}}面议{{end}}</dd>
{{with $c.DurationMonths}}<dt>实施周期</dt><dd>{{.}} 个月</dd>{{end}}
{{with $c.Requirements.MinMaturity}}<dt>最低成熟度</dt><dd>{{.}}</dd>{{end}}
{{with $c.Requirements.Qualifications}}<dt>资质要求</dt><dd>{{range $j, $q := .}}{{if $j}}、{{end}}{{$q}}{{end}}</dd>{{end}}
{{with $c.Requirements.Text}}<dt>揭榜要求</dt><dd>{{.}}</dd>{{end}}
{{with $c.Milestones}}<dt>里程碑</dt><dd><ol>{{range .}}<li>{{.Due}} {{.Title}}{{with .Deliverable}}：{{.}}{{end}}</li>{{end}}</ol></dd>{{end}}
</dl>
</section>{{else}}<p>本榜单还没有项目。</p>{{end}}
</body></html>
`))

func (s *Server) reviewSheetXLSX(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	ch, err := s.Challenges.Challenge(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	apps, err := s.Applications.Applications(ctx, ch.ID)
	if err != nil {
		return reply{}, err
	}
	header := append([]string{}, reviewFixedHeader...)
	for _, k := range data.ReviewCriteria {
		header = append(header, k.Name+"（均分）")
	}
	header = append(header, "专家加权得分", "匹配度（仅供参考）")
	var rows [][]any
	for _, a := range apps {
		row, err := s.applicationRow(ctx, token(c), ch, a)
		if err != nil {
			return reply{}, err
		}
		var rs []data.Review
		if s.Reviews != nil {
			if rs, err = s.Reviews.Reviews(ctx, a.ID); err != nil {
				return reply{}, err
			}
		}
		cells := []any{a.ID, a.Team.Name, a.Team.Institution, a.Team.Leader.Name, strings.Join(a.AchievementIDs, "、"), a.BudgetWan, a.DurationMonths, len(rs)}
		for _, k := range data.ReviewCriteria {
			if len(rs) == 0 {
				cells = append(cells, nil)
				continue
			}
			var sum float64
			for _, r := range rs {
				sum += r.Scores[k.Name]
			}
			cells = append(cells, math.Round(sum/float64(len(rs))*100)/100)
		}
		var panel, fit any
		if row.PanelScore != nil {
			panel = *row.PanelScore
		}
		if row.Fit != nil {
			fit = *row.Fit
		}
		rows = append(rows, append(cells, panel, fit))
	}
	return xlsxReply("评审表-"+ch.ID, tabular.Sheet{Name: "评审表", Header: header, Rows: rows})
}

func xlsxReply(name string, sheets ...tabular.Sheet) (reply, error) {
	return fileReply(event.FormatXLSX, name, func(w io.Writer) error { return tabular.WriteXLSX(w, sheets) })
}
