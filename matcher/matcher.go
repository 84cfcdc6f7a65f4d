// Package matcher pairs enterprises' technology demands with research
// achievements, both ways, and says why. It scores each (demand,
// achievement) pair from named signals in [0,1] — text relevance, title
// likeness, keyword overlap, term associations and pseudo-relevance
// feedback learned from the catalogue itself, field and industry, region,
// maturity, price, transfer mode, freshness and 揭榜挂帅 — and combines them
// with versioned weights fitted on human judgements (weights.json).
//
// The package is pure: it reaches the store and the full-text indexes only
// through the interfaces of package data, and never imports bleve, bbolt or
// gin. It also holds the event algorithms (lineups and meeting schedules).
package matcher

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Limits and defaults of a match request.
const (
	DefaultLimit = 20
	MaxLimit     = 200
	// DefaultCandidates is how many records the index fetches for the
	// scorer. Origin: dev bdci-match with the profile weighting on, full
	// recall@100 at 300 / 500 / 800 candidates: 0.3466 / 0.3499 / 0.3518
	// (rerank nDCG@10 0.7163 throughout; match p50 9.0 / 10.2 / 13.0 ms on
	// this machine); 800 keeps the recall the profile weighting cost.
	DefaultCandidates = 800
	MaxCandidates     = 1000
	// DefaultCandidateTerms is how many of a record's most informative
	// words make its candidate query when the weights do not say.
	DefaultCandidateTerms = 25
	// feedbackPool is how many of the unfiltered candidates are rescored
	// to pick the feedback achievements.
	feedbackPool = 100
	// DefaultRefreshEvery is how often at most the model is rebuilt while
	// the store changes.
	DefaultRefreshEvery = time.Minute
)

// Matcher ranks achievements for demands and demands for achievements.
// Set the exported fields before first use and do not copy it afterwards.
// It is safe for concurrent use.
type Matcher struct {
	Store    data.Store
	Search   data.Searcher
	Analyzer data.Analyzer
	// Weights of the signals; zero means DefaultWeights().
	Weights Weights
	// Now is the clock of the freshness signal; nil means time.Now.
	Now func() time.Time
	// RefreshEvery bounds how often the model is rebuilt in the background
	// (after Open) once the store has changed; zero means
	// DefaultRefreshEvery, negative never.
	RefreshEvery time.Duration
	// Logger receives the errors of background work; nil means
	// slog.Default().
	Logger *slog.Logger
	// ModelStore, if set, keeps the model between runs: the first use
	// loads it from there instead of building it (see persist.go), and
	// every build saves it.
	ModelStore ModelStore
	// ModelKey names the analysis the model is built with (dictionary and
	// its extra words); a saved model with another key is not used.
	ModelKey string

	model     atomic.Pointer[Model]
	active    atomic.Pointer[Weights] // set by SetWeights; overrides Weights
	buildMu   sync.Mutex              // held while building the model
	building  atomic.Bool             // a background rebuild is running
	lastCheck atomic.Int64

	tracker changeTracker
	queries queryCache
	life    lifecycle
}

// Options narrow a match request.
type Options struct {
	// Limit is how many results to return (DefaultLimit, at most MaxLimit).
	Limit int
	// Candidates is how many records to fetch from the index and score
	// (DefaultCandidates, at most MaxCandidates).
	Candidates int
	// Filter applies to the records matched, as in search.
	Filter data.Filter
}

