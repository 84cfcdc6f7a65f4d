// Package matcheval measures the matcher on a match suite (the format of
// ../shared/README.md, task "match"): it loads the suite's achievements and
// demands into a temporary store and index, ranks each judged demand's
// achievements two ways — against the whole catalogue through MatchDemand
// (full) and just the judged ones through ScorePair (rerank) — and scores
// both against the suite's judgements. It also fits weights (Tune).
//
// It is a driver for cmd/techmatch only: unlike package matcher it imports
// the store and the index. It never touches a user's data.
package matcheval

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/data/suite"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/matcher/metrics"
)

// Options configure an evaluation.
type Options struct {
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
	// TempDir is where the temporary store and index go.
	TempDir string
	// Analyzer is the index analyzer ("gse").
	Analyzer string
	Logger   *slog.Logger
}

// Latency holds per-demand latency percentiles in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
}

// Block is the figures of one way of ranking.
type Block struct {
	NDCG10    float64 `json:"ndcg@10"`
	MRR10     float64 `json:"mrr@10"`
	Recall10  float64 `json:"recall@10"`
	Recall100 float64 `json:"recall@100"`
	LatencyMS Latency `json:"latency_ms"`
}

// Result is the outcome of a match suite.
type Result struct {
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
}

// Suite is what suite.json says about a suite.
type Suite = suite.Info

// Query is one line of queries.jsonl of a match suite.
type Query struct {
	ID       string `json:"id"`
	DemandID string `json:"demand_id"`
}

// Env is a loaded suite: a temporary store and index with the suite's
// records, and a matcher over them. Close removes it all.
type Env struct {
	Suite   Suite
	Store   *bolt.DB
	Index   *index.Index
	Matcher *matcher.Matcher
	Queries []Query
	Qrels   metrics.Qrels
	// Demands are the suite's demands by id.
	Demands map[string]*data.Demand

	IndexSeconds float64
	ModelSeconds float64
	Repaired     int
	Achievements int

	tmp string
}

// Close closes the store and index and removes them.
func (e *Env) Close() error {
	var err error
	if e.Index != nil {
		err = e.Index.Close()
	}
	if e.Store != nil {
		if cerr := e.Store.Close(); err == nil {
			err = cerr
		}
	}
	if e.tmp != "" {
		os.RemoveAll(e.tmp)
	}
	return err
}

