package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/matcher/matcheval"
)

type matchSuiteOptions struct {
	Analyzer, RunFile, RerankRunFile, WeightsFile string
}

// runMatchSuite evaluates a match suite in both modes (full and rerank).
func runMatchSuite(ctx context.Context, dir string, o matchSuiteOptions) (*matcheval.Result, error) {
	opt := matcheval.Options{Analyzer: o.Analyzer, RunTag: "techmatch", Logger: slog.Default()}
	if o.WeightsFile != "" {
		w, err := matcher.LoadWeights(o.WeightsFile)
		if err != nil {
			return nil, err
		}
		opt.Weights = &w
	}
	if o.RunFile != "" {
		f, err := os.Create(o.RunFile)
		if err != nil {
			return nil, fmt.Errorf("create run file: %w", err)
		}
		defer f.Close()
		opt.Run = f
	}
	if o.RerankRunFile != "" {
		f, err := os.Create(o.RerankRunFile)
		if err != nil {
			return nil, fmt.Errorf("create rerank run file: %w", err)
		}
		defer f.Close()
		opt.RerankRun = f
	}
	return matcheval.Run(ctx, dir, opt)
}
