package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// FuzzCreateDemand: whatever the body, a create answers 201 or a 4xx with
// the error JSON, never a 500; invalid UTF-8 is never stored.
func FuzzCreateDemand(f *testing.F) {
	for _, seed := range []string{
		`{"title":"玉米秸秆综合利用"}`,
		`{"title":"t","budget_wan":{"max":"十万"}}`,
		"{\"title\":\"\xff\"}",
		`{"title":"t","x":[[[[[1]]]]]}`,
		`{"title":"t","x":"\"[[[[[["}`,
		`[]`, `null`, ``, `{"id":"a b","title":"t"}`,
	} {
		f.Add(seed)
	}
	ts := newTestServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/v1/demands", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+ts.tokens[data.RoleBroker])
		w := httptest.NewRecorder()
		ts.h.ServeHTTP(w, req)
		switch {
		case w.Code == http.StatusCreated:
			if strings.Contains(w.Body.String(), "\ufffd") && !strings.Contains(body, "\ufffd") && !strings.Contains(body, `\u`) {
				t.Fatalf("body %q stored with U+FFFD: %s", body, w.Body)
			}
		case w.Code >= 400 && w.Code < 500:
			var e struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("body %q: %d without the error JSON: %s", body, w.Code, w.Body)
			}
		default:
			t.Fatalf("body %q: status %d %s", body, w.Code, w.Body)
		}
	})
}
