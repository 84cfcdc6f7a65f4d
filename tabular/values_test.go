package tabular

import (
	"reflect"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestParseRange(t *testing.T) {
	r := func(min, max float64) *data.Range { return &data.Range{Min: min, Max: max} }
	for _, tt := range []struct {
		in   string
		want *data.Range
		err  bool
	}{
		{"", nil, false},
		{"  ", nil, false},
		{"面议", nil, false},
		{" 待定 ", nil, false},
		{"-", nil, false},
		{"10", r(10, 10), false},
		{"0", r(0, 0), false},
		{"12.5", r(12.5, 12.5), false},
		{".5", r(0.5, 0.5), false},
		{"10-50", r(10, 50), false},
		{"10~50", r(10, 50), false},
		{"10～50", r(10, 50), false},
		{"10－50", r(10, 50), false},
		{"10—50", r(10, 50), false},
		{"10至50", r(10, 50), false},
		{"10到50", r(10, 50), false},
		{"10 - 50", r(10, 50), false},
		{"１０-５０", r(10, 50), false},
		{"10万-50万", r(10, 50), false},
		{"10-50万元", r(10, 50), false},
		{"1-2亿", r(10000, 20000), false},
		{"1.1亿", r(11000, 11000), false},
		{"5000元", r(0.5, 0.5), false},
		{"5000元-2万", r(0.5, 2), false},
		{"1,000", r(1000, 1000), false},
		{"1,000,000", r(1e6, 1e6), false},
		{"¥20万", r(20, 20), false},
		{"约30", r(30, 30), false},
		{"200以上", r(200, 0), false},
		{"200万及以上", r(200, 0), false},
		{"≥200", r(200, 0), false},
		{">=200", r(200, 0), false},
		{"200+", r(200, 0), false},
		{"50以下", r(0, 50), false},
		{"50万以内", r(0, 50), false},
		{"≤50", r(0, 50), false},
		{"不超过50", r(0, 50), false},
		{"10-10", r(10, 10), false},
		{"abc", nil, true},
		{"50-10", nil, true},
		{"10-", nil, true},
		{"-5", nil, true},
		{"10--20", nil, true},
		{"1e3", nil, true},
		{"NaN", nil, true},
		{"Inf", nil, true},
		{"0x10", nil, true},
		{"10美元", nil, true},
		{"1,00", nil, true},
		{"以上", nil, true},
		{"10-abc", nil, true},
		{strings.Repeat("9", 400), nil, true},
	} {
		got, err := ParseRange(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseRange(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err != nil {
			if data.ErrorCode(err) != data.EINVALID || !strings.Contains(data.ErrorMessage(err), "金额") {
				t.Errorf("ParseRange(%q) error = %v, want EINVALID about 金额", tt.in, err)
			}
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseRange(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestFormatRange(t *testing.T) {
	for _, tt := range []struct {
		in   *data.Range
		want string
	}{
		{nil, ""},
		{&data.Range{Min: 10, Max: 50}, "10~50"},
		{&data.Range{Min: 10, Max: 10}, "10"},
		{&data.Range{}, "0"},
		{&data.Range{Min: 200}, "200以上"},
		{&data.Range{Max: 1}, "1以下"},
		{&data.Range{Min: 0.5, Max: 12.25}, "0.5~12.25"},
		{&data.Range{Min: 1e7, Max: 1e7}, "10000000"},
	} {
		got := FormatRange(tt.in)
		if got != tt.want {
			t.Errorf("FormatRange(%+v) = %q, want %q", tt.in, got, tt.want)
		}
		back, err := ParseRange(got)
		if err != nil || !reflect.DeepEqual(back, tt.in) {
			t.Errorf("ParseRange(FormatRange(%+v)) = %+v, %v", tt.in, back, err)
		}
	}
}

func TestSplitList(t *testing.T) {
	for _, tt := range []struct {
		in, extra string
		want      []string
	}{
		{"", "", nil},
		{"深度学习、图像识别", "", []string{"深度学习", "图像识别"}},
		{"深度学习,图像识别，目标检测;语义分割；实例分割|全景分割", "", []string{"深度学习", "图像识别", "目标检测", "语义分割", "实例分割", "全景分割"}},
		{"深度学习 图像识别", "", []string{"深度学习", "图像识别"}},
		{"深度学习\u3000图像识别", "", []string{"深度学习", "图像识别"}},
		{"深度学习 CNN", "", []string{"深度学习", "CNN"}},
		{"machine learning", "", []string{"machine learning"}},
		{"machine learning, deep learning", "", []string{"machine learning", "deep learning"}},
		{"机器学习 deep learning", "", []string{"机器学习", "deep learning"}},
		{"1,3-丁二烯、2,4-D", "", []string{"1,3-丁二烯", "2,4-D"}},
		{"TCP/IP", "", []string{"TCP/IP"}},
		{"转让/许可", modeSeps, []string{"转让", "许可"}},
		{"转让／许可 作价入股", modeSeps, []string{"转让", "许可", "作价入股"}},
		{"张三（教授，13800000000）、李四", "", []string{"张三（教授，13800000000）", "李四"}},
		{"a\nb\r\nc", "", []string{"a", "b", "c"}},
		{"深度学习、图像识别\n目标检测", "", []string{"深度学习、图像识别", "目标检测"}},
		{"深度学习、图像识别\n", "", []string{"深度学习", "图像识别"}},
		{"Meta 分析、老年人", "", []string{"Meta 分析", "老年人"}},
		{"Meta 分析、", "", []string{"Meta 分析"}},
		{"Meta 分析", "", []string{"Meta", "分析"}},
		{"张三（教授 博导） 李四", "", []string{"张三（教授 博导）", "李四"}},
		{" 、 ,, ", "", nil},
		{"未闭合（括号, 里面", "", []string{"未闭合（括号, 里面"}},
	} {
		if got := splitList(tt.in, tt.extra); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Whatever joinList writes, splitList reads back, but for the one case that
// cannot be written (a lone item holding a separator).
func TestJoinList(t *testing.T) {
	for _, tt := range []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"深度学习", "图像识别"}, "深度学习、图像识别"},
		{[]string{"Meta 分析", "老年人"}, "Meta 分析、老年人"},
		{[]string{"Meta 分析"}, "Meta 分析、"},
		{[]string{"方法、评价", "相对效率"}, "方法、评价\n相对效率"},
		{[]string{"1,3-丁二烯", "2,4-D"}, "1,3-丁二烯、2,4-D"},
		{[]string{"machine learning"}, "machine learning"},
		{[]string{"a、b"}, "a、b"}, // lossy: reads back as a, b
	} {
		got := joinList(tt.items, "")
		if got != tt.want {
			t.Errorf("joinList(%q) = %q, want %q", tt.items, got, tt.want)
		}
		if back := splitList(got, ""); len(tt.items) != 1 || tt.items[0] != "a、b" {
			if !reflect.DeepEqual(back, tt.items) {
				t.Errorf("splitList(joinList(%q)) = %q", tt.items, back)
			}
		}
	}
}

func TestInventors(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []data.Inventor
	}{
		{"张三、李四", []data.Inventor{{Name: "张三"}, {Name: "李四"}}},
		{"张三 李四", []data.Inventor{{Name: "张三"}, {Name: "李四"}}},
		{"John Smith, 王五", []data.Inventor{{Name: "John Smith"}, {Name: "王五"}}},
		{"张三（教授）", []data.Inventor{{Name: "张三", Title: "教授"}}},
		{"张三(教授, 13800000000)", []data.Inventor{{Name: "张三", Title: "教授", Contact: "13800000000"}}},
		{"张三（zhang@jlu.edu.cn）", []data.Inventor{{Name: "张三", Contact: "zhang@jlu.edu.cn"}}},
		{"张三（教授，联系方式：0431-85166666）", []data.Inventor{{Name: "张三", Title: "教授", Contact: "0431-85166666"}}},
		{"张三（职称：985教授）", []data.Inventor{{Name: "张三", Title: "985教授"}}},
		{"张三（电话：138，邮箱：a@b.cn）", []data.Inventor{{Name: "张三", Contact: "138，a@b.cn"}}},
	} {
		if got := parseInventors(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseInventors(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
	// Whatever formatInventors writes, parseInventors reads back.
	for _, ps := range [][]data.Inventor{
		{{Name: "张三"}},
		{{Name: "张三", Title: "教授"}, {Name: "李四", Contact: "13800000000"}},
		{{Name: "王五", Title: "教授，博士生导师", Contact: "wang@jlu.edu.cn"}},
		{{Name: "赵六", Title: "985教授"}, {Name: "钱七", Title: "电话：不详"}},
		{{Name: "Li Lei", Title: "Professor"}},
	} {
		s := formatInventors(ps)
		if got := parseInventors(s); !reflect.DeepEqual(got, ps) {
			t.Errorf("parseInventors(%q) = %+v, want %+v", s, got, ps)
		}
	}
}

func TestNormalizeDate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2024-05-01", "2024-05-01"},
		{"2024/5/1", "2024-05-01"},
		{"2024.5.1", "2024-05-01"},
		{"2024年5月1日", "2024-05-01"},
		{"2024-05-01 08:30:00", "2024-05-01"},
		{"2024年5月", "2024-05"},
		{"2024/05", "2024-05"},
		{"2024", "2024"},
		{"2024-02-30", "2024-02-30"},
		{"2024-13", "2024-13"},
		{"明年", "明年"},
		{"2024-05-01T08:00:00+08:00", "2024-05-01T08:00:00+08:00"},
	} {
		if got := normalizeDate(tt.in); got != tt.want {
			t.Errorf("normalizeDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseScalars(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		err  bool
	}{{"2021", 2021, false}, {"2021年", 2021, false}, {"2021.0", 2021, false}, {"２０２１", 2021, false}, {"2021.5", 0, true}, {"二〇二一", 0, true}} {
		got, err := parseYear(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("parseYear(%q) = %d, %v", tt.in, got, err)
		}
	}
	for _, tt := range []struct {
		in       string
		want     bool
		hasError bool
	}{{"是", true, false}, {"TRUE", true, false}, {"1", true, false}, {"√", true, false}, {"否", false, false}, {"false", false, false}, {"0", false, false}, {"也许", false, true}} {
		got, err := parseBool(tt.in)
		if got != tt.want || (err != nil) != tt.hasError {
			t.Errorf("parseBool(%q) = %v, %v", tt.in, got, err)
		}
	}
	for _, tt := range []struct {
		in   string
		want float64
		err  bool
	}{{"12.5", 12.5, false}, {"30万元", 30, false}, {"1亿", 10000, false}, {"10-20", 0, true}, {"很多", 0, true}} {
		got, err := parseSingleAmount(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("parseSingleAmount(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestSerialDate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"45413", "2024-05-01"},
		{"45413.5", "2024-05-01 12:00:00"},
		{"2024", "2024"},
		{"2024-05-01", "2024-05-01"},
		{"-3", "-3"},
	} {
		if got := serialDate(tt.in); got != tt.want {
			t.Errorf("serialDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestColumnLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnLetters(i); got != want {
			t.Errorf("columnLetters(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestFormulaGuard(t *testing.T) {
	for _, s := range []string{"=SUM(A1)", "+86 138", "-", "@x", "'=x", "''+x", "'abc", "abc", "", "'", "10~50"} {
		g := guard(s)
		if needsGuard(s) && !strings.HasPrefix(g, "'") {
			t.Errorf("guard(%q) = %q: not guarded", s, g)
		}
		if strings.ContainsRune("=+-@", rune(firstByte(g))) {
			t.Errorf("guard(%q) = %q starts with a formula character", s, g)
		}
		if back := unguard(g); back != s {
			t.Errorf("unguard(guard(%q)) = %q", s, back)
		}
	}
}

func firstByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}
