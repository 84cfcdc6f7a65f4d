package server_test

import (
	"strings"
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

func TestApplicationsAwardAndMilestones(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	apply := `{"team":{"name":"复合材料课题组","leader":{"name":"李四","contact":{"mobile":"13500006666"}}},"achievement_ids":["a1"],"proposal":"两年完成","budget_wan":90}`
	var app struct {
		ID   string `json:"id"`
		Team struct {
			Institution string `json:"institution"`
		} `json:"team"`
	}
	if code, b := f.do("POST", "/api/v1/challenges/ch1/applications", asScientistS1, apply, &app); code != 201 || app.Team.Institution != fixtureInstitution {
		t.Fatalf("apply: %d %s", code, b)
	}
	for _, tt := range []struct {
		name, method, path, who, body string
		status                        int
	}{
		{"same team again", "POST", "/api/v1/challenges/ch1/applications", asScientistS1, apply, 409},
		{"another institution's team", "POST", "/api/v1/challenges/ch1/applications", asScientistS2,
			`{"team":{"name":"x","institution":"吉林大学","leader":{"name":"王"}},"achievement_ids":["a2"]}`, 403},
		{"missing supporting achievement", "POST", "/api/v1/challenges/ch1/applications", asScientistS2,
			`{"team":{"name":"x","leader":{"name":"王"}},"achievement_ids":["a404"]}`, 404},
		{"enterprise applies", "POST", "/api/v1/challenges/ch1/applications", asEnterpriseE1, apply, 403},
		{"other scientist edits", "PUT", "/api/v1/applications/" + app.ID, asScientistS2, apply, 403},
		{"edit while published", "PUT", "/api/v1/applications/" + app.ID, asScientistS1, apply, 200},
		{"award before closing", "POST", "/api/v1/challenges/ch1/award", asOrganiser, `{"application_id":"` + app.ID + `"}`, 409},
		{"close the list", "POST", "/api/v1/challenge-lists/cl1/status", asOrganiser, `{"to":"closed"}`, 200},
		{"late application", "POST", "/api/v1/challenges/ch1/applications", asScientistS2,
			`{"team":{"name":"迟到团队","leader":{"name":"王"}},"achievement_ids":["a2"]}`, 409},
		{"edit after closing", "PUT", "/api/v1/applications/" + app.ID, asScientistS1, apply, 409},
		{"milestones before award", "GET", "/api/v1/challenges/ch1/milestones", asOrganiser, "", 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, b := f.do(tt.method, tt.path, tt.who, tt.body, nil); code != tt.status {
				t.Fatalf("%d, want %d: %s", code, tt.status, b)
			}
		})
	}
	var award struct {
		PairingID string `json:"pairing_id"`
	}
	if code, b := f.do("POST", "/api/v1/challenges/ch1/award", asOrganiser, `{"application_id":"`+app.ID+`"}`, &award); code != 200 || award.PairingID == "" {
		t.Fatalf("award: %d %s", code, b)
	}
	// d1 × a1 already had the open pairing: the award continues it.
	if award.PairingID != f.pid {
		t.Fatalf("award made pairing %s, want the open %s", award.PairingID, f.pid)
	}
	if code, _ := f.do("POST", "/api/v1/challenges/ch1/award", asOrganiser, `{"application_id":"ap1"}`, nil); code != 409 {
		t.Fatalf("second award: %d", code)
	}
	// The fixture's clock is 2026-03-02; the milestone is due 2026-10-31.
	var ms struct {
		Overdue    int `json:"overdue"`
		Milestones []struct {
			Status  string `json:"status"`
			Overdue bool   `json:"overdue"`
		} `json:"milestones"`
	}
	f.do("GET", "/api/v1/challenges/ch1/milestones", asScientistS1, "", &ms)
	if ms.Overdue != 0 || len(ms.Milestones) != 1 {
		t.Fatalf("milestones %+v", ms)
	}
	f.now = f.now.AddDate(0, 9, 0)
	f.do("GET", "/api/v1/challenges/ch1/milestones", asOrganiser, "", &ms)
	if ms.Overdue != 1 || !ms.Milestones[0].Overdue {
		t.Fatalf("overdue %+v", ms)
	}
	if code, _ := f.do("GET", "/api/v1/challenges/ch1/milestones", asScientistS2, "", nil); code != 403 {
		t.Fatalf("another team reads the pledge: %d", code)
	}
	if code, b := f.do("POST", "/api/v1/challenges/ch1/milestones", asOrganiser, `{"index":0,"status":"延期","on":"2026-11-20","note":"设备到货延迟"}`, &ms); code != 200 || ms.Overdue != 0 || ms.Milestones[0].Status != "延期" {
		t.Fatalf("mark: %d %s", code, b)
	}
	if code, _ := f.do("POST", "/api/v1/challenges/ch1/milestones", asOrganiser, `{"index":3,"status":"延期","on":"2026-11-20"}`, nil); code != 400 {
		t.Fatalf("bad index: %d", code)
	}
	// The organiser sees applications without the leader's phone; the owner with it.
	_, list := f.do("GET", "/api/v1/challenges/ch1/applications", asOrganiser, "", nil)
	_, own := f.do("GET", "/api/v1/challenges/ch1/applications", asScientistS1, "", nil)
	if strings.Contains(list, "13500006666") || !strings.Contains(own, "13500006666") {
		t.Fatalf("leader contact: organiser %v, owner %v", strings.Contains(list, "13500006666"), strings.Contains(own, "13500006666"))
	}
}