// Result is one matched record with its score and why. Records are public
// copies: contact data is removed.
type Result struct {
	ID          string            `json:"-"`
	Achievement *data.Achievement `json:"achievement,omitempty"`
	Demand      *data.Demand      `json:"demand,omitempty"`
	Score       float64           `json:"score"`
	// Level is 高, 中 or 低: the score read against the levels calibrated
	// on graded judgements (Weights.Levels).
	Level       string      `json:"level"`
	Explanation Explanation `json:"explanation"`
	// Verdict is the judgement given on this pair (relevant or
	// not_relevant), when there is one (ApplyFeedback).
	Verdict string `json:"verdict,omitempty"`
}

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Limit < 0:
		return o, data.Errorf(data.EINVALID, "返回条数不能为负数")
	case o.Limit > MaxLimit:
		return o, data.Errorf(data.EINVALID, "每次最多返回 %d 条匹配结果", MaxLimit)
	case o.Candidates < 0:
		return o, data.Errorf(data.EINVALID, "候选数不能为负数")
	case o.Candidates > MaxCandidates:
		return o, data.Errorf(data.EINVALID, "候选数最多 %d", MaxCandidates)
	}
	if o.Limit == 0 {
		o.Limit = DefaultLimit
	}
	if o.Candidates == 0 {
		o.Candidates = DefaultCandidates
	}
	if o.Candidates < o.Limit {
		o.Candidates = o.Limit
	}
	return o, nil
}

// SetWeights makes the matcher use w from now on (a weights version
// activated while it serves); it is safe while matches run.
func (m *Matcher) SetWeights(w Weights) { m.active.Store(&w) }

// ActiveWeights returns the weights in use.
func (m *Matcher) ActiveWeights() Weights { return m.weights() }

func (m *Matcher) weights() Weights {
	if w := m.active.Load(); w != nil {
		return *w
	}
	if len(m.Weights.Signals) == 0 {
		return defaultWeights()
	}
	return m.Weights
}

var (
	defaultWeightsOnce sync.Once
	defaultWeightsVal  Weights
)

func defaultWeights() Weights {
	defaultWeightsOnce.Do(func() { defaultWeightsVal = DefaultWeights() })
	return defaultWeightsVal
}

func (m *Matcher) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Model returns the model in use, building it first if there is none.
func (m *Matcher) Model(ctx context.Context) (*Model, error) {
	if mdl := m.model.Load(); mdl != nil {
		m.maybeRefresh(mdl)
		return mdl, nil
	}
	m.buildMu.Lock()
	defer m.buildMu.Unlock()
	if mdl := m.model.Load(); mdl != nil {
		return mdl, nil
	}
	if mdl := m.loadSaved(ctx); mdl != nil {
		m.model.Store(mdl)
		m.maybeRefresh(mdl) // the store may have changed since it was saved
		return mdl, nil
	}
	mdl, err := BuildModel(ctx, m.Store, m.Analyzer, ModelOptions{})
	if err != nil {
		return nil, fmt.Errorf("build matcher model: %w", err)
	}
	m.model.Store(mdl)
	m.save(ctx, mdl)
	return mdl, nil
}

// SetModel makes the matcher use mdl (for instance one built ahead).
func (m *Matcher) SetModel(mdl *Model) { m.model.Store(mdl) }

// Refresh rebuilds the model from the store now.
func (m *Matcher) Refresh(ctx context.Context) error {
	m.buildMu.Lock()
	defer m.buildMu.Unlock()
	mdl, err := BuildModel(ctx, m.Store, m.Analyzer, ModelOptions{})
	if err != nil {
		return fmt.Errorf("build matcher model: %w", err)
	}
	m.model.Store(mdl)
	m.save(ctx, mdl)
	return nil
}

// maybeRefresh starts a background rebuild when the store has changed
// since the model was built and the model is older than RefreshEvery. The
// store is asked at most once a second.
func (m *Matcher) maybeRefresh(mdl *Model) {
	every := m.RefreshEvery
	if every == 0 {
		every = DefaultRefreshEvery
	}
	if every < 0 || time.Since(mdl.Built) < every || !m.open() {
		return
	}
	now := time.Now().UnixNano()
	last := m.lastCheck.Load()
	if now-last < int64(time.Second) || !m.lastCheck.CompareAndSwap(last, now) {
		return
	}
	c, err := m.Store.Counts(context.Background())
	if err != nil || c.Seq == mdl.Seq || !m.building.CompareAndSwap(false, true) {
		return
	}
	started := m.goBackground(func(ctx context.Context) {
		defer m.building.Store(false)
		ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		if err := m.Refresh(ctx); err != nil && !errors.Is(err, context.Canceled) {
			m.logger().Error("rebuild matcher model; the old model stays", "err", err)
		}
	})
	if !started {
		m.building.Store(false)
	}
}

