package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/techmatch/techmatch/server/web"
)

var (
	srvOnce sync.Once
	srv     *httptest.Server
)

// baseURL is the fixture served over HTTP (one server per test binary).
func baseURL(tb testing.TB) string {
	f := sharedFixture(tb)
	srvOnce.Do(func() { srv = httptest.NewServer(f.handler) })
	return srv.URL
}

// client is a browser-like client: cookies, no redirects followed.
type client struct {
	tb   testing.TB
	base string
	hc   *http.Client
	csrf string
}

func newClient(tb testing.TB) *client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{tb: tb, base: baseURL(tb), hc: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.tb.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.tb.Fatal(err)
	}
	if m := csrfRe.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post sends a form; csrf is added unless the form has one already.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.tb.Helper()
	if !form.Has("csrf") {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signIn returns a client signed in with the token of who ("" stays out).
func signIn(tb testing.TB, who string) *client {
	tb.Helper()
	c := newClient(tb)
	if who == "" {
		return c
	}
	c.get("/login")
	resp, body := c.post("/login", url.Values{"token": {sharedFixture(tb).tokens[who]}, "next": {"/"}})
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("sign in as %s: status %d: %s", who, resp.StatusCode, body)
	}
	return c
}

// TestPagesShowContactsOnlyToThoseWithTheRight walks every page route ×
// every role and asserts which private contact values appear: exactly the
// allowed ones (so that the test fails both on a leak and on a page that
// stops showing what it should). It fails when a route is added without a
// case here.
func TestPagesShowContactsOnlyToThoseWithTheRight(t *testing.T) {
	f := sharedFixture(t)
	roles := []string{"", "enterprise", "other", "organiser", "broker", "admin"}
	ownContact := []string{"0431-88886666", "wang.straw@example.cn"}
	d, err := f.db.Demand(t.Context(), f.otherDemand)
	if err != nil {
		t.Fatal(err)
	}
	otherContact := []string{d.Contact.Phone}
	a, err := f.db.Achievement(t.Context(), f.achievement)
	if err != nil {
		t.Fatal(err)
	}
	var inventorContacts []string
	for _, p := range a.Inventors {
		if p.Contact != "" {
			inventorContacts = append(inventorContacts, p.Contact)
		}
	}
	ra, err := f.db.Achievement(t.Context(), f.requestedAch)
	if err != nil {
		t.Fatal(err)
	}
	var requestedContacts []string
	for _, p := range ra.Inventors {
		if p.Contact != "" {
			requestedContacts = append(requestedContacts, p.Contact)
		}
	}
	liContact := []string{"13800001111", "li.broker@example.cn"}
	zhouContact := []string{"13900002222", "zhou.broker@example.cn"}
	signedIn := func(role string) int {
		if role == "" {
			return http.StatusUnauthorized
		}
		return http.StatusOK
	}
	partyOrStaff := func(role string) int {
		switch role {
		case "":
			return http.StatusUnauthorized
		case "other":
			return http.StatusForbidden
		}
		return http.StatusOK
	}
	// Records show contact data to admins and owners only (the API's
	// rule since pairings: others see it through a consented pairing).
	staff := func(role string, vals []string) []string {
		if role == "admin" {
			return vals
		}
		return nil
	}
	cases := []struct {
		pattern string
		path    string
		allowed func(role string) []string
		status  func(role string) int
	}{
		{"GET /{$}", "/", nil, nil},
		{"GET /login", "/login", nil, nil},
		{"GET /search", "/search?q=" + url.QueryEscape("秸秆") + "&kind=demands", nil, nil},
		{"GET /search", "/search?q=" + url.QueryEscape("秸秆") + "&kind=achievements", nil, nil},
		{"GET /demands/{id}", "/demands/" + f.ownDemand, func(role string) []string {
			if role == "enterprise" {
				return ownContact
			}
			return staff(role, ownContact)
		}, nil},
		{"GET /demands/{id}", "/demands/" + f.otherDemand, func(role string) []string { return staff(role, otherContact) }, nil},
		{"GET /achievements/{id}", "/achievements/" + f.achievement, func(role string) []string { return staff(role, inventorContacts) }, nil},
		{"GET /submit", "/submit", nil, func(role string) int {
			switch role {
			case "":
				return http.StatusUnauthorized
			case "organiser":
				return http.StatusForbidden
			}
			return http.StatusOK
		}},
		{"GET /events", "/events", nil, nil},
		{"GET /events/{id}", "/events/" + f.roadshow, nil, nil},
		{"GET /events/{id}", "/events/" + f.salon, nil, nil},
		{"GET /events/{id}/schedule.xlsx", "/events/" + f.salon + "/schedule.xlsx", nil, unpublished(nil)},
		{"GET /events/{id}/schedule.csv", "/events/" + f.salon + "/schedule.csv", nil, unpublished(nil)},
		// The roadshow has no lineup until a test builds one: 404 is the
		// page that says so; the journey test downloads the built one.
		{"GET /events/{id}/lineup.xlsx", "/events/" + f.roadshow + "/lineup.xlsx", nil, unpublished(lineupStatus(f))},
		{"GET /events/{id}/lineup.csv", "/events/" + f.roadshow + "/lineup.csv", nil, unpublished(lineupStatus(f))},
		{"GET /events/{id}/lineup.html", "/events/" + f.roadshow + "/lineup.html", nil, unpublished(lineupStatus(f))},
		{"GET /pairings", "/pairings", nil, signedIn},
		// Both sides agreed: the enterprise sees the achievement's contacts
		// too; the assigned broker and admins both; the organiser none.
		{"GET /pairings/{id}", "/pairings/" + f.consented, func(role string) []string {
			switch role {
			case "enterprise", "broker", "admin":
				return append(slices.Clone(ownContact), inventorContacts...)
			}
			return nil
		}, partyOrStaff},
		// Requested, unanswered, no broker: the enterprise sees its own
		// contact only; a broker not assigned sees none; admins both.
		{"GET /pairings/{id}", "/pairings/" + f.requested, func(role string) []string {
			switch role {
			case "enterprise":
				return ownContact
			case "admin":
				return append(slices.Clone(ownContact), requestedContacts...)
			}
			return nil
		}, partyOrStaff},
		{"GET /stats", "/stats?year=2025", nil, func(role string) int {
			switch role {
			case "":
				return http.StatusUnauthorized
			case "enterprise", "other":
				return http.StatusForbidden
			}
			return http.StatusOK
		}},
		{"GET /brokers", "/brokers", func(role string) []string {
			switch role {
			case "admin":
				return append(slices.Clone(liContact), zhouContact...)
			case "broker":
				return liContact
			}
			return nil
		}, nil},
		{"GET /brokers/{id}", "/brokers/" + f.brokerLi, func(role string) []string {
			if role == "admin" || role == "broker" {
				return liContact
			}
			return nil
		}, nil},
		{"GET /brokers/{id}", "/brokers/" + f.brokerZhou, func(role string) []string {
			if role == "admin" {
				return zhouContact
			}
			return nil
		}, nil},
		{"GET /challenges", "/challenges", nil, nil},
		{"GET /challenges/{id}", "/challenges/" + f.challengeList, nil, nil},
		{"GET /assets/", "/assets/app.css", nil, nil},
	}
	// POST routes are covered by TestFormsNeedCSRF.
	covered := map[string]bool{"POST /login": true, "POST /logout": true, "POST /submit": true,
		"POST /events/{id}/lineup": true, "POST /events/{id}/schedule": true,
		"POST /pairings": true, "POST /pairings/{id}/transitions": true,
		"POST /demands/{id}/feedback": true, "POST /achievements/{id}/feedback": true,
		"POST /challenges": true, "POST /challenges/{id}/status": true, "POST /challenges/{id}/challenges": true}
	for _, c := range cases {
		covered[c.pattern] = true
	}
	newClient(t).get("/") // the workbench registers its routes on first use
	for _, p := range web.Patterns(f.wb) {
		if !covered[p] {
			t.Errorf("route %q has no case in the route × role test", p)
		}
	}

	for _, role := range roles {
		c := signIn(t, role)
		for _, tc := range cases {
			resp, body := c.get(tc.path)
			want := http.StatusOK
			if tc.status != nil {
				want = tc.status(role)
			}
			if resp.StatusCode != want {
				t.Errorf("%s as %q: status %d, want %d", tc.path, role, resp.StatusCode, want)
			}
			if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				if bad := inlineCode(body, resp.Header.Get("Content-Security-Policy")); bad != "" {
					t.Errorf("%s as %q: %s, which the CSP refuses", tc.path, role, bad)
				}
			}
			var allowed []string
			if tc.allowed != nil {
				allowed = tc.allowed(role)
			}
			for _, v := range f.contacts {
				shown, ok := strings.Contains(body, v), slices.Contains(allowed, v)
				if shown && !ok {
					t.Errorf("%s as %q shows contact data %q", tc.path, role, v)
				}
			}
			for _, v := range allowed {
				if !strings.Contains(body, v) {
					t.Errorf("%s as %q does not show the contact %q it may see", tc.path, role, v)
				}
			}
		}
	}
}

