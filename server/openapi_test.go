package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

// loadOpenAPI loads and validates the served document.
func loadOpenAPI(tb testing.TB, opts ...openapi3.ValidationOption) *openapi3.T {
	tb.Helper()
	b, err := server.OpenAPIJSON()
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		tb.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(context.Background(), opts...); err != nil {
		tb.Fatalf("openapi.json is not valid: %v", err)
	}
	return doc
}

func TestOpenAPIValid(t *testing.T) {
	doc := loadOpenAPI(t)
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	errResp := doc.Components.Responses["Error"]
	if errResp == nil {
		t.Fatal("no shared Error response in components")
	}
	for _, p := range []string{"error"} {
		s := doc.Components.Schemas["errorResponse"]
		if s == nil || s.Value.Properties[p] == nil {
			t.Fatalf("errorResponse schema lacks %q", p)
		}
	}
	codes := doc.Components.Schemas["ErrorCode"]
	if codes == nil {
		t.Fatal("no ErrorCode schema")
	}
	status, _ := codes.Value.Extensions["x-http-status"].(map[string]any)
	for _, c := range []string{data.EINVALID, data.ENOTFOUND, data.ECONFLICT, data.ERATELIMIT, data.EUNAVAILABLE} {
		if got, ok := status[c].(float64); !ok || int(got) != server.ErrorStatus(c) {
			t.Errorf("ErrorCode x-http-status[%s] = %v, want %d", c, status[c], server.ErrorStatus(c))
		}
	}
}

// TestOpenAPICoversRoutes fails when a route is registered without an
// entry in apiRoutes (server/openapi.go), or described but not registered.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	described := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described[method+" "+path] = true
		}
	}
	s := server.NewServer()
	s.Logger = discardLogger()
	registered := map[string]bool{}
	var missing []string
	for _, r := range s.Handler().(*gin.Engine).Routes() {
		key := r.Method + " " + openapiPath(r.Path)
		registered[key] = true
		if !described[key] {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("route %s is registered but not described: add an entry %q: {Summary: \"…\", Tags: …, Roles: …, Body: In{}, Response: Out{}} "+
			"to apiRoutes in server/openapi.go, then a step calling it to exampleScenario in server/openapi_examples_test.go, "+
			"and run `go test ./server -run TestOpenAPIRecordExamples -update`", m, m)
	}
	var stale []string
	for k := range described {
		if !registered[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		t.Errorf("route %s is described in apiRoutes (server/openapi.go) but the router does not register it", k)
	}
	if len(registered) < 60 {
		t.Errorf("only %d routes registered: the router was not built in full", len(registered))
	}
}

func openapiPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIExamples validates every example request body and answer
// against its schema.
func TestOpenAPIExamples(t *testing.T) {
	doc := loadOpenAPI(t)
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if rb := op.RequestBody; rb != nil {
				for media, mt := range rb.Value.Content {
					if mt.Example == nil {
						continue
					}
					n++
					if err := mt.Schema.Value.VisitJSON(mt.Example, openapi3.EnableJSONSchema2020()); err != nil {
						t.Errorf("%s %s request %s: example does not match its schema: %v", method, path, media, err)
					}
				}
			}
			for status, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for media, mt := range r.Value.Content {
					if mt.Example == nil {
						continue
					}
					n++
					if err := mt.Schema.Value.VisitJSON(mt.Example, openapi3.EnableJSONSchema2020()); err != nil {
						t.Errorf("%s %s %s %s: example does not match its schema: %v", method, path, status, media, err)
					}
				}
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d examples checked", n)
	}
}

