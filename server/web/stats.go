package web

// 统计: the funnel and the yearly report as charts with their numbers in a
// table under each. The charts' data is embedded in the page as JSON (a
// data-chart attribute) and drawn by assets/charts.js with ECharts: no
// inline script.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/techmatch/techmatch/data"
)

func (wb *Workbench) statsRoutes(mux *http.ServeMux) {
	wb.handle(mux, "GET /stats", http.HandlerFunc(wb.stats))
}

// chartSpec is what charts.js draws: bars (or a funnel) over categories.
type chartSpec struct {
	Type       string        `json:"type"` // bar | funnel
	Categories []string      `json:"categories"`
	Series     []chartSeries `json:"series"`
	// Horizontal draws the bars left to right (long labels).
	Horizontal bool `json:"horizontal,omitempty"`
}

type chartSeries struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
	// Axis 1 is the right-hand value axis (amounts beside counts).
	Axis int `json:"axis,omitempty"`
}

// chart is one chart and the table of its numbers.
type chart struct {
	ID, Title, Caption string
	Spec               string // JSON of a chartSpec
	Head               []string
	Rows               [][]string
	Foot               []string
}

type statsPage struct {
	Year    int
	Years   []int
	Figures data.ReportFigures
	Charts  []chart
}

func (wb *Workbench) stats(w http.ResponseWriter, r *http.Request) {
	if _, ok := wb.needRole(w, r, "查看统计", staffRoles...); !ok {
		return
	}
	if !wb.API.PairingsEnabled() {
		wb.render(w, r, http.StatusOK, "pending.html", "统计", "stats", pendingPage{
			What:    "统计",
			Missing: "对接漏斗与年度报告依赖对接记录，本服务未配置对接存储，因此暂无图表。",
			Meanwhile: []pendingLink{
				{"/search", "在检索页按领域、成熟度、地区查看成果与需求的数量分布"},
				{"/events", "查看已举办与筹备中的活动"},
			},
		})
		return
	}
	ctx := r.Context()
	p := statsPage{Year: wb.API.Year()}
	if v := r.URL.Query().Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1990 || y > 2100 {
			wb.fail(w, r, data.Errorf(data.EINVALID, "年份“%s”无效：应为 1990 到 2100 之间的四位年份", v))
			return
		}
		p.Year = y
	}
	for y := wb.API.Year(); y >= wb.API.Year()-4; y-- {
		p.Years = append(p.Years, y)
	}
	from := time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	opt := data.FunnelOptions{From: from, To: from.AddDate(1, 0, 0)}

	// One reading of the pairings for every chart.
	groups := []struct{ key, title, head string }{{"month", "按月份", "月份"}, {"field", "按技术领域", "技术领域"}, {"broker", "按技术经纪人", "技术经纪人"}}
	keys := make([]string, len(groups))
	for i, g := range groups {
		keys[i] = g.key
	}
	rows, total, rep, err := wb.API.StatsFor(ctx, opt, keys, p.Year)
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	p.Figures = rep.ReportFigures
	p.Charts = append(p.Charts, funnelChart(total), groupChart(groups[0].key, groups[0].title, groups[0].head, rows[0], total), regionChart(rep))
	for i, g := range groups[1:] {
		p.Charts = append(p.Charts, groupChart(g.key, g.title, g.head, rows[i+1], total))
	}
	wb.render(w, r, http.StatusOK, "stats.html", fmt.Sprintf("统计 %d", p.Year), "stats", p)
}

func specJSON(s chartSpec) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic("web: chart spec: " + err.Error()) // plain numbers and strings always marshal
	}
	return string(b)
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func funnelChart(total data.FunnelRow) chart {
	c := chart{ID: "funnel", Title: "对接漏斗", Caption: "当年新建的对接到达各阶段的数量（已到达后续阶段的也计入前面各阶段）",
		Head: []string{"阶段", "对接数", "占推荐的比例"}}
	s := chartSpec{Type: "funnel", Series: []chartSeries{{Name: "对接数"}}}
	base := total.Reached[data.StatusRecommended]
	for _, st := range data.FunnelStatuses {
		n := total.Reached[st]
		s.Categories = append(s.Categories, st.Label())
		s.Series[0].Values = append(s.Series[0].Values, float64(n))
		share := "—"
		if base > 0 {
			share = fmt.Sprintf("%.1f%%", float64(n)*100/float64(base))
		}
		c.Rows = append(c.Rows, []string{st.Label(), strconv.Itoa(n), share})
	}
	c.Spec = specJSON(s)
	return c
}

// groupChart draws funnel rows: pairings recommended and signed per group
// (bars) and the contract amount (right axis); the table has every stage.
func groupChart(id, title, head string, rows []data.FunnelRow, total data.FunnelRow) chart {
	c := chart{ID: id, Title: title, Caption: "每组的对接数（推荐、已签约）与合同金额（万元，右轴）"}
	c.Head = []string{head}
	for _, st := range data.FunnelStatuses {
		c.Head = append(c.Head, st.Label())
	}
	c.Head = append(c.Head, "合同金额（万元）")
	s := chartSpec{Type: "bar", Horizontal: id != "month", Series: []chartSeries{
		{Name: data.StatusRecommended.Label()}, {Name: data.StatusSigned.Label()}, {Name: "合同金额（万元）", Axis: 1}}}
	line := func(r data.FunnelRow) []string {
		out := []string{r.Label}
		for _, st := range data.FunnelStatuses {
			out = append(out, strconv.Itoa(r.Reached[st]))
		}
		return append(out, num(r.ContractAmountWan))
	}
	for _, r := range rows {
		s.Categories = append(s.Categories, r.Label)
		s.Series[0].Values = append(s.Series[0].Values, float64(r.Reached[data.StatusRecommended]))
		s.Series[1].Values = append(s.Series[1].Values, float64(r.Reached[data.StatusSigned]))
		s.Series[2].Values = append(s.Series[2].Values, r.ContractAmountWan)
		c.Rows = append(c.Rows, line(r))
	}
	c.Foot = line(total)
	c.Spec = specJSON(s)
	return c
}

// regionChart draws the yearly report by city; the table adds the
// counties of each city (the 1+10+N network).
func regionChart(rep data.YearReport) chart {
	c := chart{ID: "region", Title: "按城市与区县（年度报告）",
		Caption: "签约对接数与技术合同成交额（万元，右轴）；对接按需求所在地计，活动按举办地计",
		Head:    []string{"城市 / 区县", "活动场次", "路演成果", "签约对接", "解决需求", "成交额（万元）"}}
	s := chartSpec{Type: "bar", Series: []chartSeries{{Name: "签约对接"}, {Name: "成交额（万元）", Axis: 1}}}
	line := func(name string, f data.ReportFigures) []string {
		return []string{name, strconv.Itoa(f.EventsHeld), strconv.Itoa(f.AchievementsPresented), strconv.Itoa(f.PairingsSigned),
			strconv.Itoa(f.DemandsSolved), num(f.ContractAmountWan)}
	}
	for _, city := range rep.Cities {
		s.Categories = append(s.Categories, city.City)
		s.Series[0].Values = append(s.Series[0].Values, float64(city.PairingsSigned))
		s.Series[1].Values = append(s.Series[1].Values, city.ContractAmountWan)
		c.Rows = append(c.Rows, line(city.City, city.ReportFigures))
		for _, co := range city.Counties {
			c.Rows = append(c.Rows, line("　"+co.County, co.ReportFigures))
		}
	}
	c.Foot = line("全省合计", rep.ReportFigures)
	c.Spec = specJSON(s)
	return c
}
