package tabular

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/techmatch/techmatch/data"
)

// maxLine bounds one JSON Lines record; real ones are a few KiB.
const maxLine = 64 << 20

type jsonReader[T any] struct {
	s    *schema[T]
	o    Options
	fn   func(Row) error
	seen map[string]bool // unknown fields reported so far
}

// readJSONL reads one JSON object per line, skipping blank lines. A file
// whose first character is [ is read as one JSON array of objects instead,
// and a .json file as a sequence of JSON values, which may span lines.
func readJSONL[T any](ctx context.Context, r io.Reader, name string, s *schema[T], o Options, fn func(Row) error) error {
	br := bufio.NewReaderSize(r, sniffSize)
	if b, _ := br.Peek(len(bomUTF8)); bytes.Equal(b, bomUTF8) {
		_, _ = br.Discard(len(bomUTF8))
	}
	j := &jsonReader[T]{s: s, o: o, fn: fn, seen: map[string]bool{}}
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return fmt.Errorf("read jsonl: %w", err)
	}
	if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		return j.document(ctx, br, true)
	}
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return j.document(ctx, br, false)
	}
	return j.lines(ctx, br)
}

func (j *jsonReader[T]) lines(ctx context.Context, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, sniffSize), maxLine)
	n := 0
	for sc.Scan() {
		n++
		if err := ctx.Err(); err != nil {
			return err
		}
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := j.fn(j.decode(n, line)); err != nil {
			return err
		}
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return data.Errorf(data.EINVALID, "第 %d 行超过 %d MiB：JSONL 文件应每行一条记录", n+1, maxLine>>20)
	} else if err != nil {
		return fmt.Errorf("read jsonl: %w", err)
	}
	return nil
}

// document reads a whole JSON document: an array of records, or records one
// after another however they are laid out. Each row is numbered by the line
// its record starts on. A syntax error ends the reading, for the decoder
// cannot find the next record after it.
func (j *jsonReader[T]) document(ctx context.Context, r io.Reader, array bool) error {
	all, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read json: %w", err)
	}
	lineAt := lineCounter(all)
	dec := json.NewDecoder(bytes.NewReader(all))
	if array {
		if _, err := dec.Token(); err != nil { // the [ seen by readJSONL
			return fmt.Errorf("read json: %w", err)
		}
	}
	for dec.More() {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := int(dec.InputOffset())
		for start < len(all) && strings.IndexByte(" \t\r\n,", all[start]) >= 0 {
			start++
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			at := start
			var serr *json.SyntaxError
			if errors.As(err, &serr) {
				at = int(serr.Offset)
			}
			return data.Errorf(data.EINVALID, "第 %d 行附近不是有效的 JSON，无法继续读取：请检查此处的引号、逗号和括号", lineAt(at))
		}
		if err := j.fn(j.decode(lineAt(start), raw)); err != nil {
			return err
		}
	}
	if !array {
		return nil
	}
	if _, err := dec.Token(); err != nil {
		return data.Errorf(data.EINVALID, "第 %d 行附近不是有效的 JSON：数组没有以 ] 结束", lineAt(int(dec.InputOffset())))
	}
	return nil
}

// lineCounter returns a function giving the 1-based line of a byte offset;
// offsets must not decrease from call to call.
func lineCounter(b []byte) func(off int) int {
	line, pos := 1, 0
	return func(off int) int {
		off = min(max(off, pos), len(b))
		line += bytes.Count(b[pos:off], []byte("\n"))
		pos = off
		return line
	}
}

// decode parses one record. JSON has to be UTF-8, but a line that is not is
// taken for GB18030 rather than garbled.
func (j *jsonReader[T]) decode(num int, b []byte) Row {
	if !utf8.Valid(b) {
		if t, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
			b = t
		}
	}
	if b[0] != '{' {
		return j.s.row(num, nil, rowError(num, []data.FieldError{{Message: "不是 JSON 对象：每行应是一条以 { 开头、以 } 结尾的记录"}}))
	}
	rec := new(T)
	if err := json.Unmarshal(b, rec); err != nil {
		var serr *json.SyntaxError
		if errors.As(err, &serr) {
			msg := fmt.Sprintf("不是有效的 JSON：第 %d 个字节附近有错误，请检查引号、逗号和括号", serr.Offset)
			return j.s.row(num, nil, rowError(num, []data.FieldError{{Message: msg}}))
		}
		j.s.norm(rec)
		return j.s.row(num, rec, rowError(num, []data.FieldError{jsonProblem(err)}))
	}
	j.s.norm(rec)
	j.report(*j.s.extra(rec))
	return j.s.row(num, rec, nil)
}

func (j *jsonReader[T]) report(extra map[string]json.RawMessage) {
	if j.o.OnUnknownColumns == nil || len(extra) == 0 {
		return
	}
	var fresh []string
	for k := range extra {
		if !j.seen[k] {
			j.seen[k] = true
			fresh = append(fresh, k)
		}
	}
	if len(fresh) > 0 {
		sort.Strings(fresh)
		j.o.OnUnknownColumns(fresh)
	}
}

func jsonProblem(err error) data.FieldError {
	var terr *json.UnmarshalTypeError
	if errors.As(err, &terr) {
		return data.FieldError{
			Field:   terr.Field,
			Message: fmt.Sprintf("字段 %s 应为%s，实际是%s", terr.Field, goTypeName(terr.Type), jsonValueName(terr.Value)),
		}
	}
	return data.FieldError{Message: fmt.Sprintf("无法解析：%v", err)}
}

func goTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "文本"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Float32, reflect.Float64:
		return "数字"
	case reflect.Bool:
		return " true 或 false"
	case reflect.Slice, reflect.Array:
		return "数组"
	}
	return "对象"
}

func jsonValueName(v string) string {
	switch {
	case v == "string":
		return "文本"
	case v == "number":
		return "数字"
	case strings.HasPrefix(v, "number "):
		return "数字 " + strings.TrimPrefix(v, "number ")
	case v == "bool":
		return " true 或 false"
	case v == "array":
		return "数组"
	case v == "object":
		return "对象"
	}
	return v
}

// writeJSONL writes one full JSON record per line, Extra fields included,
// without escaping <, > and &.
func writeJSONL[T Record](ctx context.Context, w io.Writer, records iter.Seq2[T, error]) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for rec, err := range records {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("write jsonl: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	return nil
}
