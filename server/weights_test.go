package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

func TestWeightsVersions(t *testing.T) {
	ts, did := feedbackServer(t)
	ctx := context.Background()
	// A version that weighs only the title, so the matches' scores show
	// which weights are in use.
	w := matcher.Weights{Version: "title-only", Signals: map[string]float64{matcher.SignalTitle: 1}}
	b, err := w.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.PutWeightsVersion(ctx, &data.WeightsVersion{Version: "title-only", Weights: b, Source: "测试",
		Check: map[string]float64{"held_ndcg@10_new": 0.5}}, data.Actor{TokenID: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := ts.db.PutWeightsVersion(ctx, &data.WeightsVersion{Version: "title-only", Weights: b}, data.Actor{TokenID: "test"}); data.ErrorCode(err) != data.ECONFLICT {
		t.Errorf("same version twice: %v", err)
	}
	type state struct {
		Active struct {
			Version string             `json:"version"`
			Source  string             `json:"source"`
			Check   map[string]float64 `json:"check"`
		} `json:"active"`
		InUse    string                `json:"in_use"`
		Versions []data.WeightsVersion `json:"versions"`
	}
	scores := func() []float64 {
		var l matchList
		if code := ts.do("GET", "/api/v1/demands/"+did+"/matches", "", "", &l); code != 200 {
			t.Fatalf("matches: %d", code)
		}
		var out []float64
		for _, m := range l.Matches {
			out = append(out, m.Score)
		}
		return out
	}
	def := matcher.DefaultWeights().Version
	before := scores()

	var st state
	if code := ts.do("GET", "/api/v1/matcher", "", "", &st); code != 200 || st.Active.Version != def || st.InUse != def || len(st.Versions) != 1 {
		t.Fatalf("initial: %d %+v", code, st)
	}
	tests := []struct {
		name    string
		role    data.Role
		body    string
		status  int
		version string // active afterwards
	}{
		{"broker may not", data.RoleBroker, `{"version":"title-only"}`, 403, def},
		{"unknown version", data.RoleAdmin, `{"version":"nope"}`, 404, def},
		{"no version", data.RoleAdmin, `{}`, 400, def},
		{"activate", data.RoleAdmin, `{"version":"title-only"}`, 200, "title-only"},
		{"roll back", data.RoleAdmin, `{"version":"default"}`, 200, def},
		{"activate again", data.RoleAdmin, `{"version":"title-only"}`, 200, "title-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code := ts.do("PUT", "/api/v1/matcher", tt.role, tt.body, nil); code != tt.status {
				t.Fatalf("status %d, want %d", code, tt.status)
			}
			var st state
			ts.do("GET", "/api/v1/matcher", "", "", &st)
			if st.Active.Version != tt.version || st.InUse != tt.version {
				t.Fatalf("active %q in use %q, want %q", st.Active.Version, st.InUse, tt.version)
			}
			if tt.version == "title-only" && (st.Active.Source != "测试" || st.Active.Check["held_ndcg@10_new"] != 0.5) {
				t.Errorf("active version lacks its origin or checks: %+v", st.Active)
			}
		})
	}
	if after := scores(); fmt.Sprint(after) == fmt.Sprint(before) {
		t.Errorf("scores unchanged by the title-only weights: %v", after)
	}
	audit, err := ts.db.Audit(ctx, data.AuditQuery{Action: data.AuditWeightsActivate})
	if err != nil || len(audit) != 3 {
		t.Errorf("activation audit entries %d (%v), want 3", len(audit), err)
	}
}
