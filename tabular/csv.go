package tabular

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/techmatch/techmatch/data"
)

// sniffSize is how much of a file is looked at to guess its encoding and
// separator.
const sniffSize = 64 << 10

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	bomGB18030 = []byte{0x84, 0x31, 0x95, 0x33}
)

// decodeText returns r as UTF-8 text. Files with a byte-order mark are read
// in its encoding (Excel's "Unicode text" is UTF-16); files whose first 64 KiB
// are not valid UTF-8 are taken for GB18030 (which includes GBK and GB2312),
// the encoding Excel and WPS use for CSV on Chinese Windows. utf8 reports
// whether the text is passed through as UTF-8.
func decodeText(r io.Reader) (_ *bufio.Reader, utf8Text bool, err error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, false, fmt.Errorf("read csv: %w", err)
	}
	var dec transform.Transformer
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		_, _ = br.Discard(len(bomUTF8))
		return br, true, nil
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		dec = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(head, bomGB18030):
		_, _ = br.Discard(len(bomGB18030))
		dec = simplifiedchinese.GB18030.NewDecoder()
	case validUTF8Prefix(head, len(head) == sniffSize):
		return br, true, nil
	default:
		dec = simplifiedchinese.GB18030.NewDecoder()
	}
	return bufio.NewReaderSize(transform.NewReader(br, dec), sniffSize), false, nil
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a rune cut off
// at the end when b is only the start of the file.
func validUTF8Prefix(b []byte, truncated bool) bool {
	if truncated {
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// fixEncoding repairs a cell of a file taken for UTF-8 that is not: a GB18030
// file whose first 64 KiB happened to be ASCII.
func fixEncoding(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if t, err := simplifiedchinese.GB18030.NewDecoder().String(s); err == nil {
		return t
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// detectSeparator picks comma, tab or semicolon: whichever occurs most often
// outside quotes in the first non-blank line.
func detectSeparator(br *bufio.Reader) rune {
	head, _ := br.Peek(sniffSize)
	var line []byte
	for len(head) > 0 {
		var rest []byte
		line, rest, _ = bytes.Cut(head, []byte("\n"))
		if len(bytes.TrimSpace(line)) > 0 {
			break
		}
		head = rest
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(line) {
		switch c {
		case '"':
			quoted = !quoted
		case ',', '\t', ';':
			if !quoted {
				counts[c]++
			}
		}
	}
	best := ','
	for _, c := range []rune{'\t', ';'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// formulaGuard is the apostrophe Write puts before a CSV cell that
// spreadsheet programs would run as a formula (=, +, -, @); reading takes it
// off again.
const formulaGuard = "'"

func needsGuard(s string) bool {
	s = strings.TrimLeft(s, formulaGuard)
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

func guard(s string) string {
	if needsGuard(s) {
		return formulaGuard + s
	}
	return s
}

func unguard(s string) string {
	if strings.HasPrefix(s, formulaGuard) && needsGuard(s) {
		return s[len(formulaGuard):]
	}
	return s
}

func readCSV[T any](ctx context.Context, r io.Reader, s *schema[T], o Options, fn func(Row) error) error {
	br, isUTF8, err := decodeText(r)
	if err != nil {
		return err
	}
	cr := csv.NewReader(br)
	cr.Comma = detectSeparator(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	t := newTable(s, o, fn)
	t.clean = unguard
	if isUTF8 {
		t.clean = func(s string) string { return unguard(fixEncoding(s)) }
	}
	// A spreadsheet shows each record as one row, a blank line as an empty
	// row, and a quoted line break as part of its cell: the row number of a
	// record is that of the previous record, plus the lines between them,
	// less the line breaks inside the previous record.
	num, prevLine, prevBreaks := 0, 0, 0
	next := func(line, breaks int) int {
		if num == 0 {
			num = line
		} else {
			num += max(1, line-prevLine-prevBreaks)
		}
		prevLine, prevBreaks = line, breaks
		return num
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		// Quotes are parsed strictly: LazyQuotes would let one stray quote
		// swallow every row after it into a single cell without a word.
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			n := next(perr.StartLine, perr.Line-perr.StartLine)
			msg := quoteMessage(perr)
			if t.header == nil {
				return data.Errorf(data.EINVALID, "第 %d 行（表头或其前）：%s", n, msg)
			}
			if err := fn(s.row(n, nil, rowError(n, []data.FieldError{{Message: msg}}))); err != nil {
				return err
			}
			continue
		} else if err != nil {
			return fmt.Errorf("read csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		breaks := 0
		for _, f := range rec {
			breaks += strings.Count(f, "\n")
		}
		if err := t.add(next(line, breaks), rec); err != nil {
			return err
		}
	}
	return t.finish()
}

func quoteMessage(err *csv.ParseError) string {
	if errors.Is(err, csv.ErrQuote) {
		return "引号没有闭合或多余：以英文双引号开头的单元格必须以双引号结束，其中的双引号要写成两个（\"\"）"
	}
	return "英文双引号使用不当：含有双引号的单元格应整体用双引号括起，其中的双引号写成两个（\"\"）"
}

// WriteCSV writes a plain table (a header and rows of cells) as Write
// writes a catalogue's CSV: UTF-8 with a byte-order mark, CRLF line ends,
// and a leading apostrophe on every cell a spreadsheet would run as a
// formula. It is the one CSV writer with the formula guard; rows are not
// changed.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	cp := make([][]string, len(rows))
	for i, r := range rows {
		cp[i] = append([]string(nil), r...)
	}
	return writeCSV(w, header, cp)
}

// writeCSV writes UTF-8 with a byte-order mark, so that Excel shows Chinese
// text correctly, and CRLF line ends (in cells too: encoding/csv would drop
// a lone \r, so every line break is made a \n first).
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	bw := bufio.NewWriter(w)
	_, _ = bw.Write(bomUTF8)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, row := range rows {
		for i, c := range row {
			row[i] = guard(normalizeNewlines(c))
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
