package matcher

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// pairSentences scores one hand-written pair with the test catalogue's
// model and returns the explanation's sentences joined.
func pairSentences(tb testing.TB, m *Matcher, d *data.Demand, a *data.Achievement) (Result, string) {
	tb.Helper()
	r, err := m.ScorePair(context.Background(), d, a)
	if err != nil {
		tb.Fatal(err)
	}
	return r, strings.Join(r.Explanation.Sentences, "；")
}

func TestExplainBudgetConflict(t *testing.T) {
	m, _ := newTestMatcher(t)
	d := &data.Demand{ID: "d-x", Title: "锂电池隔膜涂覆技术", Keywords: []string{"隔膜"}, BudgetWan: &data.Range{Min: 0, Max: 15}}
	a := &data.Achievement{ID: "a-x", Title: "锂电池隔膜涂覆工艺", Keywords: []string{"隔膜"}, PriceWan: &data.Range{Min: 990, Max: 1450}}
	_, all := pairSentences(t, m, d, a)
	if !strings.Contains(all, "报价990–1450万元，高于企业预算（15万元以内）") {
		t.Errorf("a price far above the budget is not said: %q", all)
	}
	a.PriceWan = &data.Range{Min: 8, Max: 12}
	_, all = pairSentences(t, m, d, a)
	if !strings.Contains(all, "在企业预算（15万元以内）之内") && len(strings.Split(all, "；")) < 3 {
		t.Errorf("a price within budget is not said though there is room: %q", all)
	}
	if strings.Contains(all, "高于企业预算") {
		t.Errorf("a fitting price is called a conflict: %q", all)
	}
}

func TestExplainMaturityDirection(t *testing.T) {
	m, _ := newTestMatcher(t)
	d := &data.Demand{ID: "d-x", Title: "锂电池隔膜涂覆技术", Maturity: "中试"}
	a := &data.Achievement{ID: "a-x", Title: "锂电池隔膜涂覆工艺", Maturity: "产业化"}
	_, all := pairSentences(t, m, d, a)
	if strings.Contains(all, "符合企业的产业化需求") {
		t.Errorf("a 中试 need is called 产业化: %q", all)
	}
	if !strings.Contains(all, "需要中试，成果已产业化：成熟度高于需求") && len(strings.Split(all, "；")) < 3 {
		t.Errorf("maturity above the need not said: %q", all)
	}
	a.Maturity = "TRL2"
	_, all = pairSentences(t, m, d, a)
	if !strings.Contains(all, "需要中试，成果处于实验室阶段：成熟度低于需求") {
		t.Errorf("maturity below the need not said: %q", all)
	}
}

func TestMaturityText(t *testing.T) {
	for _, tt := range []struct {
		want, have int
		text       string
	}{
		{3, 4, "需要中试，成果已产业化：成熟度高于需求"},
		{3, 3, "需要中试，成果处于中试阶段：成熟度符合需求"},
		{4, 2, "需要产业化，成果处于小试阶段：成熟度低于需求，需进一步熟化"},
		{0, 2, ""},
		{3, 0, ""},
	} {
		if got := maturityText(tt.want, tt.have); got != tt.text {
			t.Errorf("maturityText(%d, %d) = %q, want %q", tt.want, tt.have, got, tt.text)
		}
	}
}

func TestExplainWholeWords(t *testing.T) {
	// Matched single characters and numbers are never reasons.
	got := termTexts([]data.Term{{Text: "田", Weight: 5}, {Text: "松", Weight: 4}, {Text: "2019", Weight: 4}, {Text: "玉米", Weight: 3}}, 5)
	if strings.Join(got, "、") != "玉米" {
		t.Errorf("termTexts = %v, want [玉米]", got)
	}
	if got := termTexts([]data.Term{{Text: "田", Weight: 5}, {Text: "松", Weight: 4}}, 5); len(got) != 0 {
		t.Errorf("termTexts of single characters = %v, want none", got)
	}
}

func TestKeywordSharedAsWord(t *testing.T) {
	m, _ := newTestMatcher(t)
	// 微囊 (microcapsule) is in 微囊藻 (an alga) as characters, not as a
	// word: the fake analyzer knows 微囊藻 as one word.
	ix := m.Analyzer.(*fakeIndex)
	ix.dict["微囊"], ix.dict["微囊藻"] = true, true
	ix.maxW = max(ix.maxW, 3)
	d := &data.Demand{ID: "d-x", Title: "微囊包埋技术需求", Keywords: []string{"微囊"}}
	alga := &data.Achievement{ID: "a-alga", Title: "微囊藻毒素检测方法", Keywords: []string{"微囊藻"}}
	_, all := pairSentences(t, m, d, alga)
	if strings.Contains(all, "关键词重合") {
		t.Errorf("微囊 counted as shared with 微囊藻: %q", all)
	}
	capsule := &data.Achievement{ID: "a-cap", Title: "益生菌微囊制备", Keywords: []string{"微囊"}}
	_, all = pairSentences(t, m, d, capsule)
	if !strings.Contains(all, "关键词重合：微囊") {
		t.Errorf("微囊 not shared with a record holding it as a word: %q", all)
	}
}

