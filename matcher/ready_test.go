package matcher

import (
	"sync"
	"testing"
)

// An early match builds the model; the start-up warm-up that follows (or
// runs alongside) reuses it instead of building a second one.
func TestWarmBuildsOnce(t *testing.T) {
	m, _ := newTestMatcher(t)
	m.model.Store(nil)
	if m.Ready() {
		t.Fatal("ready without a model")
	}
	var wg sync.WaitGroup
	models := make([]*Model, 4)
	for i := range models {
		wg.Go(func() {
			if i%2 == 0 {
				if err := m.Warm(t.Context()); err != nil {
					t.Error(err)
				}
			}
			mdl, err := m.Model(t.Context())
			if err != nil {
				t.Error(err)
			}
			models[i] = mdl
		})
	}
	wg.Wait()
	for i, mdl := range models {
		if mdl != models[0] {
			t.Fatalf("caller %d got another model: the model was built more than once", i)
		}
	}
	if !m.Ready() || m.ModelBuilt().IsZero() {
		t.Fatal("not ready after warm-up")
	}
	if err := m.Warm(t.Context()); err != nil || m.model.Load() != models[0] {
		t.Fatal("Warm rebuilt a loaded model")
	}
}
