package event

// Files of lineups and schedules: XLSX workbooks, CSV tables and the
// printable programme booklet (路演手册).

import (
	"fmt"
	"io"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

// Export formats of lineups and schedules.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
	FormatHTML = "html" // the printable booklet, salon schedule or agenda
)

// Sheet names and headers. The programme sheet's columns are fixed: people
// print them and scripts read them.
const (
	SheetLineup   = "路演议程"
	SheetSchedule = "洽谈总表"
	SheetNotes    = "说明"
)

var (
	LineupHeader   = []string{"序号", "时间", "成果名称", "完成单位", "技术领域", "路演人", "邀请企业", "成果编号"}
	InvitedHeader  = []string{"企业", "报名编号", "技术需求", "需求编号", "匹配度", "推荐理由"}
	ScheduleHeader = []string{"时段", "时间", "桌号", "科学家", "科技成果", "企业", "技术需求", "匹配度", "备注"}
	TableHeader    = []string{"时段", "时间", "科学家", "企业", "科技成果", "技术需求", "匹配度", "备注"}
)

// SlotSheetName is the sheet of a roadshow slot's invited enterprises.
func SlotSheetName(position int) string { return fmt.Sprintf("第%d场", position) }

// TableSheetName is the sheet of one salon table.
func TableSheetName(table int) string { return fmt.Sprintf("第%d桌", table) }

func unknownFormat(format string, allowed string) error {
	return data.Errorf(data.EINVALID, "不支持的导出格式“%s”：应为 %s", format, allowed)
}

// WriteLineup writes a lineup as an XLSX workbook (the programme, a sheet
// per slot with its invited enterprises, and notes), a CSV table of the
// programme, or the HTML programme booklet.
func WriteLineup(w io.Writer, format string, l *Lineup) error {
	switch format {
	case FormatXLSX:
		return tabular.WriteXLSX(w, lineupSheets(l))
	case FormatCSV:
		rows := lineupRows(l)
		return tabular.WriteCSV(w, LineupHeader, rows)
	case FormatHTML:
		return booklet.Execute(w, bookletData(l))
	}
	return unknownFormat(format, "xlsx、csv 或 html")
}

// WriteSchedule writes a schedule as an XLSX workbook (all meetings, and a
// sheet per table), a CSV table of all meetings, or the printable grid of
// slots × tables (HTML).
func WriteSchedule(w io.Writer, format string, s *Schedule) error {
	switch format {
	case FormatXLSX:
		return tabular.WriteXLSX(w, scheduleSheets(s))
	case FormatCSV:
		return tabular.WriteCSV(w, ScheduleHeader, scheduleRows(s, true))
	case FormatHTML:
		return scheduleGrid.Execute(w, scheduleGridData(s))
	}
	return unknownFormat(format, "xlsx、csv 或 html")
}

func lineupRows(l *Lineup) [][]any {
	rows := make([][]any, 0, len(l.Slots))
	for _, s := range l.Slots {
		names := make([]string, 0, len(s.Invited))
		for _, v := range s.Invited {
			names = append(names, v.Enterprise)
		}
		rows = append(rows, []any{s.Position, s.Start + "–" + s.End, s.Achievement.Title, s.Achievement.Institution,
			s.Achievement.Field, presenter(s), strings.Join(names, "、"), s.Achievement.ID})
	}
	return rows
}

func presenter(s LineupSlot) string {
	if s.PresenterTitle != "" {
		return s.Presenter + " " + s.PresenterTitle
	}
	return s.Presenter
}

func reason(v Invitee) string {
	if v.Explanation != nil && len(v.Explanation.Sentences) > 0 {
		return strings.Join(v.Explanation.Sentences, "；")
	}
	return ""
}

func lineupSheets(l *Lineup) []tabular.Sheet {
	sheets := []tabular.Sheet{{Name: SheetLineup, Header: LineupHeader, Rows: lineupRows(l)}}
	for _, s := range l.Slots {
		rows := make([][]any, 0, len(s.Invited))
		for _, v := range s.Invited {
			rows = append(rows, []any{v.Enterprise, v.RegistrationID, v.DemandTitle, v.DemandID, round2(v.Score), reason(v)})
		}
		sheets = append(sheets, tabular.Sheet{Name: SlotSheetName(s.Position), Header: InvitedHeader, Rows: rows})
	}
	notes := [][]any{
		{"活动", l.Event.Title},
		{"活动编号", l.Event.ID},
		{"主题", l.Event.Theme},
		{"日期", l.Event.Date},
		{"地点", l.Event.Venue},
		{"报名企业需求数", l.Demands},
		{"议程得分（需求覆盖）", l.Objective},
		{"参照：按主题检索前 N 项的得分", l.Reference.TopByText},
		{"参照：得分上界", l.Reference.UpperBound},
		{"排期时间", l.Built},
	}
	if l.ByText {
		notes = append(notes, []any{"说明", "尚无企业报名，议程按与主题的相关度排出，得分为相关度之和"})
	}
	for _, w := range l.Warnings {
		notes = append(notes, []any{"提示", w})
	}
	return append(sheets, tabular.Sheet{Name: SheetNotes, Header: []string{"项目", "内容"}, Rows: notes})
}

func meetingNote(m ScheduleMeeting) string {
	var notes []string
	switch {
	case m.Mutual:
		notes = append(notes, "双方约见")
	case m.Requested:
		notes = append(notes, "单方约见")
	}
	if m.Locked {
		notes = append(notes, "已锁定")
	}
	return strings.Join(notes, "，")
}

func scheduleRows(s *Schedule, withTable bool) [][]any {
	rows := make([][]any, 0, len(s.Meetings))
	for _, m := range s.Meetings {
		row := []any{m.Slot, m.Start + "–" + m.End}
		if withTable {
			row = append(row, m.Table, m.ScientistName, m.AchievementTitle, m.EnterpriseName, m.DemandTitle)
		} else {
			row = append(row, m.ScientistName, m.EnterpriseName, m.AchievementTitle, m.DemandTitle)
		}
		rows = append(rows, append(row, round2(m.Score), meetingNote(m)))
	}
	return rows
}

func scheduleSheets(s *Schedule) []tabular.Sheet {
	sheets := []tabular.Sheet{{Name: SheetSchedule, Header: ScheduleHeader, Rows: scheduleRows(s, true)}}
	for t := 1; t <= s.Tables; t++ {
		at := &Schedule{}
		for _, m := range s.Meetings {
			if m.Table == t {
				at.Meetings = append(at.Meetings, m)
			}
		}
		if len(at.Meetings) > 0 {
			sheets = append(sheets, tabular.Sheet{Name: TableSheetName(t), Header: TableHeader, Rows: scheduleRows(at, false)})
		}
	}
	return sheets
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
