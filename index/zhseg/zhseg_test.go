package zhseg_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/techmatch/techmatch/index/zhseg"
)

var update = zhseg.Update

// seg is the default segmenter, loaded once per test binary.
func seg(tb testing.TB) *zhseg.Segmenter {
	tb.Helper()
	s, err := zhseg.Default()
	if err != nil {
		tb.Fatalf("load segmenter: %v", err)
	}
	return s
}

func terms(toks []zhseg.Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t.Term)
	}
	return out
}

func has(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestCut checks the cases the search depends on: what the index-time cut
// must contain (so a query for it finds the record) and what the
// query-time cut must be.
func TestCut(t *testing.T) {
	s := seg(t)
	tests := []struct {
		text   string
		index  []string // must be among the Index-mode terms
		search []string // the Search-mode terms, exactly (nil: not checked)
	}{
		{"中国农业发展银行", []string{"中国", "农业", "银行"}, nil},
		{"清华大学", []string{"清华大学", "清华", "大学"}, []string{"清华大学"}},
		{"吉林大学化学学院", []string{"吉林大学", "吉林", "化学"}, nil},
		{"新能源汽车", []string{"新能源汽车", "新能源", "汽车"}, []string{"新能源汽车"}},
		{"磷酸铁锂电池", []string{"磷酸铁锂"}, nil},
		// Letters and digits stay whole, case kept (lower-casing is a filter).
		{"LiFePO4正极材料", []string{"LiFePO4", "正极材料"}, []string{"LiFePO4", "正极材料"}},
		{"5G通信", []string{"5G", "通信"}, []string{"5G", "通信"}},
		{"Φ20mm钢管", []string{"Φ20mm", "钢管"}, []string{"Φ20mm", "钢管"}},
		{"CO₂捕集", []string{"CO₂", "捕集"}, nil},
		// A standard's code joins its number; its parts are sub-words.
		{"符合GB/T 2260-2007标准", []string{"GB/T2260-2007", "GB/T", "2260-2007", "2260", "2007"}, []string{"符合", "GB/T2260-2007", "标准"}},
		{"ISO 9001认证", []string{"ISO9001"}, []string{"ISO9001", "认证"}},
		{"Li-ion电池", []string{"Li-ion", "Li", "ion"}, []string{"Li-ion", "电池"}},
		{"C++与C#", []string{"C++", "C#"}, []string{"C++", "与", "C#"}},
		{"PM2.5监测", []string{"PM2.5"}, []string{"PM2.5", "监测"}},
		{"COVID-19疫苗", []string{"COVID-19", "COVID", "19"}, nil},
		// Full width folds to half width.
		{"ＡＩ辅助５Ｇ", []string{"AI", "5G"}, []string{"AI", "辅助", "5G"}},
		{"ＧＢ／Ｔ　２２６０", []string{"GB/T2260"}, []string{"GB/T2260"}},
		// White space and punctuation are dropped.
		{"  ，。！？（）【】 ", nil, []string{}},
		{"深度学习, deep learning！", []string{"深度学习", "deep", "learning"}, []string{"深度学习", "deep", "learning"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			idx := terms(s.Tokens(nil, []byte(tt.text), zhseg.Index))
			for _, w := range tt.index {
				if !has(idx, w) {
					t.Errorf("index cut %q lacks %q", idx, w)
				}
			}
			if tt.search != nil {
				got := terms(s.Tokens(nil, []byte(tt.text), zhseg.Search))
				if strings.Join(got, "|") != strings.Join(tt.search, "|") {
					t.Errorf("search cut = %q, want %q", got, tt.search)
				}
			}
		})
	}
}

// checkTokens asserts the invariants of every token stream: offsets in
// range, on character boundaries, in order; the original text at the
// offsets folds to the term; sub-words share their parent's position.
func checkTokens(t *testing.T, text []byte, toks []zhseg.Token) {
	t.Helper()
	lastPos, lastStart := 0, 0
	for _, tk := range toks {
		if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End {
			t.Fatalf("%v: offsets out of range of %d bytes", tk, len(text))
		}
		if !utf8.Valid(text[tk.Start:tk.End]) {
			t.Fatalf("%v: offsets cut a character: %q", tk, text[tk.Start:tk.End])
		}
		if !utf8.Valid(tk.Term) || len(tk.Term) == 0 {
			t.Fatalf("%v: bad term", tk)
		}
		if tk.Sub {
			if tk.Position != lastPos {
				t.Fatalf("%v: sub-word not at its parent's position %d", tk, lastPos)
			}
			continue
		}
		if tk.Position != lastPos+1 {
			t.Fatalf("%v: position after %d", tk, lastPos)
		}
		if tk.Start < lastStart {
			t.Fatalf("%v: starts before the previous word", tk)
		}
		lastPos, lastStart = tk.Position, tk.Start
	}
}

func TestOffsets(t *testing.T) {
	s := seg(t)
	for _, text := range []string{
		"ＡＢＣ　全角ＧＢ／Ｔ　２２６０和半角",
		"清华大学的LiFePO4，GB/T 30835-2014。",
		"\xff\xfe无效字节\xc3中间",
		"混合ｍｉｘｅｄ　Ｔｅｘｔ１２３",
	} {
		for _, mode := range []zhseg.Mode{zhseg.Index, zhseg.Search} {
			toks := s.Tokens(nil, []byte(text), mode)
			checkTokens(t, []byte(text), toks)
		}
		checkTokens(t, []byte(text), zhseg.Bigrams(nil, []byte(text)))
	}
	// Exact offsets across folded full-width text: Ｔｅｘｔ is 12 bytes.
	toks := s.Tokens(nil, []byte("混合ｍｉｘｅｄ"), zhseg.Search)
	if len(toks) != 2 || string(toks[1].Term) != "mixed" || toks[1].Start != 6 || toks[1].End != 21 {
		t.Fatalf("tokens = %v, want 混合 then mixed[6:21]", toks)
	}
}

func TestBigrams(t *testing.T) {
	got := terms(zhseg.Bigrams(nil, []byte("热响应法, 5G 单")))
	want := []string{"热响", "响应", "应法", "5G", "单"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("bigrams = %q, want %q", got, want)
	}
}

func TestExtraWords(t *testing.T) {
	// Building a segmenter costs a second: one is enough.
	if testing.Short() {
		t.Skip("builds a second segmenter")
	}
	const word = "钙钛矿叠层光伏组件"
	if got := seg(t).Cut(word, zhseg.Search); len(got) == 1 {
		t.Fatalf("%s is already one word: pick another test word", word)
	}
	s, err := zhseg.New(word, "not-han", "x")
	if err != nil {
		t.Fatal(err)
	}
	if s.Extra() != 1 {
		t.Errorf("Extra() = %d, want 1 (only Han words count)", s.Extra())
	}
	if got := s.Cut("新型"+word+"技术", zhseg.Search); !has(got, word) {
		t.Errorf("cut %q lacks the extra word %s", got, word)
	}
	terms := s.HarvestTerms([]string{"量子点", "量子点", "深度学习", "单", "ABC", "新颖词汇甲乙", "新颖词汇甲乙"}, 2)
	if !has(terms, "新颖词汇甲乙") || has(terms, "深度学习") || has(terms, "单") || has(terms, "ABC") {
		t.Errorf("HarvestTerms = %q", terms)
	}
}

// TestGolden pins the cut of a set of texts; run with -update to accept a
// change on purpose.
func TestGolden(t *testing.T) {
	s := seg(t)
	in, err := os.ReadFile(filepath.Join("testdata", "cut.input"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(string(in)), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fmt.Fprintf(&out, "%s\n", line)
		fmt.Fprintf(&out, "  search: %v\n", s.Tokens(nil, []byte(line), zhseg.Search))
		fmt.Fprintf(&out, "  index:  %v\n", s.Tokens(nil, []byte(line), zhseg.Index))
	}
	golden := filepath.Join("testdata", "cut.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("cut differs from %s (run with -update if intended):\n%s", golden, out.String())
	}
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"清华大学LiFePO4", "ＧＢ／Ｔ　２２６０", "C++ C# Li-ion", "\xff\xfe", "a-", "-a", "GB 1", "中 文", "Φ20mm", "a/b/c", "A B 1"} {
		f.Add(s)
	}
	s := seg(f)
	f.Fuzz(func(t *testing.T, text string) {
		b := []byte(text)
		for _, mode := range []zhseg.Mode{zhseg.Index, zhseg.Search} {
			checkTokens(t, b, s.Tokens(nil, b, mode))
		}
		checkTokens(t, b, zhseg.Bigrams(nil, b))
	})
}
