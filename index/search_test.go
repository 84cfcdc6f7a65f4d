package index_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index"
)

// TestSearchFinds runs the analyzer's recall cases through Search: each query
// must find its record (first, where first is set) and, where given, must
// not find another.
func TestSearchFinds(t *testing.T) {
	ix, _ := fixtureIndex(t)
	tests := []struct {
		name, q string
		kind    data.Kind
		want    string
		first   bool
		not     string
	}{
		{"part of a longer word", "农业", data.KindAchievement, "a-bank", true, ""},
		{"short name of an institution", "清华", data.KindAchievement, "a-tsinghua", true, ""},
		{"formula", "LiFePO4", data.KindAchievement, "a-lfp", true, ""},
		{"formula lower case", "lifepo4", data.KindAchievement, "a-lfp", true, ""},
		{"formula full width", "ＬｉＦｅＰＯ４", data.KindAchievement, "a-lfp", true, ""},
		{"standard number", "GB/T 30835", data.KindAchievement, "a-lfp", true, ""},
		{"standard number, no space", "GB/T30835-2014", data.KindAchievement, "a-lfp", true, ""},
		{"model number", "5G", data.KindAchievement, "a-lfp", true, ""},
		{"full-width model number", "５Ｇ", data.KindAchievement, "a-lfp", true, ""},
		{"diameter", "Φ20mm", data.KindAchievement, "a-steel", true, ""},
		{"mixed Chinese and English", "AI 玉米病害", data.KindAchievement, "a-fullwidth", true, ""},
		{"English in full width record", "ai", data.KindAchievement, "a-fullwidth", true, ""},
		{"synonym", "电动车", data.KindAchievement, "a-ev", false, ""},
		{"abbreviation synonym", "吉大", data.KindAchievement, "a-lfp", true, ""},
		{"inventor name", "王建国", data.KindAchievement, "a-tsinghua", true, ""},
		{"substring across words", "风险评估模", data.KindAchievement, "a-bank", true, ""},
		{"quoted phrase", `"正极材料"`, data.KindAchievement, "a-lfp", true, "a-ev"},
		{"curly quoted phrase", "“电池管理系统”", data.KindAchievement, "a-ev", true, ""},
		{"demand", "磷酸铁锂 降本", data.KindDemand, "d-battery", true, "d-challenge"},
		{"enterprise name", "第一汽车", data.KindDemand, "d-challenge", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, ix, data.SearchQuery{Kind: tt.kind, Text: tt.q})
			ids := hitIDs(res)
			if !slices.Contains(ids, tt.want) {
				t.Fatalf("%q: hits %v lack %s", tt.q, ids, tt.want)
			}
			if tt.first && ids[0] != tt.want {
				t.Errorf("%q: first hit %s, want %s (hits %v)", tt.q, ids[0], tt.want, ids)
			}
			if tt.not != "" && slices.Contains(ids, tt.not) {
				t.Errorf("%q: hits %v include %s", tt.q, ids, tt.not)
			}
			if res.Total < uint64(len(ids)) {
				t.Errorf("total %d below %d hits", res.Total, len(ids))
			}
		})
	}
}

func TestContactNeverIndexed(t *testing.T) {
	ix, _ := fixtureIndex(t)
	for _, q := range []data.SearchQuery{
		{Kind: data.KindDemand, Text: "张三"},
		{Kind: data.KindDemand, Text: "13912345678"},
		{Kind: data.KindAchievement, Text: "13800000000"},
	} {
		if res := search(t, ix, q); len(res.Hits) != 0 {
			t.Errorf("%q found %v: contact data is indexed", q.Text, hitIDs(res))
		}
	}
}

