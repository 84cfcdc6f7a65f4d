package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
	"github.com/techmatch/techmatch/tabular"
)

// Secrets of the fixture: contact data (and extra fields) of the demand d1,
// of the achievement a1 and of the broker b1. Each must appear only in
// answers to those with a right to it.
const (
	secretDemandPhone  = "13900001111"
	secretDemandExtra  = "wx-dsecret"
	secretAchPhone     = "13800002222"
	secretInventor     = "13700003333"
	secretAchExtra     = "qq-asecret"
	secretBrokerPhone  = "13600004444"
	secretBrokerEmail  = "b1secret@broker.cn"
	secretDemandEmail  = "dsecret@ent.cn"
	secretAchAddress   = "长春市前进大街秘密楼"
	secretLeaderPhone  = "13500005555"
	fixtureInstitution = "吉林大学"
)

// Callers of the pairing fixture.
const (
	anonymous      = "anonymous"
	asAdmin        = "admin"
	asOrganiser    = "organiser"
	asBrokerB1     = "broker-assigned"
	asBrokerB2     = "broker-other"
	asEnterpriseE1 = "enterprise-owner"
	asEnterpriseE2 = "enterprise-other"
	asScientistS1  = "scientist-owner"
	asScientistS2  = "scientist-other"
)

var callers = []string{anonymous, asAdmin, asOrganiser, asBrokerB1, asBrokerB2, asEnterpriseE1, asEnterpriseE2, asScientistS1, asScientistS2}

type pairingFixture struct {
	tb     testing.TB
	h      *gin.Engine
	db     *bolt.DB
	now    time.Time
	tokens map[string]string
	ids    map[string]string // caller → token id
	pid    string
}

type fixtureOptions struct {
	search bool // open an index and a matcher
}

