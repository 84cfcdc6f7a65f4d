package matcher

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// Weights say how much each signal counts. A pair's score is the weighted
// mean of its signals, so it lies in [0,1] whatever the weights' scale.
// The defaults are embedded from weights.json, which `techmatch tune` writes
// from a development suite; a file of the same form overrides them.
type Weights struct {
	// Version names the weights, e.g. "2025-06-bdci-dev-ca1"; it is shown by
	// the service and recorded in evaluation output.
	Version string `json:"version"`
	// Note says where the weights come from.
	Note string `json:"note,omitempty"`
	// Signals maps signal names to non-negative weights; signals left out
	// weigh nothing.
	Signals map[string]float64 `json:"signals"`
	// FeedbackDocs is how many of a demand's best candidates feed the
	// feedback signal; 0 turns pseudo-relevance feedback off.
	FeedbackDocs int `json:"feedback_docs"`
	// NoDemandWeighting turns off the demand-specific weighting of query
	// terms (terms most demands use count less); for ablations.
	NoDemandWeighting bool `json:"no_demand_weighting,omitempty"`
	// CandidateTerms is how many of a demand's most informative words make
	// the candidate query (more-like-this).
	CandidateTerms int `json:"candidate_terms,omitempty"`
	// Tuning records how the weights were fitted, for the record.
	Tuning *TuneReport `json:"tuning,omitempty"`
	// Levels are the thresholds of the match levels 高/中/低 with their
	// calibration (see CalibrateLevels).
	Levels *Levels `json:"levels,omitempty"`
}

//go:embed weights.json
var defaultWeightsJSON []byte

// DefaultWeights returns the embedded weights.
func DefaultWeights() Weights {
	w, err := ParseWeights(defaultWeightsJSON)
	if err != nil {
		panic("matcher: embedded weights.json: " + err.Error())
	}
	return w
}

// LoadWeights reads weights from a JSON file.
func LoadWeights(path string) (Weights, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Weights{}, data.Errorf(data.EINVALID, "无法读取权重文件 %s：%v", path, err)
	}
	return ParseWeights(b)
}

// ParseWeights decodes and checks weights.
func ParseWeights(b []byte) (Weights, error) {
	var w Weights
	if err := json.Unmarshal(b, &w); err != nil {
		return Weights{}, data.Errorf(data.EINVALID, "权重文件格式错误：%v", err)
	}
	if err := w.Validate(); err != nil {
		return Weights{}, err
	}
	return w, nil
}

// Validate checks that every signal named exists and every weight is a
// finite non-negative number, not all zero.
func (w Weights) Validate() error {
	var bad []string
	sum := 0.0
	for name, v := range w.Signals {
		if signalIndex(name) < 0 {
			bad = append(bad, fmt.Sprintf("未知的信号“%s”", name))
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			bad = append(bad, fmt.Sprintf("信号“%s”的权重 %v 无效：应为非负数", name, v))
			continue
		}
		sum += v
	}
	if len(bad) == 0 && sum == 0 {
		bad = append(bad, "所有信号的权重都为零")
	}
	if w.FeedbackDocs < 0 || w.FeedbackDocs > 100 {
		bad = append(bad, fmt.Sprintf("feedback_docs 为 %d，应在 0 到 100 之间", w.FeedbackDocs))
	}
	if w.CandidateTerms < 0 || w.CandidateTerms > 200 {
		bad = append(bad, fmt.Sprintf("candidate_terms 为 %d，应在 0 到 200 之间", w.CandidateTerms))
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return data.Errorf(data.EINVALID, "权重无效：%s", strings.Join(bad, "；"))
	}
	return nil
}

// vector returns the weights in signal order.
func (w Weights) vector() [numSignals]float64 {
	var v [numSignals]float64
	for name, x := range w.Signals {
		if i := signalIndex(name); i >= 0 {
			v[i] = x
		}
	}
	return v
}

// withVector returns a copy of w with the signal weights of v.
func (w Weights) withVector(v [numSignals]float64) Weights {
	w.Signals = map[string]float64{}
	for i, x := range v {
		if x > 0 {
			w.Signals[Signals[i].Name] = round4(x)
		}
	}
	return w
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// MarshalIndent renders weights as the JSON file LoadWeights reads.
func (w Weights) MarshalIndent() ([]byte, error) {
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