func TestFilters(t *testing.T) {
	ix, _ := fixtureIndex(t)
	A, D := data.KindAchievement, data.KindDemand
	tests := []struct {
		name string
		kind data.Kind
		text string
		f    data.Filter
		want []string // exactly these, in id order for match-all
	}{
		{"field", A, "", data.Filter{Field: "新能源"}, []string{"a-ev", "a-lfp"}},
		{"discipline", A, "", data.Filter{Discipline: "管理科学与工程"}, []string{"a-bank"}},
		{"industry", A, "", data.Filter{Industry: "电池制造"}, []string{"a-lfp"}},
		{"maturity by TRL", A, "", data.Filter{Maturity: "TRL7"}, []string{"a-lfp", "a-tsinghua"}},
		{"maturity by name", A, "", data.Filter{Maturity: "产业化"}, []string{"a-ev", "a-steel"}},
		{"province", A, "", data.Filter{Province: "北京市"}, []string{"a-tsinghua"}},
		{"city", A, "", data.Filter{City: "吉林市"}, []string{"a-steel"}},
		{"county", A, "", data.Filter{County: "朝阳区"}, []string{"a-lfp"}},
		{"institution exact", A, "", data.Filter{Institution: "吉林大学"}, []string{"a-lfp"}},
		{"institution part", A, "", data.Filter{Institution: "农业大学"}, []string{"a-fullwidth"}},
		{"status default", A, "", data.Filter{Status: "发布中"}, []string{"a-bank", "a-ev", "a-lfp", "a-steel", "a-tsinghua"}},
		{"status", A, "", data.Filter{Status: "已成交"}, []string{"a-fullwidth"}},
		{"amount min", A, "", data.Filter{AmountMin: 150}, []string{"a-ev", "a-lfp"}},
		{"amount max", A, "", data.Filter{AmountMax: 30}, []string{"a-bank"}},
		{"amount range", A, "", data.Filter{AmountMin: 60, AmountMax: 120}, []string{"a-lfp", "a-tsinghua"}},
		{"date range", A, "", data.Filter{From: "2023-01-01", To: "2024-01"}, []string{"a-bank", "a-tsinghua"}},
		{"year from the year field", A, "", data.Filter{From: "2020", To: "2020"}, []string{"a-steel"}},
		{"ids", A, "", data.Filter{IDs: []string{"a-ev", "a-bank", "nope"}}, []string{"a-bank", "a-ev"}},
		{"text and filter", A, "电池", data.Filter{City: "长春市", Maturity: "中试"}, []string{"a-lfp"}},
		{"challenge", D, "", data.Filter{Challenge: true}, []string{"d-challenge"}},
		{"enterprise", D, "", data.Filter{Institution: "第一汽车"}, []string{"d-challenge"}},
		{"budget", D, "", data.Filter{AmountMin: 400}, []string{"d-battery"}},
		{"nothing matches", A, "", data.Filter{Province: "海南省"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, ix, data.SearchQuery{Kind: tt.kind, Text: tt.text, Filter: tt.f, Limit: 50})
			got := hitIDs(res)
			if tt.text == "" {
				// Match-all ranks equal scores by id.
				if strings.Join(got, ",") != strings.Join(tt.want, ",") {
					t.Fatalf("hits %v, want %v", got, tt.want)
				}
			} else if len(got) != len(tt.want) || !slices.Contains(got, tt.want[0]) {
				t.Fatalf("hits %v, want %v", got, tt.want)
			}
			if res.Total != uint64(len(tt.want)) {
				t.Errorf("total %d, want %d", res.Total, len(tt.want))
			}
		})
	}
}

