package bolt_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
)

// MustOpenDB opens a store in a temporary directory and closes it when the
// test ends.
func MustOpenDB(tb testing.TB) *bolt.DB {
	tb.Helper()
	db, err := bolt.Open(context.Background(), filepath.Join(tb.TempDir(), "techmatch.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

func sampleAchievements() []data.Achievement {
	return []data.Achievement{
		{ID: "a1", Title: "高镍三元正极材料制备技术", Keywords: []string{"正极材料", "锂离子电池"}, Maturity: "中试",
			Inventors: []data.Inventor{{Name: "王明", Title: "教授", Contact: "13900000000"}}},
		{ID: "a2", Title: "玉米秸秆生物质颗粒燃料成型技术", Institution: "吉林农业大学"},
	}
}

func TestPutAndGet(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	res, err := db.PutAchievements(ctx, sampleAchievements())
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != data.Created || res[1] != data.Created {
		t.Fatalf("results = %v, want created twice", res)
	}
	a, err := db.Achievement(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "高镍三元正极材料制备技术" || a.Inventors[0].Contact != "13900000000" || a.Created.IsZero() {
		t.Fatalf("got %+v", a)
	}
	if _, err := db.Achievement(ctx, "nope"); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("missing record: code %q, want not_found", data.ErrorCode(err))
	}
	c, _ := db.Counts(ctx)
	if c.Achievements != 2 || c.Demands != 0 || c.Seq != 2 {
		t.Fatalf("counts = %+v", c)
	}
}

func TestUpsertIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if _, err := db.PutAchievements(ctx, sampleAchievements()); err != nil {
		t.Fatal(err)
	}
	before, _ := db.Counts(ctx)
	res, err := db.PutAchievements(ctx, sampleAchievements())
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r != data.Unchanged {
			t.Errorf("record %d: %v, want unchanged", i, r)
		}
	}
	after, _ := db.Counts(ctx)
	if after != before {
		t.Fatalf("re-put changed counts: %+v → %+v", before, after)
	}
	recs := sampleAchievements()
	recs[1].Abstract = "新增简介"
	res, err = db.PutAchievements(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != data.Unchanged || res[1] != data.Updated {
		t.Fatalf("results = %v, want [unchanged updated]", res)
	}
	if c, _ := db.Counts(ctx); c.Seq != before.Seq+1 || c.Achievements != 2 {
		t.Fatalf("counts after update = %+v", c)
	}
}

func TestBatchIsAtomic(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	recs := sampleAchievements()
	recs = append(recs, data.Achievement{ID: "bad", Title: "", Maturity: "半成品"})
	_, err := db.PutAchievements(ctx, recs)
	if data.ErrorCode(err) != data.EINVALID {
		t.Fatalf("code = %q, want invalid", data.ErrorCode(err))
	}
	if fields := data.ErrorFields(err); len(fields) != 2 {
		t.Fatalf("fields = %v, want title and maturity", fields)
	}
	if c, _ := db.Counts(ctx); c.Achievements != 0 || c.Seq != 0 {
		t.Fatalf("a failed batch wrote something: %+v", c)
	}
	if list, _ := db.ListAchievements(ctx, data.ListOptions{}); len(list) != 0 {
		t.Fatalf("a failed batch wrote %d records", len(list))
	}
}

func TestAssignsIDs(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	// An imported record already holds the first id the store would pick.
	if _, err := db.PutDemands(ctx, []data.Demand{{ID: "d-000001", Title: "已有编号"}}); err != nil {
		t.Fatal(err)
	}
	recs := []data.Demand{{Title: "需求一"}, {Title: "需求二"}}
	if _, err := db.PutDemands(ctx, recs); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{"d-000001": true}
	for _, d := range recs {
		if d.ID == "" || seen[d.ID] {
			t.Fatalf("bad assigned id %q", d.ID)
		}
		seen[d.ID] = true
	}
}

func TestChangesSince(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	db.PutAchievements(ctx, sampleAchievements())
	db.PutDemands(ctx, []data.Demand{{ID: "d1", Title: "秸秆综合利用"}})
	recs := sampleAchievements()[:1]
	recs[0].Abstract = "改"
	db.PutAchievements(ctx, recs)
	if err := db.DeleteAchievement(ctx, "a2"); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAchievement(ctx, "a2"); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("second delete: %v", err)
	}
	var got []data.Change
	db.ChangesSince(ctx, 0, func(c data.Change) error { got = append(got, c); return nil })
	want := []data.Change{
		{Seq: 3, Kind: data.KindDemand, ID: "d1", Op: data.OpPut},
		{Seq: 4, Kind: data.KindAchievement, ID: "a1", Op: data.OpPut},
		{Seq: 5, Kind: data.KindAchievement, ID: "a2", Op: data.OpDelete},
	}
	if len(got) != len(want) {
		t.Fatalf("changes = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	var since4 []data.Change
	db.ChangesSince(ctx, 4, func(c data.Change) error { since4 = append(since4, c); return nil })
	if len(since4) != 1 || since4[0].Seq != 5 {
		t.Fatalf("since 4 = %+v", since4)
	}
	if c, _ := db.Counts(ctx); c.Achievements != 1 || c.Seq != 5 {
		t.Fatalf("counts = %+v", c)
	}
}

func TestListPages(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	var recs []data.Demand
	for _, id := range []string{"d3", "d1", "d2", "d5", "d4"} {
		recs = append(recs, data.Demand{ID: id, Title: "需求" + id})
	}
	db.PutDemands(ctx, recs)
	page, err := db.ListDemands(ctx, data.ListOptions{Offset: 1, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].ID != "d2" || page[1].ID != "d3" {
		t.Fatalf("page = %v", page)
	}
	many, _ := db.Demands(ctx, []string{"d4", "nope"})
	if many[0] == nil || many[0].ID != "d4" || many[1] != nil {
		t.Fatalf("Demands = %v", many)
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	secret, tok, err := db.CreateToken(ctx, data.TokenSpec{Role: data.RoleEnterprise, Name: "长春某公司"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.TokenBySecret(ctx, secret)
	if err != nil || got.ID != tok.ID || got.Role != data.RoleEnterprise {
		t.Fatalf("TokenBySecret = %+v, %v", got, err)
	}
	if _, err := db.TokenBySecret(ctx, secret+"x"); data.ErrorCode(err) != data.EUNAUTHORIZED {
		t.Fatalf("wrong secret: %v", err)
	}
	if _, _, err := db.CreateToken(ctx, data.TokenSpec{Role: "root"}); data.ErrorCode(err) != data.EINVALID {
		t.Fatalf("bad role: %v", err)
	}
	raw, _ := os.ReadFile(db.Path())
	if bytes.Contains(raw, []byte(secret)) {
		t.Fatal("the token secret is stored in clear")
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	db.PutAchievements(ctx, sampleAchievements())
	path := filepath.Join(t.TempDir(), "copy.db")
	f, _ := os.Create(path)
	if _, err := db.Backup(ctx, f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cp, err := bolt.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if c, _ := cp.Counts(ctx); c.Achievements != 2 {
		t.Fatalf("backup counts = %+v", c)
	}
}

func TestOpenLocked(t *testing.T) {
	db := MustOpenDB(t)
	if _, err := bolt.Open(context.Background(), db.Path()); data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("second open: %v, want conflict", err)
	}
}

func TestUnknownFieldsKept(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	var a data.Achievement
	if err := a.UnmarshalJSON([]byte(`{"id":"x1","title":"标题","source_url":"http://example.org/1"}`)); err != nil {
		t.Fatal(err)
	}
	db.PutAchievements(ctx, []data.Achievement{a})
	got, _ := db.Achievement(ctx, "x1")
	if string(got.Extra["source_url"]) != `"http://example.org/1"` {
		t.Fatalf("extra = %v", got.Extra)
	}
}

func TestEvents(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.PutEvent(ctx, &data.Event{Type: "party", Title: ""}); len(data.ErrorFields(err)) != 2 {
		t.Fatalf("bad event: %v", err)
	}
	e := &data.Event{Type: data.EventRoadshow, Title: "新材料专场路演", Slots: 12}
	if err := db.PutEvent(ctx, e); err != nil || e.ID == "" {
		t.Fatalf("put event: %v %+v", err, e)
	}
	if err := db.PutRegistration(ctx, &data.Registration{EventID: "nope", Kind: data.RegEnterprise, Name: "x", DemandIDs: []string{"d1"}}); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("registration for a missing event: %v", err)
	}
	for _, name := range []string{"甲公司", "乙公司"} {
		if err := db.PutRegistration(ctx, &data.Registration{EventID: e.ID, Kind: data.RegEnterprise, Name: name, DemandIDs: []string{"d1"}}); err != nil {
			t.Fatal(err)
		}
	}
	regs, err := db.Registrations(ctx, e.ID)
	if err != nil || len(regs) != 2 || regs[0].Name != "甲公司" || regs[0].ID == regs[1].ID {
		t.Fatalf("registrations = %+v, %v", regs, err)
	}
	e.Lineup = &data.SavedLineup{Picks: []string{"a1"}}
	db.PutEvent(ctx, e)
	got, _ := db.Event(ctx, e.ID)
	if got.Lineup == nil || got.Lineup.Picks[0] != "a1" || got.Created.IsZero() {
		t.Fatalf("event = %+v", got)
	}
	if list, _ := db.ListEvents(ctx); len(list) != 1 {
		t.Fatalf("events = %+v", list)
	}
}

func TestTokenListRevokeExpire(t *testing.T) {
	ctx := context.Background()
	db, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	exp := now.Add(24 * time.Hour)
	s1, t1, err := db.CreateToken(ctx, data.TokenSpec{Role: data.RoleBroker, Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	s2, t2, err := db.CreateToken(ctx, data.TokenSpec{Role: data.RoleEnterprise, Name: "e", Expires: &exp})
	if err != nil {
		t.Fatal(err)
	}
	toks, err := db.Tokens(ctx)
	if err != nil || len(toks) != 2 {
		t.Fatalf("tokens %v %v", toks, err)
	}
	if _, err := db.RevokeToken(ctx, t1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TokenBySecret(ctx, s1); data.ErrorCode(err) != data.EUNAUTHORIZED {
		t.Fatalf("revoked token: %v", err)
	}
	if _, err := db.TokenBySecret(ctx, s2); err != nil {
		t.Fatalf("token before expiry: %v", err)
	}
	now = exp
	if _, err := db.TokenBySecret(ctx, s2); data.ErrorCode(err) != data.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
	if _, err := db.RevokeToken(ctx, "tok-nope"); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("revoke unknown: %v", err)
	}
	toks, _ = db.Tokens(ctx)
	for _, tk := range toks {
		if tk.ID == t1.ID && tk.Revoked == nil {
			t.Errorf("list does not show the revocation")
		}
		if tk.ID == t2.ID && tk.Expires == nil {
			t.Errorf("list lost the expiry")
		}
	}
}
