package index

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseText(t *testing.T) {
	for _, tt := range []struct {
		in                   string
		chunks, phrases, not []string
	}{
		{`石墨烯 -氧化`, []string{"石墨烯"}, nil, []string{"氧化"}},
		{`-氧化 石墨烯`, []string{"石墨烯"}, nil, []string{"氧化"}},
		{`graphene -oxide`, []string{"graphene"}, nil, []string{"oxide"}},
		{`X -射线 能谱`, []string{"X", "-射线", "能谱"}, nil, nil},
		{`k . -匿名`, []string{"k", ".", "-匿名"}, nil, nil},
		{`彩巢计划 1 - 66 --20世纪 -66`, []string{"彩巢计划", "1", "-", "66", "--20世纪", "-66"}, nil, nil},
		{`"玉米秸秆" 还田 -焚烧`, []string{"还田"}, []string{"玉米秸秆"}, []string{"焚烧"}},
		{`石墨烯 薄膜 -氧化 -还原`, []string{"石墨烯", "薄膜"}, nil, []string{"氧化", "还原"}},
		{`肉羊 免疫 -防御素 基因表达`, []string{"肉羊", "免疫", "-防御素", "基因表达"}, nil, nil},
		{`增殖细胞核抗原 -catenin Tbx3`, []string{"增殖细胞核抗原", "-catenin", "Tbx3"}, nil, nil},
		{`瘤体组织中 -类社会互动、积极情绪`, []string{"瘤体组织中", "-类社会互动、积极情绪"}, nil, nil},
		{`-氧化`, []string{"-氧化"}, nil, nil},
		{`-氧化 -还原`, []string{"-氧化", "-还原"}, nil, nil},
		{`"石墨烯" -氧化`, nil, []string{"石墨烯"}, []string{"氧化"}},
		{`title:锂电池 +隔膜 AND 涂覆^2`, []string{"title:锂电池", "+隔膜", "AND", "涂覆^2"}, nil, nil},
	} {
		qt := parseText(tt.in)
		if !reflect.DeepEqual(qt.chunks, tt.chunks) || !reflect.DeepEqual(qt.phrases, tt.phrases) || !reflect.DeepEqual(qt.not, tt.not) {
			t.Errorf("parseText(%q) = %q %q %q; want %q %q %q", tt.in, qt.chunks, qt.phrases, qt.not, tt.chunks, tt.phrases, tt.not)
		}
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{`石墨烯 -氧化`, `"玉米秸秆" -焚烧`, `X -射线`, `“未闭合 -`, `--`, `- -a`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		qt := parseText(s)
		for _, list := range [][]string{qt.chunks, qt.phrases, qt.not} {
			for _, w := range list {
				if w == "" || !strings.Contains(s, w) {
					t.Fatalf("parseText(%q) gave %q, not in the text", s, w)
				}
			}
		}
		if p := qt.parsed(); p != nil && (p.Must == nil || p.Phrase == nil || p.Not == nil) {
			t.Fatalf("parsed lists must be non-nil: %+v", p)
		}
	})
}
