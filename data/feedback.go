package data

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Verdict is a person's judgement of a demand × achievement pair.
type Verdict string

const (
	VerdictRelevant    Verdict = "relevant"
	VerdictNotRelevant Verdict = "not_relevant"
)

// ParseVerdict accepts a verdict name.
func ParseVerdict(s string) (Verdict, error) {
	switch v := Verdict(s); v {
	case VerdictRelevant, VerdictNotRelevant:
		return v, nil
	}
	return "", &Error{Code: EINVALID, Message: fmt.Sprintf("判断“%s”无法识别：应为 relevant（相关）或 not_relevant（不相关）", s),
		Fields: []FieldError{{Field: "verdict", Message: "应为 relevant 或 not_relevant"}}}
}

// AuditFeedback is the audit action of a stored verdict.
const AuditFeedback = "feedback.put"

// maxFeedbackNote bounds a verdict's note, in characters.
const maxFeedbackNote = 500

// Feedback is one verdict on a demand × achievement pair, given from
// either side's candidate list. A later verdict by the same token on the
// same pair replaces the earlier one.
type Feedback struct {
	DemandID      string  `json:"demand_id"`
	AchievementID string  `json:"achievement_id"`
	Verdict       Verdict `json:"verdict"`
	Note          string  `json:"note,omitempty"`
	// Side is the list the verdict was given on: demand (candidates of a
	// demand) or achievement.
	Side Side      `json:"side"`
	By   Actor     `json:"by"`
	At   time.Time `json:"at"`
	// Source is "broker" for a verdict given by hand and "pairing" for
	// one read from a pairing's outcome (never stored).
	Source string `json:"source,omitempty"`
}

// Key identifies the verdict of one token on one pair.
func (f *Feedback) Key() string {
	return f.DemandID + "\x00" + f.AchievementID + "\x00" + f.By.TokenID
}

// Normalize trims the text fields.
func (f *Feedback) Normalize() {
	f.DemandID = strings.TrimSpace(f.DemandID)
	f.AchievementID = strings.TrimSpace(f.AchievementID)
	f.Note = strings.TrimSpace(f.Note)
}

// Validate checks a verdict before it is stored.
func (f *Feedback) Validate() error {
	var c checker
	if f.DemandID == "" {
		c.add("demand_id", "请指明需求")
	}
	if f.AchievementID == "" {
		c.add("achievement_id", "请指明成果")
	}
	if _, err := ParseVerdict(string(f.Verdict)); err != nil {
		c.add("verdict", "判断应为 relevant（相关）或 not_relevant（不相关）")
	}
	if n := utf8.RuneCountInString(f.Note); n > maxFeedbackNote {
		c.add("note", "备注最多 %d 字（现有 %d 字）", maxFeedbackNote, n)
	}
	if f.Side != SideDemand && f.Side != SideAchievement {
		c.add("side", "应为 demand 或 achievement")
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("反馈有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// FeedbackFilter selects verdicts; empty fields select all.
type FeedbackFilter struct {
	DemandID      string
	AchievementID string
}

// Match reports whether f selects fb.
func (f FeedbackFilter) Match(fb *Feedback) bool {
	return (f.DemandID == "" || fb.DemandID == f.DemandID) &&
		(f.AchievementID == "" || fb.AchievementID == f.AchievementID)
}

// FeedbackStore keeps brokers' verdicts on candidates. A put also appends
// its audit entry, in one transaction.
type FeedbackStore interface {
	// PutFeedback validates and stores fb (its At set to now), replacing
	// the same token's earlier verdict on the same pair.
	PutFeedback(ctx context.Context, fb *Feedback) error
	// ListFeedback returns the verdicts f selects, oldest first.
	ListFeedback(ctx context.Context, f FeedbackFilter) ([]Feedback, error)
}

// PairingVerdict is the verdict a pairing's outcome implies: relevant once
// it reached accepted or signed, not relevant when it was closed as
// 方向不符; ok is false otherwise.
func PairingVerdict(p *Pairing) (v Verdict, ok bool) {
	r := p.Reached()
	switch {
	case r[StatusAccepted] || r[StatusSigned]:
		return VerdictRelevant, true
	case p.Status == StatusClosed && p.ClosedReason == "方向不符":
		return VerdictNotRelevant, true
	}
	return "", false
}

// Verdicts merges stored verdicts and pairing outcomes into one verdict per
// pair for the side's record: the latest verdict given by hand wins over
// an outcome, and an outcome counts where nobody judged. key is the other
// record's id.
func Verdicts(fbs []Feedback, ps []Pairing, side Side) map[string]Verdict {
	out := map[string]Verdict{}
	other := func(d, a string) string {
		if side == SideDemand {
			return a
		}
		return d
	}
	for _, p := range ps {
		if v, ok := PairingVerdict(&p); ok {
			out[other(p.DemandID, p.AchievementID)] = v
		}
	}
	latest := map[string]time.Time{}
	for _, f := range fbs {
		k := other(f.DemandID, f.AchievementID)
		if t, ok := latest[k]; ok && f.At.Before(t) {
			continue
		}
		latest[k] = f.At
		out[k] = f.Verdict
	}
	return out
}

// SortFeedback orders verdicts oldest first, ties by pair and token.
func SortFeedback(fbs []Feedback) {
	sort.SliceStable(fbs, func(i, j int) bool {
		if !fbs[i].At.Equal(fbs[j].At) {
			return fbs[i].At.Before(fbs[j].At)
		}
		return fbs[i].Key() < fbs[j].Key()
	})
}
