package tabular

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// maxTitleRows is how many non-empty rows (a title, a note) may come before
// the header row of a CSV file or worksheet.
const maxTitleRows = 10

// A table turns the rows of a CSV file or worksheet into records: it finds
// the header row, maps each column, and parses the cells of each data row.
type table[T any] struct {
	s     *schema[T]
	o     Options
	fn    func(Row) error
	clean func(string) string // per-cell fix-up of the format, before trimming
	// serialDates says that numbers in date columns are spreadsheet serial
	// dates (Excel stores dates as days since 1900).
	serialDates bool

	header   []string // header texts, trimmed; nil until found
	cols     []int    // per file column: index into s.cols, or -1
	keys     []string // per file column: Extra key of an unmapped column
	reported map[int]bool
	skipped  int // non-empty rows before the header
}

func newTable[T any](s *schema[T], o Options, fn func(Row) error) *table[T] {
	return &table[T]{s: s, o: o, fn: fn, clean: func(s string) string { return s }, reported: map[int]bool{}}
}

// cell is the text of a cell as the catalogue keeps it: fixed up for the
// format, with every line break a \n.
func (t *table[T]) cell(s string) string { return normalizeNewlines(t.clean(s)) }

var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return newlines.Replace(s)
}

// add handles one row of the file, numbered as a person sees it.
func (t *table[T]) add(num int, cells []string) error {
	if isBlank(cells) {
		return nil
	}
	if t.header == nil {
		if t.isHeader(cells) {
			t.setHeader(cells)
			return nil
		}
		if t.skipped++; t.skipped >= maxTitleRows {
			return t.noHeader()
		}
		return nil
	}
	return t.fn(t.record(num, cells))
}

// finish reports a file that had rows but no header.
func (t *table[T]) finish() error {
	if t.header == nil && t.skipped > 0 {
		return t.noHeader()
	}
	return nil
}

func (t *table[T]) noHeader() error {
	h := t.s.header()
	return data.Errorf(data.EINVALID, "没有找到表头：文件前 %d 行中没有可识别的列名。第一行应为列名，如 %s",
		maxTitleRows, strings.Join(h[1:4], "、"))
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (t *table[T]) isHeader(cells []string) bool {
	for _, c := range cells {
		if t.s.lookup(t.cell(c)) >= 0 {
			return true
		}
	}
	return false
}

func (t *table[T]) setHeader(cells []string) {
	t.header = make([]string, len(cells))
	t.cols = make([]int, len(cells))
	t.keys = make([]string, len(cells))
	mapped := map[int]bool{}
	used := map[string]bool{}
	var unknown, contact []string
	for i, c := range cells {
		h := strings.TrimSpace(t.cell(c))
		t.header[i] = h
		t.cols[i] = -1
		if j := t.s.lookup(h); j >= 0 && !mapped[j] {
			mapped[j] = true
			t.cols[i] = j
			if IsContactColumn(t.s.cols[j].key) {
				contact = append(contact, h)
			}
			continue
		}
		if h == "" {
			continue
		}
		key := h
		if used[key] {
			key = fmt.Sprintf("%s（%s列）", h, columnLetters(i))
		}
		used[key] = true
		t.keys[i] = key
		unknown = append(unknown, h)
	}
	if len(unknown) > 0 && t.o.OnUnknownColumns != nil {
		t.o.OnUnknownColumns(unknown)
	}
	if len(contact) > 0 && t.o.OnContactColumns != nil {
		t.o.OnContactColumns(contact)
	}
}

func (t *table[T]) record(num int, cells []string) Row {
	rec := new(T)
	var problems []data.FieldError
	for i, raw := range cells {
		v := strings.TrimSpace(t.cell(raw))
		if v == "" {
			continue
		}
		if i < len(t.cols) && t.cols[i] >= 0 {
			c := &t.s.cols[t.cols[i]]
			if t.serialDates && c.date {
				v = serialDate(v)
			}
			if err := c.set(rec, v); err != nil {
				problems = append(problems, data.FieldError{
					Field:   c.key,
					Message: fmt.Sprintf("%s“%s”%s", t.header[i], clip(v), err),
				})
			}
			continue
		}
		var key string
		if i < len(t.keys) {
			key = t.keys[i]
		}
		if key == "" {
			key = columnLetters(i) + "列"
			if !t.reported[i] {
				t.reported[i] = true
				if t.o.OnUnknownColumns != nil {
					t.o.OnUnknownColumns([]string{key})
				}
			}
		}
		m := t.s.extra(rec)
		if *m == nil {
			*m = map[string]json.RawMessage{}
		}
		(*m)[key] = jsonString(v)
	}
	t.s.norm(rec)
	return t.s.row(num, rec, rowError(num, problems))
}

// rowError collects the problems of one row into one *data.Error.
func rowError(num int, problems []data.FieldError) error {
	switch len(problems) {
	case 0:
		return nil
	case 1:
		return &data.Error{Code: data.EINVALID, Message: fmt.Sprintf("第 %d 行：%s", num, problems[0].Message), Fields: problems}
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message
	}
	return &data.Error{
		Code:    data.EINVALID,
		Message: fmt.Sprintf("第 %d 行有 %d 处无法识别：%s", num, len(problems), strings.Join(msgs, "；")),
		Fields:  problems,
	}
}

// columnLetters names a 0-based column the way spreadsheets do: A … Z, AA ….
func columnLetters(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// serialDate turns a spreadsheet serial date (45413 = 2024-05-01) into text.
// Four-digit whole numbers are taken for years, not for dates in 1902–1927.
func serialDate(v string) string {
	if !numberRE.MatchString(v) {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f > 2958465 || (f >= 1000 && f <= 9999 && f == float64(int(f))) {
		return v
	}
	tm, err := excelDate(f)
	if err != nil {
		return v
	}
	if f == float64(int(f)) {
		return tm.Format("2006-01-02")
	}
	return tm.Format("2006-01-02 15:04:05")
}