func TestReviews(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	path := "/api/v1/applications/ap1/reviews"
	for _, tt := range []struct {
		name, who, body string
		status          int
	}{
		{"scientist reviews", asScientistS1, `{"scores":{"技术先进性":8,"团队能力":7,"实施方案":9,"经费合理性":6}}`, 403},
		{"missing criterion", asOrganiser, `{"scores":{"技术先进性":8}}`, 400},
		{"out of range", asOrganiser, `{"scores":{"技术先进性":11,"团队能力":7,"实施方案":9,"经费合理性":6}}`, 400},
		{"unknown criterion", asOrganiser, `{"scores":{"技术先进性":8,"团队能力":7,"实施方案":9,"经费合理性":6,"颜值":10}}`, 400},
		// 0.3·8 + 0.25·7 + 0.25·9 + 0.2·6 = 7.6
		{"organiser", asOrganiser, `{"scores":{"技术先进性":8,"团队能力":7,"实施方案":9,"经费合理性":6}}`, 201},
		// Replaces the organiser's first review: 0.3·6 + 0.25·6 + 0.25·6 + 0.2·6 = 6
		{"organiser again", asOrganiser, `{"scores":{"技术先进性":6,"团队能力":6,"实施方案":6,"经费合理性":6},"comment":"复核"}`, 201},
		// 0.3·10 + 0.25·8 + 0.25·8 + 0.2·10 = 9
		{"admin", asAdmin, `{"scores":{"技术先进性":10,"团队能力":8,"实施方案":8,"经费合理性":10}}`, 201},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, b := f.do("POST", path, tt.who, tt.body, nil); code != tt.status {
				t.Fatalf("%d, want %d: %s", code, tt.status, b)
			}
		})
	}
	var list struct {
		Items []struct {
			ID         string   `json:"id"`
			Reviews    int      `json:"reviews"`
			PanelScore *float64 `json:"panel_score"`
		} `json:"items"`
	}
	f.do("GET", "/api/v1/challenges/ch1/applications", asOrganiser, "", &list)
	// Mean of 6 and 9.
	if len(list.Items) != 1 || list.Items[0].Reviews != 2 || list.Items[0].PanelScore == nil || *list.Items[0].PanelScore != 7.5 {
		t.Fatalf("applications %+v", list.Items)
	}
}

func TestChallengeExports(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	f.do("POST", "/api/v1/applications/ap1/reviews", asOrganiser, `{"scores":{"技术先进性":8,"团队能力":7,"实施方案":9,"经费合理性":6}}`, nil)
	code, list := f.do("GET", "/api/v1/challenge-lists/cl1/list.xlsx", anonymous, "", nil)
	if code != 200 || !strings.Contains(list, "秸秆纤维增强复合材料") || !strings.Contains(list, "2026-10-31 样件试制") || !strings.Contains(list, "企业技术需求项目") {
		t.Fatalf("list: %d %s", code, clip(list))
	}
	if code, _ := f.do("GET", "/api/v1/challenge-lists/cl-draft/list.xlsx", anonymous, "", nil); code != 404 {
		t.Fatalf("draft list export: %d", code)
	}
	code, sheet := f.do("GET", "/api/v1/challenges/ch1/reviews.xlsx", asOrganiser, "", nil)
	if code != 200 || !strings.Contains(sheet, "秸秆材料团队") || !strings.Contains(sheet, "7.6") || strings.Contains(sheet, secretLeaderPhone) {
		t.Fatalf("review sheet: %d %s", code, clip(sheet))
	}
	if code, _ := f.do("GET", "/api/v1/challenges/ch1/reviews.xlsx", asScientistS1, "", nil); code != 403 {
		t.Fatalf("scientist reads the review sheet: %d", code)
	}
}
