package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

func TestMetrics(t *testing.T) {
	ts := newTestServer(t)
	ix, m := &lagIndex{}, &slowMatcher{}
	s := server.NewServer()
	s.Store, s.Index, s.Matcher, s.Logger = ts.db, ix, m, discardLogger()
	h := s.Handler()
	ts.h = h
	ts.do("PUT", "/api/v1/demands/d-9", data.RoleBroker, `{"title":"玉米秸秆综合利用"}`, nil)
	ts.do("GET", "/api/v1/demands/d-9", "", "", nil)
	ts.do("GET", "/api/v1/demands/nope", "", "", nil)
	ts.do("GET", "/nowhere", "", "", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`techmatch_http_requests_total{method="GET",route="/api/v1/demands/:id",status="200"} 1`,
		`techmatch_http_requests_total{method="GET",route="/api/v1/demands/:id",status="404"} 1`,
		`techmatch_http_requests_total{method="PUT",route="/api/v1/demands/:id",status="201"} 1`,
		`techmatch_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`techmatch_http_request_duration_seconds_bucket{method="GET",route="/api/v1/demands/:id",status="200",le="+Inf"} 1`,
		`techmatch_catalogue_records{kind="demands"} 1`,
		`techmatch_index_lag 1`,
		`techmatch_ready 0`,
		"techmatch_store_bytes ",
		"go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "techmatch_matcher_model_age_seconds ") {
		t.Error("model age reported while no model is built")
	}
	m.ready.Store(true)
	ix.seq.Store(1)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{"techmatch_matcher_model_age_seconds 6", "techmatch_ready 1", "techmatch_index_lag 0"} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("metrics once ready lack %q", want)
		}
	}
}
