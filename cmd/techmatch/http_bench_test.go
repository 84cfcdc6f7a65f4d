package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// BenchmarkHTTPMatchDemand measures GET /api/v1/demands/:id/matches through
// a real HTTP server on loopback, over a data directory made by `techmatch
// serve` (the 46k demo catalogue), with two concurrent clients and a
// different demand on every request. It reports p50 and p99 in ms.
//
//	go run ./cmd/techmatch serve --data /tmp/tm   # once; wait for index_lag 0; stop it
//	TECHMATCH_BENCH_DATA=/tmp/tm go test ./cmd/techmatch -run '^$' -bench HTTPMatchDemand -benchtime 2000x
func BenchmarkHTTPMatchDemand(b *testing.B) {
	benchHTTP(b, "/api/v1/demands/demo-d-%06d/matches?limit=20", 16000)
}

// BenchmarkHTTPSearch measures a two-keyword search with facets the same way.
func BenchmarkHTTPSearch(b *testing.B) {
	qs := []string{"锂离子电池+正极材料", "玉米+深加工", "智能+控制系统", "人参+提取", "汽车+轻量化", "秸秆+还田", "光谱+检测", "水稻+育种"}
	i := 0
	benchHTTPPaths(b, func() string {
		i++
		return "/api/v1/achievements?q=" + qs[i%len(qs)] + "&size=20"
	})
}

func benchHTTP(b *testing.B, format string, n int) {
	i := 0
	benchHTTPPaths(b, func() string {
		i++
		return fmt.Sprintf(format, 1+(i*7919)%n)
	})
}

func benchHTTPPaths(b *testing.B, next func() string) {
	dir := os.Getenv("TECHMATCH_BENCH_DATA")
	if dir == "" {
		b.Skip("set TECHMATCH_BENCH_DATA to a data directory made by `techmatch serve` to run the HTTP benchmarks")
	}
	ctx := context.Background()
	db, err := openStore(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ix, err := index.Open(ctx, indexPath(dir), db, index.Options{})
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
	s.Store, s.Index, s.Matcher, s.Events = db, ix, m, db
	s.Logger = discardLogger()
	if err := s.Open("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer s.Close(ctx)
	base := "http://" + s.Addr()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

	get := func(path string) time.Duration {
		start := time.Now()
		resp, err := client.Get(base + path)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("GET %s: %s", path, resp.Status)
		}
		return time.Since(start)
	}
	for range 50 { // warm up
		get(next())
	}
	var mu sync.Mutex
	paths := make(chan string)
	var lat []time.Duration
	var wg sync.WaitGroup
	b.ResetTimer()
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				d := get(p)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	for range b.N {
		paths <- next()
	}
	close(paths)
	wg.Wait()
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
