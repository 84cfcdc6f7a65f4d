package matcher

import (
	"math"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// feedbackCatalogue is a hand-made candidate list for a demand on feed for
// cattle: two families of near twins (feed additives; dairy milking
// machines) and unrelated records, all with the same first score so that
// only the feedback orders them.
func feedbackCatalogue() []Result {
	titles := map[string]string{
		"a-feed1":  "反刍动物无抗饲料添加剂的制备方法",
		"a-feed2":  "反刍动物饲料添加剂及其制备方法",
		"a-feed3":  "一种无抗饲料添加剂的生产工艺",
		"a-milk1":  "奶牛挤奶机器人自动控制系统",
		"a-milk2":  "奶牛挤奶机器人清洗装置",
		"a-milk3":  "挤奶机器人的视觉定位系统",
		"a-other1": "玉米秸秆颗粒燃料成型机",
		"a-other2": "肉牛养殖场粪污处理工艺",
	}
	ids := []string{"a-feed1", "a-feed2", "a-feed3", "a-milk1", "a-milk2", "a-milk3", "a-other1", "a-other2"}
	out := make([]Result, len(ids))
	for i, id := range ids {
		out[i] = Result{ID: id, Achievement: &data.Achievement{ID: id, Title: titles[id]}, Score: 0.5}
	}
	return out
}

var feedbackQuery = Doc{ID: "d-1", Title: "奶牛养殖新技术需求", Body: "我公司养殖奶牛，希望引进提高奶牛生产效率的技术"}

func rankOf(res []Result, id string) int {
	for i, r := range res {
		if r.ID == id {
			return i
		}
	}
	return -1
}

func judgedOf(res []Result, id string, relevant bool) Judged {
	for i := range res {
		if res[i].ID == id {
			return Judged{Doc: ResultDoc(&res[i]), Relevant: relevant}
		}
	}
	panic("no " + id)
}

func TestApplyFeedbackMovesTwins(t *testing.T) {
	base := feedbackCatalogue()
	tests := []struct {
		name     string
		judged   []Judged
		up, down []string // near twins that must rank above / below every unrelated record
		// say is the explanation each twin must carry: it names the
		// judged record that moved it.
		say map[string]string
	}{
		{"accepted milking robot lifts its twins", []Judged{judgedOf(base, "a-milk1", true)},
			[]string{"a-milk2", "a-milk3"}, nil, map[string]string{
				"a-milk2": "与您标记为相关的成果“奶牛挤奶机器人自动控制系统”相似，已上调",
				"a-milk3": "与您标记为相关的成果“奶牛挤奶机器人自动控制系统”相似，已上调"}},
		{"rejected feed additive sinks its twins", []Judged{judgedOf(base, "a-feed1", false)},
			nil, []string{"a-feed2", "a-feed3"}, map[string]string{
				"a-feed2": "与您标记为不相关的成果“反刍动物无抗饲料添加剂的制备方法”相近，已下调",
				"a-feed3": "与您标记为不相关的成果“反刍动物无抗饲料添加剂的制备方法”相近，已下调"}},
		{"both at once, each twin names its own judged record",
			[]Judged{judgedOf(base, "a-milk1", true), judgedOf(base, "a-feed1", false)},
			[]string{"a-milk2", "a-milk3"}, []string{"a-feed2", "a-feed3"}, map[string]string{
				"a-milk2": "与您标记为相关的成果“奶牛挤奶机器人自动控制系统”相似，已上调",
				"a-feed2": "与您标记为不相关的成果“反刍动物无抗饲料添加剂的制备方法”相近，已下调"}},
		{"two accepted records: a twin names the one it resembles",
			[]Judged{judgedOf(base, "a-milk1", true), judgedOf(base, "a-feed1", true)},
			[]string{"a-milk2", "a-feed2"}, nil, map[string]string{
				"a-milk2": "与您标记为相关的成果“奶牛挤奶机器人自动控制系统”相似，已上调",
				"a-feed2": "与您标记为相关的成果“反刍动物无抗饲料添加剂的制备方法”相似，已上调"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ApplyFeedback(feedbackQuery, feedbackCatalogue(), tt.judged, false, 0)
			if len(res) != len(base) {
				t.Fatalf("%d results, want %d", len(res), len(base))
			}
			for _, u := range tt.up {
				for _, o := range []string{"a-other1", "a-other2"} {
					if rankOf(res, u) > rankOf(res, o) {
						t.Errorf("%s at %d below unrelated %s at %d", u, rankOf(res, u), o, rankOf(res, o))
					}
				}
			}
			for _, d := range tt.down {
				for _, o := range []string{"a-other1", "a-other2"} {
					if rankOf(res, d) < rankOf(res, o) {
						t.Errorf("%s at %d above unrelated %s at %d", d, rankOf(res, d), o, rankOf(res, o))
					}
				}
			}
			for id, want := range tt.say {
				r := res[rankOf(res, id)]
				if len(r.Explanation.Sentences) == 0 || r.Explanation.Sentences[0] != want {
					t.Errorf("%s explained %q, want first %q", id, r.Explanation.Sentences, want)
				}
			}
			// Unrelated records share a character or two at most: they
			// move less than any twin and are not said to resemble anything.
			for _, o := range []string{"a-other1", "a-other2"} {
				r := res[rankOf(res, o)]
				if len(r.Explanation.Sentences) != 0 {
					t.Errorf("unrelated %s explained %q", o, r.Explanation.Sentences)
				}
				for _, tw := range append(append([]string{}, tt.up...), tt.down...) {
					if m, mt := math.Abs(r.Score-0.5), math.Abs(res[rankOf(res, tw)].Score-0.5); m >= mt {
						t.Errorf("unrelated %s moved %.4f, twin %s only %.4f", o, m, tw, mt)
					}
				}
			}
		})
	}
}

func TestApplyFeedbackVerdicts(t *testing.T) {
	base := feedbackCatalogue()
	judged := []Judged{judgedOf(base, "a-milk1", true), judgedOf(base, "a-feed1", false)}
	marked := ApplyFeedback(feedbackQuery, feedbackCatalogue(), judged, false, 0)
	want := map[string]string{"a-milk1": "relevant", "a-feed1": "not_relevant"}
	for _, r := range marked {
		if r.Verdict != want[r.ID] {
			t.Errorf("%s verdict %q, want %q", r.ID, r.Verdict, want[r.ID])
		}
	}
	excluded := ApplyFeedback(feedbackQuery, feedbackCatalogue(), judged, true, 3)
	if len(excluded) != 3 {
		t.Fatalf("limit 3 gave %d", len(excluded))
	}
	for _, r := range ApplyFeedback(feedbackQuery, feedbackCatalogue(), judged, true, 0) {
		if _, ok := want[r.ID]; ok || r.Verdict != "" {
			t.Errorf("judged %s kept with exclude", r.ID)
		}
	}
	// Without verdicts the list is only cut.
	if got := ApplyFeedback(feedbackQuery, feedbackCatalogue(), nil, true, 2); len(got) != 2 || got[0].ID != base[0].ID {
		t.Errorf("no feedback: %v", got)
	}
}

func BenchmarkApplyFeedback(b *testing.B) {
	base := feedbackCatalogue()
	pool := make([]Result, 0, MaxLimit)
	for len(pool) < MaxLimit {
		pool = append(pool, base...)
	}
	judged := []Judged{judgedOf(base, "a-milk1", true), judgedOf(base, "a-feed1", false), judgedOf(base, "a-other1", false)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := make([]Result, len(pool))
		copy(in, pool)
		ApplyFeedback(feedbackQuery, in, judged, false, DefaultLimit)
	}
}
