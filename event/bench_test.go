package event_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
)

// BenchmarkSalonOnDemoCatalogue schedules a salon of 40 enterprises and 40
// scientists over 8 slots × 10 tables with at least one meeting each, on
// the demo catalogue with the real matcher: every scientist–enterprise
// pair scored by ScorePair, the fair b-matching, slots and tables. It
// reports the fairness figures (min, median, max meetings per registrant)
// and fails if anyone with an acceptable partner has none. The setup
// (storing the catalogue, the matcher's model) is not timed.
//
//	go test ./event -run '^$' -bench SalonOnDemoCatalogue -benchtime 5x
func BenchmarkSalonOnDemoCatalogue(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	achs, dems := demo.Achievements(), demo.Demands()
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		b.Fatal(err)
	}
	if _, err := db.PutDemands(ctx, dems); err != nil {
		b.Fatal(err)
	}
	// The matcher needs the index's analyzer, not its contents: pairs are
	// scored directly.
	ix, err := index.Open(ctx, filepath.Join(dir, "index"), db, index.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix}
	if err := m.Refresh(ctx); err != nil {
		b.Fatal(err)
	}

	// 40 demands of distinct enterprises in four related fields, and for
	// each a scientist with one or two achievements of the same field.
	focus := []string{"新材料", "新能源与节能", "先进制造与自动化", "资源与环境"}
	ev := &data.Event{Type: data.EventSalon, Title: "双千工程科学家企业家交流分享沙龙", TimeSlots: 8, Tables: 10}
	if err := db.PutEvent(ctx, ev); err != nil {
		b.Fatal(err)
	}
	seen := map[string]bool{}
	var picked []data.Demand
	for _, d := range dems {
		if slices.Contains(focus, d.Field) && !seen[d.Enterprise.Name] && len(picked) < 40 {
			seen[d.Enterprise.Name] = true
			picked = append(picked, d)
		}
	}
	byField := map[string][]string{}
	for _, a := range achs {
		if slices.Contains(focus, a.Field) && len(byField[a.Field]) < 200 {
			byField[a.Field] = append(byField[a.Field], a.ID)
		}
	}
	for j, d := range picked {
		regs := []*data.Registration{
			{EventID: ev.ID, Kind: data.RegEnterprise, Name: d.Enterprise.Name, DemandIDs: []string{d.ID}},
			{EventID: ev.ID, Kind: data.RegScientist, Name: "科学家", AchievementIDs: byField[d.Field][2*j : 2*j+1+j%2]},
		}
		for _, r := range regs {
			if err := db.PutRegistration(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	}
	if len(picked) != 40 {
		b.Fatalf("only %d demands in %v", len(picked), focus)
	}

	p := &event.Planner{Store: db, Events: db, Matcher: m}
	one, maxMeet := 1, 4
	var sc *event.Schedule
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	for b.Loop() {
		sc, err = p.BuildSchedule(ctx, event.Operator, ev.ID, event.ScheduleParams{MinMeetings: &one, MaxMeetings: &maxMeet})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano()+ru1.Stime.Nano()-ru0.Utime.Nano()-ru0.Stime.Nano()) * time.Nanosecond
	// CPU time per run: on a shared machine the wall clock counts others'
	// work too; the 2 s budget is for the 2-core target.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	for _, u := range sc.Unplaced {
		if u.Reason != "no_partner" && u.Reason != "avoided" {
			b.Errorf("unplaced although placeable: %+v", u)
		}
	}
	b.ReportMetric(float64(sc.Fairness.Min), "min-meetings")
	b.ReportMetric(sc.Fairness.Median, "median-meetings")
	b.ReportMetric(float64(sc.Fairness.Max), "max-meetings")
	b.ReportMetric(float64(len(sc.Meetings)), "meetings")
	b.Logf("%d meetings; fairness %+v; total %.3f, fair bound %.3f, upper bound %.3f; unplaced %d; warnings %v",
		len(sc.Meetings), sc.Fairness, sc.Total, sc.FairBound, sc.UpperBound, len(sc.Unplaced), sc.Warnings)
}