func newPairingFixture(tb testing.TB, opt fixtureOptions) *pairingFixture {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	f := &pairingFixture{tb: tb, db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), tokens: map[string]string{}, ids: map[string]string{}}
	db.Now = func() time.Time { return f.now }

	specs := map[string]data.TokenSpec{
		asAdmin:        {Role: data.RoleAdmin},
		asOrganiser:    {Role: data.RoleOrganiser},
		asBrokerB1:     {Role: data.RoleBroker, BrokerID: "b1"},
		asBrokerB2:     {Role: data.RoleBroker, BrokerID: "b2"},
		asEnterpriseE1: {Role: data.RoleEnterprise, Name: "长春示例化工有限公司"},
		asEnterpriseE2: {Role: data.RoleEnterprise, Name: "另一家"},
		asScientistS1:  {Role: data.RoleScientist, Name: "张三", Institution: fixtureInstitution},
		asScientistS2:  {Role: data.RoleScientist, Name: "李四", Institution: "东北师范大学"},
	}
	for who, spec := range specs {
		secret, tok, err := db.CreateToken(ctx, spec)
		if err != nil {
			tb.Fatal(err)
		}
		f.tokens[who], f.ids[who] = secret, tok.ID
	}
	admin := data.Actor{TokenID: f.ids[asAdmin], Role: data.RoleAdmin}
	for _, b := range []data.Broker{
		{ID: "b1", Name: "王经纪", Level: "高级", Fields: []string{"新材料"}, Regions: []data.Region{{Province: "吉林省", City: "长春市"}},
			Phone: secretBrokerPhone, Email: secretBrokerEmail, Active: true},
		{ID: "b2", Name: "赵经纪", Level: "初级", Fields: []string{"现代农业"}, Regions: []data.Region{{Province: "吉林省", City: "四平市"}}, Active: true},
	} {
		if _, err := db.PutBroker(ctx, &b, admin); err != nil {
			tb.Fatal(err)
		}
	}
	var d1, d2 data.Demand
	mustJSON(tb, `{"id":"d1","title":"秸秆纤维增强复合材料","description":"需要秸秆纤维改性和复合材料成型技术","field":"新材料",
		"keywords":["秸秆","复合材料"],"region":{"province":"吉林省","city":"长春市","county":"朝阳区"},
		"enterprise":{"name":"长春示例化工有限公司"},
		"contact":{"name":"李经理","phone":"`+secretDemandPhone+`","email":"`+secretDemandEmail+`"},"微信号":"`+secretDemandExtra+`"}`, &d1)
	d1.Owner = f.ids[asEnterpriseE1]
	mustJSON(tb, `{"id":"d2","title":"玉米深加工","field":"现代农业","region":{"province":"吉林省","city":"四平市"}}`, &d2)
	d2.Owner = f.ids[asEnterpriseE2]
	if _, err := db.PutDemands(ctx, []data.Demand{d1, d2}); err != nil {
		tb.Fatal(err)
	}
	var a1, a2 data.Achievement
	mustJSON(tb, `{"id":"a1","title":"秸秆纤维复合材料制备技术","abstract":"秸秆纤维改性，复合材料模压成型","field":"新材料",
		"keywords":["秸秆","复合材料"],"institution":"`+fixtureInstitution+`","inventors":[{"name":"张三","contact":"`+secretInventor+`"}],
		"contact":{"phone":"`+secretAchPhone+`","address":"`+secretAchAddress+`"},"QQ号":"`+secretAchExtra+`"}`, &a1)
	a1.Owner = f.ids[asScientistS1]
	mustJSON(tb, `{"id":"a2","title":"玉米淀粉改性技术","field":"现代农业","institution":"东北师范大学"}`, &a2)
	a2.Owner = f.ids[asScientistS2]
	if _, err := db.PutAchievements(ctx, []data.Achievement{a1, a2}); err != nil {
		tb.Fatal(err)
	}
	ev := &data.Event{ID: "e1", Type: data.EventRoadshow, Title: "秸秆综合利用路演", Date: "2026-03-20", Slots: 2,
		Region: data.Region{Province: "吉林省", City: "长春市", County: "朝阳区"}}
	salon := &data.Event{ID: "e2", Type: data.EventSalon, Title: "新材料沙龙", Date: "2026-03-25", TimeSlots: 2, Tables: 2,
		Region: data.Region{Province: "吉林省", City: "长春市"}}
	for _, e := range []*data.Event{ev, salon} {
		if err := db.PutEvent(ctx, e); err != nil {
			tb.Fatal(err)
		}
	}
	for _, r := range []data.Registration{
		{ID: "r1", EventID: "e1", Kind: "enterprise", Name: "长春示例化工有限公司", DemandIDs: []string{"d1"}, Meta: data.Meta{Owner: f.ids[asEnterpriseE1]}},
		{ID: "r2", EventID: "e1", Kind: "scientist", Name: "张三", AchievementIDs: []string{"a1"}, Meta: data.Meta{Owner: f.ids[asOrganiser]}},
		{ID: "r3", EventID: "e2", Kind: "enterprise", Name: "长春示例化工有限公司", DemandIDs: []string{"d1"}, Meta: data.Meta{Owner: f.ids[asEnterpriseE1]}},
		{ID: "r4", EventID: "e2", Kind: "scientist", Name: "张三", AchievementIDs: []string{"a1"}, Meta: data.Meta{Owner: f.ids[asOrganiser]}},
	} {
		if err := db.PutRegistration(ctx, &r); err != nil {
			tb.Fatal(err)
		}
	}

	// A published challenge list with d1 on it, and a draft.
	for _, l := range []data.ChallengeList{
		{ID: "cl1", Title: "2026年第一批企业技术需求榜单", Kind: "enterprise", OpensOn: "2026-03-01", ClosesOn: "2026-04-30", Status: data.ListPublished},
		{ID: "cl-draft", Title: "草稿榜单", Kind: "government", OpensOn: "2026-06-01", ClosesOn: "2026-07-31"},
	} {
		if _, err := db.PutChallengeList(ctx, &l, admin); err != nil {
			tb.Fatal(err)
		}
	}
	if err := db.PutChallenge(ctx, &data.Challenge{ID: "ch1", ListID: "cl1", DemandID: "d1", Title: d1.Title, RewardWan: 200, DurationMonths: 18,
		Milestones: []data.MilestoneTerm{{Title: "样件试制", Due: "2026-10-31"}}}, admin); err != nil {
		tb.Fatal(err)
	}

	// S1's team applied to ch1, its leader's contact private.
	app := &data.Application{ID: "ap1", ChallengeID: "ch1", AchievementIDs: []string{"a1"}, Proposal: "分两期实施", BudgetWan: 150,
		Team: data.Team{Name: "秸秆材料团队", Institution: fixtureInstitution,
			Leader: data.TeamLeader{Name: "张三", Contact: &data.Contact{Mobile: secretLeaderPhone}}}, Meta: data.Meta{Owner: f.ids[asScientistS1]}}
	if _, err := db.PutApplication(ctx, app, admin); err != nil {
		tb.Fatal(err)
	}

	s := server.NewServer()
	s.Store, s.Events, s.Brokers, s.Pairings, s.Audit, s.Challenges, s.Applications, s.Reviews = db, db, db, db, db, db, db, db
	s.Clock = func() time.Time { return f.now }
	s.Logger = discardLogger()
	if opt.search {
		ix, err := index.Open(ctx, filepath.Join(dir, "index"), db, index.Options{Logger: discardLogger()})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { ix.Close() })
		if _, err := ix.Sync(ctx); err != nil {
			tb.Fatal(err)
		}
		m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix}
		if err := m.Refresh(ctx); err != nil {
			tb.Fatal(err)
		}
		s.Index, s.Matcher = ix, m
	}
	f.h = s.Handler().(*gin.Engine)

	if opt.search {
		for _, path := range []string{"/api/v1/events/e1/lineup", "/api/v1/events/e2/schedule"} {
			if code, body := f.do("POST", path, asOrganiser, `{}`, nil); code != 200 {
				tb.Fatalf("POST %s: %d %s", path, code, body)
			}
		}
	}
	// The pairing: d1 × a1, broker b1, requested by the enterprise.
	var p struct {
		ID string `json:"id"`
	}
	if code, body := f.do("POST", "/api/v1/pairings", asEnterpriseE1, `{"demand_id":"d1","achievement_id":"a1","source":"match","broker_id":"b1"}`, &p); code != 201 {
		tb.Fatalf("create pairing: %d %s", code, body)
	}
	f.pid = p.ID
	if code, body := f.do("POST", "/api/v1/pairings/"+p.ID+"/transitions", asEnterpriseE1, `{"to":"requested","note":"想约下周面谈"}`, nil); code != 200 {
		tb.Fatalf("request: %d %s", code, body)
	}
	return f
}

