// Package eval is the one evaluation harness of techmatch: it loads an
// evaluation suite (the format of ../shared/README.md, read by package
// suite) into a temporary store and index, built the way `serve` builds
// them, and measures search (task "search", through index.Search, the code
// path of the search endpoint) or matching (task "match", through the
// matcher's MatchDemand and ScorePair) against the suite's judgements
// (package metrics). The offline learner of the matcher's weights lives
// beside it (package tune). It never touches a user's data.
//
// It is a driver for cmd/techmatch and benchmarks only: unlike the index
// and the matcher it wires the store, the index and the matcher together.
package eval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/internal/eval/metrics"
	"github.com/techmatch/techmatch/internal/eval/suite"
)

// Suite is what suite.json says about a suite.
type Suite = suite.Info

// LoadSuite reads suite.json of a suite directory.
func LoadSuite(dir string) (*Suite, error) { return suite.Load(dir) }

// Query is one line of queries.jsonl: Text for search suites, DemandID for
// match suites.
type Query struct {
	ID       string `json:"id"`
	Text     string `json:"text,omitempty"`
	DemandID string `json:"demand_id,omitempty"`
}

// LoadQueries reads queries.jsonl of a suite directory.
func LoadQueries(dir string) ([]Query, error) {
	var qs []Query
	err := suite.ReadJSONL(filepath.Join(dir, "queries.jsonl"), func(q *Query) error {
		qs = append(qs, *q)
		return nil
	})
	return qs, err
}

// BuildOptions say how the temporary index is built.
type BuildOptions struct {
	// Analyzer is passed to index.Options: "gse" (default), "cjk",
	// "standard".
	Analyzer string
	// Harvest builds the index as `techmatch reindex` does (Rebuild with
	// keyword harvesting: the catalogue's keywords the dictionary lacks
	// become extra words of the segmenter); without it the index is built
	// as `serve` builds a new data directory (Sync, no harvesting).
	Harvest bool
	// TempDir is where the temporary store and index go (os.TempDir()).
	TempDir string
	Logger  *slog.Logger
}

// Build says, in every result, which build of the index was measured and
// how it differs from the other command's.
type Build struct {
	// As is the command whose build was measured: "serve" or "reindex".
	As string `json:"as"`
	// HarvestKeywords tells whether catalogue keywords were added to the
	// segmenter's dictionary, ExtraWords how many.
	HarvestKeywords bool `json:"harvest_keywords"`
	ExtraWords      int  `json:"extra_words"`
	// Differs says what the other command builds differently.
	Differs string `json:"differs"`
}

func (o BuildOptions) withDefaults() BuildOptions {
	if o.Analyzer == "" {
		o.Analyzer = index.AnalyzerGse
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Latency holds per-query latency percentiles in milliseconds.
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

// collector rolls up per-query figures into a Block.
type collector struct {
	nd, rr, r10, r100, lat []float64
}

// latency records one query's latency.
func (c *collector) latency(el time.Duration) {
	c.lat = append(c.lat, float64(el.Microseconds())/1000)
}

// score records one query's ranking; queries without a relevant document
// are left out (as score.py does).
func (c *collector) score(ranked []string, rel map[string]int) {
	if metrics.Relevant(rel) == 0 {
		return
	}
	c.nd = append(c.nd, metrics.NDCG(ranked, rel, 10))
	c.rr = append(c.rr, metrics.MRR(ranked, rel, 10))
	c.r10 = append(c.r10, metrics.Recall(ranked, rel, 10))
	c.r100 = append(c.r100, metrics.Recall(ranked, rel, 100))
}

// queries is the number of queries scored.
func (c *collector) queries() int { return len(c.nd) }

func (c *collector) block() Block {
	return Block{
		NDCG10:    round4(metrics.Mean(c.nd)),
		MRR10:     round4(metrics.Mean(c.rr)),
		Recall10:  round4(metrics.Mean(c.r10)),
		Recall100: round4(metrics.Mean(c.r100)),
		LatencyMS: Latency{P50: round2(metrics.Percentile(c.lat, 50)), P99: round2(metrics.Percentile(c.lat, 99))},
	}
}

// env is a temporary store and index.
type env struct {
	tmp   string
	store *bolt.DB
	ix    *index.Index
	opt   BuildOptions

	records      int // achievements stored
	repaired     int
	indexSeconds float64
}

// openEnv creates the temporary directory and the store in it.
func openEnv(ctx context.Context, opt BuildOptions) (_ *env, err error) {
	e := &env{opt: opt.withDefaults()}
	if e.tmp, err = os.MkdirTemp(opt.TempDir, "techmatch-eval-*"); err != nil {
		return nil, fmt.Errorf("create temporary directory: %w", err)
	}
	if e.store, err = bolt.Open(ctx, filepath.Join(e.tmp, "techmatch.db")); err != nil {
		os.RemoveAll(e.tmp)
		return nil, fmt.Errorf("open temporary store: %w", err)
	}
	return e, nil
}

// putAchievements repairs and stores a batch.
func (e *env) putAchievements(ctx context.Context, batch []data.Achievement) error {
	for i := range batch {
		batch[i].Extra = nil
		if suite.RepairAchievement(&batch[i]) {
			e.repaired++
		}
	}
	if _, err := e.store.PutAchievements(ctx, batch); err != nil {
		return fmt.Errorf("store achievements: %w", err)
	}
	e.records += len(batch)
	return nil
}

// putDemands repairs and stores a batch.
func (e *env) putDemands(ctx context.Context, batch []data.Demand) error {
	for i := range batch {
		batch[i].Extra = nil
		if suite.RepairDemand(&batch[i]) {
			e.repaired++
		}
	}
	if _, err := e.store.PutDemands(ctx, batch); err != nil {
		return fmt.Errorf("store demands: %w", err)
	}
	return nil
}

// buildIndex opens the index over the stored records and builds it as
// serve (Sync) or reindex (Rebuild with harvesting) does.
func (e *env) buildIndex(ctx context.Context) (err error) {
	o := e.opt
	if e.ix, err = index.Open(ctx, filepath.Join(e.tmp, "index"), e.store, index.Options{Analyzer: o.Analyzer, Logger: o.Logger, HarvestKeywords: o.Harvest}); err != nil {
		return err
	}
	start := time.Now()
	if o.Harvest {
		err = e.ix.Rebuild(ctx, nil)
	} else {
		_, err = e.ix.Sync(ctx)
	}
	if err != nil {
		return fmt.Errorf("index suite: %w", err)
	}
	e.indexSeconds = time.Since(start).Seconds()
	return nil
}

// build describes the index measured.
func (e *env) build() Build {
	b := Build{As: "serve", HarvestKeywords: e.opt.Harvest,
		Differs: "reindex（默认 --harvest）会把目录关键词中词典没有的词加入分词词典；用 --harvest 评测那种构建"}
	if e.opt.Harvest {
		b.As = "reindex"
		b.Differs = "serve 在新数据目录中不收集关键词（只用内置词典，除非之前运行过 reindex）；不加 --harvest 评测那种构建"
	}
	if e.ix != nil {
		b.ExtraWords = len(e.ix.Extra())
	}
	return b
}

// close closes the store and index and removes them.
func (e *env) close() error {
	var errs []error
	if e.ix != nil {
		errs = append(errs, e.ix.Close())
	}
	if e.store != nil {
		errs = append(errs, e.store.Close())
	}
	if e.tmp != "" {
		errs = append(errs, os.RemoveAll(e.tmp))
	}
	return errors.Join(errs...)
}

func round4(v float64) float64 { return float64(int64(v*10000+0.5)) / 10000 }
func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }
