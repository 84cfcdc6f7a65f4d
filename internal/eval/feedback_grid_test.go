package eval

import (
	"context"
	"os"
	"testing"
)

// TestFeedbackGrid prints the grid the feedback constants of package
// matcher were chosen on (dev bdci-match only). It runs only with
// TECHMATCH_FEEDBACK_GRID=1: it takes minutes.
func TestFeedbackGrid(t *testing.T) {
	if os.Getenv("TECHMATCH_FEEDBACK_GRID") == "" {
		t.Skip("set TECHMATCH_FEEDBACK_GRID=1 to print the feedback grid")
	}
	if _, err := os.Stat(devSuite); err != nil {
		t.Skipf("shared dev suite absent (%v): skipping", err)
	}
	ctx := context.Background()
	opt := MatchOptions{Feedback: DefaultFeedbackK}
	e, err := LoadMatch(ctx, devSuite, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Evaluate(ctx, opt); err != nil {
		t.Fatal(err)
	}
	for _, beta := range []float64{0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8} {
		for _, gamma := range []float64{0, 0.05, 0.1, 0.2, 0.3} {
			r, err := pairedFeedback(e.firstsRerank, DefaultFeedbackK, beta, gamma, 0, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			f, err := pairedFeedback(e.firstsFull, DefaultFeedbackK, beta, gamma, 100, nil, "")
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("beta %.2f gamma %.2f  rerank %.4f→%.4f (%+.4f)  full %.4f→%.4f (%+.4f) r100 %+.4f",
				beta, gamma, r.Without.NDCG10, r.With.NDCG10, r.DeltaNDCG, f.Without.NDCG10, f.With.NDCG10, f.DeltaNDCG, f.DeltaR100)
		}
	}
}
