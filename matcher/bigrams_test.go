package matcher

import (
	"context"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

// bigramMatcher is a small catalogue whose segmenter knows 变速箱 and
// 减速箱 as words, so a demand for a 减速箱 shares no word with the
// 变速箱 records: only their bigram 速箱 (and their characters) do.
func bigramMatcher(tb testing.TB) *Matcher {
	tb.Helper()
	store := newFakeStore()
	ctx := context.Background()
	achs := []data.Achievement{
		{ID: "a-gear", Title: "电动汽车变速箱壳体轻量化铸造"},
		{ID: "a-gear2", Title: "农机变速箱齿轮热处理"},
		{ID: "a-battery", Title: "锂电池正极材料包覆改性"},
		{ID: "a-feed", Title: "反刍动物无抗饲料配方"},
	}
	if _, err := store.PutAchievements(ctx, achs); err != nil {
		tb.Fatal(err)
	}
	ix := newFakeIndex(store, "变速箱", "减速箱", "电动汽车", "轻量化", "锂电池", "正极", "饲料", "齿轮")
	return &Matcher{Store: store, Search: ix, Analyzer: ix, RefreshEvery: -1,
		Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }}
}

func TestTitleBigramTerms(t *testing.T) {
	m := bigramMatcher(t)
	ctx := context.Background()
	sq, err := m.CandidateQuery(ctx, &data.Demand{ID: "d", Title: "减速箱", Description: "寻求减速箱设计"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]data.Term{}
	for _, term := range sq.Terms {
		if term.Bigram {
			got[term.Text] = term
		}
	}
	tests := []struct {
		bigram string
		want   bool
	}{
		{"速箱", true},  // in the 变速箱 records
		{"减速", false}, // no achievement has it: it would find nothing
	}
	for _, tc := range tests {
		if _, ok := got[tc.bigram]; ok != tc.want {
			t.Errorf("bigram term %s: present %v, want %v (terms %+v)", tc.bigram, ok, tc.want, sq.Terms)
		}
	}
	for _, term := range got {
		if term.Weight <= 0 || term.Weight > bigramWeight {
			t.Errorf("bigram term %+v: weight outside (0, %v]", term, bigramWeight)
		}
	}
}

func TestBigramTermsFindOtherSegmentation(t *testing.T) {
	m := bigramMatcher(t)
	rs, err := m.MatchText(context.Background(), data.Demand{Title: "减速箱"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The word query (减速箱) matches no record; the bigram 速箱 finds both
	// gearbox records and nothing else.
	got := map[string]bool{}
	for _, r := range rs {
		got[r.ID] = true
	}
	if len(rs) != 2 || !got["a-gear"] || !got["a-gear2"] {
		t.Fatalf("matches %v, want the two 变速箱 records", ids(rs))
	}
}
