package index

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitQuery(t *testing.T) {
	tests := []struct {
		in, rest string
		phrases  []string
	}{
		{`锂电池 "正极 材料" 降本`, `锂电池   降本`, []string{"正极 材料"}},
		{`“电池管理系统”与「热管理」`, ` 与 `, []string{"电池管理系统", "热管理"}},
		{`谈品牌的"数字化"与"标准化"`, `谈品牌的 与 `, []string{"数字化", "标准化"}},
		{`"未闭合 的引号`, ` 未闭合 的引号`, nil},
		{`""空`, ` 空`, nil},
		{`无引号`, `无引号`, nil},
	}
	for _, tt := range tests {
		phrases, rest := splitQuery(tt.in)
		if rest != tt.rest || strings.Join(phrases, "|") != strings.Join(tt.phrases, "|") {
			t.Errorf("splitQuery(%q) = %q, %q; want %q, %q", tt.in, phrases, rest, tt.phrases, tt.rest)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("前文", 100) + "锂电池" + strings.Repeat("后文", 100)
	at := strings.Index(long, "锂电池")
	tests := []struct {
		name  string
		text  string
		spans []span
		limit int
		want  string
	}{
		{"whole", "a<b>锂电池&", []span{{4, 13}}, 0, "a&lt;b&gt;<mark>锂电池</mark>&amp;"},
		{"span inside a character is ignored", "a<b>锂电池&", []span{{5, 13}}, 0, "a&lt;b&gt;锂电池&amp;"},
		{"two marks", "锂电池检测", []span{{0, 9}, {9, 15}}, 0, "<mark>锂电池</mark><mark>检测</mark>"},
		{"window", long, []span{{at, at + 9}}, 30, "…" + strings.Repeat("前文", 10) + "<mark>锂电池</mark>" + strings.Repeat("后文", 3) + "后…"},
		{"window at start", "锂电池" + strings.Repeat("文", 200), []span{{0, 9}}, 10, "<mark>锂电池</mark>" + strings.Repeat("文", 7) + "…"},
		// A mark across the window's end is kept whole.
		{"mark not cut", strings.Repeat("文", 10) + "锂电池" + strings.Repeat("文", 200), []span{{30, 39}}, 11, strings.Repeat("文", 10) + "<mark>锂电池</mark>…"},
	}
	for _, tt := range tests {
		got := snippet(tt.text, tt.spans, tt.limit)
		if got != tt.want {
			t.Errorf("%s: snippet = %q, want %q", tt.name, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("%s: invalid UTF-8", tt.name)
		}
	}
}

func TestMergeSpans(t *testing.T) {
	got := mergeSpans([]span{{6, 9}, {0, 3}, {2, 5}, {20, 30}, {-1, 2}, {8, 8}}, 25)
	want := []span{{0, 5}, {6, 9}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("mergeSpans = %v, want %v (out-of-range and empty spans dropped)", got, want)
	}
}

func TestDateEnd(t *testing.T) {
	for in, want := range map[string]int{"2024": 20241231, "2024-05": 20240531, "2024-05-06": 20240506, "2024/5/6": 20240506, "x": 0} {
		if got := dateEnd(in); got != want {
			t.Errorf("dateEnd(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestPrune(t *testing.T) {
	df := map[string]int{"研究": 700, "方法": 300, "锂电池": 20, "正极": 5, "无": 0}
	st := &termStats{n: 1000, df: func(field, term string) int { return df[term] }}
	tests := []struct {
		terms     []string
		share     float64
		keep, max int
		want      string
	}{
		{[]string{"研究", "锂电池", "正极", "无"}, 0.2, 2, 0, "锂电池|正极"},
		// Too few informative words: the rarest common ones stay.
		{[]string{"研究", "方法"}, 0.2, 2, 0, "研究|方法"},
		{[]string{"研究", "方法", "锂电池"}, 0.2, 2, 0, "方法|锂电池"},
		{[]string{"研究", "方法", "锂电池", "正极"}, 1, 0, 2, "锂电池|正极"},
	}
	for _, tt := range tests {
		if got := strings.Join(st.prune("text", tt.terms, tt.share, tt.keep, tt.max), "|"); got != tt.want {
			t.Errorf("prune(%q) = %q, want %q", tt.terms, got, tt.want)
		}
	}
}
