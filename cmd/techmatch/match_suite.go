package main

import (
	"context"
	"fmt"
	"os"

	"github.com/techmatch/techmatch/internal/eval"
	"github.com/techmatch/techmatch/matcher"
)

type matchSuiteOptions struct {
	RunFile, RerankRunFile, WeightsFile string
	Feedback                            int
}

// runMatchSuite evaluates a match suite in both modes (full and rerank).
func runMatchSuite(ctx context.Context, dir string, build eval.BuildOptions, o matchSuiteOptions) (*eval.MatchResult, error) {
	opt := eval.MatchOptions{BuildOptions: build, RunTag: "techmatch", Feedback: o.Feedback}
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
	return eval.RunMatch(ctx, dir, opt)
}
