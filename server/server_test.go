package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/server"
)

// testServer is a server on a fresh store with one token per role.
type testServer struct {
	tb     testing.TB
	h      http.Handler
	db     *bolt.DB
	tokens map[data.Role]string
}

func newTestServer(tb testing.TB) *testServer {
	tb.Helper()
	return newTestServerWith(tb, nil)
}

// newTestServerWith is newTestServer with configure run on the server
// before its handler is built (to set an index or a matcher).
func newTestServerWith(tb testing.TB, configure func(*server.Server)) *testServer {
	tb.Helper()
	db, err := bolt.Open(context.Background(), filepath.Join(tb.TempDir(), "techmatch.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	s := server.NewServer()
	s.Store = db
	s.Logger = discardLogger()
	s.MaxBodyBytes = 64 << 10
	if configure != nil {
		configure(s)
	}
	ts := &testServer{tb: tb, h: s.Handler(), db: db, tokens: map[data.Role]string{}}
	for _, r := range []data.Role{data.RoleAdmin, data.RoleBroker, data.RoleOrganiser, data.RoleEnterprise} {
		secret, _, err := db.CreateToken(context.Background(), data.TokenSpec{Role: r, Name: string(r)})
		if err != nil {
			tb.Fatal(err)
		}
		ts.tokens[r] = secret
	}
	return ts
}

// do sends a request with the token of role (none when "") and decodes the
// JSON answer into out when out is not nil.
func (ts *testServer) do(method, path string, role data.Role, body string, out any) int {
	ts.tb.Helper()
	return ts.doToken(method, path, ts.tokens[role], body, out)
}

func (ts *testServer) doToken(method, path, tok, body string, out any) int {
	ts.tb.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, req)
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			ts.tb.Fatalf("%s %s: decode %q: %v", method, path, w.Body.String(), err)
		}
	}
	return w.Code
}

type errorJSON struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  []data.FieldError `json:"fields"`
	} `json:"error"`
}

func TestHealthz(t *testing.T) {
	ts := newTestServer(t)
	ts.do("POST", "/api/v1/achievements", data.RoleBroker, `{"title":"玉米秸秆颗粒燃料"}`, nil)
	var h map[string]any
	if code := ts.do("GET", "/healthz", "", "", &h); code != 200 {
		t.Fatalf("status %d", code)
	}
	if h["status"] != "ready" || h["achievements"] != 1.0 || h["demands"] != 0.0 {
		t.Fatalf("healthz = %v", h)
	}
}

func TestErrorShape(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, method, path string
		role               data.Role
		token              string
		body               string
		status             int
		code               string
	}{
		{"write without token", "POST", "/api/v1/demands", "", "", `{"title":"x"}`, 401, data.EUNAUTHORIZED},
		{"bad token", "GET", "/api/v1/demands", "", "tm_nope", "", 401, data.EUNAUTHORIZED},
		{"enterprise writes achievement", "POST", "/api/v1/achievements", data.RoleEnterprise, "", `{"title":"x"}`, 403, data.EFORBIDDEN},
		{"organiser writes demand", "POST", "/api/v1/demands", data.RoleOrganiser, "", `{"title":"x"}`, 403, data.EFORBIDDEN},
		{"not found", "GET", "/api/v1/demands/nope", "", "", "", 404, data.ENOTFOUND},
		{"no route", "GET", "/api/v2/x", "", "", "", 404, data.ENOTFOUND},
		{"bad json", "POST", "/api/v1/demands", data.RoleBroker, "", `{"title":`, 400, data.EINVALID},
		{"invalid record", "POST", "/api/v1/demands", data.RoleBroker, "", `{"title":"","budget_wan":{"min":9,"max":1}}`, 400, data.EINVALID},
		{"too large", "POST", "/api/v1/demands", data.RoleBroker, "", `{"title":"` + strings.Repeat("大", 40000) + `"}`, 413, data.ETOOLARGE},
		{"bad page size", "GET", "/api/v1/demands?size=1000", "", "", "", 400, data.EINVALID},
		{"method not allowed", "PATCH", "/api/v1/demands", data.RoleBroker, "", "", 405, server.EMETHOD},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token
			if tok == "" {
				tok = ts.tokens[tt.role]
			}
			var e errorJSON
			status := ts.doToken(tt.method, tt.path, tok, tt.body, &e)
			if status != tt.status || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Fatalf("got %d %+v, want %d %s", status, e, tt.status, tt.code)
			}
		})
	}
}

func TestValidationFieldsReported(t *testing.T) {
	ts := newTestServer(t)
	var e errorJSON
	ts.do("POST", "/api/v1/demands", data.RoleBroker, `{"title":"","budget_wan":{"min":9,"max":1},"deadline":"明天"}`, &e)
	got := map[string]bool{}
	for _, f := range e.Error.Fields {
		got[f.Field] = true
	}
	for _, f := range []string{"title", "budget_wan", "deadline"} {
		if !got[f] {
			t.Errorf("field %s not reported: %+v", f, e.Error.Fields)
		}
	}
	if c, _ := ts.db.Counts(context.Background()); c.Demands != 0 {
		t.Fatal("an invalid demand was stored")
	}
}

