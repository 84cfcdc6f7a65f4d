package eval

import (
	"context"
	"math/rand"
	"os"
	"testing"

	"github.com/techmatch/techmatch/internal/eval/metrics"
)

// feedbackGrid is the grid the feedback constants of package matcher are
// chosen on.
var (
	feedbackBetas  = []float64{0, 0.02, 0.05, 0.1, 0.2, 0.4}
	feedbackGammas = []float64{0, 0.02, 0.05, 0.1}
)

// residualNDCG returns each query's residual nDCG@10 with feedback (cut
// to limit when above 0); queries without a relevant record left are NaN-free
// skipped by returning ok false.
func residualNDCG(firsts []firstRanking, k int, beta, gamma float64, limit int) []float64 {
	out := make([]float64, len(firsts))
	for i := range firsts {
		_, with, _, rel, _, _ := residual(&firsts[i], k, beta, gamma)
		if metrics.Relevant(rel) == 0 {
			out[i] = -1
			continue
		}
		if limit > 0 {
			with = with[:min(limit, len(with))]
		}
		out[i] = metrics.NDCG(with, rel, 10)
	}
	return out
}

// meanOver is the mean of v over the queries in idx that have a relevant
// record left.
func meanOver(v []float64, idx []int) float64 {
	s, n := 0.0, 0
	for _, i := range idx {
		if v[i] >= 0 {
			s += v[i]
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}

// TestFeedbackGrid prints the grid the feedback constants of package
// matcher were chosen on (dev bdci-match only) and a 5-fold
// cross-validation over demands: the constants are picked on four fifths
// (by the sum of the rerank and full residual nDCG@10) and scored on the
// fifth left out. It runs only with TECHMATCH_FEEDBACK_GRID=1: it takes
// minutes.
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
	type point struct{ beta, gamma float64 }
	var grid []point
	rr, ff := map[point][]float64{}, map[point][]float64{}
	for _, beta := range feedbackBetas {
		for _, gamma := range feedbackGammas {
			p := point{beta, gamma}
			grid = append(grid, p)
			rr[p] = residualNDCG(e.firstsRerank, DefaultFeedbackK, beta, gamma, 0)
			ff[p] = residualNDCG(e.firstsFull, DefaultFeedbackK, beta, gamma, 100)
		}
	}
	all := make([]int, len(e.firstsRerank))
	for i := range all {
		all[i] = i
	}
	base := point{0, 0}
	for _, p := range grid {
		t.Logf("beta %.2f gamma %.2f  rerank %.4f (%+.4f)  full %.4f (%+.4f)", p.beta, p.gamma,
			meanOver(rr[p], all), meanOver(rr[p], all)-meanOver(rr[base], all),
			meanOver(ff[p], all), meanOver(ff[p], all)-meanOver(ff[base], all))
	}
	// 5-fold cross-validation; the folds are the same queries in both
	// settings (the rankings are in suite order).
	const folds = 5
	perm := rand.New(rand.NewSource(20261202)).Perm(len(all))
	heldR, heldF, baseR, baseF := make([]float64, len(all)), make([]float64, len(all)), rr[base], ff[base]
	for k := 0; k < folds; k++ {
		var train, test []int
		for j, i := range perm {
			if j%folds == k {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		best, bestV := base, meanOver(rr[base], train)+meanOver(ff[base], train)
		for _, p := range grid {
			if v := meanOver(rr[p], train) + meanOver(ff[p], train); v > bestV+1e-9 {
				best, bestV = p, v
			}
		}
		for _, i := range test {
			heldR[i], heldF[i] = rr[best][i], ff[best][i]
		}
		t.Logf("fold %d: beta %.2f gamma %.2f", k, best.beta, best.gamma)
	}
	t.Logf("5-fold CV residual nDCG@10: rerank %.4f → %.4f (%+.4f), full %.4f → %.4f (%+.4f)",
		meanOver(baseR, all), meanOver(heldR, all), meanOver(heldR, all)-meanOver(baseR, all),
		meanOver(baseF, all), meanOver(heldF, all), meanOver(heldF, all)-meanOver(baseF, all))
}
