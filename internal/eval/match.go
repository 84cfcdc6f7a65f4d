package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/internal/eval/metrics"
	"github.com/techmatch/techmatch/internal/eval/suite"
	"github.com/techmatch/techmatch/internal/eval/tune"
	"github.com/techmatch/techmatch/matcher"
)

// MatchOptions configure a match evaluation.
type MatchOptions struct {
	BuildOptions
	// Weights replace the matcher's embedded weights when set.
	Weights *matcher.Weights
	// Run receives the full-mode TREC run, RerankRun the rerank one.
	Run, RerankRun io.Writer
	// RunTag is the run files' tag ("techmatch").
	RunTag string
	// Limit is how many achievements full mode keeps per demand (100).
	Limit int
	// Candidates is how many candidates full mode scores (the matcher's
	// default when 0).
	Candidates int
	// SkipFull leaves out the full block (rerank only, for quick runs).
	SkipFull bool
	// Feedback, when above 0, also measures explicit feedback on the top
	// Feedback of each first ranking (FeedbackReport); the run files then
	// hold the residual rankings after feedback.
	Feedback int
	// FeedbackBeta and FeedbackGamma replace the matcher's feedback
	// constants when set (for the grid the constants were tuned with).
	FeedbackBeta, FeedbackGamma *float64
}

// MatchResult is the outcome of a match suite.
type MatchResult struct {
	Suite        string  `json:"suite"`
	Task         string  `json:"task"`
	Queries      int     `json:"queries"`
	Achievements int     `json:"achievements"`
	Demands      int     `json:"demands"`
	Weights      string  `json:"weights"`
	Full         *Block  `json:"full,omitempty"`
	Rerank       Block   `json:"rerank"`
	IndexSeconds float64 `json:"index_seconds"`
	ModelSeconds float64 `json:"model_seconds"`
	Repaired     int     `json:"repaired,omitempty"`
	Build        Build   `json:"build"`
	// Feedback is the explicit-feedback measurement (eval --feedback K).
	Feedback *FeedbackReport `json:"feedback,omitempty"`
}

// Env is a loaded match suite: a temporary store and index with the
// suite's records, and a matcher over them, wired as serve wires them.
// Close removes it all.
type Env struct {
	Suite   Suite
	Store   *bolt.DB
	Index   *index.Index
	Matcher *matcher.Matcher
	Queries []Query
	Qrels   metrics.Qrels
	// Demands are the suite's demands by id.
	Demands map[string]*data.Demand

	ModelSeconds float64

	env *env

	// firsts are the rankings before feedback of the last Evaluate with
	// feedback: rerank and full.
	firstsRerank, firstsFull []firstRanking
}

// Close closes the matcher, the store and the index and removes them.
func (e *Env) Close() error {
	var errs []error
	if e.Matcher != nil {
		errs = append(errs, e.Matcher.Close())
	}
	if e.env != nil {
		errs = append(errs, e.env.close())
	}
	return errors.Join(errs...)
}

