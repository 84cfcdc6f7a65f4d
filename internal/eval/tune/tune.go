// Package tune is the offline learner of the matcher's signal weights
// (`techmatch tune`): coordinate ascent on graded judgements of a
// development match suite, with cross-validation across demands. It works
// on signal values only (computed by matcher.PairSignals); the runtime
// matcher carries no learner.
package tune

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval/metrics"
	"github.com/techmatch/techmatch/matcher"
)

// Tuning fits the signal weights to graded judgements with coordinate
// ascent (Metzler and Croft's learner for linear ranking functions): one
// weight at a time is set to the best value of a fixed grid while the
// others stay put, round after round, until no step helps. The objective is
// the rerank nDCG@10 over the judged candidates of each demand, plus, when
// full-mode data are given, FullWeight × the recall@100 of the demand's
// ranking among its catalogue candidates; a small penalty pulls towards the
// starting weights. It is deterministic, needs nothing but the signal values
// of candidates, and with a handful of weights and a coarse grid has little
// room to overfit; cross-validation across demands says how much it does.

// Query is one demand's judged candidates with their signal values.
type Query struct {
	ID      string
	IDs     []string
	Signals [][]float64 // per candidate, in the order of Signals
	Grades  []int
}

// Full is one demand's full-mode candidates (what MatchDemand scores)
// with their signal values, and the demand's judgements (relevant ones
// missing from the candidates still count in recall's denominator).
type Full struct {
	ID      string
	IDs     []string
	Signals [][]float64
	Rel     map[string]int
}

// Options control the learner.
type Options struct {
	// Free names the signals whose weights are fitted; empty means every
	// signal whose value varies among some demand's candidates. The others
	// keep their starting weight.
	Free []string
	// Anchor is a free signal whose weight stays fixed, since only the
	// weights' ratios matter (default "text").
	Anchor string
	// Grid is the values a weight may take (relative to the anchor's).
	Grid []float64
	// Rounds bounds the passes over the free weights (default 10).
	Rounds int
	// Folds is the number of cross-validation folds (default 5; 1 or less
	// skips cross-validation).
	Folds int
	// Penalty is subtracted from the objective per unit of weight moved
	// away from the starting weights (default 0.002).
	Penalty float64
	// K is the nDCG cut-off (default 10).
	K int
	// Full, if given, adds FullWeight × mean recall@100 of the full-mode
	// rankings to the objective (FullWeight defaults to 1).
	Full       []Full
	FullWeight float64
}

// DefaultGrid is the grid of weight values.
var DefaultGrid = []float64{0, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 4}

