package matcher

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// Solver-team scoring weights. No judged data for teams exists, so these
// are a plain ordering, not tuned: how much of the demand a team's
// achievements cover together counts more than its single best match, so
// that several achievements covering different parts of a demand rank a
// team above one lucky match. Checked by TestSolversCoverageBeatsOneMatch.
const (
	solverCoverageWeight = 0.6
	solverBestWeight     = 0.4
	// maxSolverAchievements bounds the achievements listed per solver.
	maxSolverAchievements = 5
	// solverPartShare: a matched term is a part of the demand when its
	// weight is at least this share of the heaviest matched term's, so that
	// words such as 应用, 技术 or 中 (weights under 1 beside 5–15 for the
	// demand's subject words on the demo catalogue) are neither counted
	// nor listed as parts covered.
	solverPartShare = 0.1
)

// Solver groupings.
const (
	SolversByInstitution = "institution"
	SolversByTeam        = "team"
)

// SolverAchievement is one supporting achievement of a solver and the
// parts of the demand (matched terms) it covers.
type SolverAchievement struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Score  float64  `json:"score"`
	Covers []string `json:"covers"`
}

// Solver is an institution (or a team inside it) suggested for a demand
// from its whole body of work.
type Solver struct {
	Institution string  `json:"institution"`
	Team        string  `json:"team,omitempty"`
	Score       float64 `json:"score"`
	Coverage    float64 `json:"coverage"`
	Best        float64 `json:"best"`
	// Matched counts the solver's matching achievements (one per title);
	// Achievements lists the best of them.
	Matched      int                 `json:"matched"`
	Achievements []SolverAchievement `json:"achievements"`
	Explanation  string              `json:"explanation"`
}

// RankSolvers groups a demand's matches by institution (or by team: an
// institution's achievements led by the same first inventor) and ranks the
// groups by how much of the demand their achievements cover together — each
// matched term counted once, at the best term weight × match score any of
// the group's achievements reaches, relative to the best any candidate
// reaches — and by their best single score.
func RankSolvers(matches []Result, by string, limit int) ([]Solver, error) {
	if by == "" {
		by = SolversByInstitution
	}
	if by != SolversByInstitution && by != SolversByTeam {
		return nil, fmt.Errorf("by %q: want institution or team", by)
	}
	// The demand's parts: the matched terms that weigh at least
	// solverPartShare of the heaviest; a part counts at the best term
	// weight × match score any candidate reaches on it.
	var heaviest float64
	for _, r := range matches {
		for _, t := range r.Explanation.Terms {
			heaviest = max(heaviest, t.Weight)
		}
	}
	isPart := func(t data.Term) bool { return t.Weight >= solverPartShare*heaviest }
	total := map[string]float64{}
	for _, r := range matches {
		for _, t := range r.Explanation.Terms {
			if isPart(t) {
				total[t.Text] = max(total[t.Text], t.Weight*r.Score)
			}
		}
	}
	var sum float64
	for _, w := range total {
		sum += w
	}
	type group struct {
		s      Solver
		covers map[string]float64
		titles map[string]bool
	}
	groups := map[string]*group{}
	var order []string
	for _, r := range matches {
		a := r.Achievement
		if a == nil || strings.TrimSpace(a.Institution) == "" {
			continue
		}
		key, team := a.Institution, ""
		if by == SolversByTeam {
			team = "（未署名团队）"
			if len(a.Inventors) > 0 && a.Inventors[0].Name != "" {
				team = a.Inventors[0].Name + "团队"
			}
			key += "\x00" + team
		}
		g := groups[key]
		if g == nil {
			g = &group{s: Solver{Institution: a.Institution, Team: team}, covers: map[string]float64{}, titles: map[string]bool{}}
			groups[key] = g
			order = append(order, key)
		}
		sa := SolverAchievement{ID: a.ID, Title: a.Title, Score: r.Score, Covers: []string{}}
		for _, t := range r.Explanation.Terms {
			if isPart(t) {
				g.covers[t.Text] = max(g.covers[t.Text], t.Weight*r.Score)
				sa.Covers = append(sa.Covers, t.Text)
			}
		}
		g.s.Best = max(g.s.Best, r.Score)
		// The same work registered twice (one title) is listed once, at
		// its better match.
		if title := data.NormalizeTitle(a.Title); !g.titles[title] {
			g.titles[title] = true
			g.s.Achievements = append(g.s.Achievements, sa)
		} else if i := slices.IndexFunc(g.s.Achievements, func(x SolverAchievement) bool { return data.NormalizeTitle(x.Title) == title }); r.Score > g.s.Achievements[i].Score {
			g.s.Achievements[i] = sa
		}
	}
	out := make([]Solver, 0, len(groups))
	for _, k := range order {
		g := groups[k]
		var got float64
		for _, w := range g.covers {
			got += w
		}
		if sum > 0 {
			g.s.Coverage = round4(got / sum)
		}
		g.s.Best = round4(g.s.Best)
		g.s.Score = round4(solverCoverageWeight*g.s.Coverage + solverBestWeight*g.s.Best)
		sort.SliceStable(g.s.Achievements, func(i, j int) bool { return g.s.Achievements[i].Score > g.s.Achievements[j].Score })
		g.s.Matched = len(g.s.Achievements)
		if len(g.s.Achievements) > maxSolverAchievements {
			g.s.Achievements = g.s.Achievements[:maxSolverAchievements]
		}
		g.s.Explanation = solverExplanation(&g.s)
		out = append(out, g.s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Institution+out[i].Team < out[j].Institution+out[j].Team
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func solverExplanation(s *Solver) string {
	name := s.Institution + s.Team
	var parts []string
	for _, a := range s.Achievements {
		if len(a.Covers) == 0 {
			continue
		}
		c := a.Covers
		if len(c) > maxListed {
			c = c[:maxListed]
		}
		parts = append(parts, fmt.Sprintf("“%s”覆盖%s", a.Title, strings.Join(c, "、")))
	}
	head := fmt.Sprintf("%s有 %d 项相关成果，合计覆盖需求要点的 %.0f%%，单项最高匹配度 %.2f", name, s.Matched, s.Coverage*100, s.Best)
	if s.Matched > len(s.Achievements) {
		head += fmt.Sprintf("（列出最相关的 %d 项）", len(s.Achievements))
	}
	if len(parts) == 0 {
		return head + "。"
	}
	return head + "：" + strings.Join(parts, "；") + "。"
}
