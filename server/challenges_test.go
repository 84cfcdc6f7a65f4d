package server_test

import (
	"testing"
)

func TestChallengeListFlow(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	var l struct {
		ID          string `json:"id"`
		Status      string `json:"status"`
		StatusLabel string `json:"status_label"`
		KindLabel   string `json:"kind_label"`
		Challenges  []struct {
			ID       string `json:"id"`
			DemandID string `json:"demand_id"`
		} `json:"challenges"`
	}
	body := `{"title":"2026年第二批高校院所成果转化榜单","kind":"institute","batch":"2026年第二批","opens_on":"2026-04-01","closes_on":"2026-05-31"}`
	if code, b := f.do("POST", "/api/v1/challenge-lists", asOrganiser, body, &l); code != 201 || l.Status != "draft" || l.KindLabel != "高校院所成果转化项目" {
		t.Fatalf("create: %d %s", code, b)
	}
	path := "/api/v1/challenge-lists/" + l.ID
	// A draft is the organisers' own.
	if code, _ := f.do("GET", path, anonymous, "", nil); code != 404 {
		t.Fatalf("anonymous reads a draft: %d", code)
	}
	var all struct{ Total int }
	f.do("GET", "/api/v1/challenge-lists", anonymous, "", &all)
	if all.Total != 1 { // the fixture's published cl1 only
		t.Fatalf("public lists: %d", all.Total)
	}
	for _, tt := range []struct {
		name, method, path, who, body string
		status                        int
	}{
		{"enterprise creates a list", "POST", "/api/v1/challenge-lists", asEnterpriseE1, body, 403},
		{"award a draft", "POST", path + "/status", asOrganiser, `{"to":"awarded"}`, 409},
		{"add a challenge to the draft", "POST", path + "/challenges", asOrganiser, `{"demand_id":"d2","reward_wan":80,"milestones":[{"title":"中试","due":"2026-12-31"}]}`, 201},
		{"same demand twice", "POST", path + "/challenges", asOrganiser, `{"demand_id":"d2"}`, 409},
		{"missing demand", "POST", path + "/challenges", asOrganiser, `{"demand_id":"d404"}`, 404},
		{"publish", "POST", path + "/status", asOrganiser, `{"to":"published"}`, 200},
		{"publish again", "POST", path + "/status", asAdmin, `{"to":"published"}`, 409},
		{"close", "POST", path + "/status", asOrganiser, `{"to":"closed"}`, 200},
		{"add to a closed list", "POST", path + "/challenges", asOrganiser, `{"demand_id":"d1"}`, 409},
		{"award", "POST", path + "/status", asOrganiser, `{"to":"awarded"}`, 200},
		{"reopen", "POST", path + "/status", asAdmin, `{"to":"published"}`, 409},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, b := f.do(tt.method, tt.path, tt.who, tt.body, nil); code != tt.status {
				t.Fatalf("%d, want %d: %s", code, tt.status, b)
			}
		})
	}
	if code, _ := f.do("GET", path, anonymous, "", &l); code != 200 || l.StatusLabel != "已揭榜" || len(l.Challenges) != 1 || l.Challenges[0].DemandID != "d2" {
		t.Fatalf("list now: %d %+v", code, l)
	}
}
