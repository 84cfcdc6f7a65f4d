package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
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
		{"missing demand", "POST", path + "/challenges", asOrganiser, `{"demand_id":"d404"}`, 400}, // a field error at demand_id, as the workbench shows it
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
	// d1 × a1 already had the open pairing (source match, requested): the
	// award continues it, keeps its status and source, and records itself
	// in the pairing's history and the audit log.
	if award.PairingID != f.pid {
		t.Fatalf("award made pairing %s, want the open %s", award.PairingID, f.pid)
	}
	ctx := context.Background()
	p, err := f.db.Pairing(ctx, f.pid)
	if err != nil {
		t.Fatal(err)
	}
	last := p.History[len(p.History)-1]
	if p.Source != data.SourceMatch || p.Status != data.StatusRequested || last.From != last.To || !strings.Contains(last.Note, "揭榜挂帅授予：揭榜项目 ch1") || !strings.Contains(last.Note, app.ID) {
		t.Fatalf("the open pairing after the award: source %s, status %s, last step %+v", p.Source, p.Status, last)
	}
	audit, err := f.db.Audit(ctx, data.AuditQuery{Object: "pairings/" + f.pid, Action: data.AuditPairingAward})
	if err != nil || len(audit) != 1 || !strings.Contains(audit[0].Detail, app.ID) {
		t.Fatalf("audit of the award on the open pairing: %+v %v", audit, err)
	}
	// The list allows one award per challenge.
	if code, b := f.do("POST", "/api/v1/challenges/ch1/award", asOrganiser, `{"application_id":"ap1"}`, nil); code != 409 || !strings.Contains(b, "最多授予 1 个") {
		t.Fatalf("second award: %d %s", code, b)
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

// A list may allow several awards per challenge (max_awards): each award
// makes its own pairing (source challenge) and 军令状; one more is refused,
// as is an award once the list is no longer closed.
func TestSeveralAwardsPerChallenge(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	if code, b := f.do("POST", "/api/v1/challenge-lists", asOrganiser,
		`{"title":"赛马榜单","kind":"government","opens_on":"2026-03-01","closes_on":"2026-04-30","max_awards":11}`, nil); code != 400 || !strings.Contains(b, "max_awards") {
		t.Fatalf("max_awards 11: %d %s", code, b)
	}
	var l struct {
		ID        string `json:"id"`
		MaxAwards int    `json:"max_awards"`
	}
	if code, b := f.do("POST", "/api/v1/challenge-lists", asOrganiser,
		`{"title":"赛马榜单","kind":"government","opens_on":"2026-03-01","closes_on":"2026-04-30","max_awards":2}`, &l); code != 201 || l.MaxAwards != 2 {
		t.Fatalf("create: %d %s", code, b)
	}
	var ch struct{ ID string }
	if code, b := f.do("POST", "/api/v1/challenge-lists/"+l.ID+"/challenges", asOrganiser,
		`{"demand_id":"d2","milestones":[{"title":"小试","due":"2026-06-30"},{"title":"中试","due":"2026-12-31"}]}`, &ch); code != 201 {
		t.Fatalf("challenge: %d %s", code, b)
	}
	chPath := "/api/v1/challenges/" + ch.ID
	apply := func(who, team, ach string) string {
		t.Helper()
		var a struct{ ID string }
		body := `{"team":{"name":"` + team + `","institution":"东北师范大学","leader":{"name":"王"}},"achievement_ids":["` + ach + `"]}`
		if who == asScientistS1 {
			body = strings.Replace(body, "东北师范大学", fixtureInstitution, 1)
		}
		if code, b := f.do("POST", chPath+"/applications", who, body, &a); code != 201 {
			t.Fatalf("apply as %s: %d %s", who, code, b)
		}
		return a.ID
	}
	step := func(name, method, path, who, body string, status int, want string, out ...any) string {
		t.Helper()
		var into any
		if len(out) > 0 {
			into = out[0]
		}
		code, b := f.do(method, path, who, body, into)
		if code != status || !strings.Contains(b, want) {
			t.Fatalf("%s: %d %s, want %d with %q", name, code, b, status, want)
		}
		return b
	}
	step("apply to a draft", "POST", chPath+"/applications", asScientistS2,
		`{"team":{"name":"早到团队","leader":{"name":"王"}},"achievement_ids":["a2"]}`, 409, "草稿")
	step("publish", "POST", "/api/v1/challenge-lists/"+l.ID+"/status", asOrganiser, `{"to":"published"}`, 200, "published")
	ap1, ap2, ap3 := apply(asScientistS1, "材料团队", "a1"), apply(asScientistS2, "淀粉团队", "a2"), apply(asAdmin, "第三团队", "a2")
	award := func(app string) string { return `{"application_id":"` + app + `"}` }
	step("award while published", "POST", chPath+"/award", asOrganiser, award(ap1), 409, "只有已截止的榜单")
	step("close", "POST", "/api/v1/challenge-lists/"+l.ID+"/status", asOrganiser, `{"to":"closed"}`, 200, "closed")
	step("late application", "POST", chPath+"/applications", asScientistS2,
		`{"team":{"name":"迟到团队","leader":{"name":"王"}},"achievement_ids":["a2"]}`, 409, "不再接受")

	var pairings []string
	for _, app := range []string{ap1, ap2} {
		var got struct {
			PairingID string `json:"pairing_id"`
			Pledge    struct {
				ApplicationID string            `json:"application_id"`
				Milestones    []json.RawMessage `json:"milestones"`
			} `json:"pledge"`
		}
		step("award "+app, "POST", chPath+"/award", asOrganiser, award(app), 200, app, &got)
		if got.Pledge.ApplicationID != app || len(got.Pledge.Milestones) != 2 {
			t.Fatalf("pledge of %s: %+v", app, got)
		}
		p, err := f.db.Pairing(context.Background(), got.PairingID)
		if err != nil || p.Source != data.SourceChallenge || p.DemandID != "d2" {
			t.Fatalf("pairing of %s: %+v %v", app, p, err)
		}
		pairings = append(pairings, got.PairingID)
	}
	if pairings[0] == pairings[1] {
		t.Fatalf("two awards share pairing %s", pairings[0])
	}
	step("award the same application twice", "POST", chPath+"/award", asOrganiser, award(ap1), 409, "已获授予")
	step("a third award", "POST", chPath+"/award", asOrganiser, award(ap3), 409, "最多授予 2 个")

	// Two pledges: the organiser names one; each team reads its own.
	step("milestones without naming the award", "GET", chPath+"/milestones", asOrganiser, "", 400, "application_id")
	step("milestones of the second award", "GET", chPath+"/milestones?application_id="+ap2, asOrganiser, "", 200, `"application_id":"`+ap2+`"`)
	step("a team's own pledge", "GET", chPath+"/milestones", asScientistS1, "", 200, `"application_id":"`+ap1+`"`)
	step("another team's pledge", "GET", chPath+"/milestones?application_id="+ap1, asScientistS2, "", 403, "军令状")
	step("mark without naming the award", "POST", chPath+"/milestones", asOrganiser, `{"index":0,"status":"按期完成","on":"2026-06-20"}`, 400, "application_id")
	step("mark the first award's milestone", "POST", chPath+"/milestones", asOrganiser,
		`{"application_id":"`+ap1+`","index":0,"status":"按期完成","on":"2026-06-20"}`, 200, "按期完成")
	if b := step("the second award's milestones", "GET", chPath+"/milestones", asScientistS2, "", 200, ap2); strings.Contains(b, "按期完成") {
		t.Fatalf("marking the first award's milestone changed the second's: %s", b)
	}
	step("awarded", "POST", "/api/v1/challenge-lists/"+l.ID+"/status", asOrganiser, `{"to":"awarded"}`, 200, "awarded")
	step("award after the list is awarded", "POST", chPath+"/award", asOrganiser, award(ap3), 409, "只有已截止的榜单")
}
