package demo

import (
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestCopies(t *testing.T) {
	a := []data.Achievement{{ID: "demo-a-000001", Title: "甲"}, {ID: "demo-a-000002", Title: "乙"}}
	d := []data.Demand{{ID: "demo-d-000001", Title: "丙"}}
	tests := []struct {
		k          int
		wantA      []string
		wantDemand string
	}{
		{1, []string{"demo-a-000001", "demo-a-000002"}, "demo-d-000001"},
		{2, []string{"demo-a-000001-x2", "demo-a-000002-x2"}, "demo-d-000001-x2"},
		{5, []string{"demo-a-000001-x5", "demo-a-000002-x5"}, "demo-d-000001-x5"},
	}
	for _, tt := range tests {
		ca, cd := CopyAchievements(a, tt.k), CopyDemands(d, tt.k)
		for i, r := range ca {
			if r.ID != tt.wantA[i] || r.Title != a[i].Title {
				t.Errorf("k=%d: achievement %d = %q %q, want %q %q", tt.k, i, r.ID, r.Title, tt.wantA[i], a[i].Title)
			}
		}
		if cd[0].ID != tt.wantDemand || cd[0].Title != d[0].Title {
			t.Errorf("k=%d: demand = %q %q, want %q", tt.k, cd[0].ID, cd[0].Title, tt.wantDemand)
		}
	}
	if a[0].ID != "demo-a-000001" || d[0].ID != "demo-d-000001" {
		t.Errorf("the originals changed: %q %q", a[0].ID, d[0].ID)
	}
}
