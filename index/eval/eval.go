// Package eval measures search quality on an evaluation suite (the format of
// ../shared/README.md): it loads the suite's catalogue into a temporary store
// and index, runs every query through Index.Search (the code path of the
// search endpoint) and scores the rankings against the suite's judgements.
// It never touches a user's data.
package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/data/suite"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher/metrics"
)

// Options configure a run.
type Options struct {
	// Analyzer is passed to index.Options: "gse" (default), "cjk", "standard".
	Analyzer string
	// Run, if set, receives a TREC run file (qid Q0 docid rank score tag)
	// with up to Limit results a query.
	Run io.Writer
	// RunTag is the run file's tag ("techmatch").
	RunTag string
	// Limit is the number of results asked for per query (100).
	Limit int
	// TempDir is where the temporary store and index go (os.TempDir()).
	TempDir string
	Logger  *slog.Logger
	// HarvestKeywords builds the index with Rebuild and keyword harvesting
	// instead of Sync (see index.Options.HarvestKeywords).
	HarvestKeywords bool
}

// Latency holds per-query latency percentiles in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
}

// Result is the outcome of a suite.
type Result struct {
	Suite        string  `json:"suite"`
	Analyzer     string  `json:"analyzer"`
	Queries      int     `json:"queries"`
	NDCG10       float64 `json:"ndcg@10"`
	MRR10        float64 `json:"mrr@10"`
	Recall10     float64 `json:"recall@10"`
	Recall100    float64 `json:"recall@100"`
	LatencyMS    Latency `json:"latency_ms"`
	IndexSeconds float64 `json:"index_seconds"`
	Records      int     `json:"records"`
	// Repaired counts records changed to pass validation (texts cut to the
	// store's limits).
	Repaired int `json:"repaired,omitempty"`
	// Failed counts queries the search refused (they score 0).
	Failed int `json:"failed,omitempty"`
}

// Suite is what suite.json says about a suite.
type Suite = suite.Info

// Query is one line of queries.jsonl.
type Query struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	DemandID string `json:"demand_id"`
}

// LoadSuite reads suite.json of a suite directory.
func LoadSuite(dir string) (*Suite, error) { return suite.Load(dir) }

// LoadQueries reads queries.jsonl of a suite directory.
func LoadQueries(dir string) ([]Query, error) {
	var qs []Query
	err := suite.ReadJSONL(filepath.Join(dir, "queries.jsonl"), func(q *Query) error {
		qs = append(qs, *q)
		return nil
	})
	return qs, err
}

// Harness is a suite loaded into a temporary store and index, ready to be
// evaluated (any number of times).
type Harness struct {
	suite   *Suite
	queries []Query
	qrels   metrics.Qrels
	opt     Options
	tmp     string
	store   *bolt.DB
	ix      *index.Index
	base    Result
}