// Load reads a match suite into a temporary store and index and builds the
// matcher's model.
func Load(ctx context.Context, dir string, opt Options) (_ *Env, err error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Env{}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	info, err := suite.Load(dir)
	if err != nil {
		return nil, err
	}
	e.Suite = *info
	if e.Suite.Task != "match" {
		return nil, data.Errorf(data.EINVALID, "评测集 %s 的任务是 %q：这里只评测匹配（match）任务", e.Suite.Name, e.Suite.Task)
	}
	if err := suite.ReadJSONL(filepath.Join(dir, "queries.jsonl"), func(q *Query) error {
		e.Queries = append(e.Queries, *q)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read queries: %w", err)
	}
	if e.Qrels, err = metrics.LoadQrels(filepath.Join(dir, "qrels.tsv")); err != nil {
		return nil, fmt.Errorf("read qrels: %w", err)
	}

	var achs []data.Achievement
	err = suite.ReadJSONL(filepath.Join(dir, "achievements.jsonl"), func(a *data.Achievement) error {
		a.Extra = nil
		achs = append(achs, *a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load suite achievements: %w", err)
	}
	var dems []data.Demand
	if err := suite.ReadJSONL(filepath.Join(dir, "demands.jsonl"), func(d *data.Demand) error {
		d.Extra = nil
		dems = append(dems, *d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load suite demands: %w", err)
	}
	if err := e.load(ctx, achs, dems, opt); err != nil {
		return nil, err
	}
	return e, nil
}

// LoadRecords puts records (such as the demo catalogue) into a temporary
// store and index and builds a matcher over them, for benchmarks. The
// returned Env has no queries or judgements.
func LoadRecords(ctx context.Context, achs []data.Achievement, dems []data.Demand, opt Options) (_ *Env, err error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Env{Suite: Suite{Name: "records", Task: "match"}}
	if err := e.load(ctx, achs, dems, opt); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// load stores the records, indexes them and builds the matcher's model.
func (e *Env) load(ctx context.Context, achs []data.Achievement, dems []data.Demand, opt Options) (err error) {
	if e.tmp, err = os.MkdirTemp(opt.TempDir, "techmatch-matcheval-*"); err != nil {
		return fmt.Errorf("create temporary directory: %w", err)
	}
	if e.Store, err = bolt.Open(ctx, filepath.Join(e.tmp, "techmatch.db")); err != nil {
		return fmt.Errorf("open temporary store: %w", err)
	}
	for i := 0; i < len(achs); i += 1000 {
		batch := achs[i:min(i+1000, len(achs))]
		for j := range batch {
			if suite.RepairAchievement(&batch[j]) {
				e.Repaired++
			}
		}
		if _, err := e.Store.PutAchievements(ctx, batch); err != nil {
			return fmt.Errorf("store achievements: %w", err)
		}
		e.Achievements += len(batch)
	}
	for i := 0; i < len(dems); i += 1000 {
		batch := dems[i:min(i+1000, len(dems))]
		for j := range batch {
			if suite.RepairDemand(&batch[j]) {
				e.Repaired++
			}
		}
		if _, err := e.Store.PutDemands(ctx, batch); err != nil {
			return fmt.Errorf("store demands: %w", err)
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

	start := time.Now()
	if e.Index, err = index.Open(ctx, filepath.Join(e.tmp, "index"), e.Store, index.Options{Analyzer: opt.Analyzer, Logger: opt.Logger}); err != nil {
		return err
	}
	if _, err := e.Index.Sync(ctx); err != nil {
		return fmt.Errorf("index records: %w", err)
	}
	e.IndexSeconds = time.Since(start).Seconds()

	e.Matcher = &matcher.Matcher{Store: e.Store, Search: e.Index, Analyzer: e.Index, RefreshEvery: -1}
	if opt.Weights != nil {
		e.Matcher.Weights = *opt.Weights
	}
	start = time.Now()
	if err := e.Matcher.Refresh(ctx); err != nil {
		return err
	}
	e.ModelSeconds = time.Since(start).Seconds()
	return nil
}

// Run evaluates the match suite in dir.
func Run(ctx context.Context, dir string, opt Options) (*Result, error) {
	e, err := Load(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	defer e.Close()
	return e.Evaluate(ctx, opt)
}

// Evaluate runs both blocks over a loaded suite.
func (e *Env) Evaluate(ctx context.Context, opt Options) (*Result, error) {
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
	res := &Result{Suite: e.Suite.Name, Task: "match", Achievements: e.Achievements, Demands: len(e.Demands),
		Weights: w.Version, IndexSeconds: round2(e.IndexSeconds), ModelSeconds: round2(e.ModelSeconds), Repaired: e.Repaired}

	var full, rerank collector
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
		rerank.add(ranked, rel, time.Since(t0))
		if opt.RerankRun != nil {
			if err := metrics.WriteTRECRun(opt.RerankRun, q.ID, ranked, scores, tag(opt.RunTag)); err != nil {
				return nil, err
			}
		}

		if opt.SkipFull {
			continue
		}
		t0 = time.Now()
		rs, err := e.Matcher.MatchDemand(ctx, d.ID, matcher.Options{Limit: opt.Limit, Candidates: opt.Candidates})
		el := time.Since(t0)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", q.ID, err)
		}
		ranked, scores = ranked[:0], scores[:0]
		for _, r := range rs {
			ranked = append(ranked, r.ID)
			scores = append(scores, r.Score)
		}
		full.add(ranked, rel, el)
		if opt.Run != nil {
			if err := metrics.WriteTRECRun(opt.Run, q.ID, ranked, scores, tag(opt.RunTag)); err != nil {
				return nil, err
			}
		}
	}
	res.Queries = len(rerank.nd)
	res.Rerank = rerank.block()
	if !opt.SkipFull {
		b := full.block()
		res.Full = &b
	}
	return res, nil
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
func (e *Env) TuneData(ctx context.Context) ([]matcher.TuneQuery, error) {
	var qs []matcher.TuneQuery
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
		tq := matcher.TuneQuery{ID: q.ID}
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

type collector struct {
	nd, rr, r10, r100, lat []float64
}

func (c *collector) add(ranked []string, rel map[string]int, el time.Duration) {
	c.lat = append(c.lat, float64(el.Microseconds())/1000)
	if metrics.Relevant(rel) == 0 {
		return
	}
	c.nd = append(c.nd, metrics.NDCG(ranked, rel, 10))
	c.rr = append(c.rr, metrics.MRR(ranked, rel, 10))
	c.r10 = append(c.r10, metrics.Recall(ranked, rel, 10))
	c.r100 = append(c.r100, metrics.Recall(ranked, rel, 100))
}

func (c *collector) block() Block {
	return Block{
		NDCG10:    round4(metrics.Mean(c.nd)),
		MRR10:     round4(metrics.Mean(c.rr)),
		Recall10:  round4(metrics.Mean(c.r10)),
		Recall100: round4(metrics.Mean(c.r100)),
		LatencyMS: Latency{P50: round2(metrics.Percentile(c.lat, 50)), P99: round2(metrics.Percentile(c.lat, 99))},
	}
}

func round4(v float64) float64 { return float64(int64(v*10000+0.5)) / 10000 }
func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
