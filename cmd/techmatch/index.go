package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
)

// openIndex opens the data directory's indexes and catches them up with the
// store (after a crash, or after imports made while no server ran).
func openIndex(ctx context.Context, dir string, db data.Store, stderr io.Writer) (*index.Index, error) {
	ix, err := index.Open(ctx, indexPath(dir), db, index.Options{Logger: slog.Default(), Analyzer: os.Getenv("TECHMATCH_ANALYZER"), Progress: syncProgress(stderr)})
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	counts, err := db.Counts(ctx)
	if err != nil {
		ix.Close()
		return nil, err
	}
	if lag := counts.Seq - min(counts.Seq, ix.Seq()); lag > 0 {
		start := time.Now()
		slog.Info("catching the index up with the store", "changes", lag)
		n, err := ix.Sync(ctx)
		if err != nil {
			ix.Close()
			return nil, fmt.Errorf("sync index: %w", err)
		}
		slog.Info("index caught up", "applied", n, "seconds", time.Since(start).Seconds())
	}
	return ix, nil
}

// newMatcher wires the matcher to the store and the indexes, with the
// weights file when one is given (else the embedded weights).
func newMatcher(db data.Store, ix *index.Index, dataDir, weightsFile string) (*matcher.Matcher, error) {
	m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix}
	if dataDir != "" {
		m.ModelStore = matcher.FileModelStore{Path: modelPath(dataDir)}
		m.ModelKey = ix.AnalysisID()
	}
	if weightsFile != "" {
		w, err := matcher.LoadWeights(weightsFile)
		if err != nil {
			return nil, err
		}
		m.Weights = w
	}
	return m, nil
}

// syncIndex brings the indexes of dir up to date and closes them again.
func syncIndex(ctx context.Context, dir string, db data.Store, stderr io.Writer) error {
	ix, err := openIndex(ctx, dir, db, stderr)
	if err != nil {
		return err
	}
	return ix.Close()
}

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("reindex", stderr)
	harvest := fs.Bool("harvest", true, "把目录关键词中词典没有的词加入分词词典")
	if err := fs.Parse(args); err != nil {
		return err
	}
	setBuildMemoryLimit()
	db, err := openStore(ctx, *dir)
	if err != nil {
		return err
	}
	defer db.Close()
	ix, err := index.Open(ctx, indexPath(*dir), db, index.Options{Logger: slog.Default(), HarvestKeywords: *harvest, Analyzer: os.Getenv("TECHMATCH_ANALYZER")})
	if err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	defer ix.Close()
	start := time.Now()
	var p *progress
	err = ix.Rebuild(ctx, func(done, total int) {
		if p == nil {
			p = newProgress(stderr, total, "重建索引")
		}
		p.Set(done)
	})
	if p != nil {
		p.Finish()
	}
	if err != nil {
		return fmt.Errorf("rebuild index: %w", err)
	}
	fmt.Fprintf(stdout, "索引已重建，用时 %.1f 秒\n", time.Since(start).Seconds())
	return nil
}