func (o Options) withDefaults() Options {
	if o.Anchor == "" {
		o.Anchor = matcher.SignalText
	}
	if len(o.Grid) == 0 {
		o.Grid = DefaultGrid
	}
	if o.Rounds <= 0 {
		o.Rounds = 10
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.Penalty == 0 {
		o.Penalty = 0.002
	}
	if o.K <= 0 {
		o.K = 10
	}
	if o.FullWeight == 0 {
		o.FullWeight = 1
	}
	return o
}

// NDCG is the mean rerank nDCG@k of the demands ranked with weights
// w; demands without a relevant candidate are left out, as score.py does.
func NDCG(qs []Query, w matcher.Weights, k int) float64 {
	return meanNDCG(qs, w.Vector(), k)
}

// Recall is the mean recall@k of the full-mode rankings with weights w.
func Recall(fs []Full, w matcher.Weights, k int) float64 {
	return meanRecall(fs, w.Vector(), k)
}

func meanNDCG(qs []Query, w matcher.Vector, k int) float64 {
	var sum float64
	n := 0
	for i := range qs {
		if !hasRelevant(qs[i].Grades) {
			continue
		}
		rel := make(map[string]int, len(qs[i].IDs))
		for j, id := range qs[i].IDs {
			rel[id] = qs[i].Grades[j]
		}
		sum += metrics.NDCG(rankBy(qs[i].IDs, qs[i].Signals, &w), rel, k)
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func meanRecall(fs []Full, w matcher.Vector, k int) float64 {
	if len(fs) == 0 {
		return 0
	}
	var sum float64
	for i := range fs {
		sum += metrics.Recall(rankBy(fs[i].IDs, fs[i].Signals, &w), fs[i].Rel, k)
	}
	return sum / float64(len(fs))
}

// rankBy orders candidates by weighted score, ties by id.
func rankBy(ids []string, signals [][]float64, w *matcher.Vector) []string {
	type c struct {
		id string
		s  float64
	}
	cs := make([]c, len(ids))
	for i := range ids {
		var v matcher.Vector
		copy(v[:], signals[i])
		cs[i] = c{ids[i], matcher.Combine(w, &v)}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].s != cs[j].s {
			return cs[i].s > cs[j].s
		}
		return cs[i].id < cs[j].id
	})
	ranked := make([]string, len(cs))
	for i := range cs {
		ranked[i] = cs[i].id
	}
	return ranked
}

// tuneSet is the data of one fit: rerank and full-mode demands.
type tuneSet struct {
	qs []Query
	fs []Full
}

// Tune fits weights to the demands, starting from init, and cross-validates
// the procedure. Demands without a relevant candidate are left out (nDCG is
// undefined for them).
func Fit(qs []Query, init matcher.Weights, opt Options) (matcher.Weights, *matcher.TuneReport, error) {
	opt = opt.withDefaults()
	var all tuneSet
	pairs := 0
	for _, q := range qs {
		if len(q.IDs) != len(q.Signals) || len(q.IDs) != len(q.Grades) {
			return matcher.Weights{}, nil, fmt.Errorf("tune: query %s: ids, signals and grades differ in length", q.ID)
		}
		if err := checkSignals(q.ID, q.Signals); err != nil {
			return matcher.Weights{}, nil, err
		}
		if hasRelevant(q.Grades) {
			all.qs = append(all.qs, q)
			pairs += len(q.IDs)
		}
	}
	for _, f := range opt.Full {
		if len(f.IDs) != len(f.Signals) {
			return matcher.Weights{}, nil, fmt.Errorf("tune: full query %s: ids and signals differ in length", f.ID)
		}
		if err := checkSignals(f.ID, f.Signals); err != nil {
			return matcher.Weights{}, nil, err
		}
		if metrics.Relevant(f.Rel) > 0 {
			all.fs = append(all.fs, f)
		}
	}
	if len(all.qs) == 0 {
		return matcher.Weights{}, nil, data.Errorf(data.EINVALID, "评测集中没有含相关结果的查询，无法拟合权重")
	}
	free, err := freeSignals(all.qs, opt)
	if err != nil {
		return matcher.Weights{}, nil, err
	}
	anchor := matcher.SignalIndex(opt.Anchor)
	if anchor < 0 {
		return matcher.Weights{}, nil, data.Errorf(data.EINVALID, "未知的信号“%s”", opt.Anchor)
	}
	w0 := init.Vector()
	if w0[anchor] == 0 {
		w0[anchor] = 1
	}
	rep := &matcher.TuneReport{Queries: len(all.qs), Pairs: pairs, Anchor: opt.Anchor, Before: round4(meanNDCG(all.qs, w0, opt.K))}
	if len(all.fs) > 0 {
		rep.RecallBefore = round4(meanRecall(all.fs, w0, 100))
	}
	for _, i := range free {
		rep.Free = append(rep.Free, matcher.Signals[i].Name)
	}

	if opt.Folds > 1 && len(all.qs) >= opt.Folds {
		cv := &matcher.CVReport{Folds: opt.Folds}
		folds := make([]tuneSet, opt.Folds)
		rest := make([]tuneSet, opt.Folds)
		for _, q := range all.qs {
			f := foldOf(q.ID, opt.Folds)
			folds[f].qs = append(folds[f].qs, q)
			for g := range rest {
				if g != f {
					rest[g].qs = append(rest[g].qs, q)
				}
			}
		}
		for _, q := range all.fs {
			f := foldOf(q.ID, opt.Folds)
			folds[f].fs = append(folds[f].fs, q)
			for g := range rest {
				if g != f {
					rest[g].fs = append(rest[g].fs, q)
				}
			}
		}
		var nb, na, rb, ra float64
		for f := range folds {
			w := ascend(rest[f], w0, free, anchor, opt)
			b, a := meanNDCG(folds[f].qs, w0, opt.K), meanNDCG(folds[f].qs, w, opt.K)
			cv.FoldBefore = append(cv.FoldBefore, round4(b))
			cv.FoldAfter = append(cv.FoldAfter, round4(a))
			nb += b * float64(len(folds[f].qs))
			na += a * float64(len(folds[f].qs))
			rb += meanRecall(folds[f].fs, w0, 100) * float64(len(folds[f].fs))
			ra += meanRecall(folds[f].fs, w, 100) * float64(len(folds[f].fs))
		}
		cv.Before = round4(nb / float64(len(all.qs)))
		cv.After = round4(na / float64(len(all.qs)))
		if len(all.fs) > 0 {
			cv.RecallBefore = round4(rb / float64(len(all.fs)))
			cv.RecallAfter = round4(ra / float64(len(all.fs)))
		}
		rep.CV = cv
	}

	w := ascend(all, w0, free, anchor, opt)
	rep.After = round4(meanNDCG(all.qs, w, opt.K))
	if len(all.fs) > 0 {
		rep.RecallAfter = round4(meanRecall(all.fs, w, 100))
	}
	out := init.WithVector(w)
	out.Tuning = rep
	return out, rep, nil
}

func checkSignals(id string, signals [][]float64) error {
	for _, s := range signals {
		if len(s) != matcher.NumSignals {
			return fmt.Errorf("tune: query %s: %d signal values, want %d", id, len(s), matcher.NumSignals)
		}
	}
	return nil
}

// freeSignals returns the signals to fit.
func freeSignals(qs []Query, opt Options) ([]int, error) {
	var free []int
	if len(opt.Free) > 0 {
		for _, n := range opt.Free {
			i := matcher.SignalIndex(n)
			if i < 0 {
				return nil, data.Errorf(data.EINVALID, "未知的信号“%s”", n)
			}
			if n != opt.Anchor {
				free = append(free, i)
			}
		}
		return free, nil
	}
	for i, s := range matcher.Signals {
		if s.Name == opt.Anchor {
			continue
		}
		if varies(qs, i) {
			free = append(free, i)
		}
	}
	return free, nil
}

// varies reports whether signal i differs among some demand's candidates:
// a signal constant within every demand cannot change a ranking, so the
// data say nothing about its weight.
func varies(qs []Query, i int) bool {
	for _, q := range qs {
		if len(q.Signals) == 0 {
			continue
		}
		for _, s := range q.Signals[1:] {
			if math.Abs(s[i]-q.Signals[0][i]) > 1e-9 {
				return true
			}
		}
	}
	return false
}

// foldOf assigns a demand to a fold by a hash of its id, so folds do not
// depend on the order of the suite's files.
func foldOf(id string, folds int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(folds))
}

// ascend runs coordinate ascent from w0 over the free weights.
func ascend(set tuneSet, w0 matcher.Vector, free []int, anchor int, opt Options) matcher.Vector {
	scale := w0[anchor]
	obj := func(w matcher.Vector) float64 {
		pen := 0.0
		for _, i := range free {
			pen += math.Abs(w[i]-w0[i]) / scale
		}
		o := meanNDCG(set.qs, w, opt.K) - opt.Penalty*pen
		if len(set.fs) > 0 {
			o += opt.FullWeight * meanRecall(set.fs, w, 100)
		}
		return o
	}
	w := w0
	best := obj(w)
	for round := 0; round < opt.Rounds; round++ {
		improved := false
		for _, i := range free {
			for _, g := range opt.Grid {
				v := g * scale
				if v == w[i] {
					continue
				}
				try := w
				try[i] = v
				if o := obj(try); o > best+1e-9 {
					best, w, improved = o, try, true
				}
			}
		}
		if !improved {
			break
		}
	}
	return w
}

func hasRelevant(grades []int) bool {
	for _, g := range grades {
		if g > 0 {
			return true
		}
	}
	return false
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