// query returns the (cached) query of a demand: profile, weighted terms,
// associations and, if the weights use it, feedback.
func (m *Matcher) query(ctx context.Context, mdl *Model, d *data.Demand, w Weights) (*query, error) {
	key := m.queryKey(d, w)
	if q := m.queries.get(mdl, key); q != nil {
		return q, nil
	}
	q := newQuery(mdl, m.Analyzer, d, w)
	if w.feedback() && m.Search != nil {
		if err := m.addFeedback(ctx, mdl, q, w, nil); err != nil {
			return nil, err
		}
	}
	m.queries.put(mdl, key, q)
	return q, nil
}

// queryKey identifies a prepared query: the demand's text and the settings
// that shape the query (the cache belongs to one model).
func (m *Matcher) queryKey(d *data.Demand, w Weights) string {
	return fmt.Sprint(demandKey(d), "|", w.feedback(), w.FeedbackDocs, "|", w.candidateTerms(), "|", w.NoDemandWeighting, "|", m.Search != nil)
}

// demandKey identifies a version of a demand: its id and a hash of every
// field its query uses.
func demandKey(d *data.Demand) string {
	h := fnv.New64a()
	fmt.Fprint(h, d.Title, "\x00", d.Description, "\x00", strings.Join(d.Keywords, "\x00"), "\x00",
		d.Industry, "\x00", d.Field, "\x00", d.Enterprise.Industry, "\x00", d.Region, "\x00", d.Maturity, "\x00",
		d.Modes, "\x00", d.Deadline, "\x00", d.Challenge, d.RewardWan, "\x00", d.Status)
	if d.BudgetWan != nil {
		fmt.Fprint(h, *d.BudgetWan)
	}
	return fmt.Sprintf("%s|%x", d.ID, h.Sum64())
}

// feedback reports whether the weights use pseudo-relevance feedback.
func (w Weights) feedback() bool { return w.FeedbackDocs > 0 && w.Signals[SignalFeedback] > 0 }

func (w Weights) candidateTerms() int {
	if w.CandidateTerms > 0 {
		return w.CandidateTerms
	}
	return DefaultCandidateTerms
}

// candidateTerms builds the more-like-this query of a demand: its n most
// informative words by the index's own idf (weight × idf), title and
// keyword words counting more, with weights scaled to at most 1.
func (m *Matcher) candidateTerms(kind data.Kind, words map[string]float64, n int, mdl *Model) []data.Term {
	type cand struct {
		t string
		s float64
	}
	cands := make([]cand, 0, len(words))
	for t, w := range words {
		if isNumber(t) {
			continue // 2300, 11650: amounts and counts, not topics
		}
		idf, ok := mdl.indexIDF(m.Analyzer, kind, t)
		if !ok {
			continue // no record has it
		}
		cands = append(cands, cand{t, w * idf})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].s != cands[j].s {
			return cands[i].s > cands[j].s
		}
		return cands[i].t < cands[j].t
	})
	if len(cands) > n {
		cands = cands[:n]
	}
	// Terms far lighter than the heaviest barely move the ranking but
	// cost the index a walk through their postings.
	for len(cands) > 1 && cands[len(cands)-1].s < minTermWeight*cands[0].s {
		cands = cands[:len(cands)-1]
	}
	out := make([]data.Term, len(cands))
	for i, c := range cands {
		out[i] = data.Term{Text: c.t, Weight: round3(c.s / cands[0].s)}
		if out[i].Weight == 0 {
			out[i].Weight = 0.001
		}
	}
	return out
}

