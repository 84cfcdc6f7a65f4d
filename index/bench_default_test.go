package index_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/index"
)

// demoBenchQueries are the searches `techmatch bench` sends (words a
// broker would type).
var demoBenchQueries = []string{"玉米", "新能源汽车", "人参", "锂电池", "智能制造", "检测", "生物医药", "秸秆", "大豆",
	"传感器", "新材料", "节能", "机器人", "中药", "污水处理", "冷链", "光伏", "碳纤维", "育种", "软件"}

// demoBench is the index of the demo catalogue (30,000 achievements and
// 16,000 demands) times TECHMATCH_BENCH_SCALE (1; copies get new ids),
// built once per test binary. TECHMATCH_BENCH_DIR keeps it between runs
// (the store is rebuilt the same way, so the index is already caught up).
var demoBench struct {
	once sync.Once
	ix   *index.Index
	tmp  string
	err  error
}

func demoIndex(b *testing.B) *index.Index {
	b.Helper()
	demoBench.once.Do(func() {
		ctx := context.Background()
		scale := envInt("TECHMATCH_BENCH_SCALE", 1)
		store := newMemStore()
		a, d := demo.Achievements(), demo.Demands()
		for k := 0; k < scale; k++ {
			suffix := ""
			if k > 0 {
				suffix = fmt.Sprintf("-x%d", k)
			}
			for i := 0; i < len(a); i += 1000 {
				part := append([]data.Achievement(nil), a[i:min(i+1000, len(a))]...)
				for j := range part {
					part[j].ID += suffix
				}
				if _, err := store.PutAchievements(ctx, part); err != nil {
					demoBench.err = err
					return
				}
			}
			for i := 0; i < len(d); i += 1000 {
				part := append([]data.Demand(nil), d[i:min(i+1000, len(d))]...)
				for j := range part {
					part[j].ID += suffix
				}
				if _, err := store.PutDemands(ctx, part); err != nil {
					demoBench.err = err
					return
				}
			}
		}
		dir := os.Getenv("TECHMATCH_BENCH_DIR")
		if dir == "" {
			var err error
			if dir, err = os.MkdirTemp("", "techmatch-bench-demo-*"); err != nil {
				demoBench.err = err
				return
			}
			demoBench.tmp = dir // removed by TestMain
		} else {
			dir = fmt.Sprintf("%s-x%d", dir, scale)
		}
		ix, err := index.Open(ctx, dir, store, index.Options{})
		if err == nil {
			_, err = ix.Sync(ctx)
		}
		if err == nil {
			err = ix.Settle(5 * time.Minute)
		}
		demoBench.ix, demoBench.err = ix, err
	})
	if demoBench.err != nil {
		b.Fatal(demoBench.err)
	}
	return demoBench.ix
}

// BenchmarkSearchDefault is a search as the API runs it by default
// (GET /api/v1/achievements?q=…: 20 hits, facets and highlights) over the
// demo catalogue, one of the broker words of `techmatch bench` per
// iteration, a third of them over the demands. Reports p50 and p99.
// With TECHMATCH_BENCH_SCALE=5 the catalogue is five times the demo
// (issue 11: p50 at most twice the 1× figure).
func BenchmarkSearchDefault(b *testing.B) { benchDemoSearch(b, true, true) }

// BenchmarkSearchDefaultNoFacets is the same without facets and
// highlights (facets=false&highlight=false): the cost of the ranking alone.
func BenchmarkSearchDefaultNoFacets(b *testing.B) { benchDemoSearch(b, false, false) }

// BenchmarkSearchDefaultBleveFacets is BenchmarkSearchDefault with the
// facets counted by bleve's facet builder, as before the facet columns.
func BenchmarkSearchDefaultBleveFacets(b *testing.B) {
	ix := demoIndex(b)
	ix.SetBleveFacets(true)
	defer ix.SetBleveFacets(false)
	benchDemoSearch(b, true, true)
}

func benchDemoSearch(b *testing.B, facets, highlight bool) {
	ix := demoIndex(b)
	ctx := context.Background()
	query := func(i int) data.SearchQuery {
		kind := data.KindAchievement
		if i%3 == 2 {
			kind = data.KindDemand
		}
		return data.SearchQuery{Kind: kind, Text: demoBenchQueries[i%len(demoBenchQueries)], Limit: 20,
			Facets: facets, Highlight: highlight}
	}
	for i := range 2 * len(demoBenchQueries) { // warm up
		if _, err := ix.Search(ctx, query(i)); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		if _, err := ix.Search(ctx, query(i)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		k := int(p*float64(len(lat))+0.999999) - 1
		return float64(lat[max(0, min(k, len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
