package eval

import (
	"context"
	"os"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/matcher"
)

var (
	demoOnce sync.Once
	demoEnv  *Env
	demoErr  error
)

// demoCatalogue loads the 46,000-record demo catalogue into a temporary
// store and index once per test binary (about a minute).
func demoCatalogue(tb testing.TB) *Env {
	tb.Helper()
	demoOnce.Do(func() {
		demoEnv, demoErr = LoadRecords(context.Background(), demo.Achievements(), demo.Demands(), MatchOptions{BuildOptions: BuildOptions{TempDir: os.TempDir()}})
		if s := os.Getenv("BENCH_SETTLE"); s != "" {
			d, _ := time.ParseDuration(s)
			time.Sleep(d)
		}
	})
	if demoErr != nil {
		tb.Fatal(demoErr)
	}
	return demoEnv
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoEnv != nil {
		demoEnv.Close()
	}
	os.Exit(code)
}

// BenchmarkMatchDemand measures MatchDemand (top 20 of 300 candidates) on
// the demo catalogue, each iteration a different demand, so that the
// demand's query is never cached; it reports the latency percentiles.
func BenchmarkMatchDemand(b *testing.B) {
	e := demoCatalogue(b)
	benchMatch(b, e, func(ctx context.Context, id string) error {
		_, err := e.Matcher.MatchDemand(ctx, id, matcher.Options{})
		return err
	})
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(e.ModelSeconds, "model-build-s")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
}

// BenchmarkMatchAchievement measures the other direction.
func BenchmarkMatchAchievement(b *testing.B) {
	e := demoCatalogue(b)
	achs, err := e.Store.ListAchievements(context.Background(), dataList(2000))
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(achs))
	for i, a := range achs {
		ids[i] = a.ID
	}
	i := 0
	benchMatchIDs(b, ids, func(ctx context.Context, id string) error {
		i++
		_, err := e.Matcher.MatchAchievement(ctx, id, matcher.Options{})
		return err
	})
}

func benchMatch(b *testing.B, e *Env, fn func(context.Context, string) error) {
	ids := make([]string, 0, len(e.Demands))
	for id := range e.Demands {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	benchMatchIDs(b, ids, fn)
}

func benchMatchIDs(b *testing.B, ids []string, fn func(context.Context, string) error) {
	ctx := context.Background()
	lat := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := ids[(i*7919)%len(ids)]
		t0 := time.Now()
		if err := fn(ctx, id); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
	}
	b.StopTimer()
	sort.Float64s(lat)
	b.ReportMetric(lat[len(lat)/2], "p50-ms")
	b.ReportMetric(lat[min(len(lat)-1, len(lat)*99/100)], "p99-ms")
}

func dataList(n int) data.ListOptions { return data.ListOptions{Limit: n} }

// BenchmarkCandidateSearch measures the index search of MatchDemand alone.
func BenchmarkCandidateSearch(b *testing.B) {
	e := demoCatalogue(b)
	ctx := context.Background()
	ids := make([]string, 0, len(e.Demands))
	for id := range e.Demands {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var qs []data.SearchQuery
	for i := 0; i < 500; i++ {
		q, err := e.Matcher.CandidateQuery(ctx, e.Demands[ids[(i*7919)%len(ids)]], matcher.Options{})
		if err != nil {
			b.Fatal(err)
		}
		qs = append(qs, q)
	}
	lat := make([]float64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := e.Index.Search(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
	}
	b.StopTimer()
	sort.Float64s(lat)
	b.ReportMetric(lat[len(lat)/2], "p50-ms")
	b.ReportMetric(lat[min(len(lat)-1, len(lat)*99/100)], "p99-ms")
}