func mustJSON(tb testing.TB, s string, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		tb.Fatal(err)
	}
}

// do sends a request as who and decodes a JSON answer into out.
func (f *pairingFixture) do(method, path, who, body string, out any) (int, string) {
	f.tb.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if tok := f.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if out != nil && w.Code < 300 {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			f.tb.Fatalf("%s %s: decode %q: %v", method, path, w.Body.String(), err)
		}
	}
	var head strings.Builder
	for k, v := range w.Header() {
		head.WriteString(k + ": " + strings.Join(v, ",") + "\n")
	}
	// A workbook is compressed: check the text of its cells.
	if strings.Contains(w.Header().Get("Content-Type"), "spreadsheetml") {
		sheets, err := tabular.ReadXLSXSheets(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			f.tb.Fatalf("%s %s: read workbook: %v", method, path, err)
		}
		for name, rows := range sheets {
			head.WriteString(name + "\n")
			for _, r := range rows {
				head.WriteString(strings.Join(r, "\t") + "\n")
			}
		}
	}
	return w.Code, head.String() + w.Body.String()
}

func TestPairingFlowToSignedContract(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	path := "/api/v1/pairings/" + f.pid
	var p map[string]any
	// Before consent each side sees only its own contact.
	if code, body := f.do("GET", path, asScientistS1, "", &p); code != 200 || strings.Contains(body, secretDemandPhone) {
		t.Fatalf("scientist before consent: %d %s", code, body)
	}
	if p["status_label"] != "已发起" {
		t.Fatalf("status_label %v", p["status_label"])
	}
	// The requester cannot accept its own request.
	if code, _ := f.do("POST", path+"/transitions", asEnterpriseE1, `{"to":"accepted"}`, nil); code != 403 {
		t.Fatalf("requester accepts: %d", code)
	}
	// Signing now is refused with 409 naming the allowed states.
	var e errorJSON
	code, body := f.do("POST", path+"/transitions", asScientistS1, `{"to":"signed"}`, nil)
	json.Unmarshal([]byte(body[strings.Index(body, "{"):]), &e)
	if code != 409 || !strings.Contains(e.Error.Message, "双方同意") || !strings.Contains(e.Error.Message, "已拒绝") {
		t.Fatalf("sign early: %d %s", code, body)
	}
	if code, body := f.do("POST", path+"/transitions", asScientistS1, `{"to":"accepted","note":"同意面谈"}`, &p); code != 200 {
		t.Fatalf("accept: %d %s", code, body)
	}
	// Both agreed: each side now sees the other's contact.
	if _, body := f.do("GET", path, asScientistS1, "", nil); !strings.Contains(body, secretDemandPhone) {
		t.Fatalf("scientist after consent lacks the demand's contact: %s", body)
	}
	if _, body := f.do("GET", path, asEnterpriseE1, "", nil); !strings.Contains(body, secretAchPhone) || !strings.Contains(body, secretInventor) {
		t.Fatalf("enterprise after consent lacks the achievement's contact: %s", body)
	}
	// The other broker still sees no contact.
	if _, body := f.do("GET", path, asBrokerB2, "", nil); strings.Contains(body, secretDemandPhone) || strings.Contains(body, secretAchPhone) {
		t.Fatalf("unassigned broker sees contact: %s", body)
	}
	// Signing needs a contract.
	if code, _ := f.do("POST", path+"/transitions", asBrokerB1, `{"to":"signed"}`, nil); code != 400 {
		t.Fatalf("sign without contract: %d", code)
	}
	contract := `{"to":"signed","contract":{"number":"2026220100000123","type":"技术转让","amount_wan":120,"signed_on":"2026-03-20","office":"吉林省技术市场"}}`
	if code, body := f.do("POST", path+"/transitions", asBrokerB1, contract, &p); code != 200 || p["status"] != "signed" {
		t.Fatalf("sign: %d %s", code, body)
	}
	// Signed is the end.
	if code, _ := f.do("POST", path+"/transitions", asAdmin, `{"to":"closed","reason":"其他","note":"x"}`, nil); code != 409 {
		t.Fatalf("close a signed pairing: %d", code)
	}
	// Audit: create, request, accept, sign, and one reveal per side shown.
	var audit struct {
		Items []data.AuditEntry `json:"items"`
	}
	if code, _ := f.do("GET", "/api/v1/audit?object=pairings/"+f.pid, asAdmin, "", &audit); code != 200 {
		t.Fatalf("audit: %d", code)
	}
	count := map[string]int{}
	for _, e := range audit.Items {
		count[e.Action]++
	}
	// Transitions: request, accept, sign. Reveals: the answer to the
	// scientist's acceptance and its GET (demand side), the enterprise's
	// GET (achievement side), the answer to broker b1's signature (both).
	if count[data.AuditPairingCreate] != 1 || count[data.AuditPairingTransfer] != 3 || count[data.AuditContactReveal] != 5 {
		t.Fatalf("audit counts %v", count)
	}
	if code, _ := f.do("GET", "/api/v1/audit", asBrokerB1, "", nil); code != 403 {
		t.Fatalf("broker reads audit: %d", code)
	}
	// Making the pairing again returns the existing one.
	var again map[string]any
	if code, _ := f.do("POST", "/api/v1/pairings", asAdmin, `{"demand_id":"d1","achievement_id":"a1","source":"manual"}`, &again); code != 201 || again["id"] == f.pid {
		// The signed pairing is not open, so a new one is made.
		t.Fatalf("new pairing after a signature: %d %v", code, again["id"])
	}
	var dup map[string]any
	if code, _ := f.do("POST", "/api/v1/pairings", asAdmin, `{"demand_id":"d1","achievement_id":"a1","source":"manual"}`, &dup); code != 200 || dup["id"] != again["id"] || dup["existing"] != true {
		t.Fatalf("duplicate: %d %v", code, dup)
	}
	// The report counts the signature.
	var rep data.YearReport
	f.do("GET", "/api/v1/stats/report?year=2026", asOrganiser, "", &rep)
	if rep.PairingsSigned != 1 || rep.ContractAmountWan != 120 || rep.DemandsSolved != 1 || len(rep.Cities) != 1 || rep.Cities[0].City != "长春市" {
		t.Fatalf("report %+v", rep)
	}
}

