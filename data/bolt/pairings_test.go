package bolt_test

import (
	"context"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

func TestPairingLifecycle(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	ent := data.Party{Actor: data.Actor{TokenID: "tok-e", Role: data.RoleEnterprise}, Sides: []data.Side{data.SideDemand}}

	p, created, err := db.CreatePairing(ctx, &data.Pairing{DemandID: "d1", AchievementID: "a1", Source: data.SourceMatch},
		data.AuditEntry{Actor: ent.Actor})
	if err != nil || !created || p.ID == "" || p.Status != data.StatusRecommended {
		t.Fatalf("create: %+v %v %v", p, created, err)
	}
	// Making it again returns the open one.
	again, created, err := db.CreatePairing(ctx, &data.Pairing{DemandID: "d1", AchievementID: "a1", Source: data.SourceManual},
		data.AuditEntry{Actor: ent.Actor})
	if err != nil || created || again.ID != p.ID {
		t.Fatalf("again: %+v %v %v", again, created, err)
	}
	// A refused transition in UpdatePairing leaves the store as it was.
	_, err = db.UpdatePairing(ctx, p.ID, func(q *data.Pairing) ([]data.AuditEntry, error) {
		return nil, q.Apply(data.Transition{To: data.StatusSigned}, ent, now)
	})
	if data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("sign from recommended: %v", err)
	}
	_, err = db.UpdatePairing(ctx, p.ID, func(q *data.Pairing) ([]data.AuditEntry, error) {
		return []data.AuditEntry{{Actor: ent.Actor, Action: data.AuditPairingTransfer}}, q.Apply(data.Transition{To: data.StatusRequested, ExpiresInDays: 2}, ent, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.ExpirePairings(ctx, now.Add(47*time.Hour)); err != nil || n != 0 {
		t.Fatalf("expired early: %d %v", n, err)
	}
	if n, err := db.ExpirePairings(ctx, now.Add(48*time.Hour)); err != nil || n != 1 {
		t.Fatalf("expire: %d %v", n, err)
	}
	got, _ := db.Pairing(ctx, p.ID)
	if got.Status != data.StatusExpired {
		t.Fatalf("status %s", got.Status)
	}
	// The pair is free again: a new pairing is made.
	fresh, created, err := db.CreatePairing(ctx, &data.Pairing{DemandID: "d1", AchievementID: "a1", Source: data.SourceMatch},
		data.AuditEntry{Actor: ent.Actor})
	if err != nil || !created || fresh.ID == p.ID {
		t.Fatalf("fresh: %+v %v %v", fresh, created, err)
	}
	// Reopening the expired one now conflicts with the open one.
	_, err = db.UpdatePairing(ctx, p.ID, func(q *data.Pairing) ([]data.AuditEntry, error) {
		return nil, q.Apply(data.Transition{To: data.StatusRecommended}, data.Party{Admin: true}, now)
	})
	if data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("reopen over an open pairing: %v", err)
	}

	entries, err := db.Audit(ctx, data.AuditQuery{Object: "pairings/"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	// Newest first: create (fresh), expiry, request, create.
	want := []string{data.AuditPairingCreate, data.AuditPairingTransfer, data.AuditPairingTransfer, data.AuditPairingCreate}
	if len(actions) != len(want) {
		t.Fatalf("audit %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("audit %v, want %v", actions, want)
		}
	}
	if entries[1].Actor != data.SystemActor {
		t.Fatalf("expiry audited as %+v", entries[1].Actor)
	}

	// Pairings are in the change sequence.
	var kinds []data.Kind
	db.ChangesSince(ctx, 0, func(c data.Change) error { kinds = append(kinds, c.Kind); return nil })
	if len(kinds) != 2 || kinds[0] != data.KindPairing {
		t.Fatalf("changes %v", kinds)
	}
}

func TestBrokers(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	by := data.Actor{TokenID: "tok-a", Role: data.RoleAdmin}
	b := &data.Broker{Name: "张敏", Level: "中级", Regions: []data.Region{{Province: "吉林省", City: "长春市"}}, Active: true}
	created, err := db.PutBroker(ctx, b, by)
	if err != nil || !created || b.ID == "" {
		t.Fatalf("%v %v %+v", created, err, b)
	}
	b.Level = "高级"
	if created, err := db.PutBroker(ctx, b, by); err != nil || created {
		t.Fatalf("update: %v %v", created, err)
	}
	if _, err := db.PutBroker(ctx, &data.Broker{Name: "", Level: "特级"}, by); data.ErrorCode(err) != data.EINVALID || len(data.ErrorFields(err)) != 2 {
		t.Fatalf("invalid broker: %v", err)
	}
	list, _ := db.ListBrokers(ctx)
	if len(list) != 1 || list[0].Level != "高级" {
		t.Fatalf("list %+v", list)
	}
	entries, _ := db.Audit(ctx, data.AuditQuery{Object: "brokers/" + b.ID})
	if len(entries) != 2 || entries[0].Action != data.AuditBrokerUpdate || entries[1].Action != data.AuditBrokerCreate {
		t.Fatalf("audit %+v", entries)
	}
}

func TestChallengeStore(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	by := data.Actor{TokenID: "tok-o", Role: data.RoleOrganiser}
	l := &data.ChallengeList{Title: "榜单", Kind: "enterprise", OpensOn: "2026-03-01", ClosesOn: "2026-04-30"}
	if created, err := db.PutChallengeList(ctx, l, by); err != nil || !created || l.Status != data.ListDraft {
		t.Fatalf("%v %v %+v", created, err, l)
	}
	if err := db.PutChallenge(ctx, &data.Challenge{ListID: "nope", DemandID: "d1"}, by); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("challenge on a missing list: %v", err)
	}
	if err := db.PutChallenge(ctx, &data.Challenge{ListID: l.ID, DemandID: "d1"}, by); err != nil {
		t.Fatal(err)
	}
	if err := db.PutChallenge(ctx, &data.Challenge{ListID: l.ID, DemandID: "d1"}, by); data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("demand twice: %v", err)
	}
	// A refused status change leaves the list as it was.
	if _, err := db.UpdateChallengeList(ctx, l.ID, by, func(x *data.ChallengeList) error { return x.SetStatus(data.ListClosed) }); data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("close a draft: %v", err)
	}
	got, _ := db.ChallengeList(ctx, l.ID)
	if got.Status != data.ListDraft {
		t.Fatalf("status %s", got.Status)
	}
	chs, _ := db.Challenges(ctx, l.ID)
	if len(chs) != 1 {
		t.Fatalf("challenges %+v", chs)
	}
}
