package matcher

import (
	"math"
	"sort"
	"strings"
)

// Explicit relevance feedback (Rocchio). A broker marks some candidates of
// a demand as relevant or not; the next ranking moves the candidates that
// resemble the relevant ones up and those that resemble what only the
// rejected ones have in common down. It is a separate step after the
// signals and works on the texts the caller passes in: the package stays
// free of the store.

// Constants of the explicit feedback, chosen on the dev split of
// bdci-match only (TestFeedbackGrid in internal/eval: K=5, the suite's
// grades judge the top 5, residual nDCG@10 without → with feedback).
// Grid beta ∈ {0,0.05,0.1,0.2,0.3,0.5,0.8} × gamma ∈ {0,0.05,0.1,0.2,0.3};
// best on both settings at beta 0.1, gamma 0.05: rerank 0.6219 → 0.6229
// (+0.0010), full 0.1655 → 0.1702 (+0.0047), full recall@100 −0.0006.
// Larger beta hurts rerank (0.8: −0.0145), larger gamma hurts full
// (0.3: −0.006 to −0.010). The gain is far below the +0.03 hoped for: on
// this suite 88 of 120 demands have all of their top 5 relevant, and the
// titles of relevant achievements add little the demand's own signals do
// not already say (a per-demand re-weighting of the signals from the
// verdicts did no better: −0.002 to +0.0007).
const (
	// FeedbackBeta weighs the likeness to the relevant records.
	FeedbackBeta = 0.1
	// FeedbackGamma weighs the likeness to what only the rejected
	// records share.
	FeedbackGamma = 0.05
	// feedbackRunes is how much of a record's body counts.
	feedbackRunes = 300
	// feedbackSaySim is the likeness from which the explanation says so.
	feedbackSaySim = 0.15
)

// Doc is the text of a record for explicit feedback: a candidate, a judged
// record or the query itself.
type Doc struct {
	ID       string
	Title    string
	Keywords []string
	Body     string
}

// Judged is a record a person judged for the query.
type Judged struct {
	Doc
	Relevant bool
}

// docText is the text of a record the feedback compares: the title
// (twice), the keywords and the start of the body.
func docText(d Doc) string {
	return d.Title + "；" + d.Title + "；" + strings.Join(d.Keywords, "；") + "；" + cutRunes(d.Body, feedbackRunes)
}

// svec is a sparse vector, sorted by unit.
type svec struct {
	k []unit
	v []float64
}

func (a svec) dot(b svec) float64 {
	s, i, j := 0.0, 0, 0
	for i < len(a.k) && j < len(b.k) {
		switch {
		case a.k[i] < b.k[j]:
			i++
		case a.k[i] > b.k[j]:
			j++
		default:
			s += a.v[i] * b.v[j]
			i++
			j++
		}
	}
	return s
}

func (a svec) norm() float64 { return math.Sqrt(a.dot(a)) }

func toSvec(m map[unit]float64) svec {
	v := svec{k: make([]unit, 0, len(m))}
	for k := range m {
		v.k = append(v.k, k)
	}
	sort.Slice(v.k, func(i, j int) bool { return v.k[i] < v.k[j] })
	v.v = make([]float64, len(v.k))
	for i, k := range v.k {
		v.v[i] = m[k]
	}
	return v
}

// FeedbackModel scores candidates by their likeness to judged records.
type FeedbackModel struct {
	df        map[unit]int
	n         int
	rel, non  svec // centroids
	relN      float64
	nonN      float64
	relDocs   []svec
	relTitles []string
	nonDocs   []svec
	nonTitles []string
	Beta      float64
	Gamma     float64
}

// NewFeedbackModel builds the model from the judged records; pool are the
// candidates it will score and query the query's own text (its units are
// never pushed down). Document frequencies come from the pool and the
// judged records.
func NewFeedbackModel(query Doc, judged []Judged, pool []Doc) *FeedbackModel {
	return newFeedbackModel(query, judged, docBags(pool))
}

// bags is the units of a record's feedback text.
func bags(d Doc) unitCounts {
	u := unitCounts{}
	addUnits(docText(d), u)
	return u
}

func docBags(docs []Doc) []unitCounts {
	out := make([]unitCounts, len(docs))
	for i, d := range docs {
		out[i] = bags(d)
	}
	return out
}

// newFeedbackModel is NewFeedbackModel on the pool's units, which
// ApplyFeedback computes once for the model and the scores.
func newFeedbackModel(query Doc, judged []Judged, pool []unitCounts) *FeedbackModel {
	f := &FeedbackModel{df: map[unit]int{}, Beta: FeedbackBeta, Gamma: FeedbackGamma}
	count := func(u unitCounts) {
		for k := range u {
			f.df[k]++
		}
		f.n++
	}
	for _, u := range pool {
		count(u)
	}
	jb := make([]unitCounts, len(judged))
	for i, j := range judged {
		jb[i] = bags(j.Doc)
		count(jb[i])
	}
	qu := bags(query)
	relSum, nonSum := map[unit]float64{}, map[unit]float64{}
	var nRel, nNon int
	for i, j := range judged {
		v := f.vec(jb[i])
		if j.Relevant {
			f.relDocs, f.relTitles = append(f.relDocs, v), append(f.relTitles, j.Title)
			nRel++
			for x, k := range v.k {
				relSum[k] += v.v[x]
			}
		} else {
			f.nonDocs, f.nonTitles = append(f.nonDocs, v), append(f.nonTitles, j.Title)
			nNon++
			for x, k := range v.k {
				nonSum[k] += v.v[x]
			}
		}
	}
	// Only what the rejected records have and neither the relevant ones
	// nor the query has is pushed down.
	for k := range nonSum {
		if relSum[k] > 0 || qu[k] > 0 {
			delete(nonSum, k)
		}
	}
	f.rel, f.non = toSvec(relSum), toSvec(nonSum)
	f.relN, f.nonN = f.rel.norm(), f.non.norm()
	return f
}