func TestPairingExpiresOnTheClock(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	path := "/api/v1/pairings/" + f.pid
	f.now = f.now.Add(14*24*time.Hour - time.Minute)
	var p map[string]any
	f.do("GET", path, asAdmin, "", &p)
	if p["status"] != "requested" {
		t.Fatalf("a minute early: %v", p["status"])
	}
	f.now = f.now.Add(time.Minute)
	f.do("GET", path, asAdmin, "", &p)
	if p["status"] != "expired" || p["status_label"] != "已过期" {
		t.Fatalf("at expiry: %v", p["status"])
	}
	if code, _ := f.do("POST", path+"/transitions", asScientistS1, `{"to":"accepted"}`, nil); code != 409 {
		t.Fatalf("accept after expiry: %d", code)
	}
	if code, _ := f.do("POST", path+"/transitions", asEnterpriseE1, `{"to":"recommended"}`, nil); code != 403 {
		t.Fatalf("enterprise reopens: %d", code)
	}
	if code, body := f.do("POST", path+"/transitions", asAdmin, `{"to":"recommended","note":"企业补充材料后重开"}`, &p); code != 200 || p["status"] != "recommended" {
		t.Fatalf("admin reopens: %d %s", code, body)
	}
	// A request may set its own waiting time.
	if code, body := f.do("POST", path+"/transitions", asScientistS1, `{"to":"requested","expires_in_days":3}`, &p); code != 200 {
		t.Fatalf("request: %d %s", code, body)
	}
	f.now = f.now.Add(3 * 24 * time.Hour)
	var list struct {
		Total int              `json:"total"`
		Items []map[string]any `json:"items"`
	}
	f.do("GET", "/api/v1/pairings?status=expired", asBrokerB1, "", &list)
	if list.Total != 1 {
		t.Fatalf("expired list %+v", list)
	}
}

