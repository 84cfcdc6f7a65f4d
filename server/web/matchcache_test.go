package web

import (
	"context"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/datatest"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// countingMatcher counts the matcher runs and answers with the run's number.
type countingMatcher struct {
	server.Matcher
	runs int
	w    matcher.Weights
}

func (m *countingMatcher) MatchDemand(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error) {
	m.runs++
	return []matcher.Result{{ID: id, Score: float64(m.runs)}}, nil
}

func (m *countingMatcher) MatchAchievement(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error) {
	return m.MatchDemand(ctx, id, opt)
}

func (m *countingMatcher) ActiveWeights() matcher.Weights { return m.w }

// TestMatchCache: a record's list is reused until the store changes or the
// weights do; other records and other options are their own entries.
func TestMatchCache(t *testing.T) {
	ctx := context.Background()
	st := datatest.New()
	cm := &countingMatcher{w: matcher.DefaultWeights()}
	wb := &Workbench{Store: st, Matcher: cm}
	m := cachedMatcher{Matcher: cm, wb: wb}
	opt := matcher.Options{Limit: 10}
	run := func(what string, kind data.Kind, id string, opt matcher.Options, wantRuns, wantList int) {
		t.Helper()
		match := m.MatchDemand
		if kind == data.KindAchievement {
			match = m.MatchAchievement
		}
		res, err := match(ctx, id, opt)
		if err != nil {
			t.Fatal(err)
		}
		if cm.runs != wantRuns || res[0].Score != float64(wantList) {
			t.Errorf("%s: %d matcher runs, the list of run %v; want %d runs, the list of run %d", what, cm.runs, res[0].Score, wantRuns, wantList)
		}
	}
	run("first view", data.KindDemand, "d1", opt, 1, 1)
	run("again", data.KindDemand, "d1", opt, 1, 1)
	run("another record", data.KindDemand, "d2", opt, 2, 2)
	run("the same id, other kind", data.KindAchievement, "d1", opt, 3, 3)
	run("other options", data.KindDemand, "d1", matcher.Options{Limit: matcher.MaxLimit}, 4, 4)
	run("the first options again", data.KindDemand, "d1", opt, 4, 1)
	if _, err := st.PutDemands(ctx, []data.Demand{{Title: "秸秆饲料化", Description: "秸秆青贮"}}); err != nil {
		t.Fatal(err)
	}
	run("after a write", data.KindDemand, "d1", opt, 5, 5)
	run("again", data.KindDemand, "d1", opt, 5, 5)
	cm.w.FeedbackDocs++
	run("after new weights", data.KindDemand, "d1", opt, 6, 6)
	for i := range matchCacheSize + 1 {
		if _, err := m.MatchDemand(ctx, string(rune('a'+i%26))+string(rune('A'+i/26)), opt); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(wb.matches.items); n > matchCacheSize || len(wb.matches.order) != n {
		t.Errorf("%d lists kept (order %d), bound %d", n, len(wb.matches.order), matchCacheSize)
	}
}