// vec is the tf-idf vector of a bag, of unit length.
func (f *FeedbackModel) vec(u unitCounts) svec {
	m := make(map[unit]float64, len(u))
	for k, n := range u {
		idf := math.Log(1 + float64(f.n)/float64(1+f.df[k]))
		w := (1 + math.Log(float64(n))) * idf
		if !unitIsBigram(k) {
			w *= 0.5 // single characters say less than bigrams
		}
		m[k] = w
	}
	v := toSvec(m)
	if n := v.norm(); n > 0 {
		for i := range v.v {
			v.v[i] /= n
		}
	}
	return v
}

// FeedbackScore is what the feedback does to one candidate.
type FeedbackScore struct {
	// Delta is added to the candidate's score.
	Delta float64
	// Rel and Non are the likeness to the relevant records and to what
	// only the rejected records share (cosine, in [0,1]).
	Rel, Non float64
	// RelTitle and NonTitle are the most alike judged records.
	RelTitle, NonTitle string
	NearRel, NearNon   float64
}

// Score returns the feedback of one candidate.
func (f *FeedbackModel) Score(d Doc) FeedbackScore { return f.score(bags(d)) }

func (f *FeedbackModel) score(u unitCounts) FeedbackScore {
	v := f.vec(u)
	var s FeedbackScore
	if f.relN > 0 {
		s.Rel = v.dot(f.rel) / f.relN
	}
	if f.nonN > 0 {
		s.Non = v.dot(f.non) / f.nonN
	}
	s.Delta = f.Beta*s.Rel - f.Gamma*s.Non
	for i, r := range f.relDocs {
		if x := v.dot(r); x > s.NearRel {
			s.NearRel, s.RelTitle = x, f.relTitles[i]
		}
	}
	for i, r := range f.nonDocs {
		if x := v.dot(r); x > s.NearNon {
			s.NearNon, s.NonTitle = x, f.nonTitles[i]
		}
	}
	return s
}

// Rescore returns the candidates' scores after feedback.
func (f *FeedbackModel) Rescore(cands []Doc, scores []float64) []float64 {
	out := make([]float64, len(cands))
	for i, d := range cands {
		out[i] = scores[i] + f.Score(d).Delta
	}
	return out
}

// ResultDoc is the feedback text of a result's record.
func ResultDoc(r *Result) Doc {
	switch {
	case r.Achievement != nil:
		return Doc{ID: r.ID, Title: r.Achievement.Title, Keywords: r.Achievement.Keywords, Body: r.Achievement.Abstract}
	case r.Demand != nil:
		return Doc{ID: r.ID, Title: r.Demand.Title, Keywords: r.Demand.Keywords, Body: r.Demand.Description}
	}
	return Doc{ID: r.ID}
}

// ApplyFeedback re-ranks results by the judged records: each judged result
// carries its verdict (or is left out when exclude is set), every score
// moves by the likeness to the relevant records and to what only the
// rejected ones share, the explanation says so, and at most limit results
// are returned (all when limit ≤ 0). query is the text matched for.
func ApplyFeedback(query Doc, results []Result, judged []Judged, exclude bool, limit int) []Result {
	if len(judged) == 0 {
		if limit > 0 && len(results) > limit {
			results = results[:limit]
		}
		return results
	}
	verdict := make(map[string]bool, len(judged))
	for _, j := range judged {
		verdict[j.ID] = j.Relevant
	}
	pool := make([]unitCounts, len(results))
	for i := range results {
		pool[i] = bags(ResultDoc(&results[i]))
	}
	f := newFeedbackModel(query, judged, pool)
	out := make([]Result, 0, len(results))
	for i, r := range results {
		rel, ok := verdict[r.ID]
		if ok && exclude {
			continue
		}
		if ok {
			r.Verdict = "not_relevant"
			if rel {
				r.Verdict = "relevant"
			}
		}
		fs := f.score(pool[i])
		r.Score = round4(r.Score + fs.Delta)
		r.Explanation.Total = r.Score
		if !ok {
			r.Explanation.Sentences = append(feedbackSentences(fs, r.Demand != nil, f), r.Explanation.Sentences...)
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// feedbackSentences say, in Chinese, how the feedback moved a result.
func feedbackSentences(fs FeedbackScore, demands bool, f *FeedbackModel) []string {
	what := "成果"
	if demands {
		what = "需求"
	}
	var out []string
	if f.Beta*fs.Rel >= f.Gamma*fs.Non && fs.NearRel >= feedbackSaySim {
		out = append(out, "与您标记为相关的"+what+"相似（如“"+cutRunes(fs.RelTitle, 30)+"”），已上调")
	} else if f.Gamma*fs.Non > f.Beta*fs.Rel && fs.NearNon >= feedbackSaySim {
		out = append(out, "与您标记为不相关的"+what+"相近（如“"+cutRunes(fs.NonTitle, 30)+"”），已下调")
	}
	return out
}
