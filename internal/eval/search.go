package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval/metrics"
	"github.com/techmatch/techmatch/internal/eval/suite"
)

// SearchOptions configure a search evaluation.
type SearchOptions struct {
	BuildOptions
	// Run, if set, receives a TREC run file (qid Q0 docid rank score tag)
	// with up to Limit results a query.
	Run io.Writer
	// RunTag is the run file's tag ("techmatch").
	RunTag string
	// Limit is the number of results asked for per query (100).
	Limit int
}

// SearchResult is the outcome of a search suite.
type SearchResult struct {
	Suite    string `json:"suite"`
	Analyzer string `json:"analyzer"`
	Queries  int    `json:"queries"`
	Block
	IndexSeconds float64 `json:"index_seconds"`
	Records      int     `json:"records"`
	// Repaired counts records changed to pass validation (texts cut to the
	// store's limits).
	Repaired int `json:"repaired,omitempty"`
	// Failed counts queries the search refused (they score 0).
	Failed int   `json:"failed,omitempty"`
	Build  Build `json:"build"`
}

// SearchHarness is a search suite loaded into a temporary store and index,
// ready to be evaluated (any number of times).
type SearchHarness struct {
	env     *env
	suite   *Suite
	queries []Query
	qrels   metrics.Qrels
	opt     SearchOptions
}

// RunSearch evaluates the search suite in dir.
func RunSearch(ctx context.Context, dir string, opt SearchOptions) (*SearchResult, error) {
	h, err := PrepareSearch(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	return h.Evaluate(ctx)
}

// PrepareSearch loads the search suite in dir into a temporary store and
// index.
func PrepareSearch(ctx context.Context, dir string, opt SearchOptions) (_ *SearchHarness, err error) {
	if opt.Limit <= 0 {
		opt.Limit = 100
	}
	opt.BuildOptions = opt.BuildOptions.withDefaults()
	info, err := LoadSuite(dir)
	if err != nil {
		return nil, err
	}
	if info.Task != "search" {
		return nil, data.Errorf(data.EINVALID, "评测集 %s 的任务是 %q：这里只评测检索（search）任务", info.Name, info.Task)
	}
	h := &SearchHarness{suite: info, opt: opt}
	if h.queries, err = LoadQueries(dir); err != nil {
		return nil, fmt.Errorf("read queries: %w", err)
	}
	if h.qrels, err = metrics.LoadQrels(filepath.Join(dir, "qrels.tsv")); err != nil {
		return nil, fmt.Errorf("read qrels: %w", err)
	}
	if h.env, err = openEnv(ctx, opt.BuildOptions); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			h.Close()
		}
	}()
	var batch []data.Achievement
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := h.env.putAchievements(ctx, batch)
		batch = batch[:0]
		return err
	}
	err = suite.ReadJSONL(filepath.Join(dir, "achievements.jsonl"), func(a *data.Achievement) error {
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
	if err := h.env.buildIndex(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

// Close removes the temporary store and index.
func (h *SearchHarness) Close() error { return h.env.close() }

// Evaluate runs every query of the suite, one at a time, and scores them.
func (h *SearchHarness) Evaluate(ctx context.Context) (*SearchResult, error) {
	opt := h.opt
	e := h.env
	res := &SearchResult{Suite: h.suite.Name, Analyzer: opt.Analyzer, Records: e.records, Repaired: e.repaired,
		IndexSeconds: round2(e.indexSeconds), Build: e.build()}
	var c collector
	for _, q := range h.queries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t0 := time.Now()
		sr, err := e.ix.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Text: q.Text, Limit: opt.Limit})
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
			c.latency(el)
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
		c.score(ranked, h.qrels[q.ID])
	}
	res.Queries = c.queries()
	res.Block = c.block()
	return res, nil
}