// contactSecrets says which secrets a caller may see, given the fixture's
// pairing as it now is (its broker, whether both sides agreed).
func contactSecrets(who string, p *data.Pairing) (demand, achievement, broker bool) {
	revealed := p.ContactRevealed()
	switch who {
	case asAdmin:
		return true, true, true
	case asBrokerB1:
		// b1's own phone and e-mail; the sides' contact while assigned.
		return p.BrokerID == "b1", p.BrokerID == "b1", true
	case asBrokerB2:
		return p.BrokerID == "b2", p.BrokerID == "b2", false
	case asEnterpriseE1:
		return true, revealed, false
	case asScientistS1:
		return revealed, true, false
	}
	return false, false, false
}

type leakRequest struct {
	path string
	body string
}

// leakCases has one case per route the router registers: the requests
// sent (path with parameters filled in, body) by every caller.
var leakCases = map[string][]leakRequest{
	"GET /healthz":                                    {{"/healthz", ""}},
	"GET /api/v1/achievements":                        {{"/api/v1/achievements", ""}, {"/api/v1/achievements?q=秸秆", ""}, {"/api/v1/achievements?q=" + secretAchExtra, ""}, {"/api/v1/achievements?q=" + secretAchPhone + "&highlight=true", ""}},
	"POST /api/v1/achievements":                       {{"/api/v1/achievements", `{"title":"新成果"}`}},
	"GET /api/v1/achievements/:id":                    {{"/api/v1/achievements/a1", ""}},
	"PUT /api/v1/achievements/:id":                    {{"/api/v1/achievements/a1", `{"title":"秸秆纤维复合材料制备技术（修订）"}`}},
	"DELETE /api/v1/achievements/:id":                 {{"/api/v1/achievements/a1", ""}},
	"GET /api/v1/achievements/:id/matches":            {{"/api/v1/achievements/a1/matches", ""}},
	"GET /api/v1/demands":                             {{"/api/v1/demands", ""}, {"/api/v1/demands?q=秸秆", ""}, {"/api/v1/demands?q=" + secretDemandExtra, ""}, {"/api/v1/demands?q=" + secretDemandPhone + "&highlight=true", ""}},
	"POST /api/v1/demands":                            {{"/api/v1/demands", `{"title":"秸秆复合材料新需求"}`}},
	"GET /api/v1/demands/:id":                         {{"/api/v1/demands/d1", ""}},
	"PUT /api/v1/demands/:id":                         {{"/api/v1/demands/d1", `{"title":"秸秆纤维增强复合材料（修订）"}`}},
	"DELETE /api/v1/demands/:id":                      {{"/api/v1/demands/d1", ""}},
	"GET /api/v1/demands/:id/matches":                 {{"/api/v1/demands/d1/matches", ""}},
	"GET /api/v1/demands/:id/matches/:achievement_id": {{"/api/v1/demands/d1/matches/a1", ""}},
	"POST /api/v1/match":                              {{"/api/v1/match", `{"title":"秸秆复合材料"}`}},
	"GET /api/v1/demands/:id/feedback":                {{"/api/v1/demands/d1/feedback", ""}},
	"POST /api/v1/demands/:id/feedback":               {{"/api/v1/demands/d1/feedback", `{"achievement_id":"a1","verdict":"relevant"}`}},
	"GET /api/v1/achievements/:id/feedback":           {{"/api/v1/achievements/a1/feedback", ""}},
	"POST /api/v1/achievements/:id/feedback":          {{"/api/v1/achievements/a1/feedback", `{"demand_id":"d1","verdict":"not_relevant"}`}},
	"GET /api/v1/matcher":                             {{"/api/v1/matcher", ""}},
	"PUT /api/v1/matcher":                             {{"/api/v1/matcher", `{"version":"default"}`}},
	"GET /api/v1/events":                              {{"/api/v1/events", ""}},
	"POST /api/v1/events":                             {{"/api/v1/events", `{"type":"salon","title":"新沙龙"}`}},
	"GET /api/v1/events/:id":                          {{"/api/v1/events/e1", ""}},
	"PUT /api/v1/events/:id":                          {{"/api/v1/events/e1", `{"type":"roadshow","title":"秸秆综合利用路演","slots":2}`}},
	"GET /api/v1/events/:id/registrations":            {{"/api/v1/events/e1/registrations", ""}},
	"POST /api/v1/events/:id/registrations":           {{"/api/v1/events/e1/registrations", `{"kind":"enterprise","name":"另一家","demand_ids":["d2"]}`}},
	"PUT /api/v1/events/:id/registrations/:rid":       {{"/api/v1/events/e1/registrations/r1", `{"kind":"enterprise","name":"长春示例化工有限公司","demand_ids":["d1"]}`}},
	"POST /api/v1/events/:id/lineup":                  {{"/api/v1/events/e1/lineup", `{}`}},
	"GET /api/v1/events/:id/lineup":                   {{"/api/v1/events/e1/lineup", ""}},
	"GET /api/v1/events/:id/lineup.xlsx":              {{"/api/v1/events/e1/lineup.xlsx", ""}},
	"GET /api/v1/events/:id/lineup.csv":               {{"/api/v1/events/e1/lineup.csv", ""}},
	"GET /api/v1/events/:id/lineup.html":              {{"/api/v1/events/e1/lineup.html", ""}},
	"POST /api/v1/events/:id/schedule":                {{"/api/v1/events/e2/schedule", `{}`}},
	"GET /api/v1/events/:id/schedule":                 {{"/api/v1/events/e2/schedule", ""}},
	"GET /api/v1/events/:id/schedule.xlsx":            {{"/api/v1/events/e2/schedule.xlsx", ""}},
	"GET /api/v1/events/:id/schedule.csv":             {{"/api/v1/events/e2/schedule.csv", ""}},
	"GET /api/v1/events/:id/schedule.html":            {{"/api/v1/events/e2/schedule.html", ""}},
	"GET /api/v1/events/:id/agenda.xlsx":              {{"/api/v1/events/e2/agenda.xlsx", ""}},
	"GET /api/v1/events/:id/agenda/:file":             {{"/api/v1/events/e2/agenda/r1.html", ""}},
	"DELETE /api/v1/events/:id/registrations/:rid":    {{"/api/v1/events/e1/registrations/r1", ""}},
	"DELETE /api/v1/events/:id":                       {{"/api/v1/events/e2", ""}},
	"GET /readyz":                                     {{"/readyz", ""}},
	"GET /metrics":                                    {{"/metrics", ""}},
	"GET /openapi.json":                               {{"/openapi.json", ""}},
	"GET /docs":                                       {{"/docs", ""}},
	"GET /docs/:file":                                 {{"/docs/index.css", ""}},
	"POST /api/v1/events/:id/pairings":                {{"/api/v1/events/e1/pairings", `{}`}, {"/api/v1/events/e2/pairings", `{"broker_id":"b2"}`}},
	"GET /api/v1/brokers":                             {{"/api/v1/brokers", ""}, {"/api/v1/brokers?city=长春市", ""}},
	"POST /api/v1/brokers":                            {{"/api/v1/brokers", `{"name":"新经纪人","level":"中级","active":true}`}},
	"GET /api/v1/brokers/:id":                         {{"/api/v1/brokers/b1", ""}},
	"PUT /api/v1/brokers/:id":                         {{"/api/v1/brokers/b2", `{"name":"赵经纪","level":"中级","active":true}`}},
	"GET /api/v1/brokers/:id/stats":                   {{"/api/v1/brokers/b1/stats", ""}},
	"POST /api/v1/pairings":                           {{"/api/v1/pairings", `{"demand_id":"d1","achievement_id":"a1","source":"match"}`}, {"/api/v1/pairings", `{"demand_id":"d2","achievement_id":"a1","source":"manual"}`}},
	"GET /api/v1/pairings":                            {{"/api/v1/pairings", ""}, {"/api/v1/pairings?broker=b1&status=requested", ""}},
	"GET /api/v1/pairings/:id":                        {{"/api/v1/pairings/{pid}", ""}},
	"POST /api/v1/pairings/:id/transitions":           {{"/api/v1/pairings/{pid}/transitions", `{"to":"accepted","note":"同意"}`}},
	"GET /api/v1/pairings/:id/brokers":                {{"/api/v1/pairings/{pid}/brokers", ""}},
	"PUT /api/v1/pairings/:id/broker":                 {{"/api/v1/pairings/{pid}/broker", `{"broker_id":"b2"}`}},
	"GET /api/v1/challenge-lists":                     {{"/api/v1/challenge-lists", ""}},
	"POST /api/v1/challenge-lists":                    {{"/api/v1/challenge-lists", `{"title":"2026年第二批企业技术需求榜单","kind":"enterprise","opens_on":"2026-04-01","closes_on":"2026-05-31"}`}},
	"GET /api/v1/challenge-lists/:id":                 {{"/api/v1/challenge-lists/cl1", ""}, {"/api/v1/challenge-lists/cl-draft", ""}},
	"POST /api/v1/challenge-lists/:id/status":         {{"/api/v1/challenge-lists/cl1/status", `{"to":"closed"}`}},
	"POST /api/v1/challenge-lists/:id/challenges":     {{"/api/v1/challenge-lists/cl1/challenges", `{"demand_id":"d2","reward_wan":50}`}},
	"POST /api/v1/challenges/:id/applications":        {{"/api/v1/challenges/ch1/applications", `{"team":{"name":"新团队","institution":"吉林大学","leader":{"name":"王五","contact":{"phone":"0431-1"}}},"achievement_ids":["a2"]}`}},
	"GET /api/v1/challenges/:id/applications":         {{"/api/v1/challenges/ch1/applications", ""}},
	"PUT /api/v1/applications/:id":                    {{"/api/v1/applications/ap1", `{"team":{"name":"秸秆材料团队","institution":"吉林大学","leader":{"name":"张三"}},"achievement_ids":["a1"]}`}},
	"POST /api/v1/challenges/:id/award":               {{"/api/v1/challenge-lists/cl1/status", `{"to":"closed"}`}, {"/api/v1/challenges/ch1/award", `{"application_id":"ap1"}`}},
	"GET /api/v1/challenges/:id/milestones":           {{"POST /api/v1/challenge-lists/cl1/status", `{"to":"closed"}`}, {"POST /api/v1/challenges/ch1/award", `{"application_id":"ap1"}`}, {"/api/v1/challenges/ch1/milestones", ""}},
	"POST /api/v1/challenges/:id/milestones":          {{"/api/v1/challenge-lists/cl1/status", `{"to":"closed"}`}, {"/api/v1/challenges/ch1/award", `{"application_id":"ap1"}`}, {"/api/v1/challenges/ch1/milestones", `{"index":0,"status":"延期","on":"2026-11-05","note":"设备到货延迟"}`}},
	"GET /api/v1/challenges/:id/solvers":              {{"/api/v1/challenges/ch1/solvers", ""}, {"/api/v1/challenges/ch1/solvers?by=team&limit=5", ""}},
	"GET /api/v1/demands/:id/solvers":                 {{"/api/v1/demands/d1/solvers", ""}},
	"POST /api/v1/applications/:id/reviews":           {{"/api/v1/applications/ap1/reviews", `{"scores":{"技术先进性":8,"团队能力":7,"实施方案":9,"经费合理性":6},"comment":"方案可行"}`}},
	"GET /api/v1/challenge-lists/:id/list.xlsx":       {{"/api/v1/challenge-lists/cl1/list.xlsx", ""}, {"/api/v1/challenge-lists/cl-draft/list.xlsx", ""}},
	"GET /api/v1/challenge-lists/:id/list.html":       {{"/api/v1/challenge-lists/cl1/list.html", ""}, {"/api/v1/challenge-lists/cl-draft/list.html", ""}},
	"GET /api/v1/challenges/:id/reviews.xlsx":         {{"POST /api/v1/applications/ap1/reviews", `{"scores":{"技术先进性":8,"团队能力":7,"实施方案":9,"经费合理性":6}}`}, {"/api/v1/challenges/ch1/reviews.xlsx", ""}},
	"GET /api/v1/audit":                               {{"/api/v1/audit", ""}},
	"GET /api/v1/stats/funnel":                        {{"/api/v1/stats/funnel?group_by=city", ""}, {"/api/v1/stats/funnel?group_by=broker", ""}},
	"GET /api/v1/stats/funnel.xlsx":                   {{"/api/v1/stats/funnel.xlsx", ""}},
	"GET /api/v1/stats/funnel.csv":                    {{"/api/v1/stats/funnel.csv?group_by=county", ""}},
	"GET /api/v1/stats/report":                        {{"/api/v1/stats/report?year=2026", ""}},
}