func TestFacets(t *testing.T) {
	ix, _ := fixtureIndex(t)
	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Facets: true})
	count := func(facet, value string) int {
		for _, c := range res.Facets[facet] {
			if c.Value == value {
				return c.Count
			}
		}
		return 0
	}
	checks := []struct {
		facet, value string
		want         int
	}{
		{"field", "新能源", 2}, {"field", "农业", 1},
		{"maturity", "产业化", 2}, {"maturity", "中试", 2}, {"maturity", "实验室", 1}, {"maturity", "小试", 1},
		{"province", "吉林省", 5}, {"province", "北京市", 1},
		{"city", "长春市", 4},
	}
	for _, c := range checks {
		if got := count(c.facet, c.value); got != c.want {
			t.Errorf("facet %s=%s: %d, want %d (facets %v)", c.facet, c.value, got, c.want, res.Facets)
		}
	}
	// Facets count the hits of the query, not the catalogue.
	res = search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Filter: data.Filter{City: "吉林市"}, Facets: true})
	if len(res.Facets["city"]) != 1 || res.Facets["city"][0] != (data.FacetCount{Value: "吉林市", Count: 1}) {
		t.Errorf("facets of a filtered search: %v", res.Facets)
	}
	if _, ok := res.Facets["province"]; !ok {
		t.Error("every facet is present, if empty")
	}
	if res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement}); res.Facets != nil {
		t.Error("facets given without being asked")
	}
}

func TestSortAndPaging(t *testing.T) {
	ix, _ := fixtureIndex(t)
	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Sort: data.SortDate, Limit: 10})
	want := []string{"a-lfp", "a-tsinghua", "a-bank", "a-ev", "a-fullwidth", "a-steel"}
	if got := hitIDs(res); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("by date: %v, want %v", got, want)
	}
	// Pages are slices of one order.
	p1 := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Sort: data.SortDate, Limit: 2})
	p2 := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Sort: data.SortDate, Limit: 2, Offset: 2})
	if got := append(hitIDs(p1), hitIDs(p2)...); strings.Join(got, ",") != strings.Join(want[:4], ",") {
		t.Fatalf("pages: %v, want %v", got, want[:4])
	}
	if p2.Total != 6 {
		t.Errorf("total on page 2: %d, want 6", p2.Total)
	}
	// Ties are broken by id, so results repeat exactly.
	a := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "吉林"})
	for i := 0; i < 5; i++ {
		b := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "吉林"})
		if strings.Join(hitIDs(a), ",") != strings.Join(hitIDs(b), ",") {
			t.Fatalf("same query, different order: %v then %v", hitIDs(a), hitIDs(b))
		}
	}
	for i := 1; i < len(a.Hits); i++ {
		if a.Hits[i].Score > a.Hits[i-1].Score || (a.Hits[i].Score == a.Hits[i-1].Score && a.Hits[i].ID < a.Hits[i-1].ID) {
			t.Fatalf("hits out of order: %+v", a.Hits)
		}
	}
}

func TestWeightedTerms(t *testing.T) {
	ix, _ := fixtureIndex(t)
	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Terms: []data.Term{{Text: "光栅尺", Weight: 3}, {Text: "正极", Weight: 0.1}}})
	ids := hitIDs(res)
	if len(ids) < 2 || ids[0] != "a-tsinghua" || !slices.Contains(ids, "a-lfp") {
		t.Fatalf("weighted terms: %v", ids)
	}
	res = search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Terms: []data.Term{{Text: "光栅尺", Weight: 0.1}, {Text: "正极", Weight: 3}}})
	if ids := hitIDs(res); ids[0] != "a-lfp" {
		t.Fatalf("weights reversed: %v", ids)
	}
}