var (
	scriptRe  = regexp.MustCompile(`<script\b[^>]*>`)
	handlerRe = regexp.MustCompile(`<[a-z][^>]*\son[a-z]+\s*=`)
	styleRe   = regexp.MustCompile(`<[a-z][^>]*\sstyle\s*=|<style\b`)
)

// inlineCode names the first inline script, event handler or style of a
// page that its CSP refuses (the workbench's allows only the binary's own
// files; the printable booklet's allows its inline styles), or "".
func inlineCode(body, csp string) string {
	if csp == "" || strings.Contains(csp, "script-src 'unsafe") {
		return "a CSP without script-src 'self' only: " + csp
	}
	for _, tag := range scriptRe.FindAllString(body, -1) {
		if !strings.Contains(tag, ` src="/assets/`) {
			return "inline script " + tag
		}
	}
	if m := handlerRe.FindString(body); m != "" {
		return "event handler attribute " + m
	}
	if m := styleRe.FindString(body); m != "" && !strings.Contains(csp, "style-src 'unsafe-inline'") {
		return "inline style " + m
	}
	return ""
}

// lineupStatus is 200 once the roadshow has a lineup, else 404.
// unpublished is the status of an unpublished event's programme: 401 without
// a token, else what next says (200 when next is nil).
func unpublished(next func(string) int) func(string) int {
	return func(role string) int {
		switch {
		case role == "":
			return http.StatusUnauthorized
		case next == nil:
			return http.StatusOK
		}
		return next(role)
	}
}

