package matcher

// The signal vector in the order of Signals, exported for the offline
// learner (internal/eval/tune), which fits weights outside the runtime
// matcher from signal values computed by PairSignals.

// NumSignals is the number of signals, len(Signals).
const NumSignals = numSignals

// Vector holds one value per signal, in the order of Signals: a pair's
// signal values or the signals' weights.
type Vector = [numSignals]float64

// SignalIndex is the position of the named signal in Signals, or -1.
func SignalIndex(name string) int { return signalIndex(name) }

// Vector returns the weights in signal order.
func (w Weights) Vector() Vector { return w.vector() }

// WithVector returns a copy of w with the signal weights of v (rounded to
// four decimals; zero weights left out).
func (w Weights) WithVector(v Vector) Weights { return w.withVector(v) }

// Combine is a pair's score from its signal values v under weights w, as
// the matcher ranks with it.
func Combine(w, v *Vector) float64 { return combine(w, v) }

// TuneReport records how weights were fitted (by internal/eval/tune); it is
// kept in the weights file beside the weights.
type TuneReport struct {
	Suite   string   `json:"suite"`
	Queries int      `json:"queries"`
	Pairs   int      `json:"pairs"`
	Free    []string `json:"free"`
	Anchor  string   `json:"anchor"`
	// Before and After are the rerank nDCG@10 over all demands with the
	// starting and the fitted weights (After is optimistic: fitted on
	// them); the Recall figures the full-mode recall@100.
	Before       float64 `json:"ndcg@10_before"`
	After        float64 `json:"ndcg@10_after"`
	RecallBefore float64 `json:"recall@100_before,omitempty"`
	RecallAfter  float64 `json:"recall@100_after,omitempty"`
	// CV are the held-out figures: each fold's demands scored with weights
	// fitted on the other folds.
	CV *CVReport `json:"cv,omitempty"`
}

// CVReport is the outcome of cross-validation.
type CVReport struct {
	Folds int `json:"folds"`
	// Before is the held-out mean rerank nDCG@10 of the starting weights,
	// After of the weights fitted without the fold.
	Before       float64   `json:"ndcg@10_before"`
	After        float64   `json:"ndcg@10_after"`
	RecallBefore float64   `json:"recall@100_before,omitempty"`
	RecallAfter  float64   `json:"recall@100_after,omitempty"`
	FoldBefore   []float64 `json:"fold_before"`
	FoldAfter    []float64 `json:"fold_after"`
}
