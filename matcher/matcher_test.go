package matcher

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

var updateGolden = flag.Bool("update", false, "rewrite the matcher's golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(tb testing.TB, name, got string) {
	tb.Helper()
	path := "testdata/" + name
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test ./matcher -run %s -update to create it)", err, tb.Name())
	}
	if got != string(want) {
		tb.Errorf("%s differs from the golden file (rerun with -update if the change is intended):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func renderResults(head string, rs []Result) string {
	var b strings.Builder
	b.WriteString(head + "\n")
	for i, r := range rs {
		title := ""
		if r.Achievement != nil {
			title = r.Achievement.Title
		} else if r.Demand != nil {
			title = r.Demand.Title
		}
		fmt.Fprintf(&b, "%2d %-18s %.4f %s\n", i+1, r.ID, r.Score, title)
		fmt.Fprintf(&b, "   %s\n", strings.Join(r.Explanation.Sentences, "；"))
	}
	return b.String()
}

// TestGoldenRankings ranks the hand-made catalogue both ways. The right
// answers are plain to see: the separator demand wants the separator
// coating at pilot stage in its own district, not the laboratory study in
// Beijing; the vision demand wants the inspection system, not the
// segmentation paper; and so on.
func TestGoldenRankings(t *testing.T) {
	m, _ := newTestMatcher(t)
	ctx := context.Background()
	tops := map[string]string{
		"d-separator": "a-separator",
		"d-vision":    "a-vision",
		"d-corn":      "a-corn-starch",
		"d-feed":      "a-feed",
		"d-rehab":     "a-rehab",
		"d-ginseng":   "a-ginseng",
	}
	var out strings.Builder
	for _, id := range []string{"d-separator", "d-vision", "d-corn", "d-feed", "d-rehab", "d-ginseng"} {
		rs, err := m.MatchDemand(ctx, id, Options{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 0 || rs[0].ID != tops[id] {
			t.Errorf("%s: top match %v, want %s", id, ids(rs), tops[id])
		}
		for _, r := range rs {
			if r.ID == "a-separator-draft" {
				t.Errorf("%s: the draft achievement was matched", id)
			}
		}
		out.WriteString(renderResults("demand "+id, rs))
	}
	// The separator demand: pilot-stage, local, within budget beats the
	// laboratory study elsewhere, which still beats unrelated records.
	rs, _ := m.MatchDemand(ctx, "d-separator", Options{Limit: 10})
	if pos(rs, "a-separator-lab") < 0 || pos(rs, "a-separator-lab") > pos(rs, "a-recycle") && pos(rs, "a-recycle") >= 0 {
		t.Errorf("d-separator: the other separator study should rank above the recycling one: %v", ids(rs))
	}

	for _, id := range []string{"a-separator", "a-feed", "a-ginseng"} {
		rs, err := m.MatchAchievement(ctx, id, Options{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(renderResults("achievement "+id, rs))
	}
	golden(t, "match.golden", out.String())
}

func ids(rs []Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func pos(rs []Result, id string) int {
	for i, r := range rs {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// TestBothDirections checks that a pair scores the same whichever side is
// matched, and through the single-pair path.
func TestBothDirections(t *testing.T) {
	m, store := newTestMatcher(t)
	ctx := context.Background()
	for _, did := range []string{"d-separator", "d-feed", "d-ginseng"} {
		d, _ := store.Demand(ctx, did)
		byDemand, err := m.MatchDemand(ctx, did, Options{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range byDemand {
			a, _ := store.Achievement(ctx, r.ID)
			pair, err := m.ScorePair(ctx, d, a)
			if err != nil {
				t.Fatal(err)
			}
			if pair.Score != r.Score || !reflect.DeepEqual(pair.Explanation, r.Explanation) {
				t.Errorf("%s/%s: ScorePair %v %v, MatchDemand %v %v", did, r.ID, pair.Score, pair.Explanation, r.Score, r.Explanation)
			}
			byAch, err := m.MatchAchievement(ctx, r.ID, Options{Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, x := range byAch {
				if x.ID == did {
					found = true
					if x.Score != r.Score {
						t.Errorf("%s/%s: MatchAchievement %v, MatchDemand %v", did, r.ID, x.Score, r.Score)
					}
					if x.Demand == nil || x.Achievement != nil || x.Demand.Contact != nil {
						t.Errorf("achievement→demand result should carry the public demand only: %+v", x)
					}
				}
			}
			if !found && r.Score > 0.45 {
				t.Errorf("%s: a good match (%.3f) for %s, but %s does not find it: %v", r.ID, r.Score, did, r.ID, ids(byAch))
			}
		}
	}
}

// TestDeterministic checks that the same catalogue and weights give the
// same ranking, from a warm matcher and from a fresh one.
func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	m1, _ := newTestMatcher(t)
	m2, _ := newTestMatcher(t)
	for _, id := range []string{"d-separator", "d-vision", "d-corn", "d-rehab"} {
		a, err := m1.MatchDemand(ctx, id, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := m1.MatchDemand(ctx, id, Options{})
		c, _ := m2.MatchDemand(ctx, id, Options{})
		if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
			t.Errorf("%s: rankings differ between runs:\n%v\n%v\n%v", id, ids(a), ids(b), ids(c))
		}
		for i := 1; i < len(a); i++ {
			if a[i].Score > a[i-1].Score || a[i].Score == a[i-1].Score && a[i].ID < a[i-1].ID {
				t.Errorf("%s: not sorted by score, then id: %v", id, ids(a))
			}
		}
	}
}

// TestTiesByID checks that records scoring the same are ordered by id.
func TestTiesByID(t *testing.T) {
	m, store := newTestMatcher(t)
	ctx := context.Background()
	twin := data.Achievement{ID: "a-feed-0-twin", Title: "肉牛无抗饲料配方", Abstract: "以植物提取物替代抗生素，降低肉牛腹泻率，提高日增重。",
		Keywords: []string{"无抗饲料", "反刍动物", "肉牛"}, Field: "现代农业", Region: data.Region{Province: "吉林省", City: "长春市"},
		Maturity: "中试", Published: "2024-01-10"}
	if _, err := store.PutAchievements(ctx, []data.Achievement{twin}); err != nil {
		t.Fatal(err)
	}
	rs, err := m.MatchDemand(ctx, "d-feed", Options{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 2 || rs[0].ID != "a-feed" || rs[1].ID != "a-feed-0-twin" || rs[0].Score != rs[1].Score {
		t.Fatalf("twins should tie and sort by id: %v", rs)
	}
}

// TestExplanation checks what a broker reads.
func TestExplanation(t *testing.T) {
	m, store := newTestMatcher(t)
	ctx := context.Background()
	d, _ := store.Demand(ctx, "d-separator")
	a, _ := store.Achievement(ctx, "a-separator")
	r, err := m.ScorePair(ctx, d, a)
	if err != nil {
		t.Fatal(err)
	}
	ex := r.Explanation
	var sum, wsum float64
	for _, s := range ex.Signals {
		sum += s.Contribution
		wsum += s.Weight
		if s.Value < 0 || s.Value > 1 {
			t.Errorf("signal %s = %v, outside [0,1]", s.Name, s.Value)
		}
		if s.Label == "" || !hasHan(s.Label) {
			t.Errorf("signal %s has no Chinese label", s.Name)
		}
	}
	if math.Abs(sum-ex.Total) > 0.002 || math.Abs(wsum-1) > 0.002 || ex.Total != r.Score {
		t.Errorf("contributions add up to %v and weights to %v; total %v, score %v", sum, wsum, ex.Total, r.Score)
	}
	if len(ex.Sentences) < 2 || len(ex.Sentences) > 3 {
		t.Errorf("want 2 or 3 sentences, got %q", ex.Sentences)
	}
	all := strings.Join(ex.Sentences, "；")
	for _, want := range []string{"关键词重合", "锂离子电池", "隔膜", "长春市朝阳区"} {
		if !strings.Contains(all, want) {
			t.Errorf("sentences %q do not mention %s", ex.Sentences, want)
		}
	}
	if len(ex.Terms) == 0 || ex.Terms[0].Weight <= 0 {
		t.Errorf("no matched terms: %v", ex.Terms)
	}
	for i := 1; i < len(ex.Terms); i++ {
		if ex.Terms[i].Weight > ex.Terms[i-1].Weight {
			t.Errorf("terms not heaviest first: %v", ex.Terms)
		}
	}
	if r.Achievement == nil || r.Achievement.ID != "a-separator" {
		t.Errorf("result should carry the achievement: %+v", r)
	}

	// Maturity and price speak when they matter: the vision demand needs
	// production-ready technology within 100 万元.
	d, _ = store.Demand(ctx, "d-vision")
	a, _ = store.Achievement(ctx, "a-vision")
	r, _ = m.ScorePair(ctx, d, a)
	all = strings.Join(r.Explanation.Sentences, "；")
	if !strings.Contains(all, "机器视觉") && !strings.Contains(all, "缺陷") {
		t.Errorf("vision sentences %q do not name the shared terms", r.Explanation.Sentences)
	}

	// A challenge demand says so when matched from the achievement side.
	rs, _ := m.MatchAchievement(ctx, "a-ginseng", Options{Limit: 1})
	if len(rs) != 1 || rs[0].ID != "d-ginseng" || !strings.Contains(strings.Join(rs[0].Explanation.Sentences, ""), "揭榜挂帅") {
		t.Errorf("ginseng challenge: %+v", rs)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if isHan(r) {
			return true
		}
	}
	return false
}

// TestMatchText matches free text that is not stored, as POST
// /api/v1/match and the response to POST /api/v1/demands do.
func TestMatchText(t *testing.T) {
	m, _ := newTestMatcher(t)
	ctx := context.Background()
	rs, err := m.MatchText(ctx, data.Demand{Description: "我们想找人参皂苷提取的成熟工艺"}, Options{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 || rs[0].ID != "a-ginseng" {
		t.Fatalf("free text: %v", ids(rs))
	}
	rs2, _ := m.MatchText(ctx, data.Demand{Description: "我们想找人参皂苷提取的成熟工艺"}, Options{Limit: 3})
	if !reflect.DeepEqual(rs, rs2) {
		t.Errorf("free text twice gave %v then %v", ids(rs), ids(rs2))
	}
	_, err = m.MatchText(ctx, data.Demand{Title: "  "}, Options{})
	if data.ErrorCode(err) != data.EINVALID {
		t.Errorf("empty text: err %v, want invalid", err)
	}
	// Words nobody has give no matches, not an error.
	rs, err = m.MatchText(ctx, data.Demand{Title: "嫦娥"}, Options{})
	if err != nil || len(rs) != 0 {
		t.Errorf("unknown words: %v %v", ids(rs), err)
	}
}

func TestOptions(t *testing.T) {
	m, _ := newTestMatcher(t)
	ctx := context.Background()
	for _, o := range []Options{{Limit: -1}, {Limit: MaxLimit + 1}, {Candidates: -1}, {Candidates: MaxCandidates + 1}} {
		if _, err := m.MatchDemand(ctx, "d-feed", o); data.ErrorCode(err) != data.EINVALID {
			t.Errorf("%+v: err %v, want invalid", o, err)
		}
	}
	if _, err := m.MatchDemand(ctx, "no-such-demand", Options{}); data.ErrorCode(err) != data.ENOTFOUND {
		t.Errorf("missing demand: err %v, want not_found", err)
	}
	if _, err := m.MatchAchievement(ctx, "no-such-achievement", Options{}); data.ErrorCode(err) != data.ENOTFOUND {
		t.Errorf("missing achievement: err %v, want not_found", err)
	}
	rs, err := m.MatchDemand(ctx, "d-separator", Options{Limit: 2})
	if err != nil || len(rs) != 2 {
		t.Errorf("limit 2: %v %v", ids(rs), err)
	}
}

// TestFilter checks that search filters narrow the matches.
func TestFilter(t *testing.T) {
	m, _ := newTestMatcher(t)
	ctx := context.Background()
	rs, err := m.MatchDemand(ctx, "d-separator", Options{Filter: data.Filter{Province: "北京市"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("no matches in Beijing")
	}
	for _, r := range rs {
		if r.Achievement.Region.Province != "北京市" {
			t.Errorf("filtered to 北京市, got %s in %s", r.ID, r.Achievement.Region.Province)
		}
	}
	rs, _ = m.MatchAchievement(ctx, "a-ginseng", Options{Filter: data.Filter{Challenge: true}})
	for _, r := range rs {
		if !r.Demand.Challenge {
			t.Errorf("challenge filter let %s through", r.ID)
		}
	}
}

// TestChanges checks that records written after the model was built are
// scored from their new text, and deleted ones disappear.
func TestChanges(t *testing.T) {
	m, store := newTestMatcher(t)
	ctx := context.Background()
	if _, err := m.MatchDemand(ctx, "d-feed", Options{}); err != nil { // builds the model
		t.Fatal(err)
	}
	a, _ := store.Achievement(ctx, "a-feeder")
	a.Title = "肉牛无抗饲料自动饲喂装置"
	a.Keywords = []string{"肉牛", "无抗饲料", "饲喂"}
	if _, err := store.PutAchievements(ctx, []data.Achievement{*a}); err != nil {
		t.Fatal(err)
	}
	rs, err := m.MatchDemand(ctx, "d-feed", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if i := pos(rs, "a-feeder"); i < 0 || i > 1 || rs[i].Achievement.Title != a.Title {
		t.Errorf("the rewritten feeder should now rank near the top with its new title: %v", ids(rs))
	}
	d, _ := store.Demand(ctx, "d-feed")
	pair, _ := m.ScorePair(ctx, d, a)
	if pair.Score != rs[pos(rs, "a-feeder")].Score {
		t.Errorf("changed record: ScorePair %v, MatchDemand %v", pair.Score, rs[pos(rs, "a-feeder")].Score)
	}
	if err := store.DeleteAchievement(ctx, "a-feed"); err != nil {
		t.Fatal(err)
	}
	rs, _ = m.MatchDemand(ctx, "d-feed", Options{})
	if pos(rs, "a-feed") >= 0 {
		t.Errorf("deleted achievement still matched: %v", ids(rs))
	}
}

// TestTitleOnly checks that records with a title only are scored without
// penalty: every structured signal is neutral.
func TestTitleOnly(t *testing.T) {
	m, _ := newTestMatcher(t)
	ctx := context.Background()
	d := &data.Demand{Title: "康复机器人"}
	a := &data.Achievement{ID: "x", Title: "上肢康复训练机器人"}
	v, err := m.PairSignals(ctx, d, a)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range Signals {
		if !s.Text && v[i] != s.Neutral {
			t.Errorf("%s = %v for a title-only pair, want neutral %v", s.Name, v[i], s.Neutral)
		}
	}
	if v[sText] <= 0 || v[sChars] <= 0 || v[sTitle] <= 0 {
		t.Errorf("text signals should see the shared words: %v", v)
	}
	if v[sKeywords] != Signals[sKeywords].Neutral {
		t.Errorf("keywords without keywords = %v, want neutral", v[sKeywords])
	}
}

// TestConcurrent matches from many goroutines while records change (run
// with -race).
func TestConcurrent(t *testing.T) {
	m, store := newTestMatcher(t)
	ctx := context.Background()
	want, err := m.MatchDemand(ctx, "d-corn", Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := 0; g < 4; g++ {
		go func(g int) {
			var err error
			for i := 0; i < 20 && err == nil; i++ {
				switch (g + i) % 3 {
				case 0:
					var rs []Result
					rs, err = m.MatchDemand(ctx, "d-corn", Options{})
					if err == nil && (len(rs) == 0 || rs[0].ID != want[0].ID) {
						err = fmt.Errorf("d-corn: %v", ids(rs))
					}
				case 1:
					_, err = m.MatchAchievement(ctx, "a-feed", Options{})
				case 2:
					_, err = store.PutAchievements(ctx, []data.Achievement{{ID: fmt.Sprintf("n-%d-%d", g, i), Title: "肉牛饲料添加剂"}})
				}
			}
			done <- err
		}(g)
	}
	for g := 0; g < 4; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
