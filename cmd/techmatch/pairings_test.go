package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/tabular"
)

func TestPairingsExportAndReport(t *testing.T) {
	dir := t.TempDir()
	db, err := openStore(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	ps := []data.Pairing{
		{ID: "p1", DemandID: "d1", AchievementID: "a1", Source: data.SourceMatch, Status: data.StatusSigned, Created: day,
			Region: data.Region{Province: "吉林省", City: "长春市", County: "朝阳区"}, DemandTitle: "=秸秆需求",
			History:  []data.HistoryEntry{{To: data.StatusRecommended, At: day}, {From: data.StatusRecommended, To: data.StatusSigned, At: day.AddDate(0, 0, 30)}},
			Contract: &data.Contract{Number: "2026220100000001", Type: "技术开发", AmountWan: 88, SignedOn: "2026-03-03"}},
		{ID: "p2", DemandID: "d2", AchievementID: "a2", Source: data.SourceSalon, Status: data.StatusRequested, Created: day,
			Region: data.Region{Province: "吉林省", City: "吉林市"}},
	}
	if err := db.ImportPairings(context.Background(), ps, data.Actor{TokenID: "test"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	out := filepath.Join(t.TempDir(), "pairings.xlsx")
	if _, _, err := runCmd(t, "pairings", "export", "--data", dir, "--format", "xlsx", "--out", out); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets, err := tabular.ReadXLSXSheets(f)
	if err != nil {
		t.Fatal(err)
	}
	ledger := sheets[tabular.SheetPairings]
	if len(ledger) != 3 || ledger[1][0] != "p1" || ledger[1][1] != "已签约" || ledger[2][1] != "已发起" {
		t.Fatalf("ledger %v", ledger)
	}
	if len(sheets[tabular.SheetFunnel]) != 3 { // header, 2026-02, total
		t.Fatalf("funnel sheet %v", sheets[tabular.SheetFunnel])
	}
	csv, _, err := runCmd(t, "pairings", "export", "--data", dir, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv, "'=秸秆需求") || !strings.Contains(csv, "2026220100000001") {
		t.Fatalf("csv: %s", csv)
	}
	rep, _, err := runCmd(t, "pairings", "report", "--data", dir, "--year", "2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep, `"pairings_signed": 1`) || !strings.Contains(rep, `"contract_amount_wan": 88`) {
		t.Fatalf("report: %s", rep)
	}
	if _, _, err := runCmd(t, "pairings", "export", "--data", dir, "--format", "jsonl"); err == nil {
		t.Fatal("jsonl accepted")
	}
}

func TestSeedChallenges(t *testing.T) {
	ctx := context.Background()
	db, err := openStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := demo.GenerateChallenges()
	// The records the demo challenges use.
	var dems []data.Demand
	var achs []data.Achievement
	for _, d := range demo.Demands() {
		for _, ch := range c.Challenges {
			if ch.DemandID == d.ID {
				dems = append(dems, d)
			}
		}
	}
	need := map[string]bool{}
	for _, a := range c.Applications {
		for _, id := range a.AchievementIDs {
			need[id] = true
		}
	}
	for _, a := range demo.Achievements() {
		if need[a.ID] {
			achs = append(achs, a)
		}
	}
	if _, err := db.PutDemands(ctx, dems); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		t.Fatal(err)
	}
	if err := seedChallenges(ctx, db, data.Actor{TokenID: "demo"}); err != nil {
		t.Fatal(err)
	}
	pledge, err := db.Pledge(ctx, c.Challenges[0].ID, c.AwardApplication)
	if err != nil || len(pledge.Milestones) != 3 || !pledge.Milestones[0].Overdue("2026-12-01") {
		t.Fatalf("pledge %+v %v", pledge, err)
	}
	l, _ := db.ChallengeList(ctx, c.Lists[0].ID)
	p, _ := db.Pairing(ctx, pledge.PairingID)
	if l.Status != data.ListAwarded || p == nil || p.Source != data.SourceChallenge {
		t.Fatalf("list %s, pairing %+v", l.Status, p)
	}
}