// TestNoContactLeaks walks every route the router registers as every
// caller, each on a fresh fixture (writes change it), and checks that no
// answer — body or headers — carries contact data to a caller without the
// right to it. A route without a case fails the test.
func TestNoContactLeaks(t *testing.T) {
	probe := newPairingFixture(t, fixtureOptions{})
	var routes []string
	seen := map[string]bool{}
	for _, r := range probe.h.Routes() {
		key := r.Method + " " + r.Path
		routes = append(routes, key)
		seen[key] = true
		if _, ok := leakCases[key]; !ok {
			t.Errorf("route %s has no case in leakCases: add one", key)
		}
	}
	for key := range leakCases {
		if !seen[key] {
			t.Errorf("leakCases has %s, which the router does not register", key)
		}
	}
	sort.Strings(routes)
	demandSecrets := []string{secretDemandPhone, secretDemandEmail, secretDemandExtra}
	achSecrets := []string{secretAchPhone, secretInventor, secretAchExtra, secretAchAddress}
	brokerSecrets := []string{secretBrokerPhone, secretBrokerEmail}
	for _, key := range routes {
		method := key[:strings.IndexByte(key, ' ')]
		t.Run(key, func(t *testing.T) {
			f := newPairingFixture(t, fixtureOptions{search: needsSearch(key)})
			for _, who := range callers {
				for _, rq := range leakCases[key] {
					path := strings.ReplaceAll(rq.path, "{pid}", f.pid)
					method := method
					// "POST /path" in a case is a setup request of another method.
					if m, p, ok := strings.Cut(path, " "); ok {
						method, path = m, p
					}
					code, body := f.do(method, path, who, rq.body, nil)
					if testing.Verbose() && who == asAdmin {
						t.Logf("%s %s as admin: %d", method, path, code)
					}
					if code >= 500 {
						t.Errorf("%s %s as %s: %d %s", method, path, who, code, clip(body))
					}
					p, err := f.db.Pairing(context.Background(), f.pid)
					if err != nil {
						t.Fatal(err)
					}
					// A search answers with how it understood the query
					// ("parsed"): the caller's own words, not a leak.
					body = withoutParsed(body)
					okD, okA, okB := contactSecrets(who, p)
					check := func(secrets []string, ok bool, what string) {
						for _, s := range secrets {
							if !ok && strings.Contains(body, s) {
								t.Errorf("%s %s as %s leaks %s contact %q: %s", method, path, who, what, s, clip(body))
							}
						}
					}
					check(demandSecrets, okD, "demand")
					check(achSecrets, okA, "achievement")
					check(brokerSecrets, okB, "broker")
					check([]string{secretLeaderPhone}, who == asAdmin || who == asScientistS1, "team leader")
				}
			}
		})
	}
}

