package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// goWording is text of Go's encoding/json or type names that must never
// reach a person.
var goWording = regexp.MustCompile(`json:|Go struct|Go value|unmarshal|invalid character|\bstring\b|\bint\b|float64|\[\]`)

// TestBodyErrorsInChinese: every kind of bad body on routes decoded
// strictly (pairings, events, challenges, feedback) and on records answers
// 400 in Chinese without Go's wording, naming the field where there is one.
func TestBodyErrorsInChinese(t *testing.T) {
	f := newPairingFixture(t, fixtureOptions{})
	for _, tc := range []struct {
		name, method, path, who, body string
		field, contains               string
	}{
		{"unknown field", "POST", "/api/v1/pairings", asEnterpriseE1, `{"demand_id":"d1","achievement_id":"a2","note":"x"}`, "note", "不认识字段 note"},
		{"wrong type", "POST", "/api/v1/pairings", asEnterpriseE1, `{"demand_id":["d1"],"achievement_id":"a2"}`, "demand_id", "demand_id 应为文字"},
		{"nested wrong type", "POST", "/api/v1/challenges/ch1/applications", asScientistS1, `{"team":{"name":"t","leader":{"name":5}}}`, "team.leader.name", "team.leader.name 应为文字"},
		{"number as text", "POST", "/api/v1/events/e1/lineup", asOrganiser, `{"slots":"三"}`, "slots", "slots 应为整数"},
		{"truncated", "POST", "/api/v1/events", asOrganiser, `{"type":"salon","title":"沙龙"`, "", "结尾处中断"},
		{"syntax", "POST", "/api/v1/brokers", asAdmin, `{"name":'王'}`, "", "第 9 字节附近有语法错误"},
		{"not an object", "PUT", "/api/v1/pairings/x/broker", asAdmin, `["b1"]`, "", "应为一个指派经纪人 JSON 对象"},
		{"invalid UTF-8", "POST", "/api/v1/demands/d1/feedback", asEnterpriseE1, "{\"note\":\"\xff\"}", "", "无效的 UTF-8"},
		{"trailing data", "POST", "/api/v1/challenge-lists", asOrganiser, `{"title":"榜"} {}`, "", "多余内容"},
		{"record wrong type", "POST", "/api/v1/demands", asEnterpriseE1, `{"title":"t","budget_wan":{"max":"很多"}}`, "budget_wan.max", "budget_wan.max 应为数字"},
		{"record not JSON", "POST", "/api/v1/achievements", asScientistS1, `{"title":}`, "", "语法错误"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := f.do(tc.method, tc.path, tc.who, tc.body, nil)
			var e errorJSON
			if code != 400 || json.Unmarshal([]byte(jsonTail(body)), &e) != nil {
				t.Fatalf("%d %s, want 400 with the error JSON", code, body)
			}
			if m := e.Error.Message; goWording.MatchString(m) || !regexp.MustCompile(regexp.QuoteMeta(tc.contains)).MatchString(m) {
				t.Errorf("message %q: want Chinese containing %q, no Go wording", m, tc.contains)
			}
			if tc.field != "" && (len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != tc.field || goWording.MatchString(e.Error.Fields[0].Message)) {
				t.Errorf("fields %+v, want one naming %s", e.Error.Fields, tc.field)
			}
		})
	}
}

// jsonTail is the JSON body at the end of what pairingFixture.do returns
// (headers first).
func jsonTail(s string) string {
	s = strings.TrimRight(s, "\n")
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

// TestErrorJSONReadable: the error JSON keeps < and > as they are.
func TestErrorJSONReadable(t *testing.T) {
	ts := newTestServer(t)
	req := httptest.NewRequest("GET", "/api/v1/audit", nil)
	req.Header.Set("Authorization", "Basic x")
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, req)
	if w.Code != 401 || !strings.Contains(w.Body.String(), "Bearer <令牌>") || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
}
