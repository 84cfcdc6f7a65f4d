package eval

import (
	"context"
	"io"
	"sort"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval/metrics"
	"github.com/techmatch/techmatch/matcher"
)

// DefaultFeedbackK is how many of the first ranking the simulated broker
// judges.
const DefaultFeedbackK = 5

// feedbackPool is how many achievements full mode fetches when feedback is
// measured, so that the residual ranking after feedback can bring up
// records from beyond the first 100.
const feedbackPool = matcher.MaxLimit

// FeedbackReport is the interactive-feedback measurement of a match suite
// (residual collection method): the suite's grades play the broker, who
// judges the top K of the first ranking (grade ≥ 1 relevant; grade 0 or
// unjudged not relevant); both residual rankings leave the judged records
// out and are scored against the judgements without them.
type FeedbackReport struct {
	K      int     `json:"k"`
	Beta   float64 `json:"beta"`
	Gamma  float64 `json:"gamma"`
	Rerank Paired  `json:"rerank"`
	Full   *Paired `json:"full,omitempty"`
}

// Paired compares the residual ranking without and with feedback. The
// latency of With is the feedback step alone (the first ranking's is in
// the suite's blocks); Without has no step of its own and shows 0.
type Paired struct {
	Queries    int     `json:"queries"`
	Without    Block   `json:"without_feedback"`
	With       Block   `json:"with_feedback"`
	DeltaNDCG  float64 `json:"delta_ndcg@10"`
	DeltaR100  float64 `json:"delta_recall@100"`
	JudgedRel  int     `json:"judged_relevant"`
	JudgedNone int     `json:"judged_not_relevant"`
}

// firstRanking is one query's rankings before feedback.
type firstRanking struct {
	qid   string
	rel   map[string]int
	query matcher.Doc
	ids   []string
	score []float64
	docs  []matcher.Doc
}

func demandDoc(d *data.Demand) matcher.Doc {
	return matcher.Doc{ID: d.ID, Title: d.Title, Keywords: d.Keywords, Body: d.Description}
}

func achievementDocs(achs []*data.Achievement) []matcher.Doc {
	out := make([]matcher.Doc, len(achs))
	for i, a := range achs {
		if a != nil {
			out[i] = matcher.Doc{ID: a.ID, Title: a.Title, Keywords: a.Keywords, Body: a.Abstract}
		}
	}
	return out
}

// docsOf loads the achievements' feedback texts.
func (e *Env) docsOf(ctx context.Context, ids []string) ([]matcher.Doc, error) {
	achs, err := e.Store.Achievements(ctx, ids)
	if err != nil {
		return nil, err
	}
	return achievementDocs(achs), nil
}

// residual applies feedback from the top k of f and returns the residual
// rankings without and with it, the residual judgements and the verdicts.
func residual(f *firstRanking, k int, beta, gamma float64) (without, with []string, withScores []float64, rel map[string]int, nRel, nNon int) {
	k = min(k, len(f.ids))
	judged := make([]matcher.Judged, k)
	skip := map[string]bool{}
	for i := 0; i < k; i++ {
		r := f.rel[f.ids[i]] >= 1
		judged[i] = matcher.Judged{Doc: f.docs[i], Relevant: r}
		skip[f.ids[i]] = true
		if r {
			nRel++
		} else {
			nNon++
		}
	}
	rel = make(map[string]int, len(f.rel))
	for id, g := range f.rel {
		if !skip[id] {
			rel[id] = g
		}
	}
	pool := f.docs[k:]
	m := matcher.NewFeedbackModel(f.query, judged, pool)
	m.Beta, m.Gamma = beta, gamma
	scores := m.Rescore(f.score[k:])
	type s struct {
		id    string
		score float64
	}
	out := make([]s, len(pool))
	for i := range pool {
		out[i] = s{f.ids[k+i], scores[i]}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].id < out[j].id
	})
	without = f.ids[k:]
	with = make([]string, len(out))
	withScores = make([]float64, len(out))
	for i, x := range out {
		with[i], withScores[i] = x.id, round4(x.score)
	}
	return without, with, withScores, rel, nRel, nNon
}

// pairedFeedback measures feedback over the first rankings; run, if not
// nil, receives the residual rankings after feedback, cut to limit.
func pairedFeedback(firsts []firstRanking, k int, beta, gamma float64, limit int, run io.Writer, runTag string) (Paired, error) {
	var wo, wi collector
	var p Paired
	for i := range firsts {
		f := &firsts[i]
		t0 := time.Now()
		without, with, scores, rel, nr, nn := residual(f, k, beta, gamma)
		wi.latency(time.Since(t0))
		if limit > 0 {
			without, with, scores = without[:min(limit, len(without))], with[:min(limit, len(with))], scores[:min(limit, len(scores))]
		}
		wo.score(without, rel)
		wi.score(with, rel)
		p.JudgedRel += nr
		p.JudgedNone += nn
		if run != nil {
			if err := metrics.WriteTRECRun(run, f.qid, with, scores, tag(runTag)); err != nil {
				return p, err
			}
		}
	}
	p.Queries = wi.queries()
	p.Without, p.With = wo.block(), wi.block()
	p.DeltaNDCG = round4(p.With.NDCG10 - p.Without.NDCG10)
	p.DeltaR100 = round4(p.With.Recall100 - p.Without.Recall100)
	return p, nil
}
