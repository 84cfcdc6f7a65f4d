package index_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/index/zhseg"
)

// benchTimes is how many copies of the shared records (6,043) the
// benchmarks index: 8 make about 48,000, the size of the demo catalogue.
var benchTimes = envInt("TECHMATCH_BENCH_TIMES", 8)

// BenchmarkIndexBuild indexes the real records of ../shared ×8 (48,000
// achievements, about the demo catalogue) with Rebuild. Target: under 20 s
// on 2 cores. Reports seconds per build, records per second and the size
// of the indexes on disk.
func BenchmarkIndexBuild(b *testing.B) {
	recs := sharedAchievements(b, 0, benchTimes)
	zhseg.MustDefault()
	store := newMemStore()
	for i := 0; i < len(recs); i += 1000 {
		mustPutAchievements(b, store, recs[i:min(i+1000, len(recs))]...)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		ix := MustOpenIndexAt(b, dir, store, index.Options{BatchSize: envInt("TECHMATCH_BENCH_BATCH", 0)})
		start := time.Now()
		if err := ix.Rebuild(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.ReportMetric(el.Seconds(), "s/build")
		b.ReportMetric(float64(len(recs))/el.Seconds(), "records/s")
		ix.Close()
		b.ReportMetric(float64(dirSize(b, dir))/1e6, "MB")
	}
}

// BenchmarkIndexBuildDemo indexes the demo catalogue (30,000 achievements
// and 16,000 demands, package demo) with Rebuild. Target: under 20 s on 2
// cores.
func BenchmarkIndexBuildDemo(b *testing.B) {
	store := newMemStore()
	a, d := demo.Achievements(), demo.Demands()
	for i := 0; i < len(a); i += 1000 {
		mustPutAchievements(b, store, a[i:min(i+1000, len(a))]...)
	}
	for i := 0; i < len(d); i += 1000 {
		mustPutDemands(b, store, d[i:min(i+1000, len(d))]...)
	}
	zhseg.MustDefault()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		ix := MustOpenIndexAt(b, dir, store, index.Options{BatchSize: envInt("TECHMATCH_BENCH_BATCH", 0)})
		start := time.Now()
		if err := ix.Rebuild(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.ReportMetric(el.Seconds(), "s/build")
		b.ReportMetric(float64(len(a)+len(d))/el.Seconds(), "records/s")
		ix.Close()
		b.ReportMetric(float64(dirSize(b, dir))/1e6, "MB")
	}
}

func dirSize(tb testing.TB, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// searchBench is the demo-sized index shared by the search benchmarks,
// built once per test binary.
var searchBench struct {
	once sync.Once
	ix   *index.Index
	recs []data.Achievement
	dir  string
	err  error
}

func benchIndex(b *testing.B) (*index.Index, []data.Achievement) {
	b.Helper()
	recs := sharedAchievements(b, 0, benchTimes)
	searchBench.once.Do(func() {
		store := newMemStore()
		for i := 0; i < len(recs); i += 1000 {
			if _, err := store.PutAchievements(context.Background(), recs[i:min(i+1000, len(recs))]); err != nil {
				searchBench.err = err
				return
			}
		}
		dir, err := os.MkdirTemp("", "techmatch-bench-*")
		if err != nil {
			searchBench.err = err
			return
		}
		searchBench.dir = dir
		ix, err := index.Open(context.Background(), dir, store, index.Options{})
		if err == nil {
			_, err = ix.Sync(context.Background())
		}
		if err == nil {
			err = ix.Settle(time.Minute)
		}
		searchBench.ix, searchBench.recs, searchBench.err = ix, recs, err
	})
	if searchBench.err != nil {
		b.Fatal(searchBench.err)
	}
	return searchBench.ix, searchBench.recs
}

// TestMain removes the shared benchmark index.
func TestMain(m *testing.M) {
	code := m.Run()
	if searchBench.ix != nil {
		searchBench.ix.Close()
		os.RemoveAll(searchBench.dir)
	}
	if demoBench.ix != nil {
		demoBench.ix.Close()
		if demoBench.tmp != "" {
			os.RemoveAll(demoBench.tmp)
		}
	}
	os.Exit(code)
}

// benchQueries derives queries of one shape from the real records.
func benchQueries(recs []data.Achievement, shape string) []string {
	var out []string
	base := recs[:min(len(recs), 6043)]
	for i := 0; i < len(base) && len(out) < 500; i += 7 {
		r := base[i]
		switch shape {
		case "2kw": // two of the record's keywords
			if len(r.Keywords) >= 2 {
				out = append(out, r.Keywords[0]+" "+r.Keywords[1])
			}
		case "title":
			if r.Title != "" {
				out = append(out, r.Title)
			}
		case "70tok": // a description-sized text: about 70 words
			if toks := index.SegmentMode(r.Abstract, zhseg.Search); len(toks) >= 70 {
				out = append(out, r.Abstract[:toks[69].End])
			}
		}
	}
	return out
}

func benchSearch(b *testing.B, shape string, facets, highlight bool) {
	ix, recs := benchIndex(b)
	qs := benchQueries(recs, shape)
	if len(qs) == 0 {
		b.Skip("no queries of this shape")
	}
	ctx := context.Background()
	for _, q := range qs[:min(len(qs), 100)] { // warm up
		ix.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Text: q, Limit: 10})
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := data.SearchQuery{Kind: data.KindAchievement, Text: qs[i%len(qs)], Limit: 10, Facets: facets, Highlight: highlight}
		t := time.Now()
		if _, err := ix.Search(ctx, q); err != nil {
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

// Search latency on the demo-sized index (48,000 records). Targets on 2
// cores: p99 ≤ 10 ms for 2-keyword queries, ≤ 20 ms for title-length ones.
func BenchmarkSearch2Keywords(b *testing.B)          { benchSearch(b, "2kw", false, false) }
func BenchmarkSearch2KeywordsFacets(b *testing.B)    { benchSearch(b, "2kw", true, false) }
func BenchmarkSearchTitle(b *testing.B)              { benchSearch(b, "title", false, false) }
func BenchmarkSearchTitleFacets(b *testing.B)        { benchSearch(b, "title", true, false) }
func BenchmarkSearch70Tokens(b *testing.B)           { benchSearch(b, "70tok", false, false) }
func BenchmarkSearch70TokensFacets(b *testing.B)     { benchSearch(b, "70tok", true, false) }
func BenchmarkSearch2KeywordsHighlight(b *testing.B) { benchSearch(b, "2kw", false, true) }

// BenchmarkSearchList lists with a filter and facets (empty text).
func BenchmarkSearchList(b *testing.B) {
	ix, _ := benchIndex(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		q := data.SearchQuery{Kind: data.KindAchievement, Limit: 10, Facets: true, Sort: data.SortDate}
		if _, err := ix.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTerms measures query-time analysis of a description.
func BenchmarkTerms(b *testing.B) {
	ix, recs := benchIndex(b)
	text := strings.Repeat(recs[0].Abstract, 1)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Terms(text)
	}
}
