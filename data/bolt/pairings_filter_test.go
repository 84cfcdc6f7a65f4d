package bolt_test

import (
	"context"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// TestListPairingsFilters: the raw pre-check on the id fields selects
// exactly what decoding every pairing and PairingFilter.Match select, also
// for ids that are prefixes of others and ids that need escaping in JSON.
func TestListPairingsFilters(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	pairs := []data.Pairing{
		{DemandID: "d1", AchievementID: "a1", BrokerID: "b1"},
		{DemandID: "d1", AchievementID: "a10", BrokerID: "b10"},
		{DemandID: "d10", AchievementID: "a1"},
		{DemandID: `d"<1>`, AchievementID: "a2", BrokerID: "b1"},
	}
	for i := range pairs {
		p := pairs[i]
		p.Source = data.SourceMatch
		if _, _, err := db.CreatePairing(ctx, &p, data.AuditEntry{Actor: data.Actor{TokenID: "tok"}}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.ListPairings(ctx, data.PairingFilter{})
	if err != nil || len(all) != len(pairs) {
		t.Fatalf("all: %d, %v", len(all), err)
	}
	for _, f := range []data.PairingFilter{
		{DemandID: "d1"}, {DemandID: "d10"}, {AchievementID: "a1"}, {BrokerID: "b1"}, {BrokerID: "b10"},
		{DemandID: `d"<1>`}, {DemandID: "d1", AchievementID: "a10"}, {DemandID: "d2"}, {BrokerID: "b1", DemandID: "d1"},
	} {
		want := 0
		for i := range all {
			if f.Match(&all[i]) {
				want++
			}
		}
		got, err := db.ListPairings(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != want {
			t.Errorf("%+v: %d pairings, want %d", f, len(got), want)
		}
		for i := range got {
			if !f.Match(&got[i]) {
				t.Errorf("%+v: returned %+v", f, got[i])
			}
		}
	}
}
