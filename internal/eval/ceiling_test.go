package eval

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/techmatch/techmatch/internal/eval/metrics"
	"github.com/techmatch/techmatch/internal/eval/tune"
	"github.com/techmatch/techmatch/matcher"
)

// TestCandidateCeiling measures where full-catalogue recall is lost on the
// bdci-match dev suite: in the index's candidate list (recall of its
// order at 100 and at the candidate count, the ceiling of any scorer), or
// in the scorer's top 100. It checks that the scorer's top 100 holds more
// of the relevant records than the index's own first 100. Issue 12
// measured (800 candidates): index order at 100 0.2884, at 800 0.5387;
// scorer's top 100 0.3669. With the demand title's bigrams added as
// bigram sub-field terms (commit 4f33f27, reverted: the candidate search
// took about 18% longer) the index order reached 0.3147 / 0.5606 but the
// scorer's top 100 only 0.3707. The candidates reach half the relevant
// records; the scorer's top 100 holds a third, so the scorer bounds
// recall@100.
func TestCandidateCeiling(t *testing.T) {
	if _, err := os.Stat(filepath.Join(devSuite, "suite.json")); err != nil {
		t.Skipf("shared dev suite absent (%v): skipping", err)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	ctx := context.Background()
	e, err := LoadMatch(ctx, devSuite, MatchOptions{BuildOptions: BuildOptions{TempDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	fq, err := e.FullData(ctx, matcher.DefaultCandidates)
	if err != nil {
		t.Fatal(err)
	}
	indexAt := func(k int) float64 {
		var s float64
		for _, f := range fq {
			s += metrics.Recall(f.IDs, f.Rel, k)
		}
		return s / float64(len(fq))
	}
	idx100, idxAll := indexAt(100), indexAt(matcher.DefaultCandidates)
	scored := tune.Recall(fq, matcher.DefaultWeights(), 100)
	t.Logf("recall of the index order @100 %.4f, @%d %.4f (the ceiling); scorer's top 100 %.4f",
		idx100, matcher.DefaultCandidates, idxAll, scored)
	if scored <= idx100 {
		t.Errorf("the scorer's top 100 (recall %.4f) holds no more relevant records than the index's first 100 (%.4f)", scored, idx100)
	}
}