func lineupStatus(f *fixture) func(string) int {
	return func(string) int {
		ev, err := f.db.Event(context0(), f.roadshow)
		if err == nil && ev.Lineup != nil {
			return http.StatusOK
		}
		return http.StatusNotFound
	}
}

func TestFormsNeedCSRF(t *testing.T) {
	f := sharedFixture(t)
	posts := []struct {
		path string
		who  string
		form url.Values
		ok   int // the status with a valid token
	}{
		{"/login", "", url.Values{"token": {f.tokens["broker"]}}, http.StatusSeeOther},
		{"/logout", "broker", url.Values{}, http.StatusSeeOther},
		{"/submit", "enterprise", url.Values{"title": {""}}, http.StatusBadRequest},
		{"/events/" + f.salon + "/schedule", "organiser", url.Values{}, http.StatusSeeOther},
		{"/events/" + f.roadshow + "/lineup", "broker", url.Values{}, http.StatusForbidden},
		// An existing pairing comes back (303 to it) and nothing is written.
		{"/pairings", "broker", url.Values{"demand_id": {f.ownDemand}, "achievement_id": {f.achievement}}, http.StatusSeeOther},
		// 相关 / 不相关 by the demand's owner and by a broker.
		{"/demands/" + f.ownDemand + "/feedback", "enterprise", url.Values{"candidate": {f.achievement}, "verdict": {"relevant"}}, http.StatusSeeOther},
		{"/achievements/" + f.achievement + "/feedback", "broker", url.Values{"candidate": {f.otherDemand}, "verdict": {"not_relevant"}}, http.StatusSeeOther},
		// 揭榜挂帅 forms: refused or invalid, nothing written.
		{"/challenges", "organiser", url.Values{"title": {""}}, http.StatusBadRequest},
		{"/challenges/" + f.challengeList + "/status", "broker", url.Values{"to": {"closed"}}, http.StatusForbidden},
		{"/challenges/" + f.challengeList + "/challenges", "organiser", url.Values{"demand_id": {""}}, http.StatusBadRequest},
		// Signing without a contract: 400 with the fields, nothing written.
		{"/pairings/" + f.consented + "/transitions", "admin", url.Values{"to": {"signed"}}, http.StatusBadRequest},
	}
	for _, p := range posts {
		t.Run(p.path, func(t *testing.T) {
			c := signIn(t, p.who)
			c.get("/login")
			good := c.csrf
			if good == "" {
				t.Fatal("no CSRF token on the sign-in page")
			}
			other := signIn(t, p.who)
			other.get("/login")
			for name, tok := range map[string]string{"missing": "", "wrong": flipFirst(good), "another session's": other.csrf} {
				form := cloneForm(p.form)
				form.Set("csrf", tok)
				resp, body := c.post(p.path, form)
				if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "表单已过期或来源不可信") {
					t.Errorf("%s token: status %d, want 403 with the Chinese message", name, resp.StatusCode)
				}
			}
			// A valid token from another origin is refused too.
			form := cloneForm(p.form)
			form.Set("csrf", good)
			req, _ := http.NewRequest(http.MethodPost, c.base+p.path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "http://evil.example")
			if resp, _ := c.do(req); resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-origin post: status %d, want 403", resp.StatusCode)
			}
			form = cloneForm(p.form)
			form.Set("csrf", good)
			if resp, body := c.post(p.path, form); resp.StatusCode != p.ok {
				t.Errorf("valid token: status %d, want %d: %.300s", resp.StatusCode, p.ok, body)
			}
		})
	}
}

