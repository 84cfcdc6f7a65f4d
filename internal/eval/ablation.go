package eval

import (
	"context"
	"fmt"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval/metrics"
	"github.com/techmatch/techmatch/internal/eval/tune"
	"github.com/techmatch/techmatch/matcher"
)

// FullData fetches every judged demand's full-mode candidates (what
// MatchDemand fetches from the index) and their signals. Candidates do not
// depend on the weights, so rankings for any weights can be computed from
// them offline and agree with MatchDemand's.
func (e *Env) FullData(ctx context.Context, candidates int) ([]tune.Full, error) {
	var out []tune.Full
	for _, q := range e.Queries {
		rel := e.Qrels[q.ID]
		if metrics.Relevant(rel) == 0 {
			continue
		}
		d := e.Demands[q.DemandID]
		if d == nil {
			return nil, data.Errorf(data.EINVALID, "查询 %s 的需求 %s 不在 demands.jsonl 中", q.ID, q.DemandID)
		}
		sq, err := e.Matcher.CandidateQuery(ctx, d, matcher.Options{Candidates: candidates})
		if err != nil {
			return nil, err
		}
		res, err := e.Index.Search(ctx, sq)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		achs, err := e.Store.Achievements(ctx, ids)
		if err != nil {
			return nil, err
		}
		fq := tune.Full{ID: q.ID, Rel: rel}
		for _, a := range achs {
			if a == nil || a.ID == d.ID {
				continue
			}
			v, err := e.Matcher.PairSignals(ctx, d, a)
			if err != nil {
				return nil, err
			}
			fq.IDs = append(fq.IDs, a.ID)
			fq.Signals = append(fq.Signals, v)
		}
		out = append(out, fq)
	}
	return out, nil
}

// AblationRow is one line of an ablation table.
type AblationRow struct {
	Config string `json:"config"`
	// Fit is the rerank nDCG@10 over all dev demands with weights fitted on
	// them (optimistic); CV the cross-validated one (weights fitted without
	// each fold); Recall100 the full-mode recall@100 with the weights
	// fitted on all demands, RecallCV the cross-validated one.
	Fit       float64 `json:"rerank_ndcg@10_fit"`
	CV        float64 `json:"rerank_ndcg@10_cv"`
	Recall100 float64 `json:"full_recall@100_fit"`
	RecallCV  float64 `json:"full_recall@100_cv"`
}

// Ablation says what each part of the matcher contributes: it refits the
// weights without each text signal, with each alone, with
// pseudo-relevance feedback turned on and with the demand-specific term
// weighting turned off, and reports every configuration's figures. opt
// are the tuning options (opt.Full is filled in here).
func (e *Env) Ablation(ctx context.Context, init matcher.Weights, opt tune.Options) ([]AblationRow, error) {
	saved := e.Matcher.Weights
	defer func() { e.Matcher.Weights = saved }()
	data := func(w matcher.Weights) ([]tune.Query, []tune.Full, error) {
		e.Matcher.Weights = w
		qs, err := e.TuneData(ctx)
		if err != nil {
			return nil, nil, err
		}
		fq, err := e.FullData(ctx, matcher.DefaultCandidates)
		return qs, fq, err
	}
	var textSignals []string
	for _, s := range matcher.Signals {
		if s.Text && s.Name != matcher.SignalKeywords && s.Name != matcher.SignalFeedback {
			textSignals = append(textSignals, s.Name)
		}
	}
	fit := func(name string, qs []tune.Query, fq []tune.Full, init matcher.Weights, keep []string) (AblationRow, error) {
		w := init
		w.Signals = map[string]float64{}
		inKeep := map[string]bool{}
		for _, k := range keep {
			inKeep[k] = true
		}
		for k, v := range init.Signals {
			if inKeep[k] || !isText(k) {
				w.Signals[k] = v
			}
		}
		o := opt
		o.Free, o.Anchor = keep, keep[0]
		if w.Signals[o.Anchor] == 0 {
			w.Signals[o.Anchor] = 1
		}
		if o.FullWeight > 0 {
			o.Full = fq
		}
		fitted, rep, err := tune.Fit(qs, w, o)
		if err != nil {
			return AblationRow{}, err
		}
		r := AblationRow{Config: name, Fit: rep.After, Recall100: round4(tune.Recall(fq, fitted, 100))}
		if rep.CV != nil {
			r.CV = rep.CV.After
			r.RecallCV = rep.CV.RecallAfter
			if o.Full == nil {
				r.RecallCV = 0
			}
		}
		return r, nil
	}

	qs, fq, err := data(init)
	if err != nil {
		return nil, err
	}
	nd, rc := round4(tune.NDCG(qs, init, 10)), round4(tune.Recall(fq, init, 100))
	rows := []AblationRow{{Config: "starting weights, not fitted", Fit: nd, CV: nd, Recall100: rc, RecallCV: rc}}
	add := func(name string, qs []tune.Query, fq []tune.Full, init matcher.Weights, keep []string) error {
		r, err := fit(name, qs, fq, init, keep)
		if err == nil {
			rows = append(rows, r)
		}
		return err
	}
	if err := add("all text signals", qs, fq, init, textSignals); err != nil {
		return nil, err
	}
	for _, drop := range textSignals {
		var keep []string
		for _, s := range textSignals {
			if s != drop {
				keep = append(keep, s)
			}
		}
		if err := add("without "+drop, qs, fq, init, keep); err != nil {
			return nil, err
		}
	}
	for _, only := range textSignals {
		if err := add("only "+only, qs, fq, init, []string{only}); err != nil {
			return nil, err
		}
	}

	// Pseudo-relevance feedback on.
	wf := init
	wf.Signals = map[string]float64{matcher.SignalFeedback: 0.5}
	for k, v := range init.Signals {
		wf.Signals[k] = v
	}
	if wf.Signals[matcher.SignalFeedback] == 0 {
		wf.Signals[matcher.SignalFeedback] = 0.5
	}
	if wf.FeedbackDocs == 0 {
		wf.FeedbackDocs = 10
	}
	qf, ff, err := data(wf)
	if err != nil {
		return nil, err
	}
	if err := add(fmt.Sprintf("all + feedback (PRF, %d docs)", wf.FeedbackDocs), qf, ff, wf, append(append([]string{}, textSignals...), matcher.SignalFeedback)); err != nil {
		return nil, err
	}

	// Demand-specific weighting off.
	wn := init
	wn.NoDemandWeighting = true
	qn, fn, err := data(wn)
	if err != nil {
		return nil, err
	}
	if err := add("all, without demand-specific term weighting", qn, fn, wn, textSignals); err != nil {
		return nil, err
	}
	return rows, nil
}

func isText(name string) bool {
	for _, s := range matcher.Signals {
		if s.Name == name {
			return s.Text
		}
	}
	return false
}