// Run evaluates the search suite in dir.
func Run(ctx context.Context, dir string, opt Options) (*Result, error) {
	h, err := Prepare(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	return h.Evaluate(ctx)
}

// Prepare loads the search suite in dir into a temporary store and index.
func Prepare(ctx context.Context, dir string, opt Options) (h *Harness, err error) {
	if opt.Limit <= 0 {
		opt.Limit = 100
	}
	if opt.Analyzer == "" {
		opt.Analyzer = index.AnalyzerGse
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	info, err := LoadSuite(dir)
	if err != nil {
		return nil, err
	}
	if info.Task != "search" {
		return nil, data.Errorf(data.EINVALID, "评测集 %s 的任务是 %q：这里只评测检索（search）任务", info.Name, info.Task)
	}
	h = &Harness{suite: info, opt: opt}
	if h.queries, err = LoadQueries(dir); err != nil {
		return nil, fmt.Errorf("read queries: %w", err)
	}
	if h.qrels, err = metrics.LoadQrels(filepath.Join(dir, "qrels.tsv")); err != nil {
		return nil, fmt.Errorf("read qrels: %w", err)
	}
	if h.tmp, err = os.MkdirTemp(opt.TempDir, "techmatch-eval-*"); err != nil {
		return nil, fmt.Errorf("create temporary directory: %w", err)
	}
	defer func() {
		if err != nil {
			h.Close()
		}
	}()
	if h.store, err = bolt.Open(ctx, filepath.Join(h.tmp, "techmatch.db")); err != nil {
		return nil, fmt.Errorf("open temporary store: %w", err)
	}

	res := &h.base
	res.Suite, res.Analyzer = info.Name, opt.Analyzer
	var batch []data.Achievement
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := h.store.PutAchievements(ctx, batch); err != nil {
			return fmt.Errorf("store suite records: %w", err)
		}
		res.Records += len(batch)
		batch = batch[:0]
		return nil
	}
	err = suite.ReadJSONL(filepath.Join(dir, "achievements.jsonl"), func(a *data.Achievement) error {
		a.Extra = nil
		if suite.RepairAchievement(a) {
			res.Repaired++
		}
		batch = append(batch, *a)
		if len(batch) == 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, fmt.Errorf("load suite catalogue: %w", err)
	}

	if h.ix, err = index.Open(ctx, filepath.Join(h.tmp, "index"), h.store, index.Options{Analyzer: opt.Analyzer, Logger: opt.Logger, HarvestKeywords: opt.HarvestKeywords}); err != nil {
		return nil, err
	}
	start := time.Now()
	if opt.HarvestKeywords {
		err = h.ix.Rebuild(ctx, nil)
	} else {
		_, err = h.ix.Sync(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("index suite: %w", err)
	}
	res.IndexSeconds = round2(time.Since(start).Seconds())
	return h, nil
}

// Close removes the temporary store and index.
func (h *Harness) Close() error {
	var errs []error
	if h.ix != nil {
		errs = append(errs, h.ix.Close())
	}
	if h.store != nil {
		errs = append(errs, h.store.Close())
	}
	if h.tmp != "" {
		errs = append(errs, os.RemoveAll(h.tmp))
	}
	return errors.Join(errs...)
}

// Evaluate runs every query of the suite, one at a time, and scores them.
func (h *Harness) Evaluate(ctx context.Context) (*Result, error) {
	opt := h.opt
	res := h.base
	var nd, rr, r10, r100, lat []float64
	for _, q := range h.queries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		sr, err := h.ix.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Text: q.Text, Limit: opt.Limit})
		el := time.Since(t0)
		var ranked []string
		var scores []float64
		if err != nil {
			var de *data.Error
			if !errors.As(err, &de) || de.Code != data.EINVALID {
				return nil, fmt.Errorf("query %s: %w", q.ID, err)
			}
			res.Failed++
			opt.Logger.Warn("query refused", "query", q.ID, "err", err)
		} else {
			lat = append(lat, float64(el.Microseconds())/1000)
			for _, hit := range sr.Hits {
				ranked = append(ranked, hit.ID)
				scores = append(scores, hit.Score)
			}
		}
		if opt.Run != nil {
			if err := metrics.WriteTRECRun(opt.Run, q.ID, ranked, scores, opt.RunTag); err != nil {
				return nil, fmt.Errorf("write run: %w", err)
			}
		}
		rel := h.qrels[q.ID]
		if metrics.Relevant(rel) == 0 {
			continue
		}
		nd = append(nd, metrics.NDCG(ranked, rel, 10))
		rr = append(rr, metrics.MRR(ranked, rel, 10))
		r10 = append(r10, metrics.Recall(ranked, rel, 10))
		r100 = append(r100, metrics.Recall(ranked, rel, 100))
	}
	res.Queries = len(nd)
	res.NDCG10 = round4(metrics.Mean(nd))
	res.MRR10 = round4(metrics.Mean(rr))
	res.Recall10 = round4(metrics.Mean(r10))
	res.Recall100 = round4(metrics.Mean(r100))
	res.LatencyMS = Latency{P50: round2(metrics.Percentile(lat, 50)), P99: round2(metrics.Percentile(lat, 99))}
	return &res, nil
}

func round4(v float64) float64 { return float64(int64(v*10000+0.5)) / 10000 }
func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
