package eval

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/matcher"
)

// handFirst is a hand-made first ranking: the broker judges the top two
// (one relevant, one unjudged and so not relevant); a near twin of the
// relevant one waits at the bottom, a near twin of the rejected one
// higher up.
func handFirst() firstRanking {
	docs := []matcher.Doc{
		{ID: "a1", Title: "奶牛挤奶机器人自动控制系统"},
		{ID: "a2", Title: "反刍动物无抗饲料添加剂的制备方法"},
		{ID: "a3", Title: "玉米秸秆颗粒燃料成型机"},
		{ID: "a4", Title: "反刍动物饲料添加剂及其制备方法"},
		{ID: "a5", Title: "肉牛养殖场粪污处理工艺"},
		{ID: "a6", Title: "温室大棚智能灌溉控制器"},
		{ID: "a7", Title: "奶牛挤奶机器人视觉定位系统"},
	}
	f := firstRanking{qid: "q1", query: matcher.Doc{ID: "d1", Title: "奶牛养殖新技术"},
		rel: map[string]int{"a1": 2, "a3": 1, "a4": 0, "a7": 3}}
	for i, d := range docs {
		f.ids = append(f.ids, d.ID)
		f.score = append(f.score, 0.5-0.01*float64(i))
		f.docs = append(f.docs, d)
	}
	return f
}

func TestResidualProtocol(t *testing.T) {
	f := handFirst()
	tests := []struct {
		name        string
		k           int
		beta, gamma float64
		nRel, nNon  int
		twinUp      bool // a7, the relevant record's twin, rises to the top
	}{
		{"no feedback weight: the residual order stays", 2, 0, 0, 1, 1, false},
		{"feedback lifts the relevant record's twin", 2, 0.2, 0.05, 1, 1, true},
		{"k beyond the ranking judges it all", 10, 0.2, 0.05, 3, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			without, with, scores, rel, nr, nn := residual(&f, tt.k, tt.beta, tt.gamma)
			k := min(tt.k, len(f.ids))
			if !slices.Equal(without, f.ids[k:]) {
				t.Errorf("without %v, want the first ranking minus its top %d %v", without, k, f.ids[k:])
			}
			if len(with) != len(without) || len(scores) != len(with) {
				t.Fatalf("with %v (%d scores), without %v", with, len(scores), without)
			}
			for _, id := range f.ids[:k] {
				if slices.Contains(with, id) {
					t.Errorf("judged %s left in the residual ranking %v", id, with)
				}
				if _, ok := rel[id]; ok {
					t.Errorf("judged %s left in the residual judgements", id)
				}
			}
			if nr != tt.nRel || nn != tt.nNon {
				t.Errorf("verdicts %d relevant, %d not; want %d, %d", nr, nn, tt.nRel, tt.nNon)
			}
			if tt.beta == 0 && tt.gamma == 0 && !slices.Equal(with, without) {
				t.Errorf("no feedback weight reordered %v → %v", without, with)
			}
			if tt.twinUp && (with[0] != "a7" || slices.Index(with, "a4") < slices.Index(with, "a5")) {
				t.Errorf("with feedback %v: want a7 first and a4 (twin of the rejected a2) below a5", with)
			}
		})
	}
}

func TestPairedFeedbackReport(t *testing.T) {
	firsts := []firstRanking{handFirst()}
	var run bytes.Buffer
	p, err := pairedFeedback(firsts, 2, 0.2, 0.05, 0, &run, "tag")
	if err != nil {
		t.Fatal(err)
	}
	if p.Queries != 1 || p.JudgedRel != 1 || p.JudgedNone != 1 {
		t.Errorf("report %+v", p)
	}
	// a7 (grade 3) rises from the residual's last place to its first.
	if p.DeltaNDCG <= 0 || p.With.NDCG10 <= p.Without.NDCG10 || p.With.NDCG10 != 1 {
		t.Errorf("nDCG@10 %.4f → %.4f (%+.4f), want a rise to 1", p.Without.NDCG10, p.With.NDCG10, p.DeltaNDCG)
	}
	lines := strings.Split(strings.TrimSpace(run.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "q1 Q0 a7 1 ") {
		t.Errorf("run file holds the residual ranking after feedback, a7 first:\n%s", run.String())
	}
	// A query whose relevant records were all judged is not scored.
	f := handFirst()
	f.rel = map[string]int{"a1": 2}
	if p, _ := pairedFeedback([]firstRanking{f}, 2, 0.2, 0.05, 0, nil, ""); p.Queries != 0 {
		t.Errorf("query without a relevant record left scored: %+v", p)
	}
}