var searchRoute = regexp.MustCompile(`match|solvers|^GET /api/v1/(achievements|demands)$|lineup|schedule|events/:id/pairings|POST /api/v1/demands$`)

func needsSearch(route string) bool { return searchRoute.MatchString(route) }

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

func TestEventToPairings(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{search: true})
	var out struct {
		Source   string `json:"source"`
		Created  int    `json:"created"`
		Existing int    `json:"existing"`
		Pairings []struct {
			ID            string `json:"id"`
			DemandID      string `json:"demand_id"`
			AchievementID string `json:"achievement_id"`
		} `json:"pairings"`
	}
	// The roadshow put a1 in front of d1's enterprise: that pair already
	// has the open pairing, which is returned.
	if code, body := f.do("POST", "/api/v1/events/e1/pairings", asOrganiser, `{}`, &out); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if out.Source != "roadshow" || out.Created != 0 || out.Existing != 1 || out.Pairings[0].ID != f.pid {
		t.Fatalf("roadshow: %+v", out)
	}
	// Closing it frees the pair: the salon's meeting makes a new pairing.
	if code, body := f.do("POST", "/api/v1/pairings/"+f.pid+"/transitions", asAdmin, `{"to":"closed","reason":"方向不符"}`, nil); code != 200 {
		t.Fatalf("close: %d %s", code, body)
	}
	if code, body := f.do("POST", "/api/v1/events/e2/pairings", asOrganiser, `{"broker_id":"b2"}`, &out); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if out.Source != "salon" || out.Created != 1 || out.Pairings[0].ID == f.pid || out.Pairings[0].DemandID != "d1" {
		t.Fatalf("salon: %+v", out)
	}
	var p data.Pairing
	f.do("GET", "/api/v1/pairings/"+out.Pairings[0].ID, asAdmin, "", &p)
	if p.EventID != "e2" || p.BrokerID != "b2" || p.Score <= 0 {
		t.Fatalf("pairing from salon: %+v", p)
	}
	if code, _ := f.do("POST", "/api/v1/events/e2/pairings", asEnterpriseE1, `{}`, nil); code != 403 {
		t.Fatalf("enterprise turns an event into pairings: %d", code)
	}
	// The matcher's fit shows beside an application's (absent) panel score.
	var apps struct {
		Items []struct {
			PanelScore *float64 `json:"panel_score"`
			Fit        *float64 `json:"matcher_fit"`
		} `json:"items"`
	}
	f.do("GET", "/api/v1/challenges/ch1/applications", asOrganiser, "", &apps)
	if len(apps.Items) != 1 || apps.Items[0].PanelScore != nil || apps.Items[0].Fit == nil || *apps.Items[0].Fit <= 0 {
		t.Fatalf("applications with fit: %+v", apps.Items)
	}
	// The funnel by event and its CSV.
	_, csv := f.do("GET", "/api/v1/stats/funnel.csv?group_by=event", asOrganiser, "", nil)
	if !strings.Contains(csv, "到达推荐") || !strings.Contains(csv, "e2") || !strings.Contains(csv, "合计") {
		t.Fatalf("funnel csv: %s", csv)
	}
}

// withoutParsed removes the "parsed" member of a search answer, which echoes
// the query the caller sent (it holds no nested objects).
func withoutParsed(body string) string {
	return parsedMember.ReplaceAllString(body, "")
}

var parsedMember = regexp.MustCompile(`"parsed":\{[^{}]*\},?`)
