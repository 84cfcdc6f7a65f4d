package tune

import (
	"errors"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

func TestFitGuarded(t *testing.T) {
	qs := synthetic(60, 30, 11)
	good := matcher.Weights{Version: "good", Signals: map[string]float64{matcher.SignalText: 1, matcher.SignalChars: 2}}
	bad := matcher.Weights{Version: "bad", Signals: map[string]float64{matcher.SignalText: 1, matcher.SignalChars: 0.1, matcher.SignalTitle: 3}}
	tests := []struct {
		name    string
		current matcher.Weights
		opt     Options
		fit     fitFunc
		refused bool
	}{
		// From noise-heavy weights the learner finds chars: better on
		// the fifth kept aside, accepted.
		{"better weights accepted", bad, Options{Folds: 1}, Fit, false},
		// A learner that lands on noise-heavy weights is worse than the
		// current weights on the fifth kept aside: refused.
		{"worse weights refused", good, Options{Folds: 1}, func([]Query, matcher.Weights, Options) (matcher.Weights, *matcher.TuneReport, error) {
			return bad, &matcher.TuneReport{}, nil
		}, true},
		// Equal weights are not worse: accepted.
		{"equal weights accepted", good, Options{Folds: 1}, func([]Query, matcher.Weights, Options) (matcher.Weights, *matcher.TuneReport, error) {
			return good, &matcher.TuneReport{}, nil
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := fitGuarded(qs, tt.current, tt.opt, 42, tt.fit)
			if g == nil {
				t.Fatalf("no outcome: %v", err)
			}
			if len(g.Held) != 12 {
				t.Errorf("%d demands kept aside, want a fifth of 60", len(g.Held))
			}
			if tt.refused {
				var de *data.Error
				if !errors.As(err, &de) || de.Code != data.EPRECONDITION || g.After >= g.Before {
					t.Fatalf("worse weights not refused: err %v, held %.4f → %.4f", err, g.Before, g.After)
				}
				return
			}
			if err != nil || g.After < g.Before {
				t.Fatalf("better weights refused: err %v, held %.4f → %.4f", err, g.Before, g.After)
			}
		})
	}
	if _, err := FitGuarded(qs[:4], good, Options{}, 1); err == nil {
		t.Error("four demands: no error")
	}
	a, _ := FitGuarded(qs, bad, Options{Folds: 1}, 7)
	b, _ := FitGuarded(qs, bad, Options{Folds: 1}, 7)
	if a == nil || b == nil || len(a.Held) != len(b.Held) || a.Held[0] != b.Held[0] {
		t.Error("the same seed keeps different demands aside")
	}
}
