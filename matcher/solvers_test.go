package matcher

import (
	"fmt"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func solverMatch(id, inst, inventor string, score float64, terms ...string) Result {
	var ts []data.Term
	for _, t := range terms {
		ts = append(ts, data.Term{Text: t, Weight: 1})
	}
	return Result{Achievement: &data.Achievement{ID: id, Title: "成果" + id, Institution: inst, Inventors: []data.Inventor{{Name: inventor}}},
		Score: score, Explanation: Explanation{Terms: ts}}
}

// A team with three achievements covering different parts of a demand
// outranks a team whose one achievement is a slightly better match.
func TestSolversCoverageBeatsOneMatch(t *testing.T) {
	matches := []Result{
		solverMatch("x1", "长春工业大学", "赵", 0.55, "秸秆", "纤维改性"),
		solverMatch("a1", "吉林大学", "张", 0.50, "秸秆", "纤维改性"),
		solverMatch("a2", "吉林大学", "张", 0.48, "模压成型", "复合材料"),
		solverMatch("a3", "吉林大学", "张", 0.46, "阻燃", "汽车内饰"),
		solverMatch("b1", "吉林大学", "王", 0.30, "阻燃"),
	}
	got, err := RankSolvers(matches, SolversByInstitution, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Institution != "吉林大学" || got[1].Institution != "长春工业大学" {
		t.Fatalf("order %+v", got)
	}
	// Parts at their best (weight × score): 秸秆 and 纤维改性 0.55 (x1),
	// 模压成型 and 复合材料 0.48, 阻燃 and 汽车内饰 0.46: 2.98 in all.
	// 吉林大学 reaches 0.5+0.5+0.48+0.48+0.46+0.46 = 2.88 → coverage 0.9664,
	// score 0.6·0.9664 + 0.4·0.5 = 0.7798; 长春工业大学 1.1 → 0.3691,
	// score 0.6·0.3691 + 0.4·0.55 = 0.4415.
	if got[0].Score != 0.7798 || got[1].Score != 0.4415 || got[0].Coverage != 0.9664 || got[1].Coverage != 0.3691 {
		t.Fatalf("scores %v %v coverage %v %v", got[0].Score, got[1].Score, got[0].Coverage, got[1].Coverage)
	}
	if len(got[0].Achievements) != 4 || got[0].Achievements[0].ID != "a1" || !strings.Contains(got[0].Explanation, "模压成型") {
		t.Fatalf("supporting achievements %+v, %s", got[0].Achievements, got[0].Explanation)
	}
	// By team, 张's three achievements stand apart from 王's one.
	teams, _ := RankSolvers(matches, SolversByTeam, 10)
	if len(teams) != 3 || teams[0].Team != "张团队" || teams[0].Score != 0.7798 || teams[2].Team != "王团队" {
		t.Fatalf("teams %+v", teams)
	}
	if _, err := RankSolvers(matches, "city", 10); err == nil {
		t.Fatal("bad grouping accepted")
	}
	if top, _ := RankSolvers(matches, "", 1); len(top) != 1 {
		t.Fatal("limit ignored")
	}
}

func BenchmarkRankSolvers200(b *testing.B) {
	var matches []Result
	insts := []string{"吉林大学", "东北师范大学", "长春理工大学", "吉林农业大学", "长春工业大学"}
	terms := []string{"秸秆", "纤维", "模压", "复合", "阻燃", "内饰", "改性", "成型", "轻量化", "回收"}
	for i := 0; i < 200; i++ {
		matches = append(matches, solverMatch("a", insts[i%len(insts)], string(rune('甲'+i%7)), float64(i%50)/50, terms[i%10], terms[(i*3)%10]))
	}
	for b.Loop() {
		RankSolvers(matches, SolversByTeam, 20)
	}
}

// Light words (应用, 中: weights far under the demand's subject words)
// are not parts of the demand: not counted, not listed. The same work
// registered twice is listed once; Matched counts every title, and the
// explanation says when only the best are listed.
func TestSolversPartsAndDuplicates(t *testing.T) {
	weighted := func(id, title, inst string, score float64, terms map[string]float64) Result {
		r := solverMatch(id, inst, "张", score)
		r.Achievement.Title = title
		for text, w := range terms {
			r.Explanation.Terms = append(r.Explanation.Terms, data.Term{Text: text, Weight: w})
		}
		return r
	}
	subject := map[string]float64{"人参": 13.8, "化妆品": 9.9, "应用": 0.89, "中": 0.85}
	matches := []Result{
		weighted("a1", "一种人参多糖及其在化妆品中的应用", "特产研究所", 0.50, subject),
		weighted("a2", "一种人参多糖及其在化妆品中的应用", "特产研究所", 0.49, subject),
		// Only light words: no part of the demand.
		weighted("b1", "成果在生产中的应用", "吉林大学", 0.52, map[string]float64{"应用": 0.89, "中": 0.85}),
	}
	for i := range 6 {
		matches = append(matches, weighted(fmt.Sprintf("c%d", i), fmt.Sprintf("人参化妆品成果%d", i), "吉林农业大学", 0.3, map[string]float64{"人参": 13.8}))
	}
	got, err := RankSolvers(matches, SolversByInstitution, 10)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Solver{}
	for _, s := range got {
		by[s.Institution] = s
	}
	tc := by["特产研究所"]
	if tc.Coverage != 1 || tc.Matched != 1 || len(tc.Achievements) != 1 || tc.Achievements[0].ID != "a1" {
		t.Fatalf("特产研究所: %+v", tc)
	}
	if covers := strings.Join(tc.Achievements[0].Covers, "、"); covers != "人参、化妆品" && covers != "化妆品、人参" {
		t.Fatalf("covers %q: light words listed", covers)
	}
	if jl := by["吉林大学"]; jl.Coverage != 0 || len(jl.Achievements[0].Covers) != 0 || got[len(got)-1].Institution != "吉林大学" {
		t.Fatalf("吉林大学 covers only light words yet counts: %+v (order %+v)", jl, got)
	}
	ny := by["吉林农业大学"]
	if ny.Matched != 6 || len(ny.Achievements) != maxSolverAchievements || !strings.Contains(ny.Explanation, "有 6 项相关成果") || !strings.Contains(ny.Explanation, "列出最相关的 5 项") {
		t.Fatalf("吉林农业大学: matched %d, listed %d, %s", ny.Matched, len(ny.Achievements), ny.Explanation)
	}
}
