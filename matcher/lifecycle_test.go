package matcher

import (
	"context"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

// TestBackgroundRefreshOwned checks that the model is rebuilt in the
// background only between Open and Close, and that Close waits for it.
func TestBackgroundRefreshOwned(t *testing.T) {
	m, store := newTestMatcher(t)
	m.RefreshEvery = time.Nanosecond
	ctx := context.Background()
	first, err := m.Model(ctx)
	if err != nil {
		t.Fatal(err)
	}
	change := func(id string) {
		t.Helper()
		a, err := store.Achievement(ctx, "a-separator")
		if err != nil {
			t.Fatal(err)
		}
		a.ID = id
		if _, err := store.PutAchievements(ctx, []data.Achievement{*a}); err != nil {
			t.Fatal(err)
		}
		m.lastCheck.Store(0) // let the next Model ask the store at once
	}

	change("a-before-open")
	if _, err := m.Model(ctx); err != nil {
		t.Fatal(err)
	}
	if m.building.Load() {
		t.Fatal("a rebuild started before Open")
	}

	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Open(ctx); err == nil {
		t.Error("second Open: no error")
	}
	if _, err := m.Model(ctx); err != nil {
		t.Fatal(err)
	}
	// The rebuild runs in the background: wait for the new model.
	deadline := time.Now().Add(time.Minute)
	for m.model.Load() == first && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if m.model.Load() == first {
		t.Fatal("no background rebuild after Open")
	}

	change("a-at-close")
	if _, err := m.Model(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if m.building.Load() {
		t.Error("Close returned while a rebuild was running")
	}

	change("a-after-close")
	if _, err := m.Model(ctx); err != nil {
		t.Fatal(err)
	}
	if m.building.Load() {
		t.Error("a rebuild started after Close")
	}
	// The matcher still answers after Close.
	if _, err := m.MatchDemand(ctx, "d-separator", Options{Limit: 1}); err != nil {
		t.Errorf("MatchDemand after Close: %v", err)
	}
}
