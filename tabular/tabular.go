// Package tabular reads and writes catalogue files: JSON Lines, CSV (UTF-8,
// GB18030 or UTF-16, comma, tab or semicolon separated) and Excel workbooks
// (.xlsx), with English JSON field names or the usual Chinese column headers.
// It backs `techmatch import` and `techmatch export`, and is the only package
// that imports excelize and golang.org/x/text.
//
// Reading never validates: the store does that for every batch. It does
// normalize each record, and reports cells it cannot parse (a budget of
// "abc") per row, with the row number a person sees in their editor or
// spreadsheet, so that an import can list every problem at once.
//
// Columns and fields the catalogue does not know are never dropped: they are
// kept in the record's Extra map and written back out on export.
package tabular

import (
	"context"
	"io"
	"path/filepath"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// Format is a file format.
type Format string

const (
	FormatJSONL Format = "jsonl"
	FormatCSV   Format = "csv"
	FormatXLSX  Format = "xlsx"
)

// DetectFormat returns the format of a file from its name's extension:
// .jsonl, .ndjson and .json are JSON Lines (a file may also hold one JSON
// array of records, and a .json file records laid out over several lines), .csv, .tsv and .txt are CSV with the separator
// detected from the header, and .xlsx is an Excel workbook.
func DetectFormat(name string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL, nil
	case ".csv", ".tsv", ".txt":
		return FormatCSV, nil
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	case ".xls", ".et", ".wps":
		return "", data.Errorf(data.EINVALID, "不支持 %s 格式的文件 %q：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV（UTF-8）后再导入", ext, name)
	case "":
		return "", data.Errorf(data.EINVALID, "无法从文件名 %q 判断格式：请使用 .jsonl、.csv 或 .xlsx 扩展名，或指定格式", name)
	default:
		return "", data.Errorf(data.EINVALID, "不支持 %s 格式的文件 %q：请使用 JSONL（.jsonl）、CSV（.csv）或 Excel（.xlsx）", ext, name)
	}
}

// ParseFormat accepts a format name as given on a command line: jsonl (or
// json, ndjson), csv (or tsv) and xlsx (or excel).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")) {
	case "jsonl", "json", "ndjson":
		return FormatJSONL, nil
	case "csv", "tsv":
		return FormatCSV, nil
	case "xlsx", "excel":
		return FormatXLSX, nil
	}
	return "", data.Errorf(data.EINVALID, "未知的文件格式 %q：应为 jsonl、csv 或 xlsx", s)
}

// Row is one record read from a file.
type Row struct {
	// Num is the 1-based number of the row as a person sees it: the line
	// number in a JSON Lines file, the spreadsheet row number (header = row
	// 1 unless blank or title rows precede it) in a CSV or Excel file.
	Num int

	// Achievement or Demand, whichever catalogue is read, is the record,
	// normalized but not validated.
	Achievement *data.Achievement
	Demand      *data.Demand

	// Err is a *data.Error with code EINVALID when some cell or the whole
	// row could not be parsed: a budget of "abc", a line that is not JSON.
	// Its Fields name each field (JSON path, or "" for the whole row) with a
	// Chinese message that names the column as the file's header spells it;
	// its Message starts with "第 Num 行". The record then holds what could
	// be parsed, for messages, or is nil; it must not be stored.
	Err error
}

// Options adjust Read.
type Options struct {
	// Format overrides the format detected from the file name, for
	// instance when reading standard input.
	Format Format

	// OnUnknownColumns, if set, is told about columns that map to no field
	// of the catalogue; their values go into each record's Extra map under
	// the header text. For CSV and Excel it is called once, after the header
	// row, with the unknown headers (and headers repeating a column already
	// seen), and again the first time a column without any header holds a
	// value, named by its letter ("F列"). For JSON Lines it is called with
	// the unknown field names of a record the first time each appears.
	OnUnknownColumns func(columns []string)

	// OnContactColumns, if set, is told after the header row of a CSV file
	// or worksheet which headers were recognised as contact data (联系人,
	// 联系电话, 手机, 邮箱, 传真, QQ, 微信, 地址 …): they go to the record's
	// private contact, never to public fields.
	OnContactColumns func(columns []string)
}

// Read reads the catalogue of the given kind from r and calls fn with every
// record in file order; name (a path or just a file name) gives the format
// unless opts sets one. Rows that cannot be parsed are passed to fn with Err
// set; blank rows are skipped. Read stops at the first error fn returns and
// returns it unchanged.
//
// Read itself fails, with a *data.Error of code EINVALID and a Chinese
// message, on an unknown format, a file that is not a workbook, a header row
// it cannot find or JSON it cannot resynchronize after; I/O errors of r are
// returned wrapped.
func Read(ctx context.Context, r io.Reader, name string, kind data.Kind, fn func(Row) error, opts ...Options) error {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	var format Format
	var err error
	if o.Format != "" {
		format, err = ParseFormat(string(o.Format))
	} else {
		format, err = DetectFormat(name)
	}
	if err != nil {
		return err
	}
	switch kind {
	case data.KindAchievement:
		return read(ctx, r, name, format, achievementSchema, o, fn)
	case data.KindDemand:
		return read(ctx, r, name, format, demandSchema, o, fn)
	}
	return errKind(kind)
}

func read[T any](ctx context.Context, r io.Reader, name string, format Format, s *schema[T], o Options, fn func(Row) error) error {
	switch format {
	case FormatJSONL:
		return readJSONL(ctx, r, name, s, o, fn)
	case FormatCSV:
		return readCSV(ctx, r, s, o, fn)
	case FormatXLSX:
		return readXLSX(ctx, r, s, o, fn)
	}
	return data.Errorf(data.EINVALID, "未知的文件格式 %q：应为 jsonl、csv 或 xlsx", format)
}
