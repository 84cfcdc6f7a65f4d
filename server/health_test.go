package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// lagIndex is an index that has applied changes up to seq and finds nothing.
type lagIndex struct{ seq atomic.Uint64 }

func (ix *lagIndex) Search(ctx context.Context, q data.SearchQuery) (*data.SearchResult, error) {
	return &data.SearchResult{}, nil
}
func (ix *lagIndex) Sync(ctx context.Context) (int, error) { return 0, nil }
func (ix *lagIndex) Seq() uint64                           { return ix.seq.Load() }

// slowMatcher is not ready until ready is set, and counts match calls.
type slowMatcher struct {
	ready atomic.Bool
	calls atomic.Int32
}

func (m *slowMatcher) Ready() bool { return m.ready.Load() }
func (m *slowMatcher) ModelBuilt() time.Time {
	if m.ready.Load() {
		return time.Now().Add(-time.Minute)
	}
	return time.Time{}
}
func (m *slowMatcher) MatchDemand(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error) {
	m.calls.Add(1)
	return nil, nil
}
func (m *slowMatcher) MatchAchievement(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error) {
	m.calls.Add(1)
	return nil, nil
}
func (m *slowMatcher) MatchText(ctx context.Context, d data.Demand, opt matcher.Options) ([]matcher.Result, error) {
	m.calls.Add(1)
	return nil, nil
}
func (m *slowMatcher) ScorePair(ctx context.Context, d *data.Demand, a *data.Achievement) (matcher.Result, error) {
	m.calls.Add(1)
	return matcher.Result{}, nil
}

func TestReadiness(t *testing.T) {
	ts := newTestServer(t)
	if code := ts.do("PUT", "/api/v1/demands/d-1", data.RoleBroker, `{"title":"玉米秸秆综合利用"}`, nil); code != http.StatusCreated {
		t.Fatal(code)
	}
	ix, m := &lagIndex{}, &slowMatcher{}
	s := server.NewServer()
	s.Store, s.Index, s.Matcher, s.Logger = ts.db, ix, m, discardLogger()
	s.MatchWait = 100 * time.Millisecond
	h := s.Handler()
	get := func(path string) (*httptest.ResponseRecorder, map[string]any) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		var out map[string]any
		decodeJSON(t, w.Body.Bytes(), &out)
		return w, out
	}

	// Index behind, model building.
	w, out := get("/healthz")
	if w.Code != 200 || out["status"] != "starting" || out["matcher"] != "building" || out["index_lag"] != 1.0 {
		t.Fatalf("healthz while starting: %d %v", w.Code, out)
	}
	if w, _ := get("/readyz"); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz while starting: %d", w.Code)
	}
	if _, out := get("/api/v1/demands?q=玉米"); out["index_lag"] != 1.0 || out["note"] == nil {
		t.Fatalf("search during catch-up lacks the lag note: %v", out)
	}
	start := time.Now()
	w, out = get("/api/v1/demands/d-1/matches")
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("match while building: %d %v", w.Code, out)
	}
	if el := time.Since(start); el < 100*time.Millisecond || el > 2*time.Second {
		t.Errorf("match waited %v, want about MatchWait", el)
	}
	if m.calls.Load() != 0 {
		t.Fatal("a match ran before the model was ready")
	}

	// A match that arrives while building is answered once the model is ready.
	s.MatchWait = 2 * time.Second
	go func() { time.Sleep(50 * time.Millisecond); m.ready.Store(true) }()
	if w, out := get("/api/v1/demands/d-1/matches"); w.Code != 200 {
		t.Fatalf("match after the model became ready: %d %v", w.Code, out)
	}

	// Index caught up, model ready.
	ix.seq.Store(1)
	if w, out := get("/readyz"); w.Code != 200 || out["status"] != "ready" || out["matcher"] != "ready" {
		t.Fatalf("readyz when ready: %d %v", w.Code, out)
	}
	if _, out := get("/api/v1/demands?q=玉米"); out["note"] != nil {
		t.Fatalf("search note without lag: %v", out)
	}
	s.Degraded("索引追赶失败")
	if w, out := get("/readyz"); w.Code != http.StatusServiceUnavailable || out["status"] != "degraded" {
		t.Fatalf("readyz when degraded: %d %v", w.Code, out)
	}
}

func decodeJSON(tb testing.TB, b []byte, out any) {
	tb.Helper()
	if err := json.Unmarshal(b, out); err != nil {
		tb.Fatalf("decode %q: %v", b, err)
	}
}
