package bolt_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// An event that pairings came from is kept: the store refuses to delete
// it, whoever calls (the API, the workbench, the event command). An event
// whose id only begins like it is not held back.
func TestDeleteEventWithPairings(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	for _, id := range []string{"e1", "e10"} {
		if err := db.PutEvent(ctx, &data.Event{ID: id, Type: data.EventRoadshow, Title: "路演 " + id}); err != nil {
			t.Fatal(err)
		}
	}
	p := &data.Pairing{DemandID: "d1", AchievementID: "a1", Source: data.SourceRoadshow, EventID: "e1"}
	if _, _, err := db.CreatePairing(ctx, p, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteEvent(ctx, "e1"); data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("delete an event with a pairing: %v, want ECONFLICT", err)
	}
	if _, err := db.Event(ctx, "e1"); err != nil {
		t.Fatalf("the event is gone after a refused delete: %v", err)
	}
	if err := db.DeleteEvent(ctx, "e10"); err != nil {
		t.Fatalf("delete an event without pairings: %v", err)
	}
	// A pairing from an event that is gone is refused.
	q := &data.Pairing{DemandID: "d2", AchievementID: "a2", Source: data.SourceRoadshow, EventID: "e10"}
	if _, _, err := db.CreatePairing(ctx, q, data.AuditEntry{}); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("pairing from a deleted event: %v, want ENOTFOUND", err)
	}
}

// A pairing created while its event is deleted: whichever write comes
// first wins, and never both — no pairing ever names a deleted event.
func TestDeleteEventRacesPairing(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	deleted, paired := 0, 0
	for i := range 40 {
		id := fmt.Sprintf("race-%d", i)
		if err := db.PutEvent(ctx, &data.Event{ID: id, Type: data.EventSalon, Title: "沙龙"}); err != nil {
			t.Fatal(err)
		}
		var delErr, pairErr error
		var wg sync.WaitGroup
		wg.Go(func() { delErr = db.DeleteEvent(ctx, id) })
		wg.Go(func() {
			p := &data.Pairing{DemandID: "d" + id, AchievementID: "a1", Source: data.SourceSalon, EventID: id}
			_, _, pairErr = db.CreatePairing(ctx, p, data.AuditEntry{})
		})
		wg.Wait()
		if (delErr == nil) == (pairErr == nil) {
			t.Fatalf("%s: delete %v, pairing %v: exactly one should succeed", id, delErr, pairErr)
		}
		ps, err := db.ListPairings(ctx, data.PairingFilter{EventID: id})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Event(ctx, id); err != nil && len(ps) > 0 {
			t.Fatalf("%s: deleted, yet %d pairings name it", id, len(ps))
		}
		if delErr == nil {
			deleted++
		} else {
			paired++
		}
	}
	t.Logf("deleted first %d times, paired first %d times", deleted, paired)
}