// demandTerms is the candidate query of a prepared demand: its most
// informative words and, from the catalogue's term associations, the
// words most associated with them that the demand does not use.
func (m *Matcher) demandTerms(mdl *Model, q *query, w Weights) []data.Term {
	terms := m.candidateTerms(data.KindAchievement, q.words, w.candidateTerms(), mdl)
	if expandTerms == 0 || len(q.expansion) == 0 || len(terms) == 0 {
		return terms
	}
	have := make(map[string]bool, len(terms))
	for _, t := range terms {
		have[t.Text] = true
	}
	type ev struct {
		t string
		v float64
	}
	var ex []ev
	for t, v := range q.expansion {
		if have[t] || isNumber(t) {
			continue
		}
		if m.tooCommon(mdl, t) {
			continue
		}
		ex = append(ex, ev{t, v})
	}
	sort.Slice(ex, func(i, j int) bool {
		if ex[i].v != ex[j].v {
			return ex[i].v > ex[j].v
		}
		return ex[i].t < ex[j].t
	})
	for i := 0; i < len(ex) && i < expandTerms; i++ {
		if wt := round3(expandWeight * ex[i].v); wt > 0 {
			terms = append(terms, data.Term{Text: ex[i].t, Weight: wt})
		}
	}
	return terms
}

// Candidate expansion by term associations (see demandTerms). Origin:
// ablation on dev bdci-match (800 candidates, profile weighting on), full
// recall@100 / full nDCG@10: no expansion 0.3518 / 0.2233; 10 words at 0.5
// 0.3554 / 0.2233; 20 at 0.5 0.3576 / 0.2245; 40 at 0.5 0.3613 / 0.2245;
// 40 at 1.0 0.3600 / 0.2246; 80 at 0.5 0.3669 / 0.2255 (match p50 10.6 ms
// on the loaded 2-core machine; issue 12 ablation, one change); around it,
// 160 at 0.5 0.3667, 80 at 0.3 0.3654, 80 at 0.7 0.3661, 1000 candidates
// 0.3662, candidate_terms 15 / 40 0.3668 / 0.3658 (rerank
// nDCG@10 0.7163 in every row: the expansion only changes which records are
// scored). Also measured for issue 12, and not kept: the demand title's
// character bigrams as bigram sub-field terms, 0.3707 / 0.2299 on a plateau
// (10 at 0.5 0.3682, 20 at 1.0 0.3703, 20 at 2.0 0.3702, 40 at 1.0 0.3703;
// commit 4f33f27, reverted: the candidate search took about 18% longer,
// BenchmarkCandidateSearch 188 → 222 ms/op side by side, allocs +11%).
const (
	expandTerms  = 80
	expandWeight = 0.5
)

// minExpandIDF leaves out association words that too many records have
// (bm25 idf 3.0: about one record in twenty): 研究, 吉林, 集成 and the like
// weigh almost nothing in the query but made three quarters of the posting
// entries its search walks. Origin: dev bdci-match, full recall@100 / full
// nDCG@10 / rerank nDCG@10 for idf at least 0 (none left out) 0.3669 /
// 0.2255 / 0.7163; 2.3 0.3668; 2.7 0.3670; 3.0 0.3684 / 0.2255 / 0.7163;
// 3.3 0.3684; 3.6 0.3681; 4.0 0.3677 / 0.2258; 4.5 0.3633 (a plateau from
// 2.3 to 4.0, 3.0 near its start). On the demo catalogue the posting
// entries of 200 demands' candidate queries fell from 71k to 35k per query
// and BenchmarkCandidateSearch from 35.9 to 27.5 ms/op (quiet machine).
// In a small catalogue nothing is slow to walk and every word is common,
// so a word is left out only when at least minExpandSkipDF records have it
// too (on bdci-match one in twenty is 612 records: the floor changes
// nothing there).
const (
	minExpandIDF    = 3.0
	minExpandSkipDF = 200
)

// tooCommon reports whether an association word is too common to be worth
// its postings in a candidate query (see minExpandIDF).
func (m *Matcher) tooCommon(mdl *Model, t string) bool {
	e := mdl.indexEntry(m.Analyzer, data.KindAchievement, t)
	if !e.ok {
		return true // no record has it
	}
	return e.idf < minExpandIDF && e.df >= minExpandSkipDF
}

// minTermWeight drops candidate terms lighter than this share of the
// heaviest: they barely move the ranking but cost the index a walk through
// their postings (on the demo catalogue the search takes a third as long,
// and recall on bdci-match is unchanged).
const minTermWeight = 0.1

