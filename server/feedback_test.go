package server_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// feedbackServer is a server with a matcher over a small catalogue: a
// demand for dairy farming owned by the enterprise token, two families of
// near twins and unrelated records.
func feedbackServer(tb testing.TB) (*testServer, string) {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	ts := &testServer{tb: tb, db: db, tokens: map[data.Role]string{}}
	for _, r := range []data.Role{data.RoleAdmin, data.RoleBroker, data.RoleEnterprise, data.RoleScientist} {
		secret, _, err := db.CreateToken(ctx, data.TokenSpec{Role: r, Name: string(r)})
		if err != nil {
			tb.Fatal(err)
		}
		ts.tokens[r] = secret
	}
	titles := []string{"奶牛挤奶机器人自动控制系统", "奶牛挤奶机器人清洗装置", "奶牛挤奶机器人视觉定位系统",
		"奶牛饲料无抗添加剂制备方法", "奶牛饲料添加剂的生产工艺", "奶牛饲料添加剂配方",
		"奶牛养殖场粪污处理工艺", "奶牛乳房炎快速检测试剂盒"}
	achs := make([]data.Achievement, len(titles))
	for i, t := range titles {
		achs[i] = data.Achievement{ID: fmt.Sprintf("a%d", i+1), Title: t, Abstract: t + "，适用于奶牛养殖企业。"}
	}
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		tb.Fatal(err)
	}
	s := server.NewServer()
	s.Store, s.Pairings, s.Brokers, s.Audit = db, db, db, db
	s.Logger = discardLogger()
	ix, err := index.Open(ctx, filepath.Join(dir, "index"), db, index.Options{Logger: discardLogger()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	s.Index = ix
	ts.h = s.Handler()
	var d struct {
		ID string `json:"id"`
	}
	if code := ts.do("POST", "/api/v1/demands", data.RoleEnterprise, `{"title":"奶牛养殖新技术","description":"奶牛养殖企业希望引进挤奶、饲料和疫病检测技术"}`, &d); code != 201 {
		tb.Fatalf("create demand: %d", code)
	}
	if _, err := ix.Sync(ctx); err != nil {
		tb.Fatal(err)
	}
	m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix, RefreshEvery: -1}
	if err := m.Refresh(ctx); err != nil {
		tb.Fatal(err)
	}
	s.Matcher = m
	return ts, d.ID
}

type matchList struct {
	Matches []struct {
		Achievement struct {
			ID string `json:"id"`
		} `json:"achievement"`
		Score       float64 `json:"score"`
		Verdict     string  `json:"verdict"`
		Explanation struct {
			Sentences []string `json:"sentences"`
		} `json:"explanation"`
	} `json:"matches"`
}

func (l matchList) rank(id string) int {
	for i, m := range l.Matches {
		if m.Achievement.ID == id {
			return i
		}
	}
	return -1
}

func TestFeedbackRoutes(t *testing.T) {
	ts, did := feedbackServer(t)
	path := "/api/v1/demands/" + did + "/feedback"
	tests := []struct {
		name   string
		role   data.Role
		body   string
		status int
	}{
		{"anonymous", "", `{"achievement_id":"a1","verdict":"relevant"}`, 401},
		{"scientist not the owner", data.RoleScientist, `{"achievement_id":"a1","verdict":"relevant"}`, 403},
		{"bad verdict", data.RoleBroker, `{"achievement_id":"a1","verdict":"maybe"}`, 400},
		{"no achievement", data.RoleBroker, `{"verdict":"relevant"}`, 400},
		{"unknown achievement", data.RoleBroker, `{"achievement_id":"nope","verdict":"relevant"}`, 404},
		{"broker", data.RoleBroker, `{"achievement_id":"a1","verdict":"relevant","note":"方向一致"}`, 201},
		{"owner", data.RoleEnterprise, `{"achievement_id":"a4","verdict":"not_relevant"}`, 201},
		{"owner changes its mind", data.RoleEnterprise, `{"achievement_id":"a4","verdict":"not_relevant","note":"不做饲料"}`, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e errorJSON
			if code := ts.do("POST", path, tt.role, tt.body, &e); code != tt.status {
				t.Fatalf("status %d, want %d: %+v", code, tt.status, e)
			}
		})
	}
	var list struct {
		Feedback []data.Feedback `json:"feedback"`
	}
	if code := ts.do("GET", path, data.RoleBroker, "", &list); code != 200 || len(list.Feedback) != 2 {
		t.Fatalf("list: %d %+v", code, list)
	}
	for _, f := range list.Feedback {
		if f.By.TokenID == "" || f.At.IsZero() || f.Side != data.SideDemand {
			t.Errorf("verdict without who, when or side: %+v", f)
		}
	}
	if code := ts.do("GET", path, data.RoleScientist, "", nil); code != 403 {
		t.Errorf("scientist reads verdicts: %d", code)
	}
	audit, err := ts.db.Audit(context.Background(), data.AuditQuery{Action: data.AuditFeedback})
	if err != nil || len(audit) != 3 {
		t.Errorf("audit entries %d (%v), want 3", len(audit), err)
	}
	// From the achievement's side.
	if code := ts.do("POST", "/api/v1/achievements/a2/feedback", data.RoleBroker, `{"demand_id":"`+did+`","verdict":"relevant"}`, nil); code != 201 {
		t.Errorf("achievement-side verdict: %d", code)
	}
}

