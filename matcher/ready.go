package matcher

import (
	"context"
	"time"
)

// Ready reports whether a model is loaded, so that a match answers without
// building one first.
func (m *Matcher) Ready() bool { return m.model.Load() != nil }

// ModelBuilt is when the model in use was built (zero when there is none).
func (m *Matcher) ModelBuilt() time.Time {
	if mdl := m.model.Load(); mdl != nil {
		return mdl.Built
	}
	return time.Time{}
}

// Warm builds the model unless one is loaded. It shares Model's lock, so a
// match that arrived first and is building the model is waited for rather
// than repeated: the model is built once.
func (m *Matcher) Warm(ctx context.Context) error {
	_, err := m.Model(ctx)
	return err
}