func TestBadParams(t *testing.T) {
	ix, _ := fixtureIndex(t)
	A := data.KindAchievement
	tests := []struct {
		name string
		q    data.SearchQuery
	}{
		{"unknown kind", data.SearchQuery{Kind: "patents"}},
		{"negative offset", data.SearchQuery{Kind: A, Offset: -1}},
		{"negative limit", data.SearchQuery{Kind: A, Limit: -5}},
		{"limit too large", data.SearchQuery{Kind: A, Limit: index.MaxLimit + 1}},
		{"too deep", data.SearchQuery{Kind: A, Offset: index.MaxWindow, Limit: 10}},
		{"unknown sort", data.SearchQuery{Kind: A, Sort: "price"}},
		{"text too long", data.SearchQuery{Kind: A, Text: strings.Repeat("长", index.MaxQueryRunes+1)}},
		{"invalid UTF-8", data.SearchQuery{Kind: A, Text: "\xff\xfe"}},
		{"unknown maturity", data.SearchQuery{Kind: A, Filter: data.Filter{Maturity: "TRL12"}}},
		{"unknown status", data.SearchQuery{Kind: A, Filter: data.Filter{Status: "open"}}},
		{"negative amount", data.SearchQuery{Kind: A, Filter: data.Filter{AmountMin: -1}}},
		{"NaN amount", data.SearchQuery{Kind: A, Filter: data.Filter{AmountMax: math.NaN()}}},
		{"amounts reversed", data.SearchQuery{Kind: A, Filter: data.Filter{AmountMin: 100, AmountMax: 10}}},
		{"bad date", data.SearchQuery{Kind: A, Filter: data.Filter{From: "yesterday"}}},
		{"dates reversed", data.SearchQuery{Kind: A, Filter: data.Filter{From: "2024-05-01", To: "2023"}}},
		{"challenge on achievements", data.SearchQuery{Kind: A, Filter: data.Filter{Challenge: true}}},
		{"negative weight", data.SearchQuery{Kind: A, Terms: []data.Term{{Text: "电池", Weight: -1}}}},
		{"infinite weight", data.SearchQuery{Kind: A, Terms: []data.Term{{Text: "电池", Weight: math.Inf(1)}}}},
		{"long filter", data.SearchQuery{Kind: A, Filter: data.Filter{City: strings.Repeat("市", 300)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tt.q)
			var de *data.Error
			if !errors.As(err, &de) || de.Code != data.EINVALID {
				t.Fatalf("error %v, want an EINVALID *data.Error", err)
			}
			if de.Message == "" || !utf8.ValidString(de.Message) || isASCII(de.Message) {
				t.Errorf("message %q is not a Chinese message", de.Message)
			}
		})
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r >= 0x80 {
			return false
		}
	}
	return true
}

