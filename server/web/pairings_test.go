package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// TestPairingFlow: a broker pairs a demand with a candidate from its page,
// moves it through the status machine with only the allowed next states
// offered, gets Chinese messages at the contract fields, signs, and an
// admin sees the audit trail.
func TestPairingFlow(t *testing.T) {
	f := sharedFixture(t)
	c := signIn(t, "broker")
	_, page := c.get("/demands/" + f.otherDemand)
	m := regexp.MustCompile(`name="achievement_id" value="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(m) == 0 {
		t.Fatal("the broker sees no 发起对接 on the demand's candidates")
	}
	ach := m[len(m)-1][1]
	resp, body := c.post("/pairings", url.Values{"demand_id": {f.otherDemand}, "achievement_id": {ach}, "source": {"match"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/pairings/") || !strings.HasSuffix(loc, "?new=1") {
		t.Fatalf("create: status %d location %q: %.300s", resp.StatusCode, loc, body)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/pairings/"), "?new=1")
	p, err := f.db.Pairing(t.Context(), id)
	if err != nil || p.BrokerID != f.brokerLi || p.Status != data.StatusRecommended || p.DemandID != f.otherDemand || p.AchievementID != ach {
		t.Fatalf("stored pairing %+v, %v: want recommended, the broker's, of the demand × candidate", p, err)
	}
	_, body = c.get(loc)
	if !strings.Contains(body, "对接已发起") || !buttons(body, "requested", "closed") {
		t.Errorf("the new pairing's page lacks the confirmation or offers other than 已发起/已终止: %v", buttonValues(body))
	}
	// The demand page now links the pairing instead of offering another.
	if _, page := c.get("/demands/" + f.otherDemand); !strings.Contains(page, `href="/pairings/`+id+`"`) {
		t.Error("the demand page does not link the open pairing")
	}
	// Not allowed from recommended: 409 with the allowed states named.
	resp, body = c.post("/pairings/"+id+"/transitions", url.Values{"to": {"signed"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "可以变为") {
		t.Errorf("recommended → signed: status %d, want 409 naming the allowed states", resp.StatusCode)
	}
	for _, step := range []url.Values{{"to": {"requested"}, "side": {"demand"}}, {"to": {"accepted"}}} {
		if resp, body := c.post("/pairings/"+id+"/transitions", step); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d: %.300s", step.Get("to"), resp.StatusCode, body)
		}
	}
	_, body = c.get("/pairings/" + id)
	if !buttons(body, "negotiating", "signed", "closed") || !strings.Contains(body, "技术合同（签约时必填）") {
		t.Errorf("accepted offers %v, want 洽谈中/已签约/已终止 and the contract form", buttonValues(body))
	}
	// Both agreed: the assigned broker sees both sides' contacts.
	d, _ := f.db.Demand(t.Context(), f.otherDemand)
	if !strings.Contains(body, d.Contact.Phone) {
		t.Error("after both agreed the assigned broker does not see the demand's contact")
	}
	resp, body = c.post("/pairings/"+id+"/transitions", url.Values{"to": {"signed"}, "contract.type": {"技术转让"},
		"contract.amount_wan": {"一百"}, "contract.signed_on": {"2026/11/30"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad contract: status %d", resp.StatusCode)
	}
	for _, want := range []string{
		`id="err-contract.number">签约需要技术合同登记号`,
		`id="err-contract.amount_wan">合同金额应填写数字`,
		`id="err-contract.signed_on">签约日期“2026/11/30”格式不正确`,
		`value="2026/11/30"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the contract form lacks %q", want)
		}
	}
	if p, _ := f.db.Pairing(t.Context(), id); p.Status != data.StatusAccepted {
		t.Errorf("a refused signature changed the status to %s", p.Status)
	}
	resp, _ = c.post("/pairings/"+id+"/transitions", url.Values{"to": {"signed"}, "contract.number": {"2026220101000999"},
		"contract.type": {"技术转让"}, "contract.amount_wan": {"66.5"}, "contract.signed_on": {"2026-11-30"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: status %d", resp.StatusCode)
	}
	_, body = c.get("/pairings/" + id)
	if !strings.Contains(body, "66.5 万元") || strings.Contains(body, `name="to"`) || strings.Contains(body, "审计记录") {
		t.Error("the signed pairing shows no contract, still offers transitions, or shows the audit to a broker")
	}
	_, body = signIn(t, "admin").get("/pairings/" + id)
	for _, want := range []string{"审计记录（仅管理员可见）", "创建对接", "变更状态", "显示联系方式"} {
		if !strings.Contains(body, want) {
			t.Errorf("the admin's pairing page lacks %q in the audit trail", want)
		}
	}
	// The board lists it under 已签约.
	_, board := c.get("/pairings")
	col := regexp.MustCompile(`(?s)id="col-signed".*?</section>`).FindString(board)
	if !strings.Contains(col, `href="/pairings/`+id+`"`) {
		t.Error("the board's 已签约 column does not list the signed pairing")
	}
}

var toRe = regexp.MustCompile(`name="to" value="([a-z]+)"`)

func buttonValues(body string) []string {
	var out []string
	for _, m := range toRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// buttons reports whether the page offers exactly these transitions.
func buttons(body string, want ...string) bool {
	got := buttonValues(body)
	return strings.Join(got, ",") == strings.Join(want, ",")
}

// TestPagesOfferPairingOnlyToThoseAllowed: 发起对接 appears for the roles
// the API lets create the pairing, and for an enterprise only on its own
// demand.
func TestPagesOfferPairingOnlyToThoseAllowed(t *testing.T) {
	f := sharedFixture(t)
	for _, tc := range []struct {
		who, path string
		want      bool
	}{
		{"", "/demands/" + f.otherDemand, false},
		{"broker", "/demands/" + f.otherDemand, true},
		{"organiser", "/demands/" + f.otherDemand, true},
		{"admin", "/achievements/" + f.achievement, true},
		{"enterprise", "/demands/" + f.ownDemand, true},
		{"enterprise", "/demands/" + f.otherDemand, false},
		{"other", "/achievements/" + f.achievement, false},
	} {
		_, body := signIn(t, tc.who).get(tc.path)
		if got := strings.Contains(body, `action="/pairings"`); got != tc.want {
			t.Errorf("%s as %q: 发起对接 shown %v, want %v", tc.path, tc.who, got, tc.want)
		}
	}
}

// TestHomeShowsTheUsersPairings: the home page counts the user's open
// pairings by status (the enterprise's own demand has one negotiating),
// and shows none to someone without any.
func TestHomeShowsTheUsersPairings(t *testing.T) {
	if _, body := signIn(t, "enterprise").get("/"); !strings.Contains(body, `洽谈中 <span class="count">1</span>`) {
		t.Error("the enterprise's home page does not count its negotiating pairing")
	}
	if _, body := signIn(t, "other").get("/"); strings.Contains(body, "进行中的对接") {
		t.Error("an enterprise without pairings is shown pairings")
	}
}

// TestBrokerPageListsWorkAndSuggestions: a broker's page shows its open
// pairings to staff, and to the broker itself and admins the unassigned
// open pairings in its fields or regions.
func TestBrokerPageListsWorkAndSuggestions(t *testing.T) {
	f := sharedFixture(t)
	section := func(body, id string) string {
		i := strings.Index(body, `<h2 id="`+id+`"`)
		if i < 0 {
			return ""
		}
		rest := body[i+1:]
		if j := strings.Index(rest, "<h2"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	link := func(id string) string { return `href="/pairings/` + id + `"` }
	for _, tc := range []struct {
		who, broker     string
		open, suggested string // a pairing the section must link ("" : the section is absent)
		notSuggested    string
	}{
		{"broker", f.brokerLi, f.consented, f.requested, ""},
		{"admin", f.brokerLi, f.consented, f.requested, ""},
		{"organiser", f.brokerLi, f.consented, "", ""},
		{"admin", f.brokerZhou, "", "", f.requested},
	} {
		_, body := signIn(t, tc.who).get("/brokers/" + tc.broker)
		open, sugg := section(body, "open"), section(body, "suggested")
		if open == "" {
			t.Errorf("%s on %s: no 在办对接", tc.who, tc.broker)
		}
		if tc.open != "" && !strings.Contains(open, link(tc.open)) {
			t.Errorf("%s on %s: 在办对接 lacks %s", tc.who, tc.broker, tc.open)
		}
		if tc.broker == f.brokerZhou && strings.Contains(open, link(f.consented)) {
			t.Errorf("%s on %s: 在办对接 lists another broker's pairing", tc.who, tc.broker)
		}
		if (tc.suggested != "") != (sugg != "") && tc.notSuggested == "" {
			t.Errorf("%s on %s: suggestions shown %v", tc.who, tc.broker, sugg != "")
		}
		if tc.suggested != "" && !strings.Contains(sugg, link(tc.suggested)) {
			t.Errorf("%s on %s: 建议承接 lacks the unassigned %s", tc.who, tc.broker, tc.suggested)
		}
		if tc.notSuggested != "" && strings.Contains(sugg, link(tc.notSuggested)) {
			t.Errorf("%s on %s: 建议承接 lists %s outside the broker's fields and regions", tc.who, tc.broker, tc.notSuggested)
		}
	}
	if _, body := signIn(t, "enterprise").get("/brokers/" + f.brokerLi); strings.Contains(body, `id="open"`) {
		t.Error("an enterprise sees a broker's pairings")
	}
}