// isNumber reports whether a word is digits only (with a decimal point).
func isNumber(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return s != ""
}

// scored is a candidate with its evaluation.
type scored struct {
	id    string
	p     *profile
	d     *data.Demand // the demand, when demands are ranked
	q     *query
	score float64
}

// firstStage is the fixed lexical score that picks the feedback
// achievements; it does not depend on the weights, so feedback stays the
// same while weights are tuned.
func firstStage(v *[numSignals]float64) float64 {
	return v[sText] + v[sChars] + 0.5*v[sTitle] + 0.5*v[sCover]
}

// addFeedback computes q's feedback from the best of the unfiltered
// candidates. pool, if given, holds the profiles of the unfiltered
// candidates in index order (at least feedbackPool of them, or all there
// are); otherwise they are searched for.
func (m *Matcher) addFeedback(ctx context.Context, mdl *Model, q *query, w Weights, pool []*profile) error {
	if pool == nil {
		terms := m.demandTerms(mdl, q, w)
		if len(terms) == 0 {
			q.feedback = newFeedback(nil, nil)
			return nil
		}
		res, err := m.Search.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Terms: terms, Limit: feedbackPool})
		if err != nil {
			return fmt.Errorf("search feedback candidates: %w", err)
		}
		if pool, err = m.profiles(ctx, mdl, hitIDs(res.Hits)); err != nil {
			return err
		}
	}
	if len(pool) > feedbackPool {
		pool = pool[:feedbackPool]
	}
	now := m.now()
	cands := make([]scored, 0, len(pool))
	for _, p := range pool {
		if p == nil || !listed(p.meta.Status) {
			continue
		}
		e := evalPair(mdl, q, p, now, false)
		cands = append(cands, scored{id: p.meta.ID, p: p, score: firstStage(&e.v)})
	}
	sortScored(cands)
	k := min(w.FeedbackDocs, len(cands))
	ids := make([]string, k)
	profiles := make([]*profile, k)
	for i := 0; i < k; i++ {
		ids[i], profiles[i] = cands[i].id, cands[i].p
	}
	q.feedback = newFeedback(ids, profiles)
	return nil
}

func hitIDs(hits []data.Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// CandidateQuery returns the more-like-this search MatchDemand runs to
// find candidates for demand d.
func (m *Matcher) CandidateQuery(ctx context.Context, d *data.Demand, opt Options) (data.SearchQuery, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return data.SearchQuery{}, err
	}
	mdl, err := m.Model(ctx)
	if err != nil {
		return data.SearchQuery{}, err
	}
	w := m.weights()
	q := newQuery(mdl, m.Analyzer, d, w)
	terms := m.demandTerms(mdl, q, w)
	return data.SearchQuery{Kind: data.KindAchievement, Terms: terms, Filter: opt.Filter, Limit: opt.Candidates}, nil
}

// MatchDemand ranks the achievements most likely to meet a stored demand.
func (m *Matcher) MatchDemand(ctx context.Context, demandID string, opt Options) ([]Result, error) {
	d, err := m.Store.Demand(ctx, demandID)
	if err != nil {
		return nil, err
	}
	return m.matchDemand(ctx, d, opt)
}

// MatchText ranks achievements for a demand that is not stored, such as
// the free text an enterprise types before registering. Only its text
// (title, description, keywords) is required.
func (m *Matcher) MatchText(ctx context.Context, d data.Demand, opt Options) ([]Result, error) {
	d.Normalize()
	if d.Title == "" && d.Description == "" && len(d.Keywords) == 0 {
		return nil, data.Errorf(data.EINVALID, "请填写需求名称、描述或关键词，才能匹配科技成果")
	}
	return m.matchDemand(ctx, &d, opt)
}

