package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// doHeaders is do with extra request headers, returning the recorder.
func (ts *testServer) doHeaders(method, path string, role data.Role, body string, hdr map[string]string) *httptest.ResponseRecorder {
	ts.tb.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+ts.tokens[role])
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, req)
	return w
}

func TestPutOnMissingIDCreates(t *testing.T) {
	for _, tc := range []struct {
		role data.Role
		kind string
	}{
		{data.RoleAdmin, "demands"}, {data.RoleBroker, "demands"}, {data.RoleEnterprise, "demands"},
		{data.RoleAdmin, "achievements"}, {data.RoleBroker, "achievements"},
	} {
		t.Run(string(tc.role)+"/"+tc.kind, func(t *testing.T) {
			ts := newTestServer(t)
			path := "/api/v1/" + tc.kind + "/new-1"
			var out map[string]any
			if code := ts.do("PUT", path, tc.role, `{"title":"新型玉米秸秆还田装置"}`, &out); code != http.StatusCreated {
				t.Fatalf("first PUT: %d %v", code, out)
			}
			if code := ts.do("PUT", path, tc.role, `{"title":"新型玉米秸秆还田装置（改）"}`, &out); code != http.StatusOK {
				t.Fatalf("second PUT: %d %v", code, out)
			}
			if out["title"] != "新型玉米秸秆还田装置（改）" || out["version"] != float64(2) {
				t.Errorf("stored %v, want the second title at version 2", out)
			}
		})
	}
}

func TestConcurrentCreateSameIDConflicts(t *testing.T) {
	ts := newTestServer(t)
	// A second enterprise token.
	secret, tok2, err := ts.db.CreateToken(t.Context(), data.TokenSpec{Role: data.RoleEnterprise, Name: "e2"})
	if err != nil {
		t.Fatal(err)
	}
	tok1, err := ts.db.TokenBySecret(t.Context(), ts.tokens[data.RoleEnterprise])
	if err != nil {
		t.Fatal(err)
	}
	for round := range 20 {
		id := fmt.Sprintf("race-%d", round)
		body := fmt.Sprintf(`{"id":%q,"title":"高效节能烘干设备"}`, id)
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, sec := range []string{ts.tokens[data.RoleEnterprise], secret} {
			wg.Go(func() { codes[i] = ts.doToken("POST", "/api/v1/demands", sec, body, nil) })
		}
		wg.Wait()
		created, conflict := 0, 0
		winner := ""
		for i, c := range codes {
			switch c {
			case http.StatusCreated:
				created++
				winner = []string{tok1.ID, tok2.ID}[i]
			case http.StatusConflict:
				conflict++
			}
		}
		if created != 1 || conflict != 1 {
			t.Fatalf("round %d: codes %v, want one 201 and one 409", round, codes)
		}
		d, err := ts.db.Demand(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Owner != winner {
			t.Fatalf("round %d: owner %s, want the creator %s", round, d.Owner, winner)
		}
	}
}

func TestVersionIfMatch(t *testing.T) {
	ts := newTestServer(t)
	const path = "/api/v1/demands/v-1"
	w := ts.doHeaders("PUT", path, data.RoleBroker, `{"title":"盐碱地改良技术"}`, nil)
	if w.Code != http.StatusCreated || w.Header().Get("ETag") != `"1"` {
		t.Fatalf("create: %d ETag %q", w.Code, w.Header().Get("ETag"))
	}
	if w := ts.doHeaders("GET", path, "", "", nil); w.Header().Get("ETag") != `"1"` {
		t.Fatalf("GET ETag %q", w.Header().Get("ETag"))
	}
	steps := []struct {
		method, ifMatch, body string
		want                  int
		etag                  string
	}{
		{"PUT", `"1"`, `{"title":"盐碱地改良技术 v2"}`, http.StatusOK, `"2"`},
		{"PUT", `"1"`, `{"title":"过时的修改"}`, http.StatusPreconditionFailed, ""},
		{"PUT", `"2"`, `{"title":"盐碱地改良技术 v2"}`, http.StatusOK, `"2"`}, // unchanged: same version
		{"DELETE", `"1"`, "", http.StatusPreconditionFailed, ""},
		{"PUT", `abc`, `{"title":"x"}`, http.StatusBadRequest, ""},
		{"DELETE", `"2"`, "", http.StatusNoContent, ""},
		{"PUT", `"2"`, `{"title":"已删除后再改"}`, http.StatusPreconditionFailed, ""},
		{"PUT", `*`, `{"title":"已删除后再改"}`, http.StatusPreconditionFailed, ""},
	}
	for i, st := range steps {
		w := ts.doHeaders(st.method, path, data.RoleBroker, st.body, map[string]string{"If-Match": st.ifMatch})
		if w.Code != st.want {
			t.Fatalf("step %d %s If-Match %s: %d %s, want %d", i, st.method, st.ifMatch, w.Code, w.Body, st.want)
		}
		if st.etag != "" && w.Header().Get("ETag") != st.etag {
			t.Fatalf("step %d: ETag %q, want %s", i, w.Header().Get("ETag"), st.etag)
		}
	}
	if _, err := ts.db.Demand(t.Context(), "v-1"); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("after stale writes the demand exists again: %v", err)
	}
}

