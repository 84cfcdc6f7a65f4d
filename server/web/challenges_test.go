package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestChallengeListFlow: an organiser creates a draft list (Chinese
// messages at the fields first), adds a challenge on a demand, publishes
// and closes it; others are refused and see drafts nowhere.
func TestChallengeListFlow(t *testing.T) {
	f := sharedFixture(t)
	o := signIn(t, "organiser")
	if _, body := o.get("/challenges"); !strings.Contains(body, `action="/challenges"`) {
		t.Fatal("the organiser has no form for a new list")
	}
	if _, body := signIn(t, "broker").get("/challenges"); strings.Contains(body, `action="/challenges"`) {
		t.Error("a broker sees the new list form")
	}
	resp, body := o.post("/challenges", url.Values{"title": {""}, "kind": {"government"}, "opens_on": {"2026/03/01"}, "closes_on": {"2026-02-01"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("invalid list: status %d", resp.StatusCode)
	}
	for _, want := range []string{`id="err-title"`, `id="err-opens_on">开榜日期“2026/03/01”应写成 2026-03-01 的格式`, `value="2026-02-01"`, `aria-invalid="true" aria-describedby="err-title" autofocus`} {
		if !strings.Contains(body, want) {
			t.Errorf("the invalid list's page lacks %q", want)
		}
	}
	resp, body = o.post("/challenges", url.Values{"title": {"2026 年秸秆综合利用揭榜挂帅榜单"}, "kind": {"government"}, "batch": {"2026 年第一批"},
		"opens_on": {"2026-01-01"}, "closes_on": {"2099-12-31"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "?created=1") {
		t.Fatalf("create: status %d location %q: %.300s", resp.StatusCode, loc, body)
	}
	list := strings.TrimSuffix(loc, "?created=1")
	if _, body = o.get(loc); !strings.Contains(body, "榜单已创建") || !strings.Contains(body, `value="published">发布榜单`) {
		t.Fatalf("the new list's page lacks the confirmation or 发布榜单")
	}
	if _, body = signIn(t, "broker").get("/challenges"); strings.Contains(body, list) {
		t.Error("a broker sees the draft list")
	}
	// A challenge: the demand is required and must exist; the reward is a number.
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"demand_id": {""}}, "demand_id"},
		{url.Values{"demand_id": {"no-such-demand"}}, "demand_id"},
		{url.Values{"demand_id": {f.otherDemand}, "reward_wan": {"五十"}}, "reward_wan"},
	} {
		resp, body := o.post(list+"/challenges", tc.form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="err-`+tc.field+`"`) {
			t.Errorf("%v: status %d, want 400 with a message at %s", tc.form, resp.StatusCode, tc.field)
		}
	}
	resp, body = o.post(list+"/challenges", url.Values{"demand_id": {f.otherDemand}, "reward_wan": {"50"}, "duration_months": {"18"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add challenge: status %d: %.300s", resp.StatusCode, body)
	}
	if _, body = o.get(list); !strings.Contains(body, `href="/demands/`+f.otherDemand+`"`) || !strings.Contains(body, "<strong>50</strong>") {
		t.Error("the list does not show the challenge with its reward")
	}
	// Others may not change the status.
	for _, who := range []string{"broker", "enterprise"} {
		c := signIn(t, who)
		c.get("/login")
		if resp, _ := c.post(list+"/status", url.Values{"to": {"published"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s publishes: status %d, want 403", who, resp.StatusCode)
		}
	}
	for _, step := range []struct{ to, label, next string }{{"published", "已发布", `value="closed">截止揭榜`}, {"closed", "已截止", ""}} {
		if resp, body := o.post(list+"/status", url.Values{"to": {step.to}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d: %.300s", step.to, resp.StatusCode, body)
		}
		_, body := o.get(list)
		if !strings.Contains(body, `<span id="list-status">`+step.label+`</span>`) {
			t.Errorf("after %s the list does not say %s", step.to, step.label)
		}
		if step.next != "" && !strings.Contains(body, step.next) {
			t.Errorf("after %s no %s", step.to, step.next)
		}
	}
	// Closed: no more challenges, no status buttons.
	if _, body := o.get(list); strings.Contains(body, `name="to"`) || strings.Contains(body, "添加揭榜项目") {
		t.Error("a closed list still offers a status change or new challenges")
	}
	if resp, body := o.post(list+"/status", url.Values{"to": {"published"}}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "不能变为") {
		t.Errorf("reopen: status %d, want 409 in Chinese", resp.StatusCode)
	}
}
