package tabular

import (
	"context"
	"io"
	"iter"
	"sort"

	"github.com/techmatch/techmatch/data"
)

// Record is a record of either catalogue.
type Record interface {
	data.Achievement | data.Demand
}

// Records ranges over a slice of records, for Write.
func Records[T Record](recs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Write writes the records of one catalogue in the given format; the
// catalogue is the type of the records. It stops at the first error the
// sequence yields and returns it unchanged.
//
// JSON Lines holds the full records, one per line, Extra fields included.
// CSV (UTF-8 with a byte-order mark, for Excel) and Excel workbooks (one
// sheet named 科技成果 or 技术需求) have the canonical Chinese headers of
// Header, followed by one column per Extra field in name order, and read back
// into the same records; an Extra value that is not a JSON string comes back
// as the string of its JSON. In CSV, a cell that starts with = + - or @ gets
// an apostrophe in front so that spreadsheet programs do not run it as a
// formula; Read takes it off again.
//
// Export is an administrator's operation: private data — inventors' and
// demands' contact details, record owners — is written too. Do not hand an
// export to readers without a token.
//
// CSV and Excel output needs the Extra field names before the first row, so
// the cell texts of all records are held in memory until the end (about the
// size of the catalogue's text); the workbook itself is streamed.
func Write[T Record](ctx context.Context, w io.Writer, format Format, records iter.Seq2[T, error]) error {
	f, err := ParseFormat(string(format))
	if err != nil {
		return err
	}
	if f == FormatJSONL {
		return writeJSONL(ctx, w, records)
	}
	s := schemaFor[T]()
	header, rows, err := collect(ctx, s, records)
	if err != nil {
		return err
	}
	if f == FormatCSV {
		text := make([][]string, len(rows))
		for i, row := range rows {
			text[i] = make([]string, len(row))
			for j, v := range row {
				text[i][j] = cellText(v)
			}
		}
		return writeCSV(w, header, text)
	}
	return WriteXLSX(w, []Sheet{{Name: s.kind.Label(), Header: header, Rows: rows}})
}

func schemaFor[T Record]() *schema[T] {
	var s any
	switch any(*new(T)).(type) {
	case data.Achievement:
		s = achievementSchema
	case data.Demand:
		s = demandSchema
	}
	return s.(*schema[T])
}

// collect turns records into rows of cells: strings, and numbers where the
// column has them. Columns for Extra fields follow the known ones.
func collect[T any](ctx context.Context, s *schema[T], records iter.Seq2[T, error]) ([]string, [][]any, error) {
	header := s.header()
	known := len(header)
	var rows [][]any
	extraCol := map[string]int{} // Extra key → column index beyond known
	type pending struct {
		row   int
		col   string
		value string
	}
	var extras []pending
	for rec, err := range records {
		if err != nil {
			return nil, nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		row := make([]any, 0, known)
		for i := range s.cols {
			c := &s.cols[i]
			if c.label == "" {
				continue
			}
			var v any
			if c.value != nil {
				v = c.value(&rec)
			} else if t := c.get(&rec); t != "" {
				v = t
			}
			row = append(row, v)
		}
		for k, raw := range *s.extra(&rec) {
			if _, ok := extraCol[k]; !ok {
				extraCol[k] = -1
			}
			extras = append(extras, pending{len(rows), k, extraText(raw)})
		}
		rows = append(rows, row)
	}
	if len(extraCol) == 0 {
		return header, rows, nil
	}
	keys := make([]string, 0, len(extraCol))
	for k := range extraCol {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		extraCol[k] = known + i
	}
	header = append(header, keys...)
	for i := range rows {
		rows[i] = append(rows[i], make([]any, len(keys))...)
	}
	for _, e := range extras {
		rows[e.row][extraCol[e.col]] = e.value
	}
	return header, rows, nil
}
