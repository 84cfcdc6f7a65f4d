package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/tabular"
)

// seedPipeline stores the demo brokers, events and pairings when the store
// holds the demo catalogue and no brokers or pairings yet.
func seedPipeline(ctx context.Context, db *bolt.DB) error {
	if _, err := db.Achievement(ctx, "demo-a-000001"); err != nil {
		return nil // not the demo catalogue
	}
	brokers, err := db.ListBrokers(ctx)
	if err != nil {
		return err
	}
	ps, err := db.ListPairings(ctx, data.PairingFilter{})
	if err != nil || len(brokers) > 0 || len(ps) > 0 {
		return err
	}
	start := time.Now()
	p := demo.GeneratePipeline()
	by := data.Actor{TokenID: "demo", Role: data.RoleAdmin}
	for i := range p.Brokers {
		if _, err := db.PutBroker(ctx, &p.Brokers[i], by); err != nil {
			return err
		}
	}
	for i := range p.Events {
		if _, err := db.Event(ctx, p.Events[i].ID); err == nil {
			continue
		}
		if err := db.PutEvent(ctx, &p.Events[i]); err != nil {
			return err
		}
	}
	if err := db.ImportPairings(ctx, p.Pairings, by); err != nil {
		return err
	}
	if err := seedChallenges(ctx, db, by); err != nil {
		return fmt.Errorf("seed demo challenges: %w", err)
	}
	slog.Info("demo pairings stored", "brokers", len(p.Brokers), "events", len(p.Events), "pairings", len(p.Pairings),
		"seconds", time.Since(start).Seconds())
	return nil
}

// seedChallenges stores the demo 揭榜挂帅 lists, challenges, applications
// and reviews, and awards the first challenge of the closed list.
func seedChallenges(ctx context.Context, db *bolt.DB, by data.Actor) error {
	c := demo.GenerateChallenges()
	for i := range c.Lists {
		if _, err := db.PutChallengeList(ctx, &c.Lists[i], by); err != nil {
			return err
		}
	}
	for i := range c.Challenges {
		if err := db.PutChallenge(ctx, &c.Challenges[i], by); err != nil {
			return err
		}
	}
	for i := range c.Applications {
		if _, err := db.PutApplication(ctx, &c.Applications[i], by); err != nil {
			return err
		}
	}
	for i := range c.Reviews {
		if err := db.PutReview(ctx, &c.Reviews[i], data.Actor{TokenID: c.Reviews[i].Reviewer, Role: data.RoleOrganiser}); err != nil {
			return err
		}
	}
	app, err := db.Application(ctx, c.AwardApplication)
	if err != nil {
		return err
	}
	ch := c.Challenges[0]
	d, err := db.Demand(ctx, ch.DemandID)
	if err != nil {
		return err
	}
	a, err := db.Achievement(ctx, app.AchievementIDs[0])
	if err != nil {
		return err
	}
	p := &data.Pairing{DemandID: d.ID, AchievementID: a.ID, Source: data.SourceChallenge, Field: d.Field, Region: d.Region,
		DemandTitle: d.Title, AchievementTitle: a.Title}
	if _, err := db.Award(ctx, app.ID, p, by); err != nil {
		return err
	}
	_, err = db.UpdateChallengeList(ctx, ch.ListID, by, func(l *data.ChallengeList) error { return l.SetStatus(data.ListAwarded) })
	return err
}

// runPairings implements `techmatch pairings export|report`.
func runPairings(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const help = "用法：techmatch pairings export --data DIR --format xlsx|csv [--out 文件]\n      techmatch pairings report --data DIR [--year 2026]"
	if len(args) == 0 || args[0] != "export" && args[0] != "report" {
		fmt.Fprintln(stderr, help)
		return errSilent
	}
	fs, dir := newFlags("pairings "+args[0], stderr)
	formatFlag := fs.String("format", "xlsx", "导出格式：xlsx 或 csv")
	out := fs.String("out", "", "输出文件（默认标准输出）")
	year := fs.Int("year", time.Now().Year(), "报告年份")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openStore(ctx, *dir)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExpirePairings(ctx, time.Now()); err != nil {
		return err
	}
	ps, err := db.ListPairings(ctx, data.PairingFilter{})
	if err != nil {
		return err
	}
	if args[0] == "report" {
		events, err := db.ListEvents(ctx)
		if err != nil {
			return err
		}
		return printReport(stdout, data.Report(*year, ps, events))
	}
	format, err := tabular.ParseFormat(*formatFlag)
	if err != nil || format == tabular.FormatJSONL {
		return data.Errorf(data.EINVALID, "不支持的导出格式“%s”：应为 xlsx 或 csv", *formatFlag)
	}
	if format == tabular.FormatXLSX && *out == "" && isTerminal(stdout) {
		return data.Errorf(data.EINVALID, "XLSX 是二进制文件，请用 --out 指定输出文件")
	}
	brokers, err := db.ListBrokers(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, b := range brokers {
		names[b.ID] = b.Name
	}
	rows, total := data.Funnel(ps, data.FunnelOptions{GroupBy: "month"})
	sheets := []tabular.Sheet{
		tabular.PairingsSheet(ps, func(id string) string { return names[id] + "（" + id + "）" }),
		tabular.FunnelSheet("月份", rows, total),
	}
	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return fmt.Errorf("create %s: %w", *out, err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	if err := tabular.WriteSheets(bw, format, sheets); err != nil {
		return fmt.Errorf("export pairings: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "已导出 %d 条对接到 %s\n", len(ps), *out)
	}
	return nil
}

// printReport prints the yearly report as a table, then as JSON.
func printReport(w io.Writer, r data.YearReport) error {
	fmt.Fprintf(w, "%d 年度对接报告\n", r.Year)
	line := func(name string, f data.ReportFigures) {
		fmt.Fprintf(w, "%-14s 活动 %3d  路演成果 %4d  签约对接 %3d  解决需求 %3d  合同金额 %s 万元\n",
			name, f.EventsHeld, f.AchievementsPresented, f.PairingsSigned, f.DemandsSolved, strconv.FormatFloat(f.ContractAmountWan, 'f', -1, 64))
	}
	line("全省", r.ReportFigures)
	for _, c := range r.Cities {
		line(c.City, c.ReportFigures)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
