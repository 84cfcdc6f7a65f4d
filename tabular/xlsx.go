package tabular

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/techmatch/techmatch/data"
)

// maxUnzipped bounds the unpacked size of a workbook read, against zip bombs.
const maxUnzipped = 2 << 30

// openXLSX opens a workbook, turning any failure — and any panic of the
// parser on a malformed file — into a Chinese EINVALID error.
func openXLSX(r io.Reader) (f *excelize.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, errBadWorkbook(fmt.Errorf("%v", p))
		}
	}()
	f, err = excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return nil, errBadWorkbook(err)
	}
	return f, nil
}

func errBadWorkbook(err error) error {
	return data.Errorf(data.EINVALID, "无法读取 Excel 文件：它不是有效的 .xlsx 工作簿，或已加密、已损坏（%v）", err)
}

// sheetFor picks the worksheet named for the catalogue (科技成果, 技术需求,
// achievements, …) or else the first one.
func sheetFor(f *excelize.File, kind data.Kind) string {
	list := f.GetSheetList()
	for _, name := range list {
		if k, err := data.ParseKind(name); err == nil && k == kind {
			return name
		}
	}
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

func readXLSX[T any](ctx context.Context, r io.Reader, s *schema[T], o Options, fn func(Row) error) (err error) {
	f, err := openXLSX(r)
	if err != nil {
		return err
	}
	defer f.Close()
	defer func() {
		if p := recover(); p != nil {
			err = errBadWorkbook(fmt.Errorf("%v", p))
		}
	}()
	sheet := sheetFor(f, s.kind)
	rows, err := f.Rows(sheet)
	if err != nil {
		return errBadWorkbook(err)
	}
	defer rows.Close()
	t := newTable(s, o, fn)
	t.serialDates = true
	// Raw values: the number 13800000000 and not 1.38E+10, a date as its
	// serial number (converted in date columns), TRUE as 1.
	raw := excelize.Options{RawCellValue: true}
	for num := 1; rows.Next(); num++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		cells, err := rows.Columns(raw)
		if err != nil {
			return errBadWorkbook(err)
		}
		if err := t.add(num, cells); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return errBadWorkbook(err)
	}
	return t.finish()
}

func excelDate(serial float64) (time.Time, error) { return excelize.ExcelDateToTime(serial, false) }

// Sheet is one worksheet for WriteXLSX: a name (at most 31 characters, none
// of : \ / ? * [ ]), a header row and rows of values. Values may be strings,
// numbers, bools, time.Time or nil for an empty cell.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]any
}

// maxCellChars is Excel's limit on the text of one cell, in UTF-16 units.
const maxCellChars = 32767

// styles are the cell styles of a workbook written.
type styles struct{ header, date, dateTime int }

// WriteXLSX writes a workbook with the given sheets, streaming each one:
// the header row bold on grey and frozen, columns as wide as their content
// (up to a limit), times as dates (yyyy-mm-dd, with hh:mm:ss when they have
// a time of day) in their own zone's wall clock. A cell longer than Excel
// allows is an error rather than cut short.
func WriteXLSX(w io.Writer, sheets []Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	var st styles
	var err error
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.header, excelize.Style{
			Font: &excelize.Font{Bold: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}},
		}},
		{&st.date, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}},
		{&st.dateTime, excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")}},
	} {
		if *s.id, err = f.NewStyle(&s.style); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if len(sheets) == 0 {
		sheets = []Sheet{{Name: "Sheet1"}}
	}
	for i, sh := range sheets {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), sh.Name)
		} else {
			_, err = f.NewSheet(sh.Name)
		}
		if err != nil {
			return data.Errorf(data.EINVALID, "工作表名称“%s”不可用：%v", sh.Name, err)
		}
		if err := writeSheet(f, sh, st); err != nil {
			return err
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func writeSheet(f *excelize.File, sh Sheet, st styles) error {
	sw, err := f.NewStreamWriter(sh.Name)
	if err != nil {
		return fmt.Errorf("write xlsx: sheet %q: %w", sh.Name, err)
	}
	for i, w := range columnWidths(sh) {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if len(sh.Header) > 0 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
		row := make([]any, len(sh.Header))
		for i, h := range sh.Header {
			row[i] = h
		}
		if err := sw.SetRow("A1", row, excelize.RowOpts{StyleID: st.header}); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	first := 1
	if len(sh.Header) > 0 {
		first = 2
	}
	var cells []any
	for i, row := range sh.Rows {
		cells = append(cells[:0], row...)
		for j, v := range cells {
			switch v := v.(type) {
			case string:
				if len(v) > maxCellChars/3 && len(utf16.Encode([]rune(v))) > maxCellChars {
					col := columnLetters(j)
					if j < len(sh.Header) {
						col = sh.Header[j]
					}
					return data.Errorf(data.EINVALID, "工作表“%s”第 %d 行的“%s”超过 Excel 单元格上限 %d 个字符，无法导出为 .xlsx：请改用 JSONL 或 CSV",
						sh.Name, first+i, col, maxCellChars)
				}
			case time.Time:
				// Excel has no zones: keep the wall clock.
				wall := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), v.Nanosecond(), time.UTC)
				style := st.date
				if wall != wall.Truncate(24*time.Hour) {
					style = st.dateTime
				}
				cells[j] = excelize.Cell{StyleID: style, Value: wall}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, first+i)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("write xlsx: row %d: %w", first+i, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// columnWidths sizes columns to the widest of the header and the first
// thousand rows, counting East Asian characters double, within [8, 60].
func columnWidths(sh Sheet) []float64 {
	n := len(sh.Header)
	for _, row := range sh.Rows {
		n = max(n, len(row))
	}
	widths := make([]float64, n)
	see := func(i int, s string) {
		widths[i] = max(widths[i], float64(displayWidth(s)))
	}
	for i, h := range sh.Header {
		see(i, h)
	}
	for _, row := range sh.Rows[:min(len(sh.Rows), 1000)] {
		for i, v := range row {
			see(i, cellText(v))
		}
	}
	for i, w := range widths {
		widths[i] = min(max(w+2, 8), 60)
	}
	return widths
}

func displayWidth(s string) int {
	n := 0
	for i, r := range s {
		if i > 200 {
			return 100
		}
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// cellText is the text of a cell value.
func cellText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return formatFloat(v)
	case bool:
		return formatBool(v)
	case time.Time:
		return formatTime(v)
	}
	return fmt.Sprint(v)
}

// ReadXLSXSheets reads every worksheet of a workbook as text, the way Excel
// shows it, keyed by sheet name.
func ReadXLSXSheets(r io.Reader) (map[string][][]string, error) {
	f, err := openXLSX(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, errBadWorkbook(err)
		}
		out[name] = rows
	}
	return out, nil
}
