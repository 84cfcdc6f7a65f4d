package tune

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

// Guarded is the outcome of FitGuarded.
type Guarded struct {
	Weights matcher.Weights
	Report  *matcher.TuneReport
	// Held are the ids of the demands kept aside; Before and After the
	// mean nDCG@10 on them of the current and the fitted weights.
	Held          []string
	Before, After float64
}

// FitGuarded fits weights as Fit does on four fifths of the demands with a
// relevant candidate, chosen at random from seed, and checks them on the
// fifth kept aside: weights scoring worse there than current are refused
// with an EPRECONDITION error (the outcome is still returned, for the
// record).
func FitGuarded(qs []Query, current matcher.Weights, opt Options, seed uint64) (*Guarded, error) {
	return fitGuarded(qs, current, opt, seed, Fit)
}

// fitFunc is the learner FitGuarded checks (Fit; tests pass others).
type fitFunc func(qs []Query, init matcher.Weights, opt Options) (matcher.Weights, *matcher.TuneReport, error)

func fitGuarded(qs []Query, current matcher.Weights, opt Options, seed uint64, fit fitFunc) (*Guarded, error) {
	opt = opt.withDefaults()
	var judged []Query
	for _, q := range qs {
		if len(q.Grades) > 0 && hasRelevant(q.Grades) {
			judged = append(judged, q)
		}
	}
	if len(judged) < 5 {
		return nil, data.Errorf(data.EINVALID, "只有 %d 个需求有标记为相关的结果：至少需要 5 个才能拟合并留出五分之一检验", len(judged))
	}
	sort.Slice(judged, func(i, j int) bool { return judged[i].ID < judged[j].ID })
	h := fnv.New64a()
	fmt.Fprint(h, seed)
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	rng.Shuffle(len(judged), func(i, j int) { judged[i], judged[j] = judged[j], judged[i] })
	nHeld := len(judged) / 5
	held, train := judged[:nHeld], judged[nHeld:]
	w, rep, err := fit(train, current, opt)
	if err != nil {
		return nil, err
	}
	g := &Guarded{Weights: w, Report: rep,
		Before: round4(NDCG(held, current, opt.K)), After: round4(NDCG(held, w, opt.K))}
	for _, q := range held {
		g.Held = append(g.Held, q.ID)
	}
	sort.Strings(g.Held)
	if g.After < g.Before {
		return g, data.Errorf(data.EPRECONDITION, "新拟合的权重在留出的 %d 个需求上 nDCG@10 为 %.4f，低于当前权重的 %.4f：不予采用",
			len(held), g.After, g.Before)
	}
	return g, nil
}