func TestEnterpriseCannotTakeOverByPut(t *testing.T) {
	ts := newTestServer(t)
	if code := ts.do("PUT", "/api/v1/demands/own-1", data.RoleBroker, `{"title":"经纪人录入的需求"}`, nil); code != http.StatusCreated {
		t.Fatal(code)
	}
	if code := ts.do("PUT", "/api/v1/demands/own-1", data.RoleEnterprise, `{"title":"企业想改"}`, nil); code != http.StatusForbidden {
		t.Fatalf("enterprise PUT on a broker's demand: %d, want 403", code)
	}
	if code := ts.do("DELETE", "/api/v1/demands/own-1", data.RoleEnterprise, "", nil); code != http.StatusForbidden {
		t.Fatalf("enterprise DELETE on a broker's demand: %d, want 403", code)
	}
}

func TestBadBodies(t *testing.T) {
	ts := newTestServer(t)
	deep := strings.Repeat("[", 9000) + strings.Repeat("]", 9000)
	many := make([]string, 33)
	for i := range many {
		many[i] = fmt.Sprintf(`"x%02d":1`, i)
	}
	for _, tc := range []struct {
		name, body, wantMsg string
	}{
		{"invalid utf-8", "{\"title\":\"\xff\xfe技术\"}", "UTF-8"},
		{"number as string", `{"title":"t","budget_wan":{"max":"十万"}}`, "budget_wan.max 应为数字"},
		{"string as number", `{"title":123}`, "title 应为文字"},
		{"big unknown field", `{"title":"t","notes":"` + strings.Repeat("x", 9<<10) + `"}`, "附加字段“notes”过大"},
		{"deep unknown field", `{"title":"t","nest":` + deep + `}`, "附加字段“nest”嵌套过深"},
		{"too many unknown fields", `{"title":"t",` + strings.Join(many, ",") + `}`, "附加字段过多"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out struct {
				Error struct {
					Message string
					Fields  []data.FieldError
				}
			}
			code := ts.do("POST", "/api/v1/demands", data.RoleBroker, tc.body, &out)
			all := out.Error.Message
			for _, f := range out.Error.Fields {
				all += " " + f.Field + " " + f.Message
			}
			if code != http.StatusBadRequest || !strings.Contains(all, tc.wantMsg) {
				t.Fatalf("%d %q, want 400 with %q", code, all, tc.wantMsg)
			}
		})
	}
	if n := ts.db.Size(); n <= 0 {
		t.Fatalf("store size %d", n)
	}
	c, _ := ts.db.Counts(t.Context())
	if c.Demands != 0 {
		t.Fatalf("%d demands stored from bad bodies", c.Demands)
	}
}
