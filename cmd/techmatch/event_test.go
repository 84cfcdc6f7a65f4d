package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/tabular"
)

// eventDataDir is a data directory with a small catalogue, a roadshow with
// four registered enterprises and a salon with three scientists and three
// enterprises.
func eventDataDir(tb testing.TB) (dir, roadshow, salon string) {
	tb.Helper()
	ctx := context.Background()
	dir = tb.TempDir()
	db, err := openStore(ctx, dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	topics := []struct{ title, kw, field, inst string }{
		{"高镍三元正极材料制备技术", "正极材料", "新材料", "吉林大学"},
		{"玉米秸秆生物质颗粒燃料成型技术", "秸秆燃料", "新能源与节能", "吉林农业大学"},
		{"人参皂苷高效提取纯化工艺", "人参皂苷", "生物与新医药", "长春中医药大学"},
		{"焊接机器人视觉定位系统", "机器视觉", "先进制造与自动化", "长春理工大学"},
		{"稀土发光材料低温合成方法", "稀土发光", "新材料", "中国科学院长春应用化学研究所"},
		{"汽车轻量化铝合金压铸工艺", "铝合金压铸", "先进制造与自动化", "吉林大学"},
	}
	var achs []data.Achievement
	var dems []data.Demand
	for i, tp := range topics {
		achs = append(achs, data.Achievement{ID: fmt.Sprintf("a%d", i+1), Title: tp.title, Keywords: []string{tp.kw}, Field: tp.field,
			Institution: tp.inst, Abstract: tp.title + "，已完成中试。", Inventors: []data.Inventor{{Name: fmt.Sprintf("李%d", i+1), Title: "教授"}}})
		dems = append(dems, data.Demand{ID: fmt.Sprintf("d%d", i+1), Title: "寻求" + tp.kw + "技术合作", Keywords: []string{tp.kw},
			Field: tp.field, Enterprise: data.Enterprise{Name: fmt.Sprintf("吉林省%d号科技有限公司", i+1)}})
	}
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.PutDemands(ctx, dems); err != nil {
		tb.Fatal(err)
	}
	road := &data.Event{Type: data.EventRoadshow, Title: "新材料与先进制造成果路演", Theme: "材料 制造", Slots: 3, Date: "2025-06-18"}
	sal := &data.Event{Type: data.EventSalon, Title: "双千工程沙龙", TimeSlots: 3, Tables: 2}
	for _, e := range []*data.Event{road, sal} {
		if err := db.PutEvent(ctx, e); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 1; i <= 4; i++ {
		r := &data.Registration{EventID: road.ID, Kind: data.RegEnterprise, Name: dems[i-1].Enterprise.Name, DemandIDs: []string{dems[i-1].ID}}
		if err := db.PutRegistration(ctx, r); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		for _, r := range []*data.Registration{
			{EventID: sal.ID, Kind: data.RegScientist, Name: achs[i-1].Inventors[0].Name, AchievementIDs: []string{achs[i-1].ID}},
			{EventID: sal.ID, Kind: data.RegEnterprise, Name: dems[i-1].Enterprise.Name, DemandIDs: []string{dems[i-1].ID}},
		} {
			if err := db.PutRegistration(ctx, r); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return dir, road.ID, sal.ID
}

func runEventCmd(tb testing.TB, args ...string) (string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := runEvent(context.Background(), args, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestEventCommands(t *testing.T) {
	dir, road, salon := eventDataDir(t)
	files := t.TempDir()

	xlsx := filepath.Join(files, "议程.xlsx")
	out, err := runEventCmd(t, "lineup", "--data", dir, "--event", road, "--max-per-institution", "1", "--pool", "catalogue", "--out", xlsx)
	if err != nil {
		t.Fatalf("event lineup: %v\n%s", err, out)
	}
	if !strings.Contains(out, "路演议程") || !strings.Contains(out, "已写入") {
		t.Fatalf("output:\n%s", out)
	}
	f, err := os.Open(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	sheets, err := tabular.ReadXLSXSheets(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	prog := sheets[event.SheetLineup]
	if len(prog) != 4 || prog[0][2] != "成果名称" {
		t.Fatalf("programme sheet = %v", prog)
	}
	insts := map[string]bool{}
	for _, row := range prog[1:] {
		if insts[row[3]] {
			t.Fatalf("two picks from %s despite --max-per-institution 1: %v", row[3], prog)
		}
		insts[row[3]] = true
	}

	// The saved lineup exports as a booklet without re-running.
	html := filepath.Join(files, "路演手册.html")
	if out, err := runEventCmd(t, "lineup", "--data", dir, "--event", road, "--saved", "--out", html); err != nil {
		t.Fatalf("event lineup --saved: %v\n%s", err, out)
	}
	b, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(b), "路演手册") || !strings.Contains(string(b), prog[1][2]) {
		t.Fatalf("booklet: %v\n%s", err, b)
	}

	csvPath := filepath.Join(files, "日程.csv")
	out, err = runEventCmd(t, "schedule", "--data", dir, "--event", salon, "--max-meetings", "2", "--out", csvPath)
	if err != nil {
		t.Fatalf("event schedule: %v\n%s", err, out)
	}
	b, err = os.ReadFile(csvPath)
	if err != nil || !bytes.HasPrefix(b, []byte("\uFEFF时段,时间,桌号")) {
		t.Fatalf("schedule csv: %v\n%s", err, b)
	}

	out, err = runEventCmd(t, "list", "--data", dir)
	if err != nil || !strings.Contains(out, road) || !strings.Contains(out, "路演议程") || !strings.Contains(out, "洽谈日程") {
		t.Fatalf("event list: %v\n%s", err, out)
	}

	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no event", []string{"lineup", "--data", dir}, "--event"},
		{"bad extension", []string{"lineup", "--data", dir, "--event", road, "--out", "x.pdf"}, ".xlsx"},
		{"schedule as pdf", []string{"schedule", "--data", dir, "--event", salon, "--out", "x.pdf"}, ".xlsx"},
		{"missing event", []string{"lineup", "--data", dir, "--event", "nope"}, "不存在"},
		{"bad lock", []string{"schedule", "--data", dir, "--event", salon, "--lock", "1:2"}, "时段:桌号"},
		{"unknown subcommand", []string{"party"}, "未知"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runEventCmd(t, tt.args...)
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			if msg := out + data.ErrorMessageOrText(err); !strings.Contains(msg, tt.want) {
				t.Fatalf("message lacks %q: %s", tt.want, msg)
			}
		})
	}
	if _, err := runEventCmd(t); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("no arguments: %v", err)
	}
}
