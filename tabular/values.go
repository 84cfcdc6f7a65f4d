package tabular

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// A cellError is the Chinese tail of a message about one cell, written to
// follow the column name and the quoted value: 预算“abc” + 不是有效的金额….
type cellError string

func (e cellError) Error() string { return string(e) }

const (
	errAmount   cellError = "不是有效的金额：应写成 10、10~50、10以上、50以下 或 面议（单位：万元）"
	errBounds   cellError = "的下限高于上限，请检查是否填反"
	errNumber   cellError = "不是数字（单位：万元）"
	errYear     cellError = "不是有效的年份：应写成 2024"
	errBool     cellError = "无法识别：应为 是 或 否"
	errTime     cellError = "不是有效的时间：应写成 2024-05-01 或 2024-05-01T08:00:00+08:00"
	errOneValue cellError = "应为一个数，不能是范围"
)

// negotiable are the cell values that mean "no amount given".
var negotiable = map[string]bool{
	"面议": true, "待定": true, "协商": true, "面谈": true, "议价": true, "商议": true,
	"不限": true, "无": true, "/": true, "-": true, "--": true, "—": true, "——": true,
}

var (
	rangeSeps   = []string{"~", "-", "至", "到", "—", "–"}
	atLeastPre  = []string{">=", "≥", ">", "不低于", "不少于", "大于", "高于"}
	atLeastSuf  = []string{"及以上", "以上", "+"}
	atMostPre   = []string{"<=", "≤", "<", "不超过", "不高于", "不多于", "小于", "低于"}
	atMostSuf   = []string{"及以下", "以下", "以内"}
	amountPre   = []string{"约", "大约", "¥", "￥"}
	numberRE    = regexp.MustCompile(`^([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
	thousandsRE = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)
)

// ParseRange parses an amount range in 万元 as people write it in
// spreadsheets: "10-50", "10~50", "10至50", "10万-50万", "1-2亿", a single
// number (min = max), open ranges "200以上" or "≥200" (max 0, meaning no upper
// bound) and "50以下" (min 0), and "面议", "待定" or an empty cell, which give
// nil. Amounts in 亿 and 元 are converted to 万元. Errors are *data.Error with
// code EINVALID. A parsed range has non-negative, finite bounds and either
// Max == 0 (no upper bound) or Min <= Max.
func ParseRange(s string) (*data.Range, error) {
	r, err := parseRange(s)
	if err != nil {
		return nil, data.Errorf(data.EINVALID, "金额“%s”%s", clip(s), err)
	}
	return r, nil
}

// FormatRange writes a range the way ParseRange reads it back: "10~50" (a
// tilde, so that spreadsheet programs do not take it for a date), "10" when
// min = max, "200以上" without an upper bound, "50以下" without a lower one,
// and "" for nil.
func FormatRange(r *data.Range) string {
	switch {
	case r == nil:
		return ""
	case r.Min == r.Max:
		return formatFloat(r.Min)
	case r.Max == 0:
		return formatFloat(r.Min) + "以上"
	case r.Min == 0:
		return formatFloat(r.Max) + "以下"
	}
	return formatFloat(r.Min) + "~" + formatFloat(r.Max)
}

func parseRange(s string) (*data.Range, error) {
	s = compact(s)
	if s == "" || negotiable[s] {
		return nil, nil
	}
	s = trimAnyPrefix(s, amountPre)
	if rest, ok := cutAffix(s, atLeastPre, atLeastSuf); ok {
		v, err := parseAmount(rest)
		if err != nil {
			return nil, errAmount
		}
		return &data.Range{Min: v}, nil
	}
	if rest, ok := cutAffix(s, atMostPre, atMostSuf); ok {
		v, err := parseAmount(rest)
		if err != nil {
			return nil, errAmount
		}
		return &data.Range{Max: v}, nil
	}
	lo, hi, ok := cutRange(s)
	if !ok {
		v, err := parseAmount(s)
		if err != nil {
			return nil, errAmount
		}
		return &data.Range{Min: v, Max: v}, nil
	}
	// A unit written once applies to both bounds: "1-2亿", "10-50万元".
	if unitOf(lo) == "" {
		lo += unitOf(hi)
	}
	min, err1 := parseAmount(lo)
	max, err2 := parseAmount(hi)
	if err1 != nil || err2 != nil {
		return nil, errAmount
	}
	if min > max {
		return nil, errBounds
	}
	return &data.Range{Min: min, Max: max}, nil
}

// cutRange splits s at the first range separator that has text on both sides.
func cutRange(s string) (lo, hi string, ok bool) {
	best := -1
	var sep string
	for _, x := range rangeSeps {
		if i := strings.Index(s, x); i > 0 && i+len(x) < len(s) && (best < 0 || i < best) {
			best, sep = i, x
		}
	}
	if best < 0 {
		return "", "", false
	}
	return s[:best], s[best+len(sep):], true
}

func cutAffix(s string, prefixes, suffixes []string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && rest != "" {
			return rest, true
		}
	}
	for _, x := range suffixes {
		if rest, ok := strings.CutSuffix(s, x); ok && rest != "" {
			return rest, true
		}
	}
	return s, false
}

func trimAnyPrefix(s string, prefixes []string) string {
	for _, p := range prefixes {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

var units = []struct {
	suffix string
	shift  int // decimal places to move the point to reach 万元
}{
	{"万元", 0}, {"万", 0}, {"亿元", 4}, {"亿", 4}, {"元", -4},
}

func unitOf(s string) string {
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			return u.suffix
		}
	}
	return ""
}

// parseAmount parses one non-negative amount with an optional unit (万元 when
// none is given), moving the decimal point in text so that 1.1亿 is exactly
// 11000 and not 11000.000000000002.
func parseAmount(s string) (float64, error) {
	shift := 0
	for _, u := range units {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, shift = rest, u.shift
			break
		}
	}
	if thousandsRE.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	if !numberRE.MatchString(s) {
		return 0, errNumber
	}
	v, err := strconv.ParseFloat(shiftPoint(s, shift), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errNumber
	}
	return v, nil
}

// shiftPoint moves the decimal point of a plain decimal number n places to
// the right (left when n < 0).
func shiftPoint(s string, n int) string {
	if n == 0 {
		return s
	}
	whole, frac, _ := strings.Cut(s, ".")
	digits := whole + frac
	point := len(whole) + n
	for point > len(digits) {
		digits += "0"
	}
	for point < 0 {
		digits = "0" + digits
		point++
	}
	return digits[:point] + "." + digits[point:] + "0"
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// compact folds full-width forms and drops all white space.
func compact(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = data.FoldWidth(r)
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// parseSingleAmount parses a cell that must hold one amount, like 揭榜奖励.
func parseSingleAmount(s string) (float64, error) {
	s = trimAnyPrefix(compact(s), amountPre)
	if _, _, ok := cutRange(s); ok {
		return 0, errOneValue
	}
	return parseAmount(s)
}

var yearRE = regexp.MustCompile(`^([0-9]{1,4})(\.0*)?年?$`)

func parseYear(s string) (int, error) {
	m := yearRE.FindStringSubmatch(compact(s))
	if m == nil {
		return 0, errYear
	}
	n, _ := strconv.Atoi(m[1])
	return n, nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(compact(s)) {
	case "是", "true", "1", "yes", "y", "√", "✓", "有":
		return true, nil
	case "否", "false", "0", "no", "n", "×", "✗", "无":
		return false, nil
	}
	return false, errBool
}

func formatBool(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

var (
	dayRE   = regexp.MustCompile(`^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?:[ T][0-9:.]*)?$`)
	monthRE = regexp.MustCompile(`^([0-9]{4})[-/.年]([0-9]{1,2})月?$`)
)

// normalizeDate rewrites the dates people type into spreadsheets (2024/5/1,
// 2024年5月1日, 2024.05.01 08:00) as 2024-05-01, and 2024年5月 as 2024-05, so
// that dates sort and filter as text. Anything else is returned unchanged for
// validation to judge.
func normalizeDate(s string) string {
	t := strings.TrimSpace(s)
	if m := dayRE.FindStringSubmatch(t); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		tm := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if tm.Year() == y && int(tm.Month()) == mo && tm.Day() == d {
			return tm.Format("2006-01-02")
		}
		return s
	}
	if m := monthRE.FindStringSubmatch(t); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 {
			return fmt.Sprintf("%04d-%02d", y, mo)
		}
	}
	return s
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04",
	"2006-01-02", "2006/1/2",
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errTime
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// listSeps separate the items of a list cell. An ASCII comma between two
// digits does not ("1,3-丁二烯").
const listSeps = "、,，;；|"

// splitList splits a list cell the way people fill them in:
//
//   - a cell with line breaks in it has one item per line;
//   - otherwise items are separated by listSeps or extra, except inside
//     brackets, so that "张三（教授，13800000000）、李四" is two inventors;
//   - a cell without any of those is split at white space next to a Chinese
//     character: "深度学习 图像识别" is two keywords, "machine learning" one.
func splitList(s, extra string) []string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\r\n") {
		return nonEmpty(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }))
	}
	rs := []rune(s)
	var out []string
	var cur strings.Builder
	depth := 0
	split := false
	for i, r := range rs {
		switch {
		case strings.ContainsRune("(（[【《", r):
			depth++
		case strings.ContainsRune(")）]】》", r):
			if depth > 0 {
				depth--
			}
		case depth > 0:
		case r == ',' && i > 0 && i+1 < len(rs) && isDigit(rs[i-1]) && isDigit(rs[i+1]):
		case strings.ContainsRune(listSeps, r) || strings.ContainsRune(extra, r):
			out = append(out, cur.String())
			cur.Reset()
			split = true
			continue
		}
		cur.WriteRune(r)
	}
	out = append(out, cur.String())
	if split {
		return nonEmpty(out)
	}
	cur.Reset()
	out = out[:0]
	depth = 0
	for i, r := range rs {
		switch {
		case strings.ContainsRune("(（[【《", r):
			depth++
		case strings.ContainsRune(")）]】》", r):
			depth = max(depth-1, 0)
		case depth == 0 && unicode.IsSpace(r) && (isHan(prevNonSpace(rs, i)) || isHan(nextNonSpace(rs, i))):
			out = append(out, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteRune(r)
	}
	return nonEmpty(append(out, cur.String()))
}

// nonEmpty trims items and drops empty ones.
func nonEmpty(items []string) []string {
	var out []string
	for _, it := range items {
		if t := strings.TrimSpace(it); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// joinList writes a list cell that splitList reads back as the same items:
// joined with 、 where that is enough; one item per line where items hold
// separators themselves; a lone item with a space next to Chinese text
// ("Meta 分析") followed by 、. Only items that hold line breaks, or a lone
// item holding a separator, cannot be written exactly; they are joined with
// 、.
func joinList(items []string, extra string) string {
	if len(items) == 0 {
		return ""
	}
	candidates := []string{strings.Join(items, "、")}
	if len(items) > 1 {
		candidates = append(candidates, strings.Join(items, "\n"))
	} else {
		candidates = append(candidates, items[0]+"、")
	}
	for _, c := range candidates {
		if slices.Equal(splitList(c, extra), items) {
			return c
		}
	}
	return candidates[0]
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func prevNonSpace(rs []rune, i int) rune {
	for i--; i >= 0; i-- {
		if !unicode.IsSpace(rs[i]) {
			return rs[i]
		}
	}
	return 0
}

func nextNonSpace(rs []rune, i int) rune {
	for i++; i < len(rs); i++ {
		if !unicode.IsSpace(rs[i]) {
			return rs[i]
		}
	}
	return 0
}

const (
	labelTitle   = "职称："
	labelContact = "联系方式："
)

var (
	titleLabels   = []string{"职称", "title"}
	contactLabels = []string{"联系方式", "联系电话", "电话", "手机", "邮箱", "联系", "contact"}
)

// parseInventors reads "张三（教授，联系方式：13800000000）、李四": names
// separated like any list, each optionally followed by a bracketed title and
// contact. Unlabelled bracket parts holding a digit or an @ are taken for the
// contact, others for the title.
func parseInventors(s string) []data.Inventor {
	var out []data.Inventor
	for _, item := range splitList(s, "") {
		p := data.Inventor{Name: item}
		open := strings.IndexAny(item, "(（")
		if open > 0 {
			inner := strings.TrimRight(item[open:], ")）")
			_, size := utf8.DecodeRuneInString(inner)
			inner = inner[size:]
			p.Name = strings.TrimSpace(item[:open])
			var titles, contacts []string
			for _, part := range strings.FieldsFunc(inner, func(r rune) bool { return strings.ContainsRune("，,;；", r) }) {
				part = strings.TrimSpace(part)
				if v, ok := cutLabel(part, contactLabels); ok {
					contacts = append(contacts, v)
				} else if v, ok := cutLabel(part, titleLabels); ok {
					titles = append(titles, v)
				} else if strings.ContainsAny(part, "0123456789@") {
					contacts = append(contacts, part)
				} else if part != "" {
					titles = append(titles, part)
				}
			}
			p.Title = strings.Join(titles, "，")
			p.Contact = strings.Join(contacts, "，")
		}
		out = append(out, p)
	}
	return out
}

func cutLabel(s string, labels []string) (string, bool) {
	for _, l := range labels {
		if len(s) > len(l) && strings.EqualFold(s[:len(l)], l) {
			rest := s[len(l):]
			for _, colon := range []string{":", "："} {
				if v, ok := strings.CutPrefix(rest, colon); ok {
					return strings.TrimSpace(v), true
				}
			}
		}
	}
	return "", false
}

// formatInventors writes inventors so that parseInventors reads them back.
func formatInventors(ps []data.Inventor) string {
	items := make([]string, 0, len(ps))
	for _, p := range ps {
		var parts []string
		if p.Title != "" {
			if _, ok := cutLabel(p.Title, contactLabels); ok || strings.ContainsAny(p.Title, "0123456789@") {
				parts = append(parts, labelTitle+p.Title)
			} else {
				parts = append(parts, p.Title)
			}
		}
		if p.Contact != "" {
			parts = append(parts, labelContact+p.Contact)
		}
		if len(parts) == 0 {
			items = append(items, p.Name)
			continue
		}
		items = append(items, p.Name+"（"+strings.Join(parts, "，")+"）")
	}
	return joinList(items, "")
}

// jsonString encodes s as a JSON string without escaping <, > and &.
func jsonString(s string) json.RawMessage {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return json.RawMessage(strings.TrimSuffix(b.String(), "\n"))
}

// extraText is the cell text of an Extra value: strings unquoted, anything
// else as compact JSON.
func extraText(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	return string(raw)
}

// clip shortens a cell value quoted in a message.
func clip(s string) string {
	const max = 30
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
