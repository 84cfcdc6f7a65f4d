package matcher

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Model is what the matcher learns from the catalogues themselves: how
// rare each character, bigram and title word is in each catalogue (idf),
// which words most demands use (and so say little about any one demand),
// which words go together in the achievements (term associations), and a
// profile of every achievement for fast scoring. It is a pure function of
// the catalogues: the same catalogue always gives the same model and the
// same rankings. A Model is read-only once built.
type Model struct {
	// Seq is the store sequence the model was built at.
	Seq uint64
	// Built is when the build finished; Took how long it took.
	Built time.Time
	Took  time.Duration

	cats     [2]catStats // by kindIndex
	assoc    *assocModel // learned from the achievements; nil if too few
	profiles map[string]*profile

	idx sync.Map // kind + "\x00" + word → idfEntry from the analyzer (the index)
}

// catStats are one catalogue's statistics.
type catStats struct {
	n          int
	idf        map[unit]float32   // characters, words of letters, bigrams
	words      map[string]float32 // idf of analyzer words of titles and keywords
	texts      map[string]float32 // demands: idf of words of title, keywords and description
	maxIDFv    float64            // the idf of something seen once (or never)
	avgAll     float64            // average characters of a whole text (cut)
	avgWordLen float64            // average analyzer words of title and keywords
}

func kindIndex(k data.Kind) int {
	if k == data.KindDemand {
		return 1
	}
	return 0
}

// unitIDF is the BM25 idf of a unit in the catalogue; units it lacks get
// the idf of a unit seen once.
func (c *catStats) unitIDF(k unit) float64 {
	if v, ok := c.idf[k]; ok {
		return float64(v)
	}
	return c.maxIDFv
}

// wordIDF is the BM25 idf of an analyzer word among titles and keywords.
func (c *catStats) wordIDF(w string) float64 {
	if v, ok := c.words[w]; ok {
		return float64(v)
	}
	return c.maxIDFv
}

// textIDF is the idf of a word among the demands' whole texts.
func (c *catStats) textIDF(w string) float64 {
	if v, ok := c.texts[w]; ok {
		return float64(v)
	}
	return c.maxIDFv
}

func (c *catStats) maxIDF() float64 { return c.maxIDFv }

func bm25IDF(df, n int) float64 {
	if df < 1 {
		df = 1
	}
	if n < df {
		n = df
	}
	return math.Log(1 + (float64(n-df)+0.5)/(float64(df)+0.5))
}

type idfEntry struct {
	idf float64
	df  int // records with the word in the index; 0 when the analyzer cannot count
	ok  bool
}

// indexIDF is the idf of a word in the full-text index of a catalogue (as
// its more-like-this query will see it), remembered for the model's life;
// false when no record has the word. Analyzers that cannot count fall back
// to the model's own counts of titles and keywords.
func (m *Model) indexIDF(an data.Analyzer, kind data.Kind, w string) (float64, bool) {
	e := m.indexEntry(an, kind, w)
	return e.idf, e.ok
}

// indexEntry is indexIDF with the word's document frequency.
func (m *Model) indexEntry(an data.Analyzer, kind data.Kind, w string) idfEntry {
	key := string(kind) + "\x00" + w
	if v, ok := m.idx.Load(key); ok {
		return v.(idfEntry)
	}
	var e idfEntry
	df, n := 0, 0
	if an != nil {
		df, n = an.DocFreq(kind, w)
	}
	if n > 0 {
		e = idfEntry{idf: bm25IDF(df, n), df: df, ok: df > 0}
	} else {
		c := &m.cats[kindIndex(kind)]
		v, ok := c.words[w]
		e = idfEntry{idf: float64(v), ok: ok}
	}
	m.idx.Store(key, e)
	return e
}

// profile returns the model's profile of an achievement, or nil.
func (m *Model) profile(id string) *profile { return m.profiles[id] }

// Size returns the number of achievements and demands the model learned
// from.
func (m *Model) Size() (achievements, demands int) { return m.cats[0].n, m.cats[1].n }

// ModelOptions tune what BuildModel learns.
type ModelOptions struct {
	// PageSize is how many records are read from the store at a time.
	PageSize int
}

