package matcher

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// fakeStore is an in-memory data.Store: enough of one for the matcher
// (records, counts, the change log), with a clock that ticks per write.
type fakeStore struct {
	mu      sync.Mutex
	seq     uint64
	ach     map[string]data.Achievement
	dem     map[string]data.Demand
	changes map[string]data.Change
	clock   time.Time
}

func newFakeStore() *fakeStore {
	return &fakeStore{ach: map[string]data.Achievement{}, dem: map[string]data.Demand{},
		changes: map[string]data.Change{}, clock: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}
}

var _ data.Store = (*fakeStore)(nil)

func (s *fakeStore) log(kind data.Kind, id string, op data.Op) time.Time {
	s.seq++
	s.clock = s.clock.Add(time.Second)
	s.changes[string(kind)+"/"+id] = data.Change{Seq: s.seq, Kind: kind, ID: id, Op: op}
	return s.clock
}

func (s *fakeStore) PutAchievements(ctx context.Context, recs []data.Achievement) ([]data.PutResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range recs {
		recs[i].Normalize()
		if err := recs[i].Validate(); err != nil {
			return nil, err
		}
	}
	out := make([]data.PutResult, len(recs))
	for i, a := range recs {
		a.Updated = s.log(data.KindAchievement, a.ID, data.OpPut)
		s.ach[a.ID] = a
		out[i] = data.Created
	}
	return out, nil
}

func (s *fakeStore) Achievement(ctx context.Context, id string) (*data.Achievement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.ach[id]
	if !ok {
		return nil, data.Errorf(data.ENOTFOUND, "没有编号为 %s 的科技成果", id)
	}
	return &a, nil
}

func (s *fakeStore) Achievements(ctx context.Context, ids []string) ([]*data.Achievement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*data.Achievement, len(ids))
	for i, id := range ids {
		if a, ok := s.ach[id]; ok {
			out[i] = &a
		}
	}
	return out, nil
}

func (s *fakeStore) ListAchievements(ctx context.Context, opt data.ListOptions) ([]data.Achievement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.ach))
	for id := range s.ach {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []data.Achievement
	for i := opt.Offset; i < len(ids) && (opt.Limit == 0 || len(out) < opt.Limit); i++ {
		out = append(out, s.ach[ids[i]])
	}
	return out, nil
}

func (s *fakeStore) DeleteAchievement(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ach, id)
	s.log(data.KindAchievement, id, data.OpDelete)
	return nil
}

func (s *fakeStore) PutDemands(ctx context.Context, recs []data.Demand) ([]data.PutResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range recs {
		recs[i].Normalize()
		if err := recs[i].Validate(); err != nil {
			return nil, err
		}
	}
	out := make([]data.PutResult, len(recs))
	for i, d := range recs {
		d.Updated = s.log(data.KindDemand, d.ID, data.OpPut)
		s.dem[d.ID] = d
		out[i] = data.Created
	}
	return out, nil
}

func (s *fakeStore) Demand(ctx context.Context, id string) (*data.Demand, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.dem[id]
	if !ok {
		return nil, data.Errorf(data.ENOTFOUND, "没有编号为 %s 的技术需求", id)
	}
	return &d, nil
}

func (s *fakeStore) Demands(ctx context.Context, ids []string) ([]*data.Demand, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*data.Demand, len(ids))
	for i, id := range ids {
		if d, ok := s.dem[id]; ok {
			out[i] = &d
		}
	}
	return out, nil
}

func (s *fakeStore) ListDemands(ctx context.Context, opt data.ListOptions) ([]data.Demand, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.dem))
	for id := range s.dem {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []data.Demand
	for i := opt.Offset; i < len(ids) && (opt.Limit == 0 || len(out) < opt.Limit); i++ {
		out = append(out, s.dem[ids[i]])
	}
	return out, nil
}

func (s *fakeStore) DeleteDemand(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.dem, id)
	s.log(data.KindDemand, id, data.OpDelete)
	return nil
}

func (s *fakeStore) Counts(ctx context.Context) (data.Counts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return data.Counts{Achievements: len(s.ach), Demands: len(s.dem), Seq: s.seq}, nil
}

func (s *fakeStore) ChangesSince(ctx context.Context, seq uint64, fn func(data.Change) error) error {
	s.mu.Lock()
	var cs []data.Change
	for _, c := range s.changes {
		if c.Seq > seq {
			cs = append(cs, c)
		}
	}
	s.mu.Unlock()
	sort.Slice(cs, func(i, j int) bool { return cs[i].Seq < cs[j].Seq })
	for _, c := range cs {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeStore) CreateToken(ctx context.Context, role data.Role, name string) (string, *data.Token, error) {
	return "", nil, data.Errorf(data.EINTERNAL, "not in the fake")
}

func (s *fakeStore) TokenBySecret(ctx context.Context, secret string) (*data.Token, error) {
	return nil, data.Errorf(data.EINTERNAL, "not in the fake")
}

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