func (m *Matcher) matchDemand(ctx context.Context, d *data.Demand, opt Options) ([]Result, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if m.Search == nil {
		return nil, errors.New("matcher: no searcher")
	}
	mdl, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	w := m.weights()
	key := m.queryKey(d, w)
	q := m.queries.get(mdl, key)
	cached := q != nil
	if !cached {
		q = newQuery(mdl, m.Analyzer, d, w)
	}
	terms := m.demandTerms(mdl, q, w)

	if len(terms) == 0 {
		return []Result{}, nil
	}
	res, err := m.Search.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Terms: terms, Filter: opt.Filter, Limit: opt.Candidates})
	if err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	ps, err := m.profiles(ctx, mdl, hitIDs(res.Hits))
	if err != nil {
		return nil, err
	}
	if !cached {
		if w.feedback() {
			var pool []*profile
			if filterEmpty(opt.Filter) && (len(ps) >= feedbackPool || uint64(len(res.Hits)) == res.Total) {
				pool = ps // the unfiltered candidates are these
			}
			if err := m.addFeedback(ctx, mdl, q, w, pool); err != nil {
				return nil, err
			}
		}
		m.queries.put(mdl, key, q)
	}
	wv := w.vector()
	now := m.now()
	out := make([]scored, 0, len(ps))
	for _, p := range ps {
		if p == nil || p.meta.ID == d.ID || (!listed(p.meta.Status) && opt.Filter.Status == "") {
			continue
		}
		e := evalPair(mdl, q, p, now, false)
		out = append(out, scored{id: p.meta.ID, p: p, q: q, score: combine(&wv, &e.v)})
	}
	sortScored(out)
	if len(out) > opt.Limit {
		out = out[:opt.Limit]
	}
	ids := make([]string, len(out))
	for i, s := range out {
		ids[i] = s.id
	}
	recs, err := m.Store.Achievements(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("load matches: %w", err)
	}
	results := make([]Result, 0, len(out))
	for i, s := range out {
		if recs[i] == nil {
			continue // deleted a moment ago
		}
		pub := recs[i].Public()
		e := evalPair(mdl, q, s.p, now, true)
		results = append(results, Result{ID: s.id, Achievement: &pub, Score: round4(s.score), Level: w.levels().Level(s.score),
			Explanation: explain(&e, &wv, s.score, q, &s.p.meta, DirDemand)})
	}
	return results, nil
}

func filterEmpty(f data.Filter) bool {
	return f.Field == "" && f.Discipline == "" && f.Industry == "" && f.Maturity == "" && f.Province == "" &&
		f.City == "" && f.County == "" && f.Institution == "" && f.Status == "" && f.AmountMin == 0 &&
		f.AmountMax == 0 && f.From == "" && f.To == "" && len(f.IDs) == 0 && !f.Challenge
}

// combine is the weighted mean of the signals.
func combine(w, v *[numSignals]float64) float64 {
	var s, sw float64
	for i := range w {
		s += w[i] * v[i]
		sw += w[i]
	}
	if sw == 0 {
		return 0
	}
	return s / sw
}

// sortScored orders by score, best first, ties by id: the same catalogue
// and weights always give the same ranking.
func sortScored(s []scored) {
	sort.Slice(s, func(i, j int) bool {
		if s[i].score != s[j].score {
			return s[i].score > s[j].score
		}
		return s[i].id < s[j].id
	})
}

// ScorePair scores one demand against one achievement, with the same
// signals and weights as the ranked matches, and explains the score.
func (m *Matcher) ScorePair(ctx context.Context, d *data.Demand, a *data.Achievement) (Result, error) {
	mdl, err := m.Model(ctx)
	if err != nil {
		return Result{}, err
	}
	w := m.weights()
	q, err := m.query(ctx, mdl, d, w)
	if err != nil {
		return Result{}, err
	}
	p := achievementProfile(m.Analyzer, a, nil)
	e := evalPair(mdl, q, p, m.now(), true)
	wv := w.vector()
	score := combine(&wv, &e.v)
	pub := a.Public()
	return Result{ID: a.ID, Achievement: &pub, Score: round4(score), Level: w.levels().Level(score),
		Explanation: explain(&e, &wv, score, q, &p.meta, DirDemand)}, nil
}

