// Package storetest is the conformance suite of data.Store: every store
// (data/bolt, data/datatest) runs it, so that the stores cannot drift
// apart. It uses the standard library and package data only.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// Run runs the conformance suite against stores made by open; each subtest
// opens a new, empty store (open registers its own cleanup).
func Run(t *testing.T, open func(testing.TB) data.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s data.Store)
	}{
		{"PutGetAchievements", testPutGetAchievements},
		{"PutGetDemands", testPutGetDemands},
		{"AssignsIDs", testAssignsIDs},
		{"UpdateKeepsCreated", testUpdateKeepsCreated},
		{"InvalidBatchWritesNothing", testInvalidBatch},
		{"List", testList},
		{"Delete", testDelete},
		{"Changes", testChanges},
		{"Counts", testCounts},
		{"Tokens", testTokens},
		{"CancelledPut", testCancelledPut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var ctx = context.Background()

func achievements() []data.Achievement {
	return []data.Achievement{
		{ID: "a-one", Title: "高镍三元正极材料制备技术", Keywords: []string{"正极材料", "锂离子电池"}, Maturity: "中试",
			Inventors: []data.Inventor{{Name: "王明", Title: "教授", Contact: "13900000000"}}},
		{ID: "a-two", Title: "玉米秸秆生物质颗粒燃料成型技术", Institution: "吉林农业大学"},
		{ID: "a-three", Title: "人参组织培养快繁技术"},
	}
}

func demands() []data.Demand {
	return []data.Demand{
		{ID: "d-one", Title: "汽车冲压件表面缺陷在线检测", Description: "希望用图像方法替代人工目检。"},
		{ID: "d-two", Title: "秸秆颗粒燃料成型设备改进"},
	}
}

func code(err error) string { return data.ErrorCode(err) }

func mustPutA(t *testing.T, s data.Store, recs []data.Achievement) []data.PutResult {
	t.Helper()
	res, err := s.PutAchievements(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustPutD(t *testing.T, s data.Store, recs []data.Demand) []data.PutResult {
	t.Helper()
	res, err := s.PutDemands(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func testPutGetAchievements(t *testing.T, s data.Store) {
	res := mustPutA(t, s, achievements())
	if !slices.Equal(res, []data.PutResult{data.Created, data.Created, data.Created}) {
		t.Errorf("first put: %v, want all created", res)
	}
	got, err := s.Achievement(ctx, "a-one")
	if err != nil {
		t.Fatal(err)
	}
	want := achievements()[0]
	if got.Title != want.Title || !slices.Equal(got.Keywords, want.Keywords) || !reflect.DeepEqual(got.Inventors, want.Inventors) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got.Created.IsZero() || got.Updated.Before(got.Created) {
		t.Errorf("times: created %v, updated %v", got.Created, got.Updated)
	}
	if _, err := s.Achievement(ctx, "a-missing"); code(err) != data.ENOTFOUND {
		t.Errorf("missing: %v, want not found", err)
	}
	many, err := s.Achievements(ctx, []string{"a-three", "a-missing", "a-one"})
	if err != nil {
		t.Fatal(err)
	}
	if len(many) != 3 || many[0] == nil || many[0].ID != "a-three" || many[1] != nil || many[2] == nil || many[2].ID != "a-one" {
		t.Errorf("Achievements: %v", many)
	}
	// Writing the same records again changes nothing.
	if res := mustPutA(t, s, achievements()); !slices.Equal(res, []data.PutResult{data.Unchanged, data.Unchanged, data.Unchanged}) {
		t.Errorf("same put: %v, want all unchanged", res)
	}
	// An empty batch is no error.
	if res, err := s.PutAchievements(ctx, nil); err != nil || len(res) != 0 {
		t.Errorf("empty batch: %v, %v", res, err)
	}
}

func testPutGetDemands(t *testing.T, s data.Store) {
	if res := mustPutD(t, s, demands()); !slices.Equal(res, []data.PutResult{data.Created, data.Created}) {
		t.Errorf("first put: %v", res)
	}
	got, err := s.Demand(ctx, "d-one")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != demands()[0].Title || got.Description != demands()[0].Description {
		t.Errorf("got %+v", got)
	}
	if _, err := s.Demand(ctx, "d-missing"); code(err) != data.ENOTFOUND {
		t.Errorf("missing: %v, want not found", err)
	}
	many, err := s.Demands(ctx, []string{"d-missing", "d-two"})
	if err != nil {
		t.Fatal(err)
	}
	if len(many) != 2 || many[0] != nil || many[1] == nil || many[1].ID != "d-two" {
		t.Errorf("Demands: %v", many)
	}
	// The catalogues are apart: an achievement id is no demand.
	mustPutA(t, s, achievements()[:1])
	if _, err := s.Demand(ctx, "a-one"); code(err) != data.ENOTFOUND {
		t.Errorf("achievement read as demand: %v", err)
	}
}

func testAssignsIDs(t *testing.T, s data.Store) {
	recs := []data.Achievement{{Title: "无编号成果甲"}, {Title: "无编号成果乙"}}
	mustPutA(t, s, recs)
	if recs[0].ID == "" || recs[1].ID == "" || recs[0].ID == recs[1].ID {
		t.Fatalf("ids %q, %q: want two distinct ids written back", recs[0].ID, recs[1].ID)
	}
	for _, r := range recs {
		if got, err := s.Achievement(ctx, r.ID); err != nil || got.Title != r.Title {
			t.Errorf("%s: %v, %v", r.ID, got, err)
		}
	}
	d := []data.Demand{{Title: "无编号需求"}}
	mustPutD(t, s, d)
	if d[0].ID == "" || d[0].ID == recs[0].ID || d[0].ID == recs[1].ID {
		t.Errorf("demand id %q", d[0].ID)
	}
}

func testUpdateKeepsCreated(t *testing.T, s data.Store) {
	mustPutA(t, s, achievements()[:1])
	before, err := s.Achievement(ctx, "a-one")
	if err != nil {
		t.Fatal(err)
	}
	changed := achievements()[:1]
	changed[0].Title = "高镍三元正极材料制备技术（第二版）"
	if res := mustPutA(t, s, changed); !slices.Equal(res, []data.PutResult{data.Updated}) {
		t.Errorf("changed put: %v, want updated", res)
	}
	after, err := s.Achievement(ctx, "a-one")
	if err != nil {
		t.Fatal(err)
	}
	if after.Title != changed[0].Title || !after.Created.Equal(before.Created) || after.Updated.Before(before.Updated) {
		t.Errorf("before %+v\nafter %+v", before, after)
	}
}

func testInvalidBatch(t *testing.T, s data.Store) {
	mustPutA(t, s, achievements()[:1])
	c0, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := achievements()
	bad[0].Title = "已改名但不应写入"
	bad[2].Title = "" // invalid: a title is required
	if _, err := s.PutAchievements(ctx, bad); code(err) != data.EINVALID {
		t.Fatalf("invalid batch: %v, want invalid", err)
	}
	badD := demands()
	badD[1].Title = ""
	if _, err := s.PutDemands(ctx, badD); code(err) != data.EINVALID {
		t.Fatalf("invalid demand batch: %v, want invalid", err)
	}
	c1, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c1 != c0 {
		t.Errorf("counts %+v after invalid batches, want %+v", c1, c0)
	}
	got, err := s.Achievement(ctx, "a-one")
	if err != nil || got.Title != achievements()[0].Title {
		t.Errorf("a-one after an invalid batch: %+v, %v", got, err)
	}
	if _, err := s.Achievement(ctx, "a-two"); code(err) != data.ENOTFOUND {
		t.Errorf("a-two of the invalid batch was written: %v", err)
	}
}

func testList(t *testing.T, s data.Store) {
	mustPutA(t, s, achievements())
	ids := func(recs []data.Achievement) []string {
		var out []string
		for _, r := range recs {
			out = append(out, r.ID)
		}
		return out
	}
	for _, tt := range []struct {
		opt  data.ListOptions
		want []string
	}{
		{data.ListOptions{}, []string{"a-one", "a-three", "a-two"}},
		{data.ListOptions{Limit: 2}, []string{"a-one", "a-three"}},
		{data.ListOptions{Offset: 1, Limit: 1}, []string{"a-three"}},
		{data.ListOptions{Offset: 2}, []string{"a-two"}},
		{data.ListOptions{Offset: 5}, nil},
	} {
		got, err := s.ListAchievements(ctx, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("list %+v: %v, want %v", tt.opt, ids(got), tt.want)
		}
	}
	mustPutD(t, s, demands())
	ds, err := s.ListDemands(ctx, data.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].ID != "d-one" || ds[1].ID != "d-two" {
		t.Errorf("demands %v", ds)
	}
}

func testDelete(t *testing.T, s data.Store) {
	mustPutA(t, s, achievements())
	mustPutD(t, s, demands())
	if err := s.DeleteAchievement(ctx, "a-two"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Achievement(ctx, "a-two"); code(err) != data.ENOTFOUND {
		t.Errorf("deleted achievement: %v", err)
	}
	if err := s.DeleteAchievement(ctx, "a-two"); code(err) != data.ENOTFOUND {
		t.Errorf("second delete: %v, want not found", err)
	}
	if err := s.DeleteDemand(ctx, "d-one"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDemand(ctx, "d-one"); code(err) != data.ENOTFOUND {
		t.Errorf("second demand delete: %v, want not found", err)
	}
	if err := s.DeleteDemand(ctx, "a-one"); code(err) != data.ENOTFOUND {
		t.Errorf("achievement deleted as a demand: %v", err)
	}
	// Put back after a delete: created again.
	if res := mustPutA(t, s, achievements()[1:2]); !slices.Equal(res, []data.PutResult{data.Created}) {
		t.Errorf("put after delete: %v, want created", res)
	}
}

// changes returns the store's changes above seq.
func changes(t *testing.T, s data.Store, seq uint64) []data.Change {
	t.Helper()
	var out []data.Change
	if err := s.ChangesSince(ctx, seq, func(c data.Change) error {
		out = append(out, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func testChanges(t *testing.T, s data.Store) {
	if cs := changes(t, s, 0); len(cs) != 0 {
		t.Errorf("empty store has changes %v", cs)
	}
	mustPutA(t, s, achievements())     // seq 1..3
	mustPutD(t, s, demands())          // seq 4..5
	mustPutA(t, s, achievements()[:1]) // unchanged: no change logged
	changed := achievements()[1:2]
	changed[0].Institution = "吉林大学"
	mustPutA(t, s, changed)                              // a-two again: seq 6
	if err := s.DeleteDemand(ctx, "d-one"); err != nil { // seq 7
		t.Fatal(err)
	}
	cs := changes(t, s, 0)
	type c struct {
		Kind data.Kind
		ID   string
		Op   data.Op
	}
	var got []c
	for i, ch := range cs {
		got = append(got, c{ch.Kind, ch.ID, ch.Op})
		if i > 0 && ch.Seq <= cs[i-1].Seq {
			t.Errorf("changes out of order: %v", cs)
		}
	}
	want := []c{
		{data.KindAchievement, "a-one", data.OpPut},
		{data.KindAchievement, "a-three", data.OpPut},
		{data.KindDemand, "d-two", data.OpPut},
		{data.KindAchievement, "a-two", data.OpPut},
		{data.KindDemand, "d-one", data.OpDelete},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("latest changes\n%v, want\n%v", got, want)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Seq != 7 || cs[len(cs)-1].Seq != counts.Seq {
		t.Errorf("seq %d, last change %v: want 7 and equal", counts.Seq, cs[len(cs)-1])
	}
	// Changes above a sequence only.
	if cs := changes(t, s, 5); len(cs) != 2 || cs[0].ID != "a-two" || cs[1].ID != "d-one" {
		t.Errorf("changes since 5: %v", cs)
	}
	if cs := changes(t, s, counts.Seq); len(cs) != 0 {
		t.Errorf("changes since the latest: %v", cs)
	}
}

func testCounts(t *testing.T, s data.Store) {
	if c, err := s.Counts(ctx); err != nil || c != (data.Counts{}) {
		t.Errorf("empty store counts %+v, %v", c, err)
	}
	mustPutA(t, s, achievements())
	mustPutA(t, s, achievements()) // unchanged: same counts
	mustPutD(t, s, demands())
	if err := s.DeleteAchievement(ctx, "a-one"); err != nil {
		t.Fatal(err)
	}
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Achievements != 2 || c.Demands != 2 || c.Seq != 6 {
		t.Errorf("counts %+v, want 2 achievements, 2 demands, seq 6", c)
	}
}

func testTokens(t *testing.T, s data.Store) {
	secret, tok, err := s.CreateToken(ctx, data.TokenSpec{Role: data.RoleBroker, Name: "张经纪", BrokerID: "b-1"})
	if err != nil {
		t.Fatal(err)
	}
	if secret == "" || tok.ID == "" || tok.Role != data.RoleBroker || tok.Name != "张经纪" || tok.BrokerID != "b-1" || tok.Created.IsZero() {
		t.Errorf("token %+v, secret %q", tok, secret)
	}
	got, err := s.TokenBySecret(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tok.ID || got.Role != tok.Role || got.Name != tok.Name || got.BrokerID != tok.BrokerID || !got.Created.Equal(tok.Created) {
		t.Errorf("looked up %+v, created %+v", got, tok)
	}
	if _, err := s.TokenBySecret(ctx, secret+"x"); code(err) != data.EUNAUTHORIZED {
		t.Errorf("wrong secret: %v, want unauthorized", err)
	}
	if _, _, err := s.CreateToken(ctx, data.TokenSpec{Role: "king"}); code(err) != data.EINVALID {
		t.Errorf("unknown role: %v, want invalid", err)
	}
	// Tokens are no records.
	if c, err := s.Counts(ctx); err != nil || c != (data.Counts{}) {
		t.Errorf("counts after tokens %+v, %v", c, err)
	}
}

func testCancelledPut(t *testing.T, s data.Store) {
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.PutAchievements(cctx, achievements()); !errors.Is(err, context.Canceled) {
		t.Errorf("put with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := s.PutDemands(cctx, demands()); !errors.Is(err, context.Canceled) {
		t.Errorf("demand put with a cancelled context: %v, want context.Canceled", err)
	}
	if c, err := s.Counts(ctx); err != nil || c != (data.Counts{}) {
		t.Errorf("counts after cancelled puts %+v, %v", c, err)
	}
}
