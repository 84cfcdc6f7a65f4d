package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var candRe = regexp.MustCompile(`<h3><a href="/(?:achievements|demands)/([^"]+)">`)

// candidates are the ids of a record page's ranked matches, in order.
// movedUp is the matcher's sentence on a candidate lifted by its likeness
// to a record marked relevant: it names that record.
var movedUp = regexp.MustCompile(`与您标记为相关的成果“[^”]+”相似，已上调`)

func candidates(page string) []string {
	var ids []string
	for _, m := range candRe.FindAllStringSubmatch(page, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// apiMatches are the ids of the API's match list of a record for who,
// with the verdicts the API gives.
func apiMatches(t *testing.T, c *client, who, path string) (ids []string, verdicts map[string]string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+"/api/v1"+path+"/matches?limit=10", nil)
	req.Header.Set("Authorization", "Bearer "+sharedFixture(t).tokens[who])
	resp, body := c.do(req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("API matches of %s: status %d: %.300s", path, resp.StatusCode, body)
	}
	var out struct {
		Matches []struct {
			Achievement *struct{ ID string } `json:"achievement"`
			Demand      *struct{ ID string } `json:"demand"`
			Verdict     string               `json:"verdict"`
		} `json:"matches"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	verdicts = map[string]string{}
	for _, m := range out.Matches {
		id := ""
		if m.Achievement != nil {
			id = m.Achievement.ID
		} else if m.Demand != nil {
			id = m.Demand.ID
		}
		ids = append(ids, id)
		if m.Verdict != "" {
			verdicts[id] = m.Verdict
		}
	}
	return ids, verdicts
}

// TestFeedbackButtons: 相关 / 不相关 show to brokers, admins and the
// record's owner only (the API's rule); a verdict re-ranks the page
// exactly as the API's match list, marks the judged candidates and says
// why the others moved.
func TestFeedbackButtons(t *testing.T) {
	f := sharedFixture(t)
	own := "/demands/" + f.ownDemand
	for _, tc := range []struct {
		who     string
		buttons bool
		post    int
	}{
		{"", false, http.StatusUnauthorized},
		{"other", false, http.StatusForbidden},
		{"organiser", false, http.StatusForbidden},
		{"broker", true, 0},
		{"admin", true, 0},
		{"enterprise", true, 0},
	} {
		c := signIn(t, tc.who)
		_, page := c.get(own)
		if got := strings.Contains(page, `class="inline judgeform"`); got != tc.buttons {
			t.Errorf("%q sees the feedback buttons: %v, want %v", tc.who, got, tc.buttons)
		}
		if tc.post == 0 {
			continue
		}
		cands := candidates(page)
		if len(cands) == 0 {
			t.Fatal("the demand has no candidates")
		}
		c.get("/login") // a page with a form: the CSRF token
		resp, body := c.post(own+"/feedback", url.Values{"candidate": {cands[0]}, "verdict": {"relevant"}})
		if resp.StatusCode != tc.post {
			t.Errorf("%q posts a verdict: status %d, want %d: %.200s", tc.who, resp.StatusCode, tc.post, body)
		}
	}

	// The owner marks the second candidate relevant and the first not.
	c := signIn(t, "enterprise")
	_, page := c.get(own)
	before := candidates(page)
	if len(before) < 3 {
		t.Fatalf("%d candidates, want at least 3", len(before))
	}
	for _, v := range []struct{ cand, verdict string }{{before[1], "relevant"}, {before[0], "not_relevant"}} {
		resp, body := c.post(own+"/feedback", url.Values{"candidate": {v.cand}, "verdict": {v.verdict}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != own+"?judged=1#matches" {
			t.Fatalf("verdict %s: status %d location %q: %.300s", v.verdict, resp.StatusCode, loc, body)
		}
	}
	_, page = c.get(own + "?judged=1")
	after := candidates(page)
	want, verdicts := apiMatches(t, c, "enterprise", own)
	if len(after) < len(want) || !slices.Equal(after[:len(want)], want) {
		t.Fatalf("after the verdicts the page ranks %v, the API %v", after, want)
	}
	// Candidates the feedback moved below the API's list are shown after
	// it, each with its verdict.
	for _, id := range after[len(want):] {
		if id != before[0] && id != before[1] {
			t.Errorf("%s is listed below the matches but was not judged", id)
		}
	}
	if len(after) > len(want) && !strings.Contains(page, `id="below"`) {
		t.Error("no heading over the judged candidates ranked below the list")
	}
	if slices.Equal(after, before) {
		t.Errorf("the verdicts did not change the order %v", before)
	}
	if verdicts[before[1]] != "relevant" {
		t.Errorf("the API's verdicts %v: want %s relevant", verdicts, before[1])
	}
	for _, want := range []string{"已记录您的评判", "已评判：相关", "已评判：不相关", `value="relevant" class="rel" aria-pressed="true"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the re-ranked page lacks %q", want)
		}
	}
	if !movedUp.MatchString(page) {
		t.Errorf("the re-ranked page has no candidate moved up for its likeness to a record marked relevant (%s)", movedUp)
	}

	// A broker judges a demand on an achievement's page.
	b := signIn(t, "broker")
	ach := "/achievements/" + f.achievement
	_, page = b.get(ach)
	dems := candidates(page)
	if len(dems) == 0 {
		t.Fatal("the achievement has no candidate demands")
	}
	if resp, body := b.post(ach+"/feedback", url.Values{"candidate": {dems[0]}, "verdict": {"not_relevant"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("broker's verdict: status %d: %.300s", resp.StatusCode, body)
	}
	_, page = b.get(ach)
	if want, _ := apiMatches(t, b, "broker", ach); !slices.Equal(candidates(page)[:len(want)], want) {
		t.Errorf("the achievement page ranks %v, the API %v", candidates(page), want)
	}
	if !strings.Contains(page, "已评判：不相关") {
		t.Error("the achievement page does not mark the demand judged not relevant")
	}
	// Bad input: a verdict the API does not know, a candidate that is not there.
	for _, form := range []url.Values{{"candidate": {dems[0]}, "verdict": {"maybe"}}, {"candidate": {"no-such"}, "verdict": {"relevant"}}} {
		if resp, _ := b.post(ach+"/feedback", form); resp.StatusCode/100 != 4 {
			t.Errorf("%v: status %d, want 4xx", form, resp.StatusCode)
		}
	}
}