// flipFirst changes the first character of s, so the result never equals s.
func flipFirst(s string) string {
	if s[0] == 'x' {
		return "y" + s[1:]
	}
	return "x" + s[1:]
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func TestSignInAndOut(t *testing.T) {
	c := newClient(t)
	c.get("/login")
	resp, body := c.post("/login", url.Values{"token": {"tm_not_a_token"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "令牌无效") {
		t.Fatalf("bad token: status %d", resp.StatusCode)
	}
	resp, _ = c.post("/login", url.Values{"token": {sharedFixture(t).tokens["broker"]}, "next": {"//evil.example/x"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("sign in: status %d, location %q (an off-site next must go home)", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "tm_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v: want HttpOnly and SameSite=Strict", session)
	}
	if _, body := c.get("/"); !strings.Contains(body, "李经纪（技术经纪人）") {
		t.Fatal("home page does not show the signed-in broker")
	}
	c.get("/")
	if resp, _ := c.post("/logout", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: status %d", resp.StatusCode)
	}
	if _, body := c.get("/"); strings.Contains(body, "李经纪") {
		t.Fatal("still signed in after signing out")
	}
	// The old session id is dead even if a client kept it.
	c2 := newClient(t)
	u, _ := url.Parse(c2.base)
	c2.hc.Jar.SetCookies(u, []*http.Cookie{session})
	if _, body := c2.get("/"); strings.Contains(body, "李经纪") {
		t.Fatal("a signed-out session id still works")
	}
}

func TestHeaders(t *testing.T) {
	c := newClient(t)
	for _, path := range []string{"/", "/search?q=" + url.QueryEscape("秸秆"), "/assets/vendor/htmx.min.js", "/no/such/page"} {
		req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not gzipped", path)
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, err := io.ReadAll(zr)
		resp.Body.Close()
		if err != nil || len(body) == 0 {
			t.Errorf("%s: gzip body: %v", path, err)
		}
		if path == "/no/such/page" && (resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "没有这个页面")) {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
		if strings.HasPrefix(path, "/") && strings.Contains(string(body), "<script>") {
			t.Errorf("%s: inline script", path)
		}
	}
	// The API keeps answering JSON.
	if resp, body := c.get("/api/v1/nope"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
		t.Errorf("API 404: status %d body %.100s", resp.StatusCode, body)
	}
}

// TestSearchPage checks totals, facets with counts, highlights and paging.
func TestSearchPage(t *testing.T) {
	c := newClient(t)
	resp, body := c.get("/search?q=" + url.QueryEscape("秸秆") + "&kind=demands")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"<mark>秸秆</mark>", `class="count"`, "技术领域", "第 1 / ", `rel="next"`} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	m := regexp.MustCompile(`共 <strong>(\d+)</strong> 条技术需求`).FindStringSubmatch(body)
	if m == nil || m[1] == "0" {
		t.Fatalf("no total on the search page")
	}
	_, page2 := c.get("/search?q=" + url.QueryEscape("秸秆") + "&kind=demands&page=2")
	if !strings.Contains(page2, "第 2 / ") || !strings.Contains(page2, `rel="prev"`) {
		t.Error("page 2 lacks its position or a link back")
	}
}

// TestSubmitShowsFieldErrors posts a demand without a title: the Chinese
// message is at the title field, the values typed are kept.
func TestSubmitShowsFieldErrors(t *testing.T) {
	c := signIn(t, "enterprise")
	c.get("/submit")
	resp, body := c.post("/submit", url.Values{"description": {"玉米秸秆青贮"}, "budget_min": {"五十"}, "contact.email": {"no-at-sign"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`<p class="ferr" id="err-title">名称不能为空</p>`,
		`id="err-budget_wan">预算应填写数字`,
		`id="err-contact.email">`,
		`玉米秸秆青贮</textarea>`,
		`aria-invalid="true" aria-describedby="err-title" autofocus`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("submit page lacks %q", want)
		}
	}
	resp, _ = c.post("/submit", url.Values{"title": {"玉米秸秆青贮饲料发酵菌剂"}, "keywords": {"秸秆、青贮"}, "budget_max": {"80"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/demands/") {
		t.Fatalf("valid submit: status %d location %q", resp.StatusCode, loc)
	}
	resp, body = c.get(loc)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "需求已提交") || !strings.Contains(body, `class="match"`) {
		t.Fatalf("the new demand's page: status %d, no confirmation or matches", resp.StatusCode)
	}
}

// BenchmarkPages measures server time per page on the fixture's small
// catalogue (benchPages; BenchmarkDemoPages does the demo catalogue).
func BenchmarkPages(b *testing.B) {
	f := sharedFixture(b)
	c := signIn(b, "broker")
	u, _ := url.Parse(c.base)
	cookies := c.hc.Jar.Cookies(u)
	pages := map[string]string{
		"home":              "/",
		"search":            "/search?q=" + url.QueryEscape("秸秆") + "&kind=demands",
		"demand":            "/demands/" + f.otherDemand,
		"achievement":       "/achievements/" + f.achievement,
		"demand-first":      "/demands/" + f.otherDemand,
		"achievement-first": "/achievements/" + f.achievement,
		"submit":            "/submit",
		"events":            "/events",
		"salon":             "/events/" + f.salon,
		"pairings":          "/pairings",
		"pairing":           "/pairings/" + f.consented,
		"stats":             "/stats?year=2025",
		"challenge":         "/challenges/" + f.challengeList,
		// The API's matches of the same records, for comparison: the
		// record pages' time is mostly the matcher's.
		"api-demand-matches":      "/api/v1/demands/" + f.otherDemand + "/matches?limit=10",
		"api-achievement-matches": "/api/v1/achievements/" + f.achievement + "/matches?limit=10",
	}
	benchPages(b, f.handler, f.wb, cookies, pages)
}

// TestSearchPageWeight sums the search page and every asset it loads,
// uncompressed: the budget is 1.5 MB.
func TestSearchPageWeight(t *testing.T) {
	c := newClient(t)
	_, body := c.get("/search?q=" + url.QueryEscape("秸秆") + "&kind=demands")
	total := len(body)
	refs := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(body, -1)
	if len(refs) < 3 {
		t.Fatalf("found %d assets on the search page", len(refs))
	}
	for _, m := range refs {
		resp, asset := c.get(m[1])
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", m[1], resp.StatusCode)
		}
		total += len(asset)
	}
	t.Logf("search page with %d assets: %d bytes uncompressed", len(refs), total)
	if total > 1_500_000 {
		t.Errorf("the search page weighs %d bytes with its assets, over 1.5 MB", total)
	}
}
