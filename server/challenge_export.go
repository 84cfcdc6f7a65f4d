package server

// Exports of 揭榜挂帅 lists: the published list (榜单) and the panel's
// review sheet, as XLSX workbooks. Neither carries contact data.

import (
	"bytes"
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

func (s *Server) handleChallengeListXLSX(c *gin.Context) {
	ctx := c.Request.Context()
	l, err := s.Challenges.ChallengeList(ctx, c.Param("id"))
	if err == nil && l.Status == data.ListDraft && !mayPlan(token(c)) {
		err = data.Errorf(data.ENOTFOUND, "榜单 %q 不存在", c.Param("id"))
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	chs, err := s.Challenges.Challenges(ctx, l.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var rows [][]any
	for i, ch := range chs {
		var ms []string
		for _, m := range ch.Milestones {
			ms = append(ms, m.Due+" "+m.Title)
		}
		rows = append(rows, []any{i + 1, ch.ID, ch.Title, ch.DemandID, ch.RewardWan, ch.DurationMonths, ch.Requirements.MinMaturity,
			strings.Join(ch.Requirements.Qualifications, "、"), ch.Requirements.Text, strings.Join(ms, "\n")})
	}
	notes := [][]any{{"榜单", l.Title}, {"类型", data.ListKindLabel(l.Kind)}, {"批次", l.Batch}, {"开榜日期", l.OpensOn}, {"截止日期", l.ClosesOn}, {"状态", l.Status.Label()}}
	s.sendXLSX(c, "榜单-"+l.ID, []tabular.Sheet{{Name: "揭榜项目", Header: ChallengeListHeader, Rows: rows}, {Name: "说明", Header: []string{"项目", "内容"}, Rows: notes}})
}

func (s *Server) handleReviewSheetXLSX(c *gin.Context) {
	ctx := c.Request.Context()
	ch, err := s.Challenges.Challenge(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	apps, err := s.Applications.Applications(ctx, ch.ID)
	if err != nil {
		s.fail(c, err)
		return
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
			s.fail(c, err)
			return
		}
		var rs []data.Review
		if s.Reviews != nil {
			if rs, err = s.Reviews.Reviews(ctx, a.ID); err != nil {
				s.fail(c, err)
				return
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
	s.sendXLSX(c, "评审表-"+ch.ID, []tabular.Sheet{{Name: "评审表", Header: header, Rows: rows}})
}

func (s *Server) sendXLSX(c *gin.Context, name string, sheets []tabular.Sheet) {
	var buf bytes.Buffer
	if err := tabular.WriteXLSX(&buf, sheets); err != nil {
		s.fail(c, err)
		return
	}
	sendFile(c, &file{format: event.FormatXLSX, name: name, body: buf.Bytes()})
}