// TestOpenAPISchemasReject proves the schemas are not vacuous: answers of
// the wrong shape fail.
func TestOpenAPISchemasReject(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, tc := range []struct {
		path, method string
		status       int
		body         string
	}{
		{"/api/v1/demands/{id}", "GET", 200, `{"id":"d1"}`},                                                                              // no title
		{"/api/v1/demands/{id}", "GET", 200, `{"id":"d1","title":"t","keywords":"x"}`},                                                   // keywords not an array
		{"/api/v1/demands", "GET", 200, `{"total":1,"page":1,"size":20}`},                                                                // no items
		{"/healthz", "GET", 200, `{"status":"ok","achievements":0,"demands":0,"seq":0,"version":"","index_lag":null,"matcher":"ready"}`}, // status not in enum
		{"/api/v1/achievements/{id}", "GET", 200, `{"id":"a","title":"t","price_wan":null}`},                                             // omitempty pointer is never null
	} {
		op := doc.Paths.Find(tc.path).GetOperation(tc.method)
		schema := op.Responses.Status(tc.status).Value.Content["application/json"].Schema
		var v any
		if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
			t.Fatal(err)
		}
		if err := schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err == nil {
			t.Errorf("%s %s: %s validated, want an error", tc.method, tc.path, tc.body)
		}
	} // Request bodies: no field is required by the shape, but types are.
	for _, tc := range []struct{ path, method, body string }{
		{"/api/v1/demands", "POST", `{"title":5}`},
		{"/api/v1/demands/{id}", "PUT", `{"budget_wan":{"max":"很多"}}`},
		{"/api/v1/pairings", "POST", `{"demand_id":["d1"]}`},
	} {
		schema := doc.Paths.Find(tc.path).GetOperation(tc.method).RequestBody.Value.Content["application/json"].Schema
		var v any
		if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
			t.Fatal(err)
		}
		if err := schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err == nil {
			t.Errorf("%s %s request: %s validated, want an error", tc.method, tc.path, tc.body)
		}
	}
}

// TestOpenAPIRejectsForgedAnswers proves the answer check of
// TestOpenAPIRecordExamples can fail: answers of the wrong shape, or
// without X-Request-Id, are refused.
func TestOpenAPIRejectsForgedAnswers(t *testing.T) {
	router, err := gorillamux.NewRouter(loadOpenAPI(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, body string
		requestID        bool
	}{
		{"no title", "/api/v1/demands/d1", `{"id":"d1","keywords":null}`, true},
		{"no X-Request-Id", "/api/v1/brokers", `{"total":0,"items":[]}`, false},
		{"error without code", "/api/v1/pairings", `{"error":{"message":"x"}}`, true},
	} {
		w := httptest.NewRecorder()
		w.Header().Set("Content-Type", "application/json")
		if tc.requestID {
			w.Header().Set("X-Request-Id", "r1")
		}
		if tc.name == "error without code" {
			w.WriteHeader(http.StatusUnauthorized)
		}
		w.WriteString(tc.body)
		if err := validateAnswer(router, "GET", tc.path, w); err == nil {
			t.Errorf("%s: the forged answer validated against the document", tc.name)
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	ts := newTestServer(t)
	req := httptest.NewRequest(http.MethodGet, "/openapi.json", nil)
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, req)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /openapi.json: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	want, _ := server.OpenAPIJSON()
	if !bytes.Equal(w.Body.Bytes(), want) {
		t.Error("served document differs from OpenAPIJSON()")
	}
}

func TestOpenAPIDocsPage(t *testing.T) {
	ts := newTestServer(t)
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		ts.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	page := get("/docs")
	if page.Code != 200 || !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /docs: %d %s", page.Code, page.Header().Get("Content-Type"))
	}
	if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("GET /docs: CSP %q", csp)
	}
	for _, f := range []struct{ path, media, contains string }{
		{"/docs/swagger-ui-bundle.js", "text/javascript", "SwaggerUIBundle"},
		{"/docs/swagger-ui.css", "text/css", ".swagger-ui"},
		{"/docs/init.js", "text/javascript", "/openapi.json"},
		{"/docs/LICENSE", "text/plain", "Apache License"},
	} {
		if f.path != "/docs/LICENSE" && !strings.Contains(page.Body.String(), f.path) {
			t.Errorf("/docs does not load %s", f.path)
		}
		w := get(f.path)
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), f.media) || !strings.Contains(w.Body.String(), f.contains) {
			t.Errorf("GET %s: %d %s, want %s containing %q", f.path, w.Code, w.Header().Get("Content-Type"), f.media, f.contains)
		}
	}
	var e errorJSON
	if w := get("/docs/secret.txt"); w.Code != 404 || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error.Code != data.ENOTFOUND {
		t.Errorf("GET /docs/secret.txt: %d %s", w.Code, w.Body.String())
	}
}
