package data

import (
	"testing"
	"time"
)

func TestVerdicts(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	closed := func(a, reason string) Pairing {
		return Pairing{DemandID: "d1", AchievementID: a, Status: StatusClosed, ClosedReason: reason}
	}
	signed := Pairing{DemandID: "d1", AchievementID: "a1", Status: StatusSigned}
	ps := []Pairing{signed, closed("a2", "方向不符"), closed("a3", "价格不符"), {DemandID: "d1", AchievementID: "a4", Status: StatusRequested}}
	fbs := []Feedback{
		{DemandID: "d1", AchievementID: "a2", Verdict: VerdictRelevant, At: t0},           // a person overrules the outcome
		{DemandID: "d1", AchievementID: "a5", Verdict: VerdictRelevant, At: t0},           // changed later…
		{DemandID: "d1", AchievementID: "a5", Verdict: VerdictNotRelevant, At: t0.Add(1)}, // …to not relevant
	}
	got := Verdicts(fbs, ps, SideDemand)
	want := map[string]Verdict{"a1": VerdictRelevant, "a2": VerdictRelevant, "a5": VerdictNotRelevant}
	if len(got) != len(want) {
		t.Fatalf("verdicts %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if v, ok := PairingVerdict(&ps[1]); !ok || v != VerdictNotRelevant {
		t.Errorf("closed 方向不符: %q %v", v, ok)
	}
	if _, ok := PairingVerdict(&ps[2]); ok {
		t.Error("closed 价格不符 counted as a verdict")
	}
	if got := Verdicts(nil, ps, SideAchievement); got["d1"] == "" {
		t.Errorf("achievement side keyed by demand: %v", got)
	}
}

func TestFeedbackValidate(t *testing.T) {
	tests := []struct {
		name string
		fb   Feedback
		ok   bool
	}{
		{"ok", Feedback{DemandID: "d1", AchievementID: "a1", Verdict: VerdictRelevant, Side: SideDemand}, true},
		{"bad verdict", Feedback{DemandID: "d1", AchievementID: "a1", Verdict: "maybe", Side: SideDemand}, false},
		{"no demand", Feedback{AchievementID: "a1", Verdict: VerdictRelevant, Side: SideDemand}, false},
		{"no side", Feedback{DemandID: "d1", AchievementID: "a1", Verdict: VerdictRelevant}, false},
		{"long note", Feedback{DemandID: "d1", AchievementID: "a1", Verdict: VerdictRelevant, Side: SideDemand, Note: string(make([]rune, 501))}, false},
	}
	for _, tt := range tests {
		if err := tt.fb.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: err %v", tt.name, err)
		}
	}
}
