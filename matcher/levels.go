package matcher

import (
	"fmt"
	"sort"
)

// Match levels a broker reads instead of a bare score.
const (
	LevelHigh   = "高"
	LevelMedium = "中"
	LevelLow    = "低"
)

// NoHighNote is the list's note when no candidate reaches 高.
const NoHighNote = "未找到高匹配度的成果，可放宽条件或扩大范围"

// NoHighNoteDemands is the same note for a list of demands.
const NoHighNoteDemands = "未找到高匹配度的需求，可放宽条件或扩大范围"

// Levels are the score thresholds of the match levels, calibrated on
// graded judgements (see CalibrateLevels), with the calibration table.
type Levels struct {
	// High and Medium are the lowest scores of 高 and 中.
	High   float64 `json:"high"`
	Medium float64 `json:"medium"`
	// Rule says how the thresholds were chosen.
	Rule string `json:"rule,omitempty"`
	// Suite, Pairs and Table record the calibration: Table[level][grade]
	// counts the judged pairs of each level and grade.
	Suite string                    `json:"suite,omitempty"`
	Pairs int                       `json:"pairs,omitempty"`
	Table map[string]map[string]int `json:"table,omitempty"`
}

// Calibration targets: among 高 most pairs (HighPrecision) have grade ≥ 2;
// among 中 and 高 together at least MediumPrecision have grade ≥ 1. The
// thresholds are the lowest scores that keep these shares, so levels say
// as much as the judgements allow and no more. MediumPrecision is well
// above the share of grade ≥ 1 among all judged bdci-match pairs (0.55:
// the judged pairs are the organisers' candidates, most partly relevant),
// so 中 still separates.
const (
	HighPrecision   = 0.6
	MediumPrecision = 0.8
	// minLevelPairs is the fewest pairs above a threshold for its share
	// to count (a handful of top pairs would otherwise set it by chance).
	minLevelPairs = 20
)

// Level is the level of a score.
func (l Levels) Level(score float64) string {
	switch {
	case l.High > 0 && score >= l.High:
		return LevelHigh
	case l.Medium > 0 && score >= l.Medium:
		return LevelMedium
	}
	return LevelLow
}

// ScoredGrade is a judged pair's score and grade.
type ScoredGrade struct {
	Score float64
	Grade int
}

// CalibrateLevels picks the thresholds from judged pairs: High is the
// lowest score at which the pairs scoring at least that still have grade
// ≥ 2 in a share of HighPrecision or more, Medium likewise for grade ≥ 1
// and MediumPrecision (never above High). It fills the table of level ×
// grade counts.
func CalibrateLevels(suite string, pairs []ScoredGrade) Levels {
	ps := append([]ScoredGrade(nil), pairs...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].Score > ps[j].Score })
	threshold := func(minGrade int, share float64) float64 {
		best, good := 0.0, 0
		for i, p := range ps {
			if p.Grade >= minGrade {
				good++
			}
			// Only where the next pair scores lower can the cut fall.
			if i+1 < len(ps) && ps[i+1].Score == p.Score {
				continue
			}
			if i+1 >= minLevelPairs && float64(good) >= share*float64(i+1) {
				best = p.Score
			}
		}
		return best
	}
	l := Levels{
		High:   threshold(2, HighPrecision),
		Medium: threshold(1, MediumPrecision),
		Rule: fmt.Sprintf("高：得分不低于此值的已评判配对中至少 %.0f%% 评分 ≥ 2；中：至少 %.0f%% 评分 ≥ 1（取满足条件的最低分）",
			HighPrecision*100, MediumPrecision*100),
		Suite: suite, Pairs: len(ps),
	}
	if l.High == 0 {
		l.High = 1.01 // nothing reaches the share: no pair is 高
	}
	if l.Medium == 0 || l.Medium > l.High {
		l.Medium = l.High
	}
	l.Table = map[string]map[string]int{}
	for _, p := range ps {
		lv := l.Level(p.Score)
		if l.Table[lv] == nil {
			l.Table[lv] = map[string]int{}
		}
		l.Table[lv][fmt.Sprint(p.Grade)]++
	}
	return l
}

// levels returns the weights' levels, or thresholds that put everything in
// 低 apart from exact matches when the weights carry none.
func (w Weights) levels() Levels {
	if w.Levels != nil {
		return *w.Levels
	}
	return Levels{High: 1.01, Medium: 1.01}
}

// ListNote is the note of a list of matches: it says when the list holds
// no 高 candidate ("" otherwise). demands says whether the list holds
// demands (for an achievement) rather than achievements.
func ListNote(results []Result, demands bool) string {
	for _, r := range results {
		if r.Level == LevelHigh {
			return ""
		}
	}
	if demands {
		return NoHighNoteDemands
	}
	return NoHighNote
}
