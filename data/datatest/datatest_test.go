package datatest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

func changes(t *testing.T, s *Store, since uint64) []data.Change {
	t.Helper()
	var cs []data.Change
	if err := s.ChangesSince(context.Background(), since, func(c data.Change) error {
		cs = append(cs, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return cs
}

func isNotFound(err error) bool {
	var e *data.Error
	return errors.As(err, &e) && e.Code == data.ENOTFOUND
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	s := New()
	clock := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }

	res, err := s.PutAchievements(ctx, []data.Achievement{{ID: "a-x", Title: "节能电机"}, {Title: "光伏组件"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res, []data.PutResult{data.Created, data.Created}) {
		t.Errorf("first put: %v", res)
	}
	a, err := s.Achievement(ctx, "a-000001")
	if err != nil || a.Title != "光伏组件" {
		t.Fatalf("assigned id: %+v, %v", a, err)
	}
	created := a.Created
	if created.IsZero() || !a.Updated.Equal(created) {
		t.Errorf("times of a new record: %v %v", a.Created, a.Updated)
	}

	// Identical rewrite: Unchanged, nothing logged; a change: Updated.
	res, err = s.PutAchievements(ctx, []data.Achievement{{ID: "a-x", Title: "节能电机"}, {ID: "a-000001", Title: "钙钛矿光伏组件"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res, []data.PutResult{data.Unchanged, data.Updated}) {
		t.Errorf("second put: %v", res)
	}
	a, _ = s.Achievement(ctx, "a-000001")
	if !a.Created.Equal(created) || !a.Updated.After(created) {
		t.Errorf("times of an updated record: %v %v", a.Created, a.Updated)
	}

	// An invalid record stops the whole batch.
	if _, err := s.PutDemands(ctx, []data.Demand{{ID: "d-ok", Title: "需求"}, {ID: "d-bad"}}); err == nil {
		t.Error("invalid batch accepted")
	}
	if _, err := s.PutDemands(ctx, []data.Demand{{ID: "d-1", Title: "电机节能改造"}}); err != nil {
		t.Fatal(err)
	}

	got, _ := s.Achievements(ctx, []string{"a-x", "a-none"})
	if len(got) != 2 || got[0] == nil || got[0].ID != "a-x" || got[1] != nil {
		t.Errorf("Achievements: %v", got)
	}
	list, _ := s.ListAchievements(ctx, data.ListOptions{Offset: 1, Limit: 5})
	if len(list) != 1 || list[0].ID != "a-x" {
		t.Errorf("list from offset 1: %v", list)
	}
	if _, err := s.Demand(ctx, "d-none"); !isNotFound(err) {
		t.Errorf("missing demand: %v", err)
	}
	if err := s.DeleteDemand(ctx, "d-none"); !isNotFound(err) {
		t.Errorf("deleting a missing demand: %v", err)
	}
	if err := s.DeleteAchievement(ctx, "a-x"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Achievement(ctx, "a-x"); !isNotFound(err) {
		t.Errorf("deleted achievement: %v", err)
	}

	// Writes: a-x, a-000001, a-000001 again, d-1, delete a-x → seq 5; the
	// log keeps only each record's latest change.
	c, _ := s.Counts(ctx)
	if c != (data.Counts{Achievements: 1, Demands: 1, Seq: 5}) {
		t.Errorf("counts: %+v", c)
	}
	want := []data.Change{
		{Seq: 3, Kind: data.KindAchievement, ID: "a-000001", Op: data.OpPut},
		{Seq: 4, Kind: data.KindDemand, ID: "d-1", Op: data.OpPut},
		{Seq: 5, Kind: data.KindAchievement, ID: "a-x", Op: data.OpDelete},
	}
	if cs := changes(t, s, 0); !slices.Equal(cs, want) {
		t.Errorf("changes since 0:\n got %v\nwant %v", cs, want)
	}
	if cs := changes(t, s, 4); !slices.Equal(cs, want[2:]) {
		t.Errorf("changes since 4: %v", cs)
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	s := New()
	secret, tok, err := s.CreateToken(ctx, data.TokenSpec{Role: data.RoleBroker, Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.TokenBySecret(ctx, secret); err != nil || got.ID != tok.ID || got.Role != data.RoleBroker {
		t.Errorf("TokenBySecret: %+v, %v", got, err)
	}
	if _, err := s.TokenBySecret(ctx, "tm_wrong"); err == nil {
		t.Error("unknown secret accepted")
	}
	if _, _, err := s.CreateToken(ctx, data.TokenSpec{Role: "root"}); err == nil {
		t.Error("unknown role accepted")
	}
}
