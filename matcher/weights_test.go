package matcher

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestDefaultWeights(t *testing.T) {
	w := DefaultWeights()
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	if w.Version == "" {
		t.Error("embedded weights have no version")
	}
	for _, s := range Signals {
		if _, ok := w.Signals[s.Name]; !ok && s.Name != SignalFeedback {
			t.Errorf("embedded weights leave out %s", s.Name)
		}
	}
	if w.feedback() != (w.FeedbackDocs > 0 && w.Signals[SignalFeedback] > 0) {
		t.Error("feedback()")
	}
}

func TestParseWeights(t *testing.T) {
	tests := []struct {
		name, json, errPart string
	}{
		{"ok", `{"version":"v","signals":{"text":1,"region":0.5}}`, ""},
		{"not json", `{`, "格式错误"},
		{"unknown signal", `{"signals":{"text":1,"colour":1}}`, "colour"},
		{"negative", `{"signals":{"text":-1}}`, "非负数"},
		{"all zero", `{"signals":{"text":0}}`, "都为零"},
		{"no signals", `{"version":"v"}`, "都为零"},
		{"feedback docs", `{"signals":{"text":1},"feedback_docs":1000}`, "feedback_docs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseWeights([]byte(tt.json))
			if tt.errPart == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if data.ErrorCode(err) != data.EINVALID || !strings.Contains(data.ErrorMessage(err), tt.errPart) {
				t.Errorf("err = %v, want invalid mentioning %q", err, tt.errPart)
			}
		})
	}
}

func TestLoadWeightsRoundTrip(t *testing.T) {
	w := DefaultWeights()
	w.Version = "test-1"
	w.Signals[SignalRegion] = 0.75
	b, err := w.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := LoadWeights(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != "test-1" || got.vector() != w.vector() {
		t.Errorf("round trip: %+v, want %+v", got, w)
	}
	if _, err := LoadWeights(filepath.Join(t.TempDir(), "missing.json")); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("missing file: %v", err)
	}
}

// TestWeightsChangeRanking checks that the matcher uses its weights: with
// the region alone, the nearest achievement wins.
func TestWeightsChangeRanking(t *testing.T) {
	m, _ := newTestMatcher(t)
	ctx := t.Context()
	m.Weights = Weights{Version: "region-only", Signals: map[string]float64{SignalRegion: 1, SignalText: 0.01}}
	rs, err := m.MatchDemand(ctx, "d-vision", Options{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 || rs[0].Achievement.Region.City != "长春市" {
		t.Errorf("region-only weights: %v", ids(rs))
	}
}