func TestContactPrivacy(t *testing.T) {
	ts := newTestServer(t)
	body := `{"id":"d1","title":"秸秆综合利用","contact":{"name":"李经理","phone":"13900000000"}}`
	if code := ts.do("POST", "/api/v1/demands", data.RoleEnterprise, body, nil); code != 201 {
		t.Fatalf("create: %d", code)
	}
	ts.do("POST", "/api/v1/achievements", data.RoleBroker, `{"id":"a1","title":"秸秆还田机","inventors":[{"name":"王","contact":"13811111111"}]}`, nil)
	// Contact data is shown to admins and to the token that created the
	// record (the enterprise made d1, the broker a1); a broker sees other
	// records' contact only through a pairing it is assigned to.
	for _, tt := range []struct {
		role                data.Role
		demand, achievement bool
	}{{"", false, false}, {data.RoleOrganiser, false, false}, {data.RoleBroker, false, true}, {data.RoleAdmin, true, true}, {data.RoleEnterprise, true, false}} {
		for _, path := range []string{"/api/v1/demands/d1", "/api/v1/demands", "/api/v1/achievements/a1"} {
			raw := rawGet(t, ts, path, tt.role)
			has := strings.Contains(raw, "1390000000") || strings.Contains(raw, "13811111111")
			visible := tt.demand
			if strings.Contains(path, "achievements") {
				visible = tt.achievement
			}
			if has != visible {
				t.Errorf("%s as %q: contact visible = %v, want %v", path, tt.role, has, visible)
			}
			if strings.Contains(raw, `"owner"`) && tt.role == "" {
				t.Errorf("%s shows the owner to an anonymous reader", path)
			}
		}
	}
}

func rawGet(tb testing.TB, ts *testServer, path string, role data.Role) string {
	req := httptest.NewRequest("GET", path, nil)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+ts.tokens[role])
	}
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, req)
	if w.Code != 200 {
		tb.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
	}
	return w.Body.String()
}

func TestEnterpriseOwnsItsDemands(t *testing.T) {
	ts := newTestServer(t)
	other, _, _ := ts.db.CreateToken(context.Background(), data.TokenSpec{Role: data.RoleEnterprise, Name: "另一家"})
	var d data.Demand
	if code := ts.do("POST", "/api/v1/demands", data.RoleEnterprise, `{"title":"智能温室控制"}`, &d); code != 201 || d.ID == "" {
		t.Fatalf("create: %d %+v", code, d)
	}
	path := "/api/v1/demands/" + d.ID
	if code := ts.doToken("PUT", path, other, `{"title":"改掉"}`, nil); code != 403 {
		t.Fatalf("other enterprise PUT: %d, want 403", code)
	}
	if code := ts.doToken("DELETE", path, other, "", nil); code != 403 {
		t.Fatalf("other enterprise DELETE: %d, want 403", code)
	}
	if code := ts.do("PUT", path, data.RoleEnterprise, `{"title":"智能温室环境控制系统"}`, &d); code != 200 || d.Title != "智能温室环境控制系统" {
		t.Fatalf("owner PUT: %d %+v", code, d)
	}
	if code := ts.do("PUT", path, data.RoleEnterprise, `{"id":"other","title":"x"}`, nil); code != 400 {
		t.Fatalf("PUT with mismatched id: %d", code)
	}
	if code := ts.do("DELETE", path, data.RoleEnterprise, "", nil); code != 204 {
		t.Fatalf("owner DELETE: %d", code)
	}
	if code := ts.do("GET", path, "", "", nil); code != 404 {
		t.Fatalf("GET after delete: %d", code)
	}
}

func TestCreateWithOwnIDConflicts(t *testing.T) {
	ts := newTestServer(t)
	if code := ts.do("POST", "/api/v1/achievements", data.RoleBroker, `{"id":"a-x","title":"一"}`, nil); code != 201 {
		t.Fatalf("first: %d", code)
	}
	var e errorJSON
	if code := ts.do("POST", "/api/v1/achievements", data.RoleBroker, `{"id":"a-x","title":"二"}`, &e); code != 409 || e.Error.Code != data.ECONFLICT {
		t.Fatalf("second: %d %+v", code, e)
	}
	var a data.Achievement
	ts.do("GET", "/api/v1/achievements/a-x", "", "", &a)
	if a.Title != "一" {
		t.Fatalf("conflicting POST overwrote the record: %+v", a)
	}
}

func TestListPages(t *testing.T) {
	ts := newTestServer(t)
	var recs []data.Achievement
	for i := 0; i < 25; i++ {
		recs = append(recs, data.Achievement{Title: "成果"})
	}
	if _, err := ts.db.PutAchievements(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	var page struct {
		Total int                `json:"total"`
		Items []data.Achievement `json:"items"`
	}
	ts.do("GET", "/api/v1/achievements?page=3&size=10", "", "", &page)
	if page.Total != 25 || len(page.Items) != 5 {
		t.Fatalf("page 3 = total %d, %d items", page.Total, len(page.Items))
	}
}

func TestPanicIsA500WithoutStack(t *testing.T) {
	s := server.NewServer()
	s.Store = panicStore{}
	s.Logger = discardLogger()
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/healthz", nil))
	body, _ := io.ReadAll(w.Body)
	if w.Code != 500 || bytes.Contains(body, []byte("goroutine")) || !bytes.Contains(body, []byte(`"code":"internal"`)) {
		t.Fatalf("got %d %s", w.Code, body)
	}
}

type panicStore struct{ data.Store }

func (panicStore) Counts(context.Context) (data.Counts, error) { panic("boom") }