func TestLevelsOnMatches(t *testing.T) {
	m, _ := newTestMatcher(t)
	w := DefaultWeights()
	m.Weights = w
	rs, err := m.MatchDemand(context.Background(), "d-separator", Options{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	lv := w.levels()
	for _, r := range rs {
		if r.Level != lv.Level(r.Score) {
			t.Errorf("%s: level %q for score %v, want %q", r.ID, r.Level, r.Score, lv.Level(r.Score))
		}
	}
	// Thresholds above every score: nothing is 高 and the list says so.
	strict := w
	strict.Levels = &Levels{High: 2, Medium: 1.5}
	m.Weights = strict
	rs, _ = m.MatchDemand(context.Background(), "d-separator", Options{Limit: 5})
	if len(rs) == 0 || rs[0].Level != LevelLow || ListNote(rs, false) != NoHighNote {
		t.Errorf("with unreachable thresholds: first level %q, note %q", rs[0].Level, ListNote(rs, false))
	}
}

func TestNeedNotProfile(t *testing.T) {
	m, _ := newTestMatcher(t)
	ix := m.Analyzer.(*fakeIndex)
	for _, w := range []string{"光模块", "北斗", "终端", "封装"} {
		ix.dict[w] = true
	}
	d := &data.Demand{ID: "d-x", Title: "技术需求",
		Description: "需求内容：寻求高速光模块封装技术。公司简介：公司成立于2008年，现有职工300人，主要产品为北斗终端、北斗导航、北斗授时，年产值2亿元。"}
	optic := &data.Achievement{ID: "a-optic", Title: "高速光模块封装工艺"}
	beidou := &data.Achievement{ID: "a-beidou", Title: "北斗终端定位方法"}
	ro, _ := pairSentences(t, m, d, optic)
	rb, _ := pairSentences(t, m, d, beidou)
	if ro.Score <= rb.Score {
		t.Errorf("the need (光模块 %v) scores no higher than the profile (北斗 %v)", ro.Score, rb.Score)
	}
}

func TestCandidateExpansion(t *testing.T) {
	m, store := newTestMatcher(t)
	ctx := context.Background()
	mdl, err := m.Model(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := store.Demand(ctx, "d-corn")
	w := m.weights()
	q := newQuery(mdl, m.Analyzer, d, w)
	q.expansion = map[string]float64{"秸秆": 0.8, "2019": 0.9}
	terms := m.demandTerms(mdl, q, w)
	got := map[string]float64{}
	for _, t := range terms {
		got[t.Text] = t.Weight
	}
	if got["秸秆"] != expandWeight*0.8 {
		t.Errorf("associated word 秸秆 weighs %v in the candidate query, want %v (terms %v)", got["秸秆"], expandWeight*0.8, terms)
	}
	if _, ok := got["2019"]; ok {
		t.Errorf("a number was added to the candidate query: %v", terms)
	}
	base := m.candidateTerms(data.KindAchievement, q.words, w.candidateTerms(), mdl)
	if len(terms) <= len(base) {
		t.Errorf("expansion added nothing: %d terms, %d without", len(terms), len(base))
	}
}

// TestCandidateExpansionLeavesOutCommonWords: an association word that
// hundreds of records have (and one in twenty or more) costs the candidate
// search a long walk for almost no weight and is left out; a rarer one
// stays.
func TestCandidateExpansionLeavesOutCommonWords(t *testing.T) {
	m, store := newTestMatcher(t)
	ctx := context.Background()
	m.Analyzer.(*fakeIndex).dict["通用方法"] = true
	var filler []data.Achievement
	for i := range 2 * minExpandSkipDF {
		filler = append(filler, data.Achievement{ID: fmt.Sprintf("a-filler-%d", i), Title: "通用方法"})
	}
	if _, err := store.PutAchievements(ctx, filler); err != nil {
		t.Fatal(err)
	}
	mdl, err := m.Model(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := store.Demand(ctx, "d-corn")
	w := m.weights()
	q := newQuery(mdl, m.Analyzer, d, w)
	q.expansion = map[string]float64{"秸秆": 0.8, "通用方法": 0.8}
	got := map[string]bool{}
	for _, t := range m.demandTerms(mdl, q, w) {
		got[t.Text] = true
	}
	if got["通用方法"] {
		t.Errorf("通用方法, in %d of the records, was added to the candidate query", 2*minExpandSkipDF)
	}
	if !got["秸秆"] {
		t.Error("the rarer association word 秸秆 was left out")
	}
}
