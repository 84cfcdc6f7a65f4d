package main

import (
	"context"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
)

// TestCatchUpOwned checks serve's background catch-up: left to run it
// brings the index up to the store and builds the matcher's model; Close
// waits for it, also when it stops it early.
func TestCatchUpOwned(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := openStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	achs := []data.Achievement{
		{ID: "a1", Title: "玉米秸秆粉碎还田机", Abstract: "秸秆粉碎后深翻还田。"},
		{ID: "a2", Title: "锂电池正极材料包覆工艺", Abstract: "提高循环寿命。"},
	}
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		t.Fatal(err)
	}
	counts, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, stopEarly := range []bool{false, true} {
		ix, err := index.Open(ctx, t.TempDir(), db, index.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := newMatcher(db, ix, "", "")
		if err != nil {
			t.Fatal(err)
		}
		cu := openCatchUp(ctx, ix, m, nil)
		if !stopEarly {
			<-cu.done
			if ix.Seq() != counts.Seq {
				t.Errorf("index at %d after the catch-up, store at %d", ix.Seq(), counts.Seq)
			}
		}
		cu.Close()
		select {
		case <-cu.done:
		default:
			t.Errorf("stopEarly=%v: Close returned before the catch-up ended", stopEarly)
		}
		if err := ix.Close(); err != nil {
			t.Error(err)
		}
	}
}

// TestCatchUpKeepsModel checks that serve's catch-up uses the model a match
// request already built instead of building it again, and that the next
// start loads the saved model instead of building it.
func TestCatchUpKeepsModel(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := openStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	achs := []data.Achievement{
		{ID: "a1", Title: "玉米秸秆粉碎还田机", Abstract: "秸秆粉碎后深翻还田。"},
		{ID: "a2", Title: "锂电池正极材料包覆工艺", Abstract: "提高循环寿命。"},
	}
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(ctx, indexPath(dir), db, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	m, err := newMatcher(db, ix, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	early, err := m.Model(ctx) // a match request before the catch-up
	if err != nil {
		t.Fatal(err)
	}
	cu := openCatchUp(ctx, ix, m, nil)
	<-cu.done
	cu.Close()
	if got, _ := m.Model(ctx); got != early {
		t.Errorf("the catch-up built the model again (built %v, first %v)", got.Built, early.Built)
	}

	key, err := index.AnalysisIDAt(indexPath(dir), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if key != ix.AnalysisID() {
		t.Errorf("AnalysisIDAt %q, the open index says %q", key, ix.AnalysisID())
	}
	saved := matcher.LoadModel(ctx, matcher.FileModelStore{Path: modelPath(dir)}, key, nil)
	if saved == nil || !saved.Built.Equal(early.Built) || saved.Seq != early.Seq {
		t.Fatalf("next start would not load the saved model: %v", saved)
	}
}
