package server_test

import (
	"strings"
	"testing"
)

// An event that pairings came from is kept: deleting it is a 409 that says
// why; an event without pairings is deleted.
func TestDeleteEventKeepsOneWithPairings(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	if code, body := f.do("POST", "/api/v1/pairings", asAdmin, `{"demand_id":"d2","achievement_id":"a2","source":"roadshow","event_id":"e1"}`, nil); code != 201 {
		t.Fatalf("create pairing: %d %s", code, body)
	}
	code, body := f.do("DELETE", "/api/v1/events/e1", asAdmin, "", nil)
	if code != 409 || !strings.Contains(body, "不能删除") {
		t.Fatalf("delete an event with pairings: %d %s, want 409 with a Chinese reason", code, body)
	}
	if code, body := f.do("GET", "/api/v1/events/e1", asAdmin, "", nil); code != 200 {
		t.Fatalf("the event is gone after a refused delete: %d %s", code, body)
	}
	if code, body := f.do("DELETE", "/api/v1/events/e2", asAdmin, "", nil); code != 200 || !strings.Contains(body, `"deleted":"e2"`) {
		t.Fatalf("delete an event without pairings: %d %s, want 200 naming it", code, body)
	}
}

// The printable 榜单 lists every project of a published list; a draft is
// not shown without a planner's token.
func TestChallengeListPage(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	code, body := f.do("GET", "/api/v1/challenge-lists/cl1/list.html", "", "", nil)
	if code != 200 || !strings.Contains(body, "揭榜奖励") || !strings.Contains(body, "text/html") {
		t.Fatalf("published list page: %d %s", code, body)
	}
	if code, body := f.do("GET", "/api/v1/challenge-lists/cl-draft/list.html", "", "", nil); code != 404 {
		t.Fatalf("draft list page without a token: %d %s, want 404", code, body)
	}
}