// TestOddQueries are queries that must not fail.
func TestOddQueries(t *testing.T) {
	ix, _ := fixtureIndex(t)
	for _, q := range []string{"", "   ", "！？。", `"`, `""`, `"未闭合`, "“”", "的 了 和", "a", "*", "field:x", `\`, "ＧＢ／Ｔ", "C++", "\u3000", "\x00"} {
		res, err := ix.Search(context.Background(), data.SearchQuery{Kind: data.KindAchievement, Text: q, Facets: true, Highlight: true})
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		if strings.TrimSpace(q) == "" && res.Total != 6 {
			t.Errorf("%q: empty text lists all, got %d", q, res.Total)
		}
	}
}

func TestHighlight(t *testing.T) {
	store := newMemStore()
	recs := fixtureAchievements()
	recs = append(recs, data.Achievement{
		ID: "a-html", Title: "<script>alert(1)</script> & 锂电池 \"检测\"",
		Abstract: strings.Repeat("无关的内容，", 40) + "锂电池极片缺陷的视觉检测方法。" + strings.Repeat("其他描述文字。", 40),
		Keywords: []string{"锂电池", "机器视觉"},
	})
	mustPutAchievements(t, store, recs...)
	ix := MustOpenIndex(t, store, index.Options{})
	MustSync(t, ix)

	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "锂电池 检测", Highlight: true})
	var hit *data.Hit
	for i := range res.Hits {
		if res.Hits[i].ID == "a-html" {
			hit = &res.Hits[i]
		}
	}
	if hit == nil {
		t.Fatalf("a-html not found: %v", hitIDs(res))
	}
	title := hit.Highlights["title"]
	if len(title) != 1 || title[0] != "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>锂电池</mark> &#34;<mark>检测</mark>&#34;" {
		t.Errorf("title highlight = %q", title)
	}
	abs := hit.Highlights["abstract"]
	if len(abs) != 1 || !strings.Contains(abs[0], "<mark>锂电池</mark>") || !strings.HasPrefix(abs[0], "…") || !strings.HasSuffix(abs[0], "…") {
		t.Errorf("abstract highlight = %q", abs)
	} else if n := utf8.RuneCountInString(abs[0]); n > 200 {
		t.Errorf("abstract snippet of %d characters: not cut to a window", n)
	}
	if kw := hit.Highlights["keywords"]; len(kw) != 1 || kw[0] != "<mark>锂电池</mark>" {
		t.Errorf("keywords highlight = %q", kw)
	}
	for _, h := range res.Hits {
		for field, snippets := range h.Highlights {
			for _, s := range snippets {
				checkSnippet(t, field, s)
			}
		}
	}
	// Highlights come only when asked for.
	if res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "锂电池"}); res.Hits[0].Highlights != nil {
		t.Error("highlights without being asked")
	}
	// Full-width text: offsets map back to the original bytes.
	res = search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "ai", Highlight: true})
	if got := res.Hits[0].Highlights["title"]; len(got) != 1 || got[0] != "<mark>ＡＩ</mark>辅助的玉米病害识别" {
		t.Errorf("full-width highlight = %q", got)
	}
}

// checkSnippet asserts a snippet is valid UTF-8 with balanced marks and no
// raw markup besides them.
func checkSnippet(t *testing.T, field, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s: invalid UTF-8 in %q", field, s)
	}
	rest := strings.ReplaceAll(strings.ReplaceAll(s, "<mark>", ""), "</mark>", "")
	if strings.ContainsAny(rest, "<>") {
		t.Fatalf("%s: unescaped markup in %q", field, s)
	}
	if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") || strings.Count(s, "<mark>") == 0 {
		t.Fatalf("%s: unbalanced or missing marks in %q", field, s)
	}
	if strings.Contains(s, "<mark></mark>") || strings.Contains(s, "<mark><mark>") {
		t.Fatalf("%s: empty or nested mark in %q", field, s)
	}
}

// TestListingsFollowChanges lists (a cached search) before and after
// changes: the listing never shows a stale catalogue.
func TestListingsFollowChanges(t *testing.T) {
	ix, store := fixtureIndex(t)
	ctx := context.Background()
	q := data.SearchQuery{Kind: data.KindAchievement, Sort: data.SortDate, Facets: true, Limit: 3}
	first := search(t, ix, q)
	again := search(t, ix, q)
	if strings.Join(hitIDs(first), ",") != strings.Join(hitIDs(again), ",") || first.Total != 6 {
		t.Fatalf("repeated listing: %v then %v", hitIDs(first), hitIDs(again))
	}
	again.Hits[0].ID = "changed by the caller"
	again.Facets["city"][0].Count = -1
	mustPutAchievements(t, store, data.Achievement{ID: "a-newest", Title: "最新发布的成果", Published: "2030-01-01", Region: data.Region{City: "长春市"}})
	MustSync(t, ix)
	res := search(t, ix, q)
	if res.Total != 7 || res.Hits[0].ID != "a-newest" {
		t.Fatalf("after a write the listing is %v (total %d)", hitIDs(res), res.Total)
	}
	for _, c := range res.Facets["city"] {
		if c.Value == "长春市" && c.Count != 5 {
			t.Errorf("city facet %d, want 5", c.Count)
		}
	}
	if err := store.DeleteAchievement(ctx, "a-newest"); err != nil {
		t.Fatal(err)
	}
	MustSync(t, ix)
	if res := search(t, ix, q); res.Total != 6 || res.Hits[0].ID == "a-newest" {
		t.Fatalf("after a delete the listing is %v", hitIDs(res))
	}
}
