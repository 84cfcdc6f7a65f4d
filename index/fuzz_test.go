package index_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index"
)

// FuzzSearch feeds arbitrary text and filters to Search: it must never
// panic, fail only with EINVALID, and highlight with valid, balanced marks.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"农业", `"正极材料" 电池`, "ＧＢ／Ｔ　３０８３５", "“未闭合", "\xff", "LiFePO4 5G Φ20mm", "吉大 电动车", strings.Repeat("锂", 50)} {
		f.Add(s, "", "2024")
	}
	store := newMemStore()
	mustPutAchievements(f, store, fixtureAchievements()...)
	mustPutDemands(f, store, fixtureDemands()...)
	ix := MustOpenIndex(f, store, index.Options{})
	MustSync(f, ix)
	f.Fuzz(func(t *testing.T, text, city, from string) {
		for _, kind := range []data.Kind{data.KindAchievement, data.KindDemand} {
			q := data.SearchQuery{Kind: kind, Text: text, Filter: data.Filter{City: city, From: from}, Facets: true, Highlight: true}
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				if data.ErrorCode(err) != data.EINVALID {
					t.Fatalf("%+v: %v", q, err)
				}
				continue
			}
			if res.Total < uint64(len(res.Hits)) {
				t.Fatalf("total %d below %d hits", res.Total, len(res.Hits))
			}
			for _, h := range res.Hits {
				for field, snippets := range h.Highlights {
					for _, s := range snippets {
						if !utf8.ValidString(s) || strings.Count(s, "<mark>") != strings.Count(s, "</mark>") || strings.Count(s, "<mark>") == 0 {
							t.Fatalf("%s snippet %q", field, s)
						}
					}
				}
			}
		}
	})
}

// FuzzSegment checks the exported analysis: offsets in range, on
// character boundaries, never a panic.
func FuzzSegment(f *testing.F) {
	for _, s := range []string{"清华大学ＡＢＣ", "\xff\xfe中", "GB/T 2260", "C++"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, tk := range index.Segment(text) {
			if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End || !utf8.ValidString(text[tk.Start:tk.End]) {
				t.Fatalf("token %+v of %q", tk, text)
			}
		}
	})
}