func TestMatchesUseFeedback(t *testing.T) {
	ts, did := feedbackServer(t)
	matches := "/api/v1/demands/" + did + "/matches"
	var before matchList
	if code := ts.do("GET", matches, "", "", &before); code != 200 || len(before.Matches) < 6 {
		t.Fatalf("matches: %d %+v", code, before)
	}
	for _, b := range []string{
		`{"achievement_id":"a1","verdict":"relevant"}`,
		`{"achievement_id":"a4","verdict":"not_relevant"}`,
	} {
		if code := ts.do("POST", "/api/v1/demands/"+did+"/feedback", data.RoleBroker, b, nil); code != 201 {
			t.Fatalf("feedback %s: %d", b, code)
		}
	}
	var after matchList
	if code := ts.do("GET", matches, "", "", &after); code != 200 {
		t.Fatalf("matches after feedback: %d", code)
	}
	if v := after.Matches[after.rank("a1")].Verdict; v != "relevant" {
		t.Errorf("a1 verdict %q", v)
	}
	if v := after.Matches[after.rank("a4")].Verdict; v != "not_relevant" {
		t.Errorf("a4 verdict %q", v)
	}
	// The twins of the accepted robot move up, those of the rejected feed
	// down, and each says which marked record moved it.
	score := func(l matchList, id string) float64 { return l.Matches[l.rank(id)].Score }
	for _, up := range []string{"a2", "a3"} {
		if score(after, up) <= score(before, up) {
			t.Errorf("%s %.4f → %.4f: not moved up", up, score(before, up), score(after, up))
		}
		if s := after.Matches[after.rank(up)].Explanation.Sentences; len(s) == 0 || s[0] != "与您标记为相关的成果“奶牛挤奶机器人自动控制系统”相似，已上调" {
			t.Errorf("%s explained %q", up, s)
		}
		for _, down := range []string{"a5", "a6"} {
			gap0, gap1 := score(before, up)-score(before, down), score(after, up)-score(after, down)
			if gap1-gap0 < 0.01 {
				t.Errorf("%s vs %s: gap %.4f → %.4f, want at least 0.01 more", up, down, gap0, gap1)
			}
		}
	}
	for _, down := range []string{"a5", "a6"} {
		if score(after, down) >= score(before, down) {
			t.Errorf("%s %.4f → %.4f: not moved down", down, score(before, down), score(after, down))
		}
	}
	if after.rank("a2") > after.rank("a5") || after.rank("a3") > after.rank("a5") {
		t.Errorf("accepted twins a2 %d, a3 %d below rejected twin a5 %d", after.rank("a2"), after.rank("a3"), after.rank("a5"))
	}
	var excl matchList
	if code := ts.do("GET", matches+"?judged=exclude", "", "", &excl); code != 200 {
		t.Fatalf("judged=exclude: %d", code)
	}
	if excl.rank("a1") >= 0 || excl.rank("a4") >= 0 || len(excl.Matches) != len(after.Matches)-2 {
		t.Errorf("judged=exclude kept judged records: %+v", excl)
	}
	if code := ts.do("GET", matches+"?judged=maybe", "", "", nil); code != 400 {
		t.Errorf("judged=maybe: %d", code)
	}
	var limited matchList
	if code := ts.do("GET", matches+"?limit=2", "", "", &limited); code != 200 || len(limited.Matches) != 2 {
		t.Errorf("limit=2 with feedback: %d %d", code, len(limited.Matches))
	}
}

// BenchmarkMatchesFeedback compares GET matches of a demand without
// verdicts and with two (the re-ranked list asks the matcher for its
// longest list).
func BenchmarkMatchesFeedback(b *testing.B) {
	for _, withFeedback := range []bool{false, true} {
		name := "without"
		if withFeedback {
			name = "with"
		}
		b.Run(name, func(b *testing.B) {
			ts, did := feedbackServer(b)
			if withFeedback {
				for _, body := range []string{`{"achievement_id":"a1","verdict":"relevant"}`, `{"achievement_id":"a4","verdict":"not_relevant"}`} {
					if code := ts.do("POST", "/api/v1/demands/"+did+"/feedback", data.RoleBroker, body, nil); code != 201 {
						b.Fatalf("feedback: %d", code)
					}
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if code := ts.do("GET", "/api/v1/demands/"+did+"/matches", "", "", nil); code != 200 {
					b.Fatalf("matches: %d", code)
				}
			}
		})
	}
}
