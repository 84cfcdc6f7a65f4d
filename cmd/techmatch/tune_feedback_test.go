package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

// TestTuneFeedback fits weights from verdicts stored in a data directory:
// six demands, each with judged achievements, and the command either
// writes weights or refuses them, saying what the fifth kept aside scored.
func TestTuneFeedback(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := openStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	topics := []string{"奶牛挤奶", "玉米秸秆", "锂电池", "光伏组件", "污水处理", "汽车零部件"}
	var achs []data.Achievement
	var dems []data.Demand
	for i, tp := range topics {
		dems = append(dems, data.Demand{ID: fmt.Sprintf("d%d", i), Title: tp + "技术需求", Description: "企业需要" + tp + "方面的新技术"})
		for j := 0; j < 4; j++ {
			achs = append(achs, data.Achievement{ID: fmt.Sprintf("a%d-%d", i, j), Title: fmt.Sprintf("%s新方法第%d号", tp, j)})
		}
	}
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutDemands(ctx, dems); err != nil {
		t.Fatal(err)
	}
	for i := range topics {
		for j := 0; j < 4; j++ {
			v := data.VerdictNotRelevant
			if j < 2 {
				v = data.VerdictRelevant
			}
			fb := &data.Feedback{DemandID: fmt.Sprintf("d%d", i), AchievementID: fmt.Sprintf("a%d-%d", (i+j%2)%len(topics), j),
				Verdict: v, Side: data.SideDemand, By: data.Actor{TokenID: "tok-test", Role: data.RoleBroker}}
			if err := db.PutFeedback(ctx, fb); err != nil {
				t.Fatal(err)
			}
		}
	}
	db.Close()
	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"tune", "--feedback", "--data", dir, "--folds", "1"}, &stdout, &stderr)
	t.Log(stderr.String())
	if !strings.Contains(stderr.String(), "留出 1 个检验") {
		t.Fatalf("no hold-out report: %q (err %v)", stderr.String(), err)
	}
	if err != nil {
		if data.ErrorCode(err) != data.EPRECONDITION {
			t.Fatalf("tune --feedback: %v", err)
		}
		return // refused: the guard said why
	}
	w, err := matcher.ParseWeights(stdout.Bytes())
	if err != nil || !strings.Contains(w.Note, "tune --feedback") {
		t.Fatalf("weights %q: %v", stdout.String(), err)
	}
	db, err = openStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	vs, err := db.WeightsVersions(ctx)
	if err != nil || len(vs) != 1 || vs[0].Version != w.Version || vs[0].Check["held"] != 1 {
		t.Errorf("stored versions %+v (%v)", vs, err)
	}
	if a, err := db.ActiveWeights(ctx); err != nil || a != nil {
		t.Errorf("the fit was activated: %+v %v", a, err)
	}
}
