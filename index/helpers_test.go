package index_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index"
)

// sharedDir is the real data shared beside the repository.
const sharedDir = "../../shared"

// MustOpenIndex opens an index over store in a temporary directory and
// closes it when the test ends.
func MustOpenIndex(tb testing.TB, store data.Store, opt index.Options) *index.Index {
	tb.Helper()
	return MustOpenIndexAt(tb, tb.TempDir(), store, opt)
}

// MustOpenIndexAt opens an index in dir and closes it when the test ends.
func MustOpenIndexAt(tb testing.TB, dir string, store data.Store, opt index.Options) *index.Index {
	tb.Helper()
	ix, err := index.Open(context.Background(), dir, store, opt)
	if err != nil {
		tb.Fatalf("open index: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// MustSync catches ix up and fails the test on error.
func MustSync(tb testing.TB, ix *index.Index) int {
	tb.Helper()
	n, err := ix.Sync(context.Background())
	if err != nil {
		tb.Fatalf("sync: %v", err)
	}
	return n
}

func mustPutAchievements(tb testing.TB, s data.Store, recs ...data.Achievement) {
	tb.Helper()
	if _, err := s.PutAchievements(context.Background(), recs); err != nil {
		tb.Fatalf("put achievements: %v", err)
	}
}

func mustPutDemands(tb testing.TB, s data.Store, recs ...data.Demand) {
	tb.Helper()
	if _, err := s.PutDemands(context.Background(), recs); err != nil {
		tb.Fatalf("put demands: %v", err)
	}
}

// search runs q and fails the test on error.
func search(tb testing.TB, ix *index.Index, q data.SearchQuery) *data.SearchResult {
	tb.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("search %+v: %v", q, err)
	}
	return res
}

func hitIDs(res *data.SearchResult) []string {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

// sharedAchievements reads up to max real records from ../shared, each
// copied times times with its id suffixed, or skips the test when absent.
func sharedAchievements(tb testing.TB, max, times int) []data.Achievement {
	tb.Helper()
	f, err := os.Open(sharedDir + "/data/achievements.jsonl")
	if errors.Is(err, os.ErrNotExist) {
		tb.Skipf("shared data absent (%v): skipping", err)
	} else if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var base []data.Achievement
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() && (max <= 0 || len(base) < max) {
		var a data.Achievement
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		a.Normalize()
		if a.Validate() != nil {
			continue
		}
		base = append(base, a)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	out := make([]data.Achievement, 0, len(base)*times)
	for n := 0; n < times; n++ {
		for _, a := range base {
			if n > 0 {
				a.ID = fmt.Sprintf("%s.%d", a.ID, n)
			}
			out = append(out, a)
		}
	}
	return out
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}
