package server_test

import (
	"strings"
	"testing"
)

func TestScientistOwnsItsAchievements(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	var a map[string]any
	// The institution comes from the token.
	if code, body := f.do("POST", "/api/v1/achievements", asScientistS1, `{"id":"a9","title":"玉米秸秆青贮技术"}`, &a); code != 201 || a["institution"] != fixtureInstitution {
		t.Fatalf("create: %d %s", code, body)
	}
	for _, tt := range []struct {
		name, method, path, who, body string
		status                        int
	}{
		{"other institution", "POST", "/api/v1/achievements", asScientistS1, `{"title":"x","institution":"东北师范大学"}`, 403},
		{"no demands", "POST", "/api/v1/demands", asScientistS1, `{"title":"x"}`, 403},
		{"other scientist's achievement", "PUT", "/api/v1/achievements/a9", asScientistS2, `{"title":"改"}`, 403},
		{"other scientist deletes", "DELETE", "/api/v1/achievements/a9", asScientistS2, ``, 403},
		{"own achievement", "PUT", "/api/v1/achievements/a9", asScientistS1, `{"title":"玉米秸秆青贮技术（二）"}`, 200},
		{"pairing for another's achievement", "POST", "/api/v1/pairings", asScientistS2, `{"demand_id":"d2","achievement_id":"a1"}`, 403},
		{"pairing for own achievement", "POST", "/api/v1/pairings", asScientistS1, `{"demand_id":"d2","achievement_id":"a9"}`, 201},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := f.do(tt.method, tt.path, tt.who, tt.body, nil); code != tt.status {
				t.Fatalf("%d, want %d: %s", code, tt.status, body)
			}
		})
	}
}

func TestPostWarnsOfContactInPublicText(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	var out struct {
		Warnings []struct{ Field, Message string } `json:"warnings"`
	}
	code, body := f.do("POST", "/api/v1/demands", asEnterpriseE1, `{"title":"秸秆利用","description":"详情请致电：0431-85551234"}`, &out)
	if code != 201 || len(out.Warnings) != 1 || out.Warnings[0].Field != "description" || !strings.Contains(out.Warnings[0].Message, "电话或邮箱") {
		t.Fatalf("%d %s", code, body)
	}
	out.Warnings = nil
	if code, body := f.do("POST", "/api/v1/demands", asEnterpriseE1, `{"title":"秸秆利用二","contact":{"phone":"0431-85551234"}}`, &out); code != 201 || len(out.Warnings) != 0 {
		t.Fatalf("contact field warned: %d %s", code, body)
	}
}