// LoadMatch reads a match suite into a temporary store and index and builds
// the matcher's model.
func LoadMatch(ctx context.Context, dir string, opt MatchOptions) (_ *Env, err error) {
	info, err := suite.Load(dir)
	if err != nil {
		return nil, err
	}
	if info.Task != "match" {
		return nil, data.Errorf(data.EINVALID, "评测集 %s 的任务是 %q：这里只评测匹配（match）任务", info.Name, info.Task)
	}
	e := &Env{Suite: *info}
	if e.Queries, err = LoadQueries(dir); err != nil {
		return nil, fmt.Errorf("read queries: %w", err)
	}
	if e.Qrels, err = metrics.LoadQrels(filepath.Join(dir, "qrels.tsv")); err != nil {
		return nil, fmt.Errorf("read qrels: %w", err)
	}
	var achs []data.Achievement
	if err := suite.ReadJSONL(filepath.Join(dir, "achievements.jsonl"), func(a *data.Achievement) error {
		achs = append(achs, *a)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load suite achievements: %w", err)
	}
	var dems []data.Demand
	if err := suite.ReadJSONL(filepath.Join(dir, "demands.jsonl"), func(d *data.Demand) error {
		dems = append(dems, *d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load suite demands: %w", err)
	}
	if err := e.load(ctx, achs, dems, opt); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// LoadRecords puts records (such as the demo catalogue) into a temporary
// store and index and builds a matcher over them, for benchmarks. The
// returned Env has no queries or judgements.
func LoadRecords(ctx context.Context, achs []data.Achievement, dems []data.Demand, opt MatchOptions) (*Env, error) {
	e := &Env{Suite: Suite{Name: "records", Task: "match"}}
	if err := e.load(ctx, achs, dems, opt); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// load stores the records, indexes them and builds the matcher's model.
func (e *Env) load(ctx context.Context, achs []data.Achievement, dems []data.Demand, opt MatchOptions) (err error) {
	if e.env, err = openEnv(ctx, opt.BuildOptions); err != nil {
		return err
	}
	e.Store = e.env.store
	for i := 0; i < len(achs); i += 1000 {
		if err := e.env.putAchievements(ctx, achs[i:min(i+1000, len(achs))]); err != nil {
			return err
		}
	}
	for i := 0; i < len(dems); i += 1000 {
		if err := e.env.putDemands(ctx, dems[i:min(i+1000, len(dems))]); err != nil {
			return err
		}
	}
	e.Demands = map[string]*data.Demand{}
	for i := 0; i < len(dems); i += 1000 {
		ids := make([]string, 0, 1000)
		for _, d := range dems[i:min(i+1000, len(dems))] {
			ids = append(ids, d.ID)
		}
		stored, err := e.Store.Demands(ctx, ids)
		if err != nil {
			return err
		}
		for _, d := range stored {
			if d != nil {
				e.Demands[d.ID] = d
			}
		}
	}
	if err := e.env.buildIndex(ctx); err != nil {
		return err
	}
	e.Index = e.env.ix

	// As serve wires it (cmd/techmatch newMatcher), with the model built
	// once here rather than in the background.
	e.Matcher = &matcher.Matcher{Store: e.Store, Search: e.Index, Analyzer: e.Index, RefreshEvery: -1}
	if opt.Weights != nil {
		e.Matcher.Weights = *opt.Weights
	}
	start := time.Now()
	if err := e.Matcher.Refresh(ctx); err != nil {
		return err
	}
	e.ModelSeconds = time.Since(start).Seconds()
	return nil
}

// RunMatch evaluates the match suite in dir.
func RunMatch(ctx context.Context, dir string, opt MatchOptions) (*MatchResult, error) {
	e, err := LoadMatch(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	defer e.Close()
	return e.Evaluate(ctx, opt)
}

// Evaluate runs both blocks over a loaded suite.
func (e *Env) Evaluate(ctx context.Context, opt MatchOptions) (*MatchResult, error) {
	if opt.Limit <= 0 {
		opt.Limit = 100
	}
	if opt.Weights != nil {
		e.Matcher.Weights = *opt.Weights
	}
	w := e.Matcher.Weights
	if len(w.Signals) == 0 {
		w = matcher.DefaultWeights()
	}
	res := &MatchResult{Suite: e.Suite.Name, Task: "match", Achievements: e.env.records, Demands: len(e.Demands),
		Weights: w.Version, IndexSeconds: round2(e.env.indexSeconds), ModelSeconds: round2(e.ModelSeconds), Repaired: e.env.repaired,
		Build: e.env.build()}

	var full, rerank collector
	fb := opt.Feedback > 0
	e.firstsRerank, e.firstsFull = nil, nil
	fullLimit := opt.Limit
	if fb {
		fullLimit = max(opt.Limit, feedbackPool)
	}
	for _, q := range e.Queries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d := e.Demands[q.DemandID]
		if d == nil {
			return nil, data.Errorf(data.EINVALID, "查询 %s 的需求 %s 不在 demands.jsonl 中", q.ID, q.DemandID)
		}
		rel := e.Qrels[q.ID]

		// Rerank: the judged achievements through the single-pair path.
		t0 := time.Now()
		ranked, scores, err := e.rerank(ctx, d, rel)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", q.ID, err)
		}
		rerank.latency(time.Since(t0))
		rerank.score(ranked, rel)
		if fb {
			docs, err := e.docsOf(ctx, ranked)
			if err != nil {
				return nil, err
			}
			e.firstsRerank = append(e.firstsRerank, firstRanking{qid: q.ID, rel: rel, query: demandDoc(d),
				ids: ranked, score: scores, docs: docs})
		} else if opt.RerankRun != nil {
			if err := metrics.WriteTRECRun(opt.RerankRun, q.ID, ranked, scores, tag(opt.RunTag)); err != nil {
				return nil, err
			}
		}

		if opt.SkipFull {
			continue
		}
		t0 = time.Now()
		rs, err := e.Matcher.MatchDemand(ctx, d.ID, matcher.Options{Limit: fullLimit, Candidates: opt.Candidates})
		el := time.Since(t0)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", q.ID, err)
		}
		ranked, scores = nil, nil
		var docs []matcher.Doc
		for _, r := range rs {
			ranked = append(ranked, r.ID)
			scores = append(scores, r.Score)
			docs = append(docs, matcher.ResultDoc(&r))
		}
		if fb {
			e.firstsFull = append(e.firstsFull, firstRanking{qid: q.ID, rel: rel, query: demandDoc(d),
				ids: ranked, score: scores, docs: docs})
			ranked, scores = ranked[:min(opt.Limit, len(ranked))], scores[:min(opt.Limit, len(scores))]
		}
		full.latency(el)
		full.score(ranked, rel)
		if opt.Run != nil && !fb {
			if err := metrics.WriteTRECRun(opt.Run, q.ID, ranked, scores, tag(opt.RunTag)); err != nil {
				return nil, err
			}
		}
	}
	res.Queries = rerank.queries()
	res.Rerank = rerank.block()
	if !opt.SkipFull {
		b := full.block()
		res.Full = &b
	}
	if fb {
		rep, err := e.feedbackReport(opt)
		if err != nil {
			return nil, err
		}
		res.Feedback = rep
	}
	return res, nil
}

// feedbackReport measures feedback over the first rankings of Evaluate.
func (e *Env) feedbackReport(opt MatchOptions) (*FeedbackReport, error) {
	rep := &FeedbackReport{K: opt.Feedback, Beta: matcher.FeedbackBeta, Gamma: matcher.FeedbackGamma}
	if opt.FeedbackBeta != nil {
		rep.Beta = *opt.FeedbackBeta
	}
	if opt.FeedbackGamma != nil {
		rep.Gamma = *opt.FeedbackGamma
	}
	var err error
	if rep.Rerank, err = pairedFeedback(e.firstsRerank, rep.K, rep.Beta, rep.Gamma, 0, opt.RerankRun, opt.RunTag); err != nil {
		return nil, err
	}
	if !opt.SkipFull {
		p, err := pairedFeedback(e.firstsFull, rep.K, rep.Beta, rep.Gamma, opt.Limit, opt.Run, opt.RunTag)
		if err != nil {
			return nil, err
		}
		rep.Full = &p
	}
	return rep, nil
}

func tag(t string) string {
	if t == "" {
		return "techmatch"
	}
	return t
}

// rerank scores a demand's judged achievements through ScorePair and ranks
// them, ties by id.
func (e *Env) rerank(ctx context.Context, d *data.Demand, rel map[string]int) ([]string, []float64, error) {
	ids := make([]string, 0, len(rel))
	for id := range rel {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	achs, err := e.Store.Achievements(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	type s struct {
		id    string
		score float64
	}
	out := make([]s, 0, len(achs))
	for _, a := range achs {
		if a == nil {
			continue
		}
		r, err := e.Matcher.ScorePair(ctx, d, a)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, s{a.ID, r.Score})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].id < out[j].id
	})
	ranked := make([]string, len(out))
	scores := make([]float64, len(out))
	for i, x := range out {
		ranked[i], scores[i] = x.id, x.score
	}
	return ranked, scores, nil
}

// TuneData returns the signal values of every judged pair, for Tune.
func (e *Env) TuneData(ctx context.Context) ([]tune.Query, error) {
	var qs []tune.Query
	for _, q := range e.Queries {
		d := e.Demands[q.DemandID]
		if d == nil {
			return nil, data.Errorf(data.EINVALID, "查询 %s 的需求 %s 不在 demands.jsonl 中", q.ID, q.DemandID)
		}
		rel := e.Qrels[q.ID]
		ids := make([]string, 0, len(rel))
		for id := range rel {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		achs, err := e.Store.Achievements(ctx, ids)
		if err != nil {
			return nil, err
		}
		tq := tune.Query{ID: q.ID}
		for _, a := range achs {
			if a == nil {
				continue
			}
			v, err := e.Matcher.PairSignals(ctx, d, a)
			if err != nil {
				return nil, err
			}
			tq.IDs = append(tq.IDs, a.ID)
			tq.Signals = append(tq.Signals, v)
			tq.Grades = append(tq.Grades, rel[a.ID])
		}
		qs = append(qs, tq)
	}
	return qs, nil
}
