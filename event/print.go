package event

// Printable programmes (A4): the roadshow booklet (路演手册), the salon
// schedule (slots × tables) and per-person agendas, as HTML for the
// browser's print; and the agendas as a workbook with a sheet per person.
// Nothing printed carries an internal score: match reasons are given in
// words.

import (
	"html/template"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/techmatch/techmatch/tabular"
)

// Print limits that keep one presentation on one A4 page.
const (
	printSummaryRunes = 360 // the achievement's summary
	printInvitees     = 8   // front-row enterprises listed
	printReasons      = 2   // reason sentences per enterprise
)

// AgendaHeader is the header of an agenda sheet.
var AgendaHeader = []string{"时段", "时间", "桌号", "对方", "对方编号", "我方成果/需求", "对方成果/需求", "推荐理由"}

// AgendaSheetName is the sheet of one registrant: id and name, within
// Excel's 31 characters and without the characters it forbids.
func AgendaSheetName(id, name string) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(id+" "+name))
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}

// WriteAgenda writes one registrant's agenda as a printable HTML page.
func WriteAgenda(w io.Writer, a *Agenda) error {
	return agendaPage.Execute(w, a)
}

// WriteAgendas writes every registrant's agenda as an XLSX workbook, one
// sheet per registrant.
func WriteAgendas(w io.Writer, agendas []Agenda) error {
	sheets := make([]tabular.Sheet, 0, len(agendas))
	for _, a := range agendas {
		rows := make([][]any, 0, len(a.Meetings))
		for _, m := range a.Meetings {
			rows = append(rows, []any{m.Slot, m.TimeRange, m.Table, m.With, m.WithID, m.Ours, m.Theirs, strings.Join(m.Reasons, "；")})
		}
		sheets = append(sheets, tabular.Sheet{Name: AgendaSheetName(a.Party.ID, a.Party.Name), Header: AgendaHeader, Rows: rows})
	}
	if len(sheets) == 0 {
		sheets = append(sheets, tabular.Sheet{Name: SheetNotes, Header: []string{"项目", "内容"}, Rows: [][]any{{"说明", "本场沙龙还没有报名者"}}})
	}
	return tabular.WriteXLSX(w, sheets)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// coverLine is 主办 / 承办 / 时间 / 地点 of the event, the parts it has.
func coverLine(e EventSummary, end string) []string {
	var parts []string
	if e.Host != "" {
		parts = append(parts, "主办："+e.Host)
	}
	if e.Organizer != "" {
		parts = append(parts, "承办："+e.Organizer)
	}
	when := e.Date
	if e.Start != "" || end != "" {
		when = strings.TrimSpace(when + " " + e.Start + "–" + end)
	}
	if when != "" {
		parts = append(parts, "时间："+when)
	}
	if e.Venue != "" {
		parts = append(parts, "地点："+e.Venue)
	}
	return parts
}

// ---- The roadshow booklet ----

type bookletSlot struct {
	LineupSlot
	Presenter string
	Summary   string
	Invited   []bookletInvitee
	More      int // invitees not listed
}

type bookletInvitee struct {
	Invitee
	Reason string
}

type bookletPage struct {
	*Lineup
	Cover []string
	Slots []bookletSlot
}

func bookletData(l *Lineup) bookletPage {
	end := ""
	if n := len(l.Slots); n > 0 {
		end = l.Slots[n-1].End
	}
	page := bookletPage{Lineup: l, Cover: coverLine(l.Event, end)}
	for _, s := range l.Slots {
		bs := bookletSlot{LineupSlot: s, Presenter: presenter(s), Summary: clip(s.Achievement.Summary, printSummaryRunes)}
		for i, v := range s.Invited {
			if i == printInvitees {
				bs.More = len(s.Invited) - i
				break
			}
			r := ""
			if v.Explanation != nil {
				r = strings.Join(v.Explanation.Sentences[:min(printReasons, len(v.Explanation.Sentences))], "；")
			}
			bs.Invited = append(bs.Invited, bookletInvitee{Invitee: v, Reason: r})
		}
		page.Slots = append(page.Slots, bs)
	}
	return page
}

// printCSS is shared by the printed pages.
const printCSS = `
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 52em; color: #222; line-height: 1.55; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.2em; margin: .2em 0 .4em; }
.cover { color: #333; margin: .2em 0; }
.cover span { margin-right: 1.4em; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin-top: .5em; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #eee; white-space: nowrap; }
.num { white-space: nowrap; }
.muted { color: #666; font-size: .9em; }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}`

var funcs = template.FuncMap{
	"join":      func(list []string) string { return strings.Join(list, "、") },
	"sentences": func(list []string) string { return strings.Join(list, "；") },
	"css":       func() template.CSS { return template.CSS(printCSS) },
}

var booklet = template.Must(template.New("booklet").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{.Event.Title}} · 路演手册</title>
<style>{{css}}
.slot { break-before: page; page-break-before: always; break-inside: avoid; page-break-inside: avoid; }
.time { color: #a40; font-weight: bold; margin-right: .6em; }
.facts { color: #444; margin: .2em 0; }
.summary { margin: .5em 0; }
@media screen { .slot { border-top: 2px solid #333; margin-top: 2em; padding-top: .6em; } }
</style>
</head>
<body>
<header>
<h1>{{.Event.Title}}</h1>
<p class="cover">{{range .Cover}}<span>{{.}}</span>{{end}}</p>
{{if .Event.Theme}}<p>主题：{{.Event.Theme}}</p>{{end}}
</header>
<h2>路演议程</h2>
<table class="agenda">
<thead><tr><th>序号</th><th>时间</th><th>成果名称</th><th>完成单位</th><th>路演人</th></tr></thead>
<tbody>
{{range .Slots}}<tr><td class="num">{{.Position}}</td><td class="num">{{.Start}}–{{.End}}</td><td>{{.Achievement.Title}}</td><td>{{.Achievement.Institution}}</td><td>{{.Presenter}}</td></tr>
{{end}}</tbody>
</table>
{{range .Slots}}
<section class="slot">
<h2><span class="time">{{.Start}}–{{.End}}</span>第 {{.Position}} 场　{{.Achievement.Title}}</h2>
<p class="facts">完成单位：{{.Achievement.Institution}}{{if .Achievement.Field}}　技术领域：{{.Achievement.Field}}{{end}}{{if .Achievement.Maturity}}　成熟度：{{.Achievement.Maturity}}{{end}}{{if .Presenter}}　路演人：{{.Presenter}}{{end}}</p>
{{if .Summary}}<p class="summary">{{.Summary}}</p>{{end}}
{{if .Achievement.Keywords}}<p class="facts">关键词：{{join .Achievement.Keywords}}</p>{{end}}
{{if .Invited}}
<table>
<thead><tr><th>邀请企业</th><th>技术需求</th><th>推荐理由</th></tr></thead>
<tbody>
{{range .Invited}}<tr><td>{{.Enterprise}}</td><td>{{.DemandTitle}}</td><td>{{.Reason}}</td></tr>
{{end}}</tbody>
</table>
{{if .More}}<p class="muted">另有 {{.More}} 家企业受邀，名单见议程表格（XLSX）。</p>{{end}}
{{end}}
</section>
{{end}}
</body>
</html>
`))

// ---- The salon schedule: slots × tables ----

type gridCell struct {
	Scientist, Enterprise string
	Achievement, Demand   string
	Empty                 bool
}

type gridRow struct {
	Slot       int
	Start, End string
	Cells      []gridCell
}

type gridPage struct {
	*Schedule
	Cover  []string
	Tables []int
	Rows   []gridRow
}

func scheduleGridData(s *Schedule) gridPage {
	page := gridPage{Schedule: s}
	for t := 1; t <= s.Tables; t++ {
		page.Tables = append(page.Tables, t)
	}
	at := map[[2]int]ScheduleMeeting{}
	times := map[int][2]string{}
	for _, m := range s.Meetings {
		at[[2]int{m.Slot, m.Table}] = m
		times[m.Slot] = [2]string{m.Start, m.End}
	}
	end := ""
	for slot := 1; slot <= s.Slots; slot++ {
		row := gridRow{Slot: slot, Start: times[slot][0], End: times[slot][1]}
		for t := 1; t <= s.Tables; t++ {
			m, ok := at[[2]int{slot, t}]
			row.Cells = append(row.Cells, gridCell{Scientist: m.ScientistName, Enterprise: m.EnterpriseName,
				Achievement: m.AchievementTitle, Demand: m.DemandTitle, Empty: !ok})
		}
		if row.End != "" {
			end = row.End
		}
		page.Rows = append(page.Rows, row)
	}
	page.Cover = coverLine(s.Event, end)
	return page
}

var scheduleGrid = template.Must(template.New("schedule").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{.Event.Title}} · 洽谈日程</title>
<style>{{css}}
body { max-width: none; margin: 1.5em; }
@page { size: A4 landscape; margin: 12mm; }
.grid { table-layout: fixed; font-size: .85em; }
.grid thead { display: table-header-group; }
.grid tr { break-inside: avoid; page-break-inside: avoid; }
.grid td { height: 3.6em; }
.grid th.slot { width: 5.5em; }
.who { font-weight: bold; }
.what { color: #555; font-size: .85em; }
.free { color: #aaa; text-align: center; }
</style>
</head>
<body>
<h1>{{.Event.Title}} · 洽谈日程</h1>
<p class="cover">{{range .Cover}}<span>{{.}}</span>{{end}}</p>
<table class="grid">
<thead><tr><th class="slot">时段</th>{{range .Tables}}<th>第 {{.}} 桌</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr><th class="slot">{{.Slot}}<br><span class="muted">{{.Start}}–{{.End}}</span></th>{{range .Cells}}{{if .Empty}}<td class="free">—</td>{{else}}<td><div class="who">{{.Scientist}}</div><div class="who">{{.Enterprise}}</div><div class="what">{{.Achievement}} ↔ {{.Demand}}</div></td>{{end}}{{end}}</tr>
{{end}}</tbody>
</table>
<p class="muted">每格上为科研人员，下为企业；个人日程见 /agenda/报名编号.html。</p>
</body>
</html>
`))

// ---- Per-person agenda ----

var agendaPage = template.Must(template.New("agenda").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{.Party.Name}} · {{.Event.Title}} · 洽谈安排</title>
<style>{{css}}
.meeting td { break-inside: avoid; page-break-inside: avoid; }
</style>
</head>
<body>
<h1>{{.Party.Name}} 的洽谈安排</h1>
<p class="cover"><span>{{.Event.Title}}</span>{{if .Event.Date}}<span>时间：{{.Event.Date}}</span>{{end}}{{if .Event.Venue}}<span>地点：{{.Event.Venue}}</span>{{end}}</p>
{{if .Meetings}}
<table>
<thead><tr><th>时间</th><th>桌号</th><th>洽谈对象</th><th>洽谈内容</th><th>为什么见面</th></tr></thead>
<tbody>
{{range .Meetings}}<tr class="meeting"><td class="num">第 {{.Slot}} 时段<br>{{.TimeRange}}</td><td class="num">第 {{.Table}} 桌</td><td>{{.With}}</td><td>{{if .Ours}}我方：{{.Ours}}<br>{{end}}{{if .Theirs}}对方：{{.Theirs}}{{end}}</td><td>{{sentences .Reasons}}</td></tr>
{{end}}</tbody>
</table>
{{else}}
<p>本场沙龙没有为您安排一对一洽谈，请与主办方联系。</p>
{{end}}
<p class="muted">{{.Event.Title}}（{{.Event.ID}}） · 报名编号 {{.Party.ID}}</p>
</body>
</html>
`))
