package bolt_test

import (
	"context"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// Every write counts up the version; a write naming an older version is a
// conflict and changes nothing.
func TestEventVersion(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	e := &data.Event{Type: data.EventRoadshow, Title: "路演"}
	if err := db.PutEvent(ctx, e); err != nil || e.Version != 1 {
		t.Fatalf("create: version %d, %v", e.Version, err)
	}
	first := *e
	e.Title = "路演（改）"
	if err := db.PutEvent(ctx, e); err != nil || e.Version != 2 {
		t.Fatalf("update: version %d, %v", e.Version, err)
	}
	stale := first
	stale.Title = "旧标题"
	if err := db.PutEvent(ctx, &stale); data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("stale write: %v, want a conflict", err)
	}
	got, err := db.Event(ctx, e.ID)
	if err != nil || got.Title != "路演（改）" || got.Version != 2 {
		t.Fatalf("after the stale write: %+v, %v", got, err)
	}
	unchecked := *got
	unchecked.Version = 0
	if err := db.PutEvent(ctx, &unchecked); err != nil || unchecked.Version != 3 {
		t.Fatalf("unchecked write: version %d, %v", unchecked.Version, err)
	}
}

func TestDeleteEvent(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	e := &data.Event{Type: data.EventSalon, Title: "沙龙"}
	if err := db.PutEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	r := &data.Registration{EventID: e.ID, Kind: data.RegScientist, Name: "张三", AchievementIDs: []string{"a1"}}
	if err := db.PutRegistration(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteEvent(ctx, e.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Event(ctx, e.ID); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("event after delete: %v", err)
	}
	if _, err := db.Registrations(ctx, e.ID); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("registrations after delete: %v", err)
	}
	if err := db.DeleteEvent(ctx, e.ID); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("second delete: %v", err)
	}
}
