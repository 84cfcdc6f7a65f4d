package matcher

import (
	"context"
	"fmt"
	"sync"

	"github.com/techmatch/techmatch/data"
)

// The model holds a profile of every achievement as of the store sequence
// it was built at, so candidates are scored without reading them from the
// store. Records written since are followed through the store's change
// log: the tracker marks them dirty, and their profiles are built afresh
// from the store (and kept in an overlay) until the next model.

const maxOverlay = 100000

type changeTracker struct {
	mu      sync.RWMutex
	mdl     *Model
	seq     uint64
	dirty   map[string]bool // achievements changed since the model
	overlay map[string]*profile
}

// sync applies the store's changes since the last call (or since the
// model was built) and returns the tracker's state for mdl.
func (m *Matcher) syncChanges(ctx context.Context, mdl *Model) error {
	t := &m.tracker
	t.mu.Lock()
	if t.mdl != mdl {
		t.mdl, t.seq = mdl, mdl.Seq
		t.dirty, t.overlay = map[string]bool{}, map[string]*profile{}
	}
	seq := t.seq
	t.mu.Unlock()

	c, err := m.Store.Counts(ctx)
	if err != nil {
		return fmt.Errorf("count records: %w", err)
	}
	if c.Seq <= seq {
		return nil
	}
	var changed []string
	top := c.Seq
	err = m.Store.ChangesSince(ctx, seq, func(ch data.Change) error {
		if ch.Kind == data.KindAchievement {
			changed = append(changed, ch.ID)
		}
		top = max(top, ch.Seq)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read changes: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.mdl != mdl || t.seq >= top {
		return nil
	}
	for _, id := range changed {
		t.dirty[id] = true
		delete(t.overlay, id)
	}
	t.seq = top
	return nil
}

// profiles returns the profiles of the achievements with these ids, in
// order, nil for any that no longer exist.
func (m *Matcher) profiles(ctx context.Context, mdl *Model, ids []string) ([]*profile, error) {
	if err := m.syncChanges(ctx, mdl); err != nil {
		return nil, err
	}
	t := &m.tracker
	out := make([]*profile, len(ids))
	var missing []string
	var at []int
	t.mu.RLock()
	for i, id := range ids {
		var p *profile
		if t.dirty[id] {
			p = t.overlay[id]
		} else {
			p = mdl.profile(id)
		}
		if p == nil {
			missing = append(missing, id)
			at = append(at, i)
		}
		out[i] = p
	}
	t.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	recs, err := m.Store.Achievements(ctx, missing)
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	built := make([]*profile, len(recs))
	for i, a := range recs {
		if a != nil {
			built[i] = achievementProfile(m.Analyzer, a, nil)
			out[at[i]] = built[i]
		}
	}
	t.mu.Lock()
	if t.mdl == mdl {
		if len(t.overlay)+len(missing) > maxOverlay {
			t.overlay = map[string]*profile{}
		}
		for i, id := range missing {
			if built[i] != nil {
				t.dirty[id] = true
				t.overlay[id] = built[i]
			}
		}
	}
	t.mu.Unlock()
	return out, nil
}
