package server_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// BenchmarkChallengeSolvers measures GET /api/v1/challenges/:id/solvers
// through the real handler (the gin engine, in process: the demand's 100
// best matches from the index and the matcher, grouped and ranked by
// institution) on a data directory made by `techmatch serve` — the demo
// catalogue with its 22 challenges — going round the challenges. It
// reports p50 and p99 in ms and the process's CPU ms per request beside
// ns/op. The setup (the matcher's model) is not timed.
//
//	go run ./cmd/techmatch serve --data /tmp/tm   # once; wait for index_lag 0; stop it
//	TECHMATCH_BENCH_DATA=/tmp/tm go test ./server -run '^$' -bench ChallengeSolvers -benchtime 220x
func BenchmarkChallengeSolvers(b *testing.B) {
	dir := os.Getenv("TECHMATCH_BENCH_DATA")
	if dir == "" {
		b.Skip("set TECHMATCH_BENCH_DATA to a data directory made by `techmatch serve` to run the solver benchmark")
	}
	ctx := context.Background()
	db, err := bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	chs, err := db.Challenges(ctx, "")
	if err != nil || len(chs) == 0 {
		b.Fatalf("the data directory has no challenges (%v): make it with `techmatch serve`, which seeds the demo's", err)
	}
	ix, err := index.Open(ctx, filepath.Join(dir, "index"), db, index.Options{Logger: discardLogger()})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix}
	if err := m.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	s := server.NewServer()
	s.Store, s.Index, s.Matcher, s.Challenges = db, ix, m, db
	s.Logger = discardLogger()
	h := s.Handler().(*gin.Engine)
	get := func(i int) time.Duration {
		path := "/api/v1/challenges/" + chs[i%len(chs)].ID + "/solvers?limit=20"
		start := time.Now()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			b.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		return time.Since(start)
	}
	for i := range len(chs) { // warm up
		get(i)
	}
	lat := make([]time.Duration, 0, b.N)
	cpu0 := cpuTime(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		lat = append(lat, get(i))
	}
	b.StopTimer()
	// CPU time per request (the process's, user + system): less swayed
	// than the wall clock by other work on a loaded machine.
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