// BuildModel reads both catalogues from the store and learns the model.
// It takes a few seconds for the 46,000 records of the demo catalogue.
func BuildModel(ctx context.Context, store data.Store, an data.Analyzer, opt ModelOptions) (*Model, error) {
	start := time.Now()
	if opt.PageSize <= 0 {
		opt.PageSize = 1000
	}
	counts, err := store.Counts(ctx)
	if err != nil {
		return nil, fmt.Errorf("count records: %w", err)
	}
	b := newModelBuilder(an)
	for off := 0; ; off += opt.PageSize {
		recs, err := store.ListAchievements(ctx, data.ListOptions{Offset: off, Limit: opt.PageSize})
		if err != nil {
			return nil, fmt.Errorf("list achievements: %w", err)
		}
		for i := range recs {
			b.addAchievement(&recs[i])
		}
		if len(recs) < opt.PageSize {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	for off := 0; ; off += opt.PageSize {
		recs, err := store.ListDemands(ctx, data.ListOptions{Offset: off, Limit: opt.PageSize})
		if err != nil {
			return nil, fmt.Errorf("list demands: %w", err)
		}
		for i := range recs {
			b.addDemand(&recs[i])
		}
		if len(recs) < opt.PageSize {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	m := b.finish()
	m.Seq = counts.Seq
	m.Built = time.Now()
	m.Took = time.Since(start)
	return m, nil
}

// modelBuilder accumulates a Model record by record.
type modelBuilder struct {
	an       data.Analyzer
	n        [2]int
	df       [2]unitCounts
	wordDF   [2]map[string]int32
	textDF   map[string]int32
	sums     [2][2]float64 // all chars, words
	assoc    *assocBuilder
	profiles map[string]*profile
	strs     map[string]string
	tmp      unitCounts
}

func newModelBuilder(an data.Analyzer) *modelBuilder {
	b := &modelBuilder{an: an, assoc: newAssocBuilder(), profiles: map[string]*profile{},
		strs: map[string]string{}, textDF: map[string]int32{}, tmp: unitCounts{}}
	for i := range b.df {
		b.df[i] = unitCounts{}
		b.wordDF[i] = map[string]int32{}
	}
	return b
}

func (b *modelBuilder) intern(s string) string {
	if v, ok := b.strs[s]; ok {
		return v
	}
	b.strs[s] = s
	return s
}

func (b *modelBuilder) addAchievement(a *data.Achievement) {
	if !listed(a.Status) {
		return
	}
	const k = 0
	p := achievementProfile(b.an, a, b.intern)
	b.profiles[a.ID] = p
	b.n[k]++
	for _, u := range p.keys {
		b.df[k][u]++
	}
	b.sums[k][0] += float64(p.allChars)
	b.sums[k][1] += float64(p.nWords)
	words := make([]string, len(p.words))
	for i, w := range p.words {
		words[i] = w.w
		b.wordDF[k][w.w]++
	}
	b.assoc.add(words)
}

func (b *modelBuilder) addDemand(d *data.Demand) {
	if !listed(d.Status) {
		return
	}
	const k = 1
	b.n[k]++
	clear(b.tmp)
	addUnits(d.Title, b.tmp)
	addUnits(strings.Join(d.Keywords, "；"), b.tmp)
	addUnits(cutRunes(d.Description, maxBodyRunes), b.tmp)
	for u, n := range b.tmp {
		b.df[k][u]++
		if !unitIsBigram(u) {
			b.sums[k][0] += float64(n)
		}
	}
	if b.an == nil {
		return
	}
	words := b.an.Terms(d.Title)
	for _, kw := range d.Keywords {
		words = append(words, b.an.Terms(kw)...)
	}
	b.sums[k][1] += float64(len(words))
	words = uniqueStrings(words)
	for _, w := range words {
		b.wordDF[k][w]++
	}
	words = append(words, b.an.Terms(cutRunes(d.Description, specDescRunes))...)
	for _, w := range uniqueStrings(words) {
		b.textDF[b.intern(w)]++
	}
}

// specDescRunes is how much of a demand's description counts towards the
// demand catalogue's word frequencies.
const specDescRunes = 300

func (b *modelBuilder) finish() *Model {
	m := &Model{profiles: b.profiles}
	for i := range b.n {
		n := b.n[i]
		c := catStats{n: n, maxIDFv: bm25IDF(1, n)}
		if n > 0 {
			c.avgAll = b.sums[i][0] / float64(n)
			c.avgWordLen = b.sums[i][1] / float64(n)
		}
		c.idf = make(map[unit]float32, len(b.df[i]))
		for u, df := range b.df[i] {
			c.idf[u] = float32(bm25IDF(int(df), n))
		}
		c.words = make(map[string]float32, len(b.wordDF[i]))
		for w, df := range b.wordDF[i] {
			c.words[w] = float32(bm25IDF(int(df), n))
		}
		m.cats[i] = c
	}
	c := &m.cats[1]
	c.texts = make(map[string]float32, len(b.textDF))
	for w, df := range b.textDF {
		c.texts[w] = float32(bm25IDF(int(df), c.n))
	}
	m.assoc = b.assoc.finish(b.wordDF[0], b.n[0])
	return m
}

// listed reports whether a record with this status takes part in matching:
// drafts and withdrawn records do not.
func listed(status string) bool {
	return status != "草稿" && status != "已下架"
}

func uniqueStrings(in []string) []string {
	if len(in) < 2 {
		return in
	}
	seen := make(map[string]bool, len(in))
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
