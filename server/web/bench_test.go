package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
	"github.com/techmatch/techmatch/server/web"
)

// benchPages measures server time per page (no network) for the signed-in
// cookies: ns/op is the mean, p50-ms and p99-ms the percentiles of the
// iterations, cpu-ms/op the process's CPU time per page (user + system,
// GC included: less noisy than wall time on a shared machine), resp-bytes
// the gzipped page.
// A page named "x-first" is x with the record pages' match cache emptied
// before each view (wb set): a record's first view.
func benchPages(b *testing.B, h http.Handler, wb *web.Workbench, cookies []*http.Cookie, pages map[string]string) {
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, pages[name], nil)
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			req.Header.Set("Accept-Encoding", "gzip")
			// Warm (the matcher builds its model on first use) and check
			// that the page shows what it is measured for.
			warm, wreq := httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, pages[name], nil)
			for _, ck := range cookies {
				wreq.AddCookie(ck)
			}
			h.ServeHTTP(warm, wreq)
			if want := pageWants[name]; want != "" && !strings.Contains(warm.Body.String(), want) {
				b.Fatalf("%s (%s): status %d, no %q on the page: %.500s", name, pages[name], warm.Code, want, warm.Body.String())
			}
			durs := make([]time.Duration, 0, b.N)
			var bytes int
			b.ReportAllocs()
			cpu0 := cpuTime()
			first := strings.HasSuffix(name, "-first")
			for b.Loop() {
				if first {
					web.ResetMatchCache(wb)
				}
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				durs = append(durs, time.Since(start))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: status %d", name, w.Code)
				}
				bytes = w.Body.Len()
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(durs)), "cpu-ms/op")
			slices.Sort(durs)
			b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(bytes), "resp-bytes")
		})
	}
}

// pageWants is what each benchmarked page must show (so that a page
// failing fast is not measured as fast).
var pageWants = map[string]string{
	"demand-first":      `class="match"`,
	"achievement-first": `class="match"`,
	"search":            `class="hit"`,
	"demand":            `class="match"`,
	"achievement":       `class="match"`,
	"pairings":          `class="bcard"`,
	"pairing":           `id="side-a"`,
	"stats":             `class="chart`,
	"events":            `href="/events/`,
	"challenges":        `class="match challenge"`,
}

// cpuTime is the CPU time the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDemoPages measures the main pages on the demo catalogue (30000
// achievements, 16000 demands, the demo brokers, events, pairings and
// 揭榜挂帅 lists) as `techmatch serve` seeds it. It needs a data folder
// made by the binary, copied because the benchmark adds a token to it:
//
//	techmatch serve -data /tmp/demo   # once: seeds and indexes, then Ctrl-C
//	cp -r /tmp/demo /tmp/demo-bench
//	TECHMATCH_BENCH_DATA=/tmp/demo-bench go test ./server/web/ -run '^$' -bench BenchmarkDemoPages -benchtime 100x
func BenchmarkDemoPages(b *testing.B) {
	dir := os.Getenv("TECHMATCH_BENCH_DATA")
	if dir == "" {
		b.Skip("set TECHMATCH_BENCH_DATA to a copy of a `techmatch serve` data folder holding the demo catalogue")
	}
	ctx := context.Background()
	db, err := bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ix, err := index.Open(ctx, filepath.Join(dir, "index"), db, index.Options{Logger: discard()})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx); err != nil { // as serve's catch-up does
		b.Fatal(err)
	}
	m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix,
		ModelStore: matcher.FileModelStore{Path: filepath.Join(dir, "matcher.model")}, ModelKey: ix.AnalysisID()}
	if err := m.Open(ctx); err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	s := server.NewServer()
	wb := &web.Workbench{Store: db, Index: ix, Matcher: m, Events: db, Logger: discard(), API: s}
	s.Store, s.Index, s.Matcher, s.Events, s.Logger, s.Web = db, ix, m, db, discard(), wb
	s.Brokers, s.Pairings, s.Audit, s.Challenges, s.Applications, s.Reviews = db, db, db, db, db, db

	brokers, err := db.ListBrokers(ctx)
	if err != nil || len(brokers) == 0 {
		b.Fatalf("no demo brokers (%v): the folder lacks the seeded pipeline", err)
	}
	secret, _, err := db.CreateToken(ctx, data.TokenSpec{Role: data.RoleBroker, Name: "基准测试经纪人", BrokerID: brokers[0].ID})
	if err != nil {
		b.Fatal(err)
	}
	ps, err := db.ListPairings(ctx, data.PairingFilter{})
	if err != nil || len(ps) == 0 {
		b.Fatalf("no demo pairings (%v)", err)
	}
	evs, err := db.ListEvents(ctx)
	if err != nil || len(evs) == 0 {
		b.Fatalf("no demo events (%v)", err)
	}
	lists, err := db.ListChallengeLists(ctx)
	if err != nil || len(lists) == 0 {
		b.Fatalf("no demo challenge lists (%v)", err)
	}
	p := ps[len(ps)/2]
	pages := map[string]string{
		"home":        "/",
		"search":      "/search?q=" + url.QueryEscape("秸秆") + "&kind=demands",
		"demand":      "/demands/" + p.DemandID, // a demand with a pairing: its verdicts re-rank
		"achievement": "/achievements/" + p.AchievementID,
		// The record pages without the match cache: a first view.
		"demand-first":      "/demands/" + p.DemandID,
		"achievement-first": "/achievements/" + p.AchievementID,
		"events":            "/events",
		"event":             "/events/" + evs[0].ID,
		"pairings":          "/pairings",
		"pairing":           "/pairings/" + p.ID,
		"stats":             "/stats?year=2025",
		"challenges":        "/challenges/" + lists[0].ID,
		"broker":            "/brokers/" + brokers[0].ID,
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &client{tb: b, base: srv.URL, hc: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	c.get("/login")
	if resp, body := c.post("/login", url.Values{"token": {secret}, "next": {"/"}}); resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("sign in: status %d: %.300s", resp.StatusCode, body)
	}
	u, _ := url.Parse(srv.URL)
	benchPages(b, s.Handler(), wb, jar.Cookies(u), pages)
}
