package data

import (
	"strings"
	"testing"
)

func TestChallengeListStatus(t *testing.T) {
	statuses := []ListStatus{ListDraft, ListPublished, ListClosed, ListAwarded}
	allowed := map[ListStatus]ListStatus{ListDraft: ListPublished, ListPublished: ListClosed, ListClosed: ListAwarded}
	for _, from := range statuses {
		for _, to := range statuses {
			l := ChallengeList{Title: "榜单", Kind: "enterprise", OpensOn: "2026-03-01", ClosesOn: "2026-04-30", Status: from}
			err := l.SetStatus(to)
			if allowed[from] == to {
				if err != nil || l.Status != to {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				continue
			}
			if ErrorCode(err) != ECONFLICT || l.Status != from {
				t.Errorf("%s → %s: %v, status %s", from, to, err, l.Status)
			}
			if next, ok := allowed[from]; ok && !strings.Contains(ErrorMessage(err), next.Label()) {
				t.Errorf("%s → %s: message %q does not name %s", from, to, ErrorMessage(err), next.Label())
			}
		}
	}
	l := ChallengeList{Status: ListDraft}
	if ErrorCode(l.SetStatus("won")) != EINVALID {
		t.Error("unknown status accepted")
	}
}

func TestChallengeValidate(t *testing.T) {
	for _, tt := range []struct {
		name   string
		rec    interface{ Validate() error }
		fields []string
	}{
		{"good list", &ChallengeList{Title: "榜单", Kind: "government", OpensOn: "2026-03-01", ClosesOn: "2026-04-30", Status: ListDraft}, nil},
		{"bad list", &ChallengeList{Title: "", Kind: "x", OpensOn: "2026-05-01", ClosesOn: "2026-04-30", Status: ListDraft}, []string{"title", "kind", "closes_on"}},
		{"good challenge", &Challenge{ListID: "l", DemandID: "d", RewardWan: 100, Milestones: []MilestoneTerm{{Title: "样机", Due: "2026-09-30"}}}, nil},
		{"bad challenge", &Challenge{ListID: "l", RewardWan: -1, DurationMonths: 500, Requirements: Requirements{MinMaturity: "很高"},
			Milestones: []MilestoneTerm{{Title: "", Due: "明年"}}}, []string{"demand_id", "reward_wan", "duration_months", "requirements.min_maturity", "milestones[0].title", "milestones[0].due"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range ErrorFields(tt.rec.Validate()) {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
		})
	}
}
