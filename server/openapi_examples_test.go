package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/techmatch/techmatch/server"
)

var updateExamples = flag.Bool("update", false, "rewrite server/openapi_examples.json from the real answers of the example scenario")

// exampleStep is one request of the example scenario. Its answer is
// validated against the document; an answer of a status the operation
// describes itself (not an error) is, with its request body, the example
// of its operation in openapi_examples.json.
type exampleStep struct {
	method, path, who, body string
	want                    int
	header                  map[string]string
	save                    string // remember the answer's "id" as {save} for later paths
}

// exampleScenario runs on the pairing fixture (index and matcher open):
// one step per operation at least, in an order in which each succeeds.
// A new route needs a step here (then `go test ./server -run
// TestOpenAPIRecordExamples -update`), or an Example in its apiRoutes entry.
var exampleScenario = []exampleStep{
	{method: "GET", path: "/healthz", who: anonymous, want: 200},
	{method: "GET", path: "/readyz", who: anonymous, want: 503}, // the index has not seen the fixture's events
	{method: "GET", path: "/docs", who: anonymous, want: 200},
	{method: "GET", path: "/docs/init.js", who: anonymous, want: 200},

	{method: "GET", path: "/api/v1/achievements?q=秸秆&highlight=true&size=5", who: anonymous, want: 200},
	{method: "GET", path: "/api/v1/demands?q=秸秆&facets=true&size=5", who: anonymous, want: 200},
	{method: "POST", path: "/api/v1/achievements", who: asScientistS1, want: 201, body: `{"id":"a9","title":"秸秆生物炭制备与土壤改良技术",` +
		`"abstract":"以玉米秸秆为原料低温热解制备生物炭，用于黑土地保育","keywords":["秸秆","生物炭","土壤改良"],"field":"现代农业",` +
		`"institution":"吉林大学","maturity":"中试","transfer_modes":["许可","合作开发"],"price_wan":{"min":30,"max":80},` +
		`"region":{"province":"吉林省","city":"长春市"},"year":2025,"contact":{"name":"张三","phone":"0431-85160000"}}`},
	{method: "GET", path: "/api/v1/achievements/a1", who: anonymous, want: 200},
	{method: "PUT", path: "/api/v1/achievements/a9", who: asScientistS1, want: 200, header: map[string]string{"If-Match": `"1"`},
		body: `{"id":"a9","title":"秸秆生物炭制备与土壤改良技术","abstract":"以玉米秸秆为原料低温热解制备生物炭，用于黑土地保育，已完成中试",` +
			`"keywords":["秸秆","生物炭"],"field":"现代农业","institution":"吉林大学","maturity":"中试","price_wan":{"min":30,"max":60}}`},
	{method: "GET", path: "/api/v1/achievements/a1/matches?limit=3", who: anonymous, want: 200},
	{method: "DELETE", path: "/api/v1/achievements/a9", who: asScientistS1, want: 204},

	{method: "POST", path: "/api/v1/demands", who: asEnterpriseE1, want: 201, body: `{"id":"d9","title":"秸秆纤维板材连续成型工艺",` +
		`"description":"现有秸秆纤维板材强度不足，寻求改性与连续模压成型技术","keywords":["秸秆","复合材料","模压成型"],"field":"新材料",` +
		`"industry":"木材加工","enterprise":{"name":"长春示例化工有限公司"},"region":{"province":"吉林省","city":"长春市"},` +
		`"budget_wan":{"min":50,"max":200},"contact":{"name":"李经理","phone":"0431-81234567"}}`},
	{method: "GET", path: "/api/v1/demands/d1", who: anonymous, want: 200},
	{method: "PUT", path: "/api/v1/demands/d9", who: asEnterpriseE1, want: 200, header: map[string]string{"If-Match": `"1"`},
		body: `{"id":"d9","title":"秸秆纤维板材连续成型工艺","description":"寻求秸秆纤维改性与连续模压成型技术，年产 5 万立方米",` +
			`"keywords":["秸秆","复合材料"],"field":"新材料","enterprise":{"name":"长春示例化工有限公司"},"budget_wan":{"min":80,"max":200}}`},
	{method: "GET", path: "/api/v1/demands/d1/matches?limit=3", who: anonymous, want: 200},
	{method: "DELETE", path: "/api/v1/demands/d9", who: asEnterpriseE1, want: 204},
	{method: "GET", path: "/api/v1/demands/d1/matches/a1", who: anonymous, want: 200},
	{method: "POST", path: "/api/v1/match?limit=2", who: anonymous, want: 200, body: `{"title":"秸秆复合材料","description":"秸秆纤维复合材料成型"}`},
	{method: "GET", path: "/api/v1/demands/d1/solvers", who: anonymous, want: 200},
	{method: "GET", path: "/api/v1/challenges/ch1/solvers", who: anonymous, want: 200},

	{method: "GET", path: "/api/v1/events", who: asOrganiser, want: 200},
	{method: "POST", path: "/api/v1/events", who: asOrganiser, want: 201, body: `{"id":"e9","type":"roadshow","title":"黑土地保护技术成果路演",` +
		`"date":"2026-04-16","start":"09:00","venue":"长春国际会展中心","slots":6,"slot_minutes":15,"region":{"province":"吉林省","city":"长春市"}}`},
	{method: "GET", path: "/api/v1/events/e1", who: asOrganiser, want: 200},
	{method: "PUT", path: "/api/v1/events/e9", who: asOrganiser, want: 200, body: `{"id":"e9","type":"roadshow","title":"黑土地保护技术成果路演",` +
		`"date":"2026-04-17","start":"09:30","venue":"长春国际会展中心","slots":6,"slot_minutes":15,"version":1}`},
	{method: "POST", path: "/api/v1/events/e9/registrations", who: asEnterpriseE1, want: 201, save: "reg",
		body: `{"kind":"enterprise","name":"长春示例化工有限公司","demand_ids":["d1"]}`},
	{method: "PUT", path: "/api/v1/events/e9/registrations/{reg}", who: asEnterpriseE1, want: 200,
		body: `{"kind":"enterprise","name":"长春示例化工有限公司","demand_ids":["d1"],"avoid":[]}`},
	{method: "GET", path: "/api/v1/events/e1/registrations", who: asOrganiser, want: 200},
	{method: "DELETE", path: "/api/v1/events/e9/registrations/{reg}", who: asEnterpriseE1, want: 200},
	{method: "DELETE", path: "/api/v1/events/e9", who: asOrganiser, want: 200},
	{method: "POST", path: "/api/v1/events/e1/lineup", who: asOrganiser, want: 200, body: `{}`},
	{method: "GET", path: "/api/v1/events/e1/lineup", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e1/lineup.xlsx", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e1/lineup.csv", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e1/lineup.html", who: asOrganiser, want: 200},
	{method: "POST", path: "/api/v1/events/e2/schedule", who: asOrganiser, want: 200, body: `{"min_meetings":1}`},
	{method: "GET", path: "/api/v1/events/e2/schedule", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e2/schedule.xlsx", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e2/schedule.csv", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e2/schedule.html", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e2/agenda.xlsx", who: asOrganiser, want: 200},
	{method: "GET", path: "/api/v1/events/e2/agenda/r3.html", who: asOrganiser, want: 200},
	{method: "POST", path: "/api/v1/events/e2/pairings", who: asOrganiser, want: 200, body: `{"broker_id":"b1"}`},

	{method: "GET", path: "/api/v1/brokers", who: anonymous, want: 200},
	{method: "POST", path: "/api/v1/brokers", who: asAdmin, want: 201, body: `{"id":"b9","name":"孙经纪","organisation":"吉林省技术转移中心",` +
		`"level":"中级","fields":["现代农业"],"regions":[{"province":"吉林省","city":"吉林市"}],"phone":"0432-6200000","active":true}`},
	{method: "GET", path: "/api/v1/brokers/b1", who: anonymous, want: 200},
	{method: "PUT", path: "/api/v1/brokers/b9", who: asAdmin, want: 200, body: `{"id":"b9","name":"孙经纪","organisation":"吉林省技术转移中心",` +
		`"level":"高级","fields":["现代农业","新材料"],"regions":[{"province":"吉林省","city":"吉林市"}],"active":true}`},
	{method: "GET", path: "/api/v1/brokers/b1/stats", who: asAdmin, want: 200},

	{method: "POST", path: "/api/v1/pairings", who: asEnterpriseE1, want: 201, save: "pairing",
		body: `{"demand_id":"d1","achievement_id":"a2","source":"match"}`},
	{method: "GET", path: "/api/v1/pairings?status=requested", who: asAdmin, want: 200},
	{method: "GET", path: "/api/v1/pairings/{pairing}", who: asEnterpriseE1, want: 200},
	{method: "POST", path: "/api/v1/pairings/{pairing}/transitions", who: asEnterpriseE1, want: 200, body: `{"to":"requested","note":"想约下周面谈"}`},
	{method: "GET", path: "/api/v1/pairings/{pairing}/brokers?limit=2", who: asAdmin, want: 200},
	{method: "PUT", path: "/api/v1/pairings/{pairing}/broker", who: asAdmin, want: 200, body: `{"broker_id":"b2"}`},
	{method: "GET", path: "/api/v1/pairings/nope", who: asAdmin, want: 404},

	{method: "GET", path: "/api/v1/audit?limit=3", who: asAdmin, want: 200},
	{method: "GET", path: "/api/v1/stats/funnel?group_by=city", who: asAdmin, want: 200},
	{method: "GET", path: "/api/v1/stats/funnel.xlsx", who: asAdmin, want: 200},
	{method: "GET", path: "/api/v1/stats/funnel.csv", who: asAdmin, want: 200},
	{method: "GET", path: "/api/v1/stats/report?year=2026", who: asAdmin, want: 200},

	{method: "GET", path: "/api/v1/challenge-lists", who: anonymous, want: 200},
	{method: "POST", path: "/api/v1/challenge-lists", who: asOrganiser, want: 201, save: "list",
		body: `{"title":"2026年第二批高校院所成果转化榜单","kind":"institute","batch":"2026年第二批","opens_on":"2026-04-01","closes_on":"2026-05-31"}`},
	{method: "POST", path: "/api/v1/challenge-lists/{list}/challenges", who: asOrganiser, want: 201,
		body: `{"demand_id":"d2","reward_wan":80,"duration_months":12,"milestones":[{"title":"中试","due":"2026-12-31"}]}`},
	{method: "POST", path: "/api/v1/challenge-lists/{list}/status", who: asOrganiser, want: 200, body: `{"to":"published"}`},
	{method: "GET", path: "/api/v1/challenge-lists/cl1", who: anonymous, want: 200},
	{method: "GET", path: "/api/v1/challenge-lists/cl1/list.xlsx", who: anonymous, want: 200},
	{method: "GET", path: "/api/v1/challenge-lists/cl1/list.html", who: anonymous, want: 200},
	{method: "POST", path: "/api/v1/challenges/ch1/applications", who: asScientistS2, want: 201,
		body: `{"team":{"name":"玉米淀粉课题组","leader":{"name":"李四","contact":{"mobile":"13500006666"}}},"achievement_ids":["a2"],"proposal":"一年完成样件","budget_wan":90}`},
	{method: "PUT", path: "/api/v1/applications/ap1", who: asScientistS1, want: 200,
		body: `{"team":{"name":"秸秆材料团队","leader":{"name":"张三"}},"achievement_ids":["a1"],"proposal":"分两期实施，首期完成样件","budget_wan":160}`},
	{method: "GET", path: "/api/v1/challenges/ch1/applications", who: asAdmin, want: 200},
	{method: "POST", path: "/api/v1/applications/ap1/reviews", who: asOrganiser, want: 201,
		body: `{"scores":{"技术先进性":8,"团队能力":7,"实施方案":9,"经费合理性":6},"comment":"方案可行"}`},
	{method: "GET", path: "/api/v1/challenges/ch1/reviews.xlsx", who: asOrganiser, want: 200},
	{method: "POST", path: "/api/v1/challenge-lists/cl1/status", who: asOrganiser, want: 200, body: `{"to":"closed"}`},
	{method: "POST", path: "/api/v1/challenges/ch1/award", who: asOrganiser, want: 200, body: `{"application_id":"ap1"}`},
	{method: "POST", path: "/api/v1/challenges/ch1/milestones", who: asOrganiser, want: 200,
		body: `{"index":0,"status":"延期","on":"2026-11-20","note":"设备到货延迟"}`},
	{method: "GET", path: "/api/v1/challenges/ch1/milestones", who: asAdmin, want: 200},

	{method: "POST", path: "/api/v1/demands/d1/feedback", who: asEnterpriseE1, want: 201,
		body: `{"achievement_id":"a1","verdict":"relevant","note":"工艺对口"}`},
	{method: "GET", path: "/api/v1/demands/d1/feedback", who: asEnterpriseE1, want: 200},
	{method: "POST", path: "/api/v1/achievements/a1/feedback", who: asScientistS1, want: 201,
		body: `{"demand_id":"d2","verdict":"not_relevant","note":"方向不符"}`},
	{method: "GET", path: "/api/v1/achievements/a1/feedback", who: asScientistS1, want: 200},
	{method: "GET", path: "/api/v1/matcher", who: anonymous, want: 200},
	{method: "PUT", path: "/api/v1/matcher", who: asAdmin, want: 200, body: `{"version":"default"}`},

	// Errors: validated against the document, never examples.
	{method: "GET", path: "/api/v1/demands/nope", who: anonymous, want: 404},
	{method: "POST", path: "/api/v1/demands", who: asEnterpriseE1, want: 400, body: `{"id":"d8","budget_wan":{"max":"很多"}}`},
	{method: "POST", path: "/api/v1/demands", who: anonymous, want: 401, body: `{"id":"d8","title":"x"}`},
	{method: "PUT", path: "/api/v1/demands/d1", who: asEnterpriseE1, want: 412, header: map[string]string{"If-Match": `"99"`},
		body: `{"id":"d1","title":"秸秆纤维增强复合材料"}`},
}

// TestOpenAPIRecordExamples runs the example scenario, validates every
// answer against the document and compares the 2xx answers with the
// examples the document embeds (openapi_examples.json); -update rewrites
// that file.
func TestOpenAPIRecordExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index and the matcher model: not in -short")
	}
	var opts []openapi3.ValidationOption
	if *updateExamples {
		// The examples being rewritten may not fit changed schemas yet.
		opts = append(opts, openapi3.DisableExamplesValidation())
	}
	doc := loadOpenAPI(t, opts...)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	f := newPairingFixture(t, fixtureOptions{search: true})
	saved := map[string]string{}
	// Token ids are random: replace them by the caller's name. The
	// fixture's secrets become plain example contacts (the document is
	// public: TestNoContactLeaks reads it too).
	replace := []string{secretDemandPhone, "0431-81234567", secretDemandExtra, "wx-example", secretDemandEmail, "contact@example.cn",
		secretAchPhone, "0431-85160000", secretInventor, "0431-85160001", secretAchExtra, "qq-example", secretAchAddress, "长春市前进大街 2699 号",
		secretBrokerPhone, "0431-88880000", secretBrokerEmail, "broker@example.cn", secretLeaderPhone, "0431-85160002"}
	for who, id := range f.ids {
		replace = append(replace, id, "tok-"+who)
	}
	tokens := strings.NewReplacer(replace...)
	// Builds stamp the wall clock: show the fixture's.
	wall := regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z"`)
	now := `"` + f.now.Format(time.RFC3339) + `"`
	norm := func(s string) string { return wall.ReplaceAllLiteralString(tokens.Replace(s), now) }
	got := map[string]server.RecordedExample{}
	for _, st := range exampleScenario {
		path := st.path
		for k, v := range saved {
			path = strings.ReplaceAll(path, "{"+k+"}", v)
		}
		req := httptest.NewRequest(st.method, path, strings.NewReader(st.body))
		if st.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range st.header {
			req.Header.Set(k, v)
		}
		if tok := f.tokens[st.who]; tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		if w.Code != st.want {
			t.Fatalf("%s %s: status %d, want %d: %.600s", st.method, path, w.Code, st.want, w.Body.String())
		}
		if err := validateAnswer(router, st.method, path, w); err != nil {
			t.Errorf("%s %s → %d: answer does not match the document: %v\n%.600s", st.method, path, w.Code, err, w.Body.String())
		}
		if st.save != "" {
			var v struct {
				ID string `json:"id"`
			}
			json.Unmarshal(w.Body.Bytes(), &v)
			saved[st.save] = v.ID
		}
		route, _, err := router.FindRoute(httptest.NewRequest(st.method, path, nil))
		if err != nil {
			t.Fatal(err)
		}
		if r := route.Operation.Responses.Status(w.Code); r == nil || r.Ref != "" {
			continue // an error: not an example
		}
		key := st.method + " " + ginPath(route.Path)
		if _, dup := got[key]; dup {
			continue // the first answer is the example
		}
		ex := server.RecordedExample{Status: w.Code}
		if st.body != "" {
			ex.Request = compactJSON(t, st.body)
		}
		for _, h := range server.DescribedHeaders {
			if v := w.Header().Get(h); v != "" {
				if ex.Headers == nil {
					ex.Headers = map[string]string{}
				}
				ex.Headers[h] = norm(v)
			}
		}
		switch media := w.Header().Get("Content-Type"); {
		case strings.HasPrefix(media, "application/json"):
			ex.Response = compactJSON(t, norm(w.Body.String()))
		case strings.HasPrefix(media, "text/"):
			ex.Text = server.ExampleText(norm(w.Body.String()))
		}
		got[key] = ex
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *updateExamples {
		if err := os.WriteFile("openapi_examples.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile("openapi_examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]server.RecordedExample
	if err := json.Unmarshal(old, &want); err != nil {
		t.Fatalf("openapi_examples.json: %v", err)
	}
	for _, k := range sortedKeys(got, want) {
		g, _ := json.Marshal(got[k])
		w, _ := json.Marshal(want[k])
		if !bytes.Equal(g, w) {
			t.Errorf("%s: the recorded example differs from the answer now:\n  file: %.300s\n  now:  %.300s", k, w, g)
		}
	}
	if t.Failed() {
		t.Log("if the new answers are right: go test ./server -run TestOpenAPIRecordExamples -update")
	}
}

// The validator reads pages, scripts and files as strings.
func init() {
	for _, media := range []string{"text/html", "text/javascript", "text/csv", "text/css"} {
		openapi3filter.RegisterBodyDecoder(media, openapi3filter.FileBodyDecoder)
	}
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

func sortedKeys[V any](ms ...map[string]V) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func compactJSON(tb testing.TB, s string) json.RawMessage {
	tb.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		tb.Fatalf("not JSON: %v: %.200s", err, s)
	}
	return b.Bytes()
}

// ginPath turns /a/{id} back into /a/:id.
func ginPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIEveryOperationHasExamples fails when an operation has a
// request body without an example, or a success answer without one.
func TestOpenAPIEveryOperationHasExamples(t *testing.T) {
	doc := loadOpenAPI(t)
	fix := "add a step for it to exampleScenario in server/openapi_examples_test.go and run " +
		"`go test ./server -run TestOpenAPIRecordExamples -update` (or set Example/BodyExample in its apiRoutes entry in server/openapi.go)"
	n := 0
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			key := method + " " + ginPath(path)
			n++
			if rb := op.RequestBody; rb != nil && rb.Value.Content["application/json"].Example == nil {
				t.Errorf("%s has no request body example: %s", key, fix)
			}
			if !hasSuccessExample(op) {
				t.Errorf("%s has no success answer example: %s", key, fix)
			}
		}
	}
	if n < 80 {
		t.Errorf("only %d operations described", n)
	}
}

// hasSuccessExample: a 2xx answer with an example body, or without a body
// (204), or a file whose example is its Content-Disposition.
func hasSuccessExample(op *openapi3.Operation) bool {
	for status, r := range op.Responses.Map() {
		if !strings.HasPrefix(status, "2") || r.Value == nil {
			continue
		}
		if len(r.Value.Content) == 0 {
			return true
		}
		for _, mt := range r.Value.Content {
			if mt.Example != nil {
				return true
			}
		}
		if h := r.Value.Headers["Content-Disposition"]; h != nil && h.Value != nil && h.Value.Example != nil {
			return true
		}
	}
	return false
}

func validateAnswer(router routers.Router, method, path string, w *httptest.ResponseRecorder) error {
	req := httptest.NewRequest(method, path, nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		return err
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: w.Code,
		Header: w.Header(),
		Body:   io.NopCloser(bytes.NewReader(w.Body.Bytes())),
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return err
	}
	if w.Header().Get("X-Request-Id") == "" {
		return fmt.Errorf("no X-Request-Id header")
	}
	return nil
}
