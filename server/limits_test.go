package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

func TestRateLimits(t *testing.T) {
	ts := newTestServer(t)
	s := server.NewServer()
	s.Store, s.Logger = ts.db, discardLogger()
	s.Limits = server.RateLimits{Anon: 1, AnonBurst: 3, Read: 1, ReadBurst: 5, Write: 1, WriteBurst: 2}
	h := s.Handler()
	send := func(method, path, role, addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(`{"title":"限流测试需求"}`))
		req.RemoteAddr = addr
		req.Header.Set("X-Forwarded-For", "203.0.113.99") // not trusted
		if role != "" {
			req.Header.Set("Authorization", "Bearer "+ts.tokens[data.Role(role)])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	// count sends n requests and returns how many were limited, checking
	// the 429 answers.
	count := func(n int, method, path, role, addr string) int {
		limited := 0
		for range n {
			w := send(method, path, role, addr)
			if w.Code == http.StatusTooManyRequests {
				limited++
				if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 {
					t.Fatalf("429 without a Retry-After: %q", w.Header().Get("Retry-After"))
				}
				if !strings.Contains(w.Body.String(), `"code":"rate_limited"`) {
					t.Fatalf("429 body %s", w.Body)
				}
			}
		}
		return limited
	}
	for _, tc := range []struct {
		name, method, path, role, addr string
		n, want                        int
	}{
		{"anonymous per address", "GET", "/api/v1/demands", "", "192.0.2.1:1000", 10, 7},
		{"another address has its own bucket", "GET", "/api/v1/demands", "", "192.0.2.2:1000", 3, 0},
		{"probes are not limited", "GET", "/healthz", "", "192.0.2.1:1000", 5, 0},
		{"token reads", "GET", "/api/v1/demands", "broker", "192.0.2.1:1000", 8, 3},
		{"token writes", "POST", "/api/v1/demands", "broker", "192.0.2.1:1000", 4, 2},
		{"admin unlimited", "GET", "/api/v1/demands", "admin", "192.0.2.1:1000", 20, 0},
	} {
		if got := count(tc.n, tc.method, tc.path, tc.role, tc.addr); got != tc.want {
			t.Errorf("%s: %d of %d limited, want %d", tc.name, got, tc.n, tc.want)
		}
	}

	// Guessing tokens counts against the address's anonymous rate.
	guesses, limited := 0, 0
	for range 6 {
		req := httptest.NewRequest("GET", "/api/v1/demands", nil)
		req.RemoteAddr = "192.0.2.77:1"
		req.Header.Set("Authorization", "Bearer tm_guess")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusUnauthorized:
			guesses++
		case http.StatusTooManyRequests:
			limited++
		}
	}
	if guesses != 3 || limited != 3 {
		t.Errorf("token guessing: %d answered 401, %d limited; want 3 and 3 (anonymous burst 3)", guesses, limited)
	}

	// Zero turns a limit off.
	s2 := server.NewServer()
	s2.Store, s2.Logger = ts.db, discardLogger()
	s2.Limits = server.RateLimits{Anon: 0, Read: 1, ReadBurst: 1}
	h = s2.Handler()
	if got := count(20, "GET", "/api/v1/demands", "", "192.0.2.3:1"); got != 0 {
		t.Errorf("anonymous limit 0 still limited %d", got)
	}
}

func TestSecurityHeadersRequestIDQueryBound(t *testing.T) {
	ts := newTestServer(t)
	var logs bytes.Buffer
	s := server.NewServer()
	s.Store = ts.db
	s.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	h := s.Handler()
	for _, path := range []string{"/healthz", "/api/v1/demands", "/nope", "/api/v1/demands?q=" + strings.Repeat("玉", 2000)} {
		req := httptest.NewRequest("GET", path, nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		for _, hd := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"} {
			if w.Header().Get(hd) == "" {
				t.Errorf("%s: no %s header", path, hd)
			}
		}
		id := w.Header().Get("X-Request-Id")
		if len(id) != 16 || !strings.Contains(logs.String(), "request_id="+id) {
			t.Errorf("%s: request id %q not in the logs", path, id)
		}
		if strings.Contains(path, "q=") && w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("overlong query: %d", w.Code)
		}
	}
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-Id", "lb-42.a_b")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Header().Get("X-Request-Id") != "lb-42.a_b" {
		t.Errorf("caller's request id not kept: %q", w.Header().Get("X-Request-Id"))
	}
	req.Header.Set("X-Request-Id", "bad id\n")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if got := w.Header().Get("X-Request-Id"); got == "bad id\n" || got == "" {
		t.Errorf("unsafe request id echoed: %q", got)
	}
}