// PairSignals returns the signal values of a pair in the order of Signals,
// for tuning.
func (m *Matcher) PairSignals(ctx context.Context, d *data.Demand, a *data.Achievement) ([]float64, error) {
	mdl, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	q, err := m.query(ctx, mdl, d, m.weights())
	if err != nil {
		return nil, err
	}
	e := evalPair(mdl, q, achievementProfile(m.Analyzer, a, nil), m.now(), false)
	return e.v[:], nil
}

// MatchAchievement ranks the demands an achievement is most likely to
// meet, with the same signals as MatchDemand: each pair is scored as the
// demand's query against the achievement, so a pair scores the same in
// both directions.
func (m *Matcher) MatchAchievement(ctx context.Context, achievementID string, opt Options) ([]Result, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if m.Search == nil {
		return nil, errors.New("matcher: no searcher")
	}
	a, err := m.Store.Achievement(ctx, achievementID)
	if err != nil {
		return nil, err
	}
	mdl, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	w := m.weights()
	words := achievementQueryWords(m.Analyzer, a)
	terms := m.candidateTerms(data.KindDemand, words, w.candidateTerms(), mdl)
	if len(terms) == 0 {
		return []Result{}, nil
	}
	res, err := m.Search.Search(ctx, data.SearchQuery{Kind: data.KindDemand, Terms: terms, Filter: opt.Filter, Limit: opt.Candidates})
	if err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	dems, err := m.Store.Demands(ctx, hitIDs(res.Hits))
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	pa := achievementProfile(m.Analyzer, a, nil)
	wv := w.vector()
	now := m.now()
	out := make([]scored, 0, len(dems))
	for _, d := range dems {
		if d == nil || (!listed(d.Status) && opt.Filter.Status == "") {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		q, err := m.query(ctx, mdl, d, w)
		if err != nil {
			return nil, err
		}
		e := evalPair(mdl, q, pa, now, false)
		out = append(out, scored{id: d.ID, p: pa, d: d, q: q, score: combine(&wv, &e.v)})
	}
	sortScored(out)
	if len(out) > opt.Limit {
		out = out[:opt.Limit]
	}
	results := make([]Result, len(out))
	for i, s := range out {
		pub := s.d.Public()
		e := evalPair(mdl, s.q, pa, now, true)
		results[i] = Result{ID: s.id, Demand: &pub, Score: round4(s.score), Level: w.levels().Level(s.score),
			Explanation: explain(&e, &wv, s.score, s.q, &pa.meta, DirAchievement)}
	}
	return results, nil
}

// achievementQueryWords are the words of an achievement that look for
// demands: title words count three times, keywords twice, the abstract
// 1 + ln tf.
func achievementQueryWords(an data.Analyzer, a *data.Achievement) map[string]float64 {
	words := map[string]float64{}
	if an == nil {
		return words
	}
	for _, w := range an.Terms(a.Title) {
		words[w] += qTitleWeight
	}
	for _, k := range a.Keywords {
		for _, w := range an.Terms(k) {
			words[w] += qKeywordWeight
		}
	}
	c := map[string]int{}
	for _, w := range an.Terms(cutRunes(a.Abstract, 500)) {
		c[w]++
	}
	for w, n := range c {
		words[w] += qDescWeightBase + math.Log(float64(n))
	}
	return words
}

// queryCache keeps prepared demand queries of one model.
type queryCache struct {
	mu  sync.Mutex
	mdl *Model
	m   map[string]*query
}

// maxQueries bounds the cache; when full it starts afresh. Origin: a heap
// profile after 10 minutes of `techmatch bench --mix
// search=70,match=20,write=10` on the demo catalogue held 8,533 prepared
// queries in 92 MB (about 11 KB each: query 65 MB, associations 27 MB), so
// 20,000 could grow to 220 MB; 2,000 (about 22 MB) still holds every demand
// a team of brokers has open.
const maxQueries = 2000

func (c *queryCache) get(mdl *Model, key string) *query {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mdl != mdl {
		return nil
	}
	return c.m[key]
}

func (c *queryCache) put(mdl *Model, key string, q *query) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mdl != mdl || c.m == nil || len(c.m) >= maxQueries {
		c.mdl = mdl
		c.m = map[string]*query{}
	}
	c.m[key] = q
}
