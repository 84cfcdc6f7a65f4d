package eval

import (
	"context"
	"fmt"
	"sort"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval/tune"
	"github.com/techmatch/techmatch/matcher"
)

// StoredJudgements are the sources of FeedbackTuneData.
type StoredJudgements struct {
	Store    data.Store
	Feedback data.FeedbackStore
	Pairings data.PairingStore // nil: pairing outcomes are not used
	Matcher  *matcher.Matcher
}

// FeedbackTuneData turns the stored verdicts and pairing outcomes into the
// learner's demands: every demand with a verdict becomes one query whose
// candidates are the achievements judged for it (grade 1 relevant, 0 not),
// with their signal values from the matcher.
func FeedbackTuneData(ctx context.Context, src StoredJudgements) ([]tune.Query, error) {
	fbs, err := src.Feedback.ListFeedback(ctx, data.FeedbackFilter{})
	if err != nil {
		return nil, fmt.Errorf("list feedback: %w", err)
	}
	var ps []data.Pairing
	if src.Pairings != nil {
		if ps, err = src.Pairings.ListPairings(ctx, data.PairingFilter{}); err != nil {
			return nil, fmt.Errorf("list pairings: %w", err)
		}
	}
	byDemand := map[string][]data.Feedback{}
	for _, f := range fbs {
		byDemand[f.DemandID] = append(byDemand[f.DemandID], f)
	}
	pairsOf := map[string][]data.Pairing{}
	for _, p := range ps {
		if _, ok := data.PairingVerdict(&p); ok {
			pairsOf[p.DemandID] = append(pairsOf[p.DemandID], p)
		}
	}
	ids := make([]string, 0, len(byDemand)+len(pairsOf))
	for id := range byDemand {
		ids = append(ids, id)
	}
	for id := range pairsOf {
		if _, ok := byDemand[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var qs []tune.Query
	for _, did := range ids {
		d, err := src.Store.Demand(ctx, did)
		if err != nil {
			if data.ErrorCode(err) == data.ENOTFOUND {
				continue // deleted since it was judged
			}
			return nil, err
		}
		verdicts := data.Verdicts(byDemand[did], pairsOf[did], data.SideDemand)
		aids := make([]string, 0, len(verdicts))
		for id := range verdicts {
			aids = append(aids, id)
		}
		sort.Strings(aids)
		achs, err := src.Store.Achievements(ctx, aids)
		if err != nil {
			return nil, err
		}
		q := tune.Query{ID: did}
		for _, a := range achs {
			if a == nil {
				continue
			}
			v, err := src.Matcher.PairSignals(ctx, d, a)
			if err != nil {
				return nil, err
			}
			g := 0
			if verdicts[a.ID] == data.VerdictRelevant {
				g = 1
			}
			q.IDs, q.Signals, q.Grades = append(q.IDs, a.ID), append(q.Signals, v), append(q.Grades, g)
		}
		if len(q.IDs) > 0 {
			qs = append(qs, q)
		}
	}
	return qs, nil
}
