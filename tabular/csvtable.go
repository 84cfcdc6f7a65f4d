package tabular

import (
	"fmt"
	"io"
	"strconv"
)

// WriteCSV writes a table of cells (strings, ints, floats; anything else as
// fmt prints it) the way Write writes records: UTF-8 with a byte-order mark,
// CRLF line ends, and the formula guard on cells a spreadsheet would run.
// It is the CSV twin of WriteXLSX.
func WriteCSV(w io.Writer, header []string, rows [][]any) error {
	out := make([][]string, len(rows))
	for i, row := range rows {
		rec := make([]string, len(row))
		for j, v := range row {
			switch v := v.(type) {
			case string:
				rec[j] = v
			case int:
				rec[j] = strconv.Itoa(v)
			case float64:
				rec[j] = strconv.FormatFloat(v, 'f', -1, 64)
			default:
				rec[j] = fmt.Sprint(v)
			}
		}
		out[i] = rec
	}
	return writeCSV(w, append([]string(nil), header...), out)
}
