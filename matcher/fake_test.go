package matcher

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/datatest"
)

// fakeStore is an in-memory data.Store (datatest.Store) with a clock that
// ticks a second per write.
type fakeStore struct {
	*datatest.Store
	clock time.Time // guarded by the store's lock (Now runs under it)
}

func newFakeStore() *fakeStore {
	s := &fakeStore{Store: datatest.New(), clock: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
	s.Now = func() time.Time {
		s.clock = s.clock.Add(time.Second)
		return s.clock
	}
	return s
}

var _ data.Store = (*fakeStore)(nil)

// fakeIndex is a data.Analyzer and data.Searcher over a fakeStore: words by
// forward maximum matching against a small dictionary (unknown Han
// characters stand alone), BM25 over each record's whole text, and the
// filters the tests use. It reads the store on every call, so it is always
// in step.
type fakeIndex struct {
	store *fakeStore
	dict  map[string]bool
	maxW  int
	stop  map[string]bool
}

func newFakeIndex(store *fakeStore, words ...string) *fakeIndex {
	ix := &fakeIndex{store: store, dict: map[string]bool{}, stop: map[string]bool{}}
	for _, w := range words {
		ix.dict[w] = true
		ix.maxW = max(ix.maxW, utf8.RuneCountInString(w))
	}
	for _, w := range strings.Fields("的 和 与 及 在 是 对 为 了 等 中 需要 我们 公司") {
		ix.stop[w] = true
	}
	return ix
}

var (
	_ data.Analyzer = (*fakeIndex)(nil)
	_ data.Searcher = (*fakeIndex)(nil)
)

func (ix *fakeIndex) Terms(text string) []string {
	var out []string
	emit := func(w string) {
		if w != "" && !ix.stop[w] {
			out = append(out, w)
		}
	}
	runes := []rune(strings.ToLower(text))
	for i := 0; i < len(runes); {
		r := runes[i]
		switch {
		case isHan(r):
			n := 1
			for k := min(ix.maxW, len(runes)-i); k > 1; k-- {
				if ix.dict[string(runes[i:i+k])] {
					n = k
					break
				}
			}
			emit(string(runes[i : i+n]))
			i += n
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(runes) && !isHan(runes[j]) && (unicode.IsLetter(runes[j]) || unicode.IsDigit(runes[j])) {
				j++
			}
			emit(string(runes[i:j]))
			i = j
		default:
			i++
		}
	}
	return out
}

func achievementText(a *data.Achievement) string {
	return strings.Join([]string{a.Title, a.Abstract, strings.Join(a.Keywords, "；"), a.Institution}, "\n")
}

func demandText(d *data.Demand) string {
	return strings.Join([]string{d.Title, d.Description, strings.Join(d.Keywords, "；"), d.Enterprise.Name}, "\n")
}

// docs returns each record's id and term counts, by id.
func (ix *fakeIndex) docs(kind data.Kind, f data.Filter) (ids []string, tfs []map[string]int) {
	ctx := context.Background()
	if kind == data.KindDemand {
		ds, _ := ix.store.ListDemands(ctx, data.ListOptions{})
		for i := range ds {
			d := &ds[i]
			if !filterDemand(d, f) {
				continue
			}
			ids = append(ids, d.ID)
			tfs = append(tfs, counts(ix.Terms(demandText(d))))
		}
		return ids, tfs
	}
	as, _ := ix.store.ListAchievements(ctx, data.ListOptions{})
	for i := range as {
		a := &as[i]
		if !filterAchievement(a, f) {
			continue
		}
		ids = append(ids, a.ID)
		tfs = append(tfs, counts(ix.Terms(achievementText(a))))
	}
	return ids, tfs
}

func counts(ws []string) map[string]int {
	m := map[string]int{}
	for _, w := range ws {
		m[w]++
	}
	return m
}

func filterAchievement(a *data.Achievement, f data.Filter) bool {
	return (f.Province == "" || a.Region.Province == f.Province) && (f.City == "" || a.Region.City == f.City) &&
		(f.Field == "" || a.Field == f.Field) && (f.Maturity == "" || data.MaturityName(a.Maturity) == f.Maturity) &&
		(f.Status == "" || a.Status == f.Status) && (len(f.IDs) == 0 || contains(f.IDs, a.ID))
}

func filterDemand(d *data.Demand, f data.Filter) bool {
	return (f.Province == "" || d.Region.Province == f.Province) && (f.City == "" || d.Region.City == f.City) &&
		(f.Field == "" || d.Field == f.Field) && (!f.Challenge || d.Challenge) &&
		(f.Status == "" || d.Status == f.Status) && (len(f.IDs) == 0 || contains(f.IDs, d.ID))
}

func (ix *fakeIndex) DocFreq(kind data.Kind, term string) (df, n int) {
	_, tfs := ix.docs(kind, data.Filter{})
	for _, tf := range tfs {
		if tf[term] > 0 {
			df++
		}
	}
	return df, len(tfs)
}

func (ix *fakeIndex) Search(ctx context.Context, q data.SearchQuery) (*data.SearchResult, error) {
	if q.Text != "" {
		return nil, data.Errorf(data.EINVALID, "the fake only runs weighted term queries")
	}
	ids, tfs := ix.docs(q.Kind, q.Filter)
	all, alltfs := ix.docs(q.Kind, data.Filter{})
	n := len(all)
	avg := 0.0
	for _, tf := range alltfs {
		for _, c := range tf {
			avg += float64(c)
		}
	}
	if n > 0 {
		avg /= float64(n)
	}
	var hits []data.Hit
	for i, tf := range tfs {
		dl := 0
		for _, c := range tf {
			dl += c
		}
		s := 0.0
		for _, t := range q.Terms {
			c := tf[t.Text]
			if c == 0 {
				continue
			}
			df := 0
			for _, o := range alltfs {
				if o[t.Text] > 0 {
					df++
				}
			}
			idf := math.Log(1 + (float64(n-df)+0.5)/(float64(df)+0.5))
			s += t.Weight * idf * float64(c) * 2.2 / (float64(c) + 1.2*(0.25+0.75*float64(dl)/avg))
		}
		if s > 0 {
			hits = append(hits, data.Hit{ID: ids[i], Score: s})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	total := uint64(len(hits))
	if q.Limit > 0 && len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	return &data.SearchResult{Total: total, Hits: hits}, nil
}

// testCatalogue is the hand-made catalogue of testdata/catalogue.json.
type testCatalogue struct {
	Words        []string           `json:"words"`
	Achievements []data.Achievement `json:"achievements"`
	Demands      []data.Demand      `json:"demands"`
}

// newTestMatcher loads testdata/catalogue.json into a fake store and index
// and returns a matcher over them with the embedded weights and a fixed
// clock.
func newTestMatcher(tb testing.TB) (*Matcher, *fakeStore) {
	tb.Helper()
	b, err := os.ReadFile("testdata/catalogue.json")
	if err != nil {
		tb.Fatal(err)
	}
	var c testCatalogue
	if err := json.Unmarshal(b, &c); err != nil {
		tb.Fatal(err)
	}
	store := newFakeStore()
	ctx := context.Background()
	if _, err := store.PutAchievements(ctx, c.Achievements); err != nil {
		tb.Fatal(err)
	}
	if _, err := store.PutDemands(ctx, c.Demands); err != nil {
		tb.Fatal(err)
	}
	ix := newFakeIndex(store, c.Words...)
	m := &Matcher{Store: store, Search: ix, Analyzer: ix, RefreshEvery: -1,
		Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }}
	return m, store
}
