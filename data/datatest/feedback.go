package datatest

import (
	"context"

	"github.com/techmatch/techmatch/data"
)

var _ data.FeedbackStore = (*Feedback)(nil)

// Feedback is an in-memory data.FeedbackStore over a Store's clock.
type Feedback struct {
	Store *Store
	recs  map[string]data.Feedback
}

// PutFeedback validates and stores a verdict, replacing the same token's
// earlier one on the pair.
func (f *Feedback) PutFeedback(ctx context.Context, fb *data.Feedback) error {
	fb.Normalize()
	if err := fb.Validate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f.Store.mu.Lock()
	defer f.Store.mu.Unlock()
	fb.At = f.Store.now()
	fb.Source = ""
	if f.recs == nil {
		f.recs = map[string]data.Feedback{}
	}
	f.recs[fb.Key()] = *fb
	return nil
}

// ListFeedback returns the verdicts filter selects, oldest first.
func (f *Feedback) ListFeedback(ctx context.Context, filter data.FeedbackFilter) ([]data.Feedback, error) {
	f.Store.mu.Lock()
	defer f.Store.mu.Unlock()
	out := []data.Feedback{}
	for _, fb := range f.recs {
		if filter.Match(&fb) {
			out = append(out, fb)
		}
	}
	data.SortFeedback(out)
	return out, nil
}
