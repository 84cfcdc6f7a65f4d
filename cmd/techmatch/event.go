package main

// techmatch event: roadshow lineups and salon schedules from the command
// line, the same as POST /api/v1/events/:id/lineup and …/schedule, written
// to files for organisers who prefer them.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/plan"
)

const eventUsage = `techmatch event 活动排期

用法：
  techmatch event list     --data DIR
  techmatch event lineup   --data DIR --event ID [--slots N] [--max-per-institution N] [--max-per-field N]
                           [--lock ID,ID] [--exclude ID,ID] [--allow-recent] [--recent-events N]
                           [--front-rows N] [--pool registered|catalogue|registered_first]
                           [--saved] [--out 议程.xlsx|.csv|.html|.json]
  techmatch event schedule --data DIR --event ID [--slots N] [--tables N] [--max-meetings N] [--min-meetings N]
                           [--lock 时段:桌号:科学家报名:企业报名 …] [--unlock] [--saved] [--out 日程.xlsx|.csv|.html|.json]

lineup 为路演排议程，schedule 为沙龙排一对一洽谈；结果保存在活动中（与 API 相同），
未给出的参数沿用上次排期。--saved 只导出已保存的结果，不重新排。
服务运行时数据文件被占用：请改用 API（POST /api/v1/events/ID/lineup）。
`

func runEvent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, eventUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "list":
		return runEventList(ctx, args[1:], stdout, stderr)
	case "lineup":
		return runEventLineup(ctx, args[1:], stdout, stderr)
	case "schedule":
		return runEventSchedule(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, eventUsage)
		return nil
	}
	fmt.Fprintf(stderr, "未知的 event 子命令 %q\n\n%s", args[0], eventUsage)
	return errSilent
}

// eventEnv is an open data directory: store, index and matcher.
type eventEnv struct {
	db      *bolt.DB
	ix      *index.Index
	planner *event.Planner
}

func openEventEnv(ctx context.Context, dir, weightsFile string, stderr io.Writer) (*eventEnv, error) {
	db, err := openStore(ctx, dir)
	if err != nil {
		return nil, err
	}
	ix, err := openIndex(ctx, dir, db, stderr)
	if err != nil {
		db.Close()
		return nil, err
	}
	m, err := newMatcher(db, ix, dir, weightsFile)
	if err != nil {
		ix.Close()
		db.Close()
		return nil, err
	}
	return &eventEnv{db: db, ix: ix, planner: &event.Planner{Store: db, Events: db, Search: ix, Matcher: m}}, nil
}

func (e *eventEnv) Close() error {
	err := e.ix.Close()
	if err2 := e.db.Close(); err == nil {
		err = err2
	}
	return err
}

// outFormat is the export format named by a file's extension.
func outFormat(path string, allowed ...string) (string, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	for _, f := range allowed {
		if ext == f {
			return ext, nil
		}
	}
	return "", data.Errorf(data.EINVALID, "无法从文件名 %q 判断导出格式：扩展名应为 .%s", path, strings.Join(allowed, "、."))
}

// writeOut writes a file through fn, removing it again if fn fails.
func writeOut(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// intFlags records which int flags were given, so that those left out keep
// the last run's values.
type intFlags struct {
	fs   *flag.FlagSet
	vals map[string]*int
}

func (f *intFlags) add(name, usage string) {
	f.vals[name] = f.fs.Int(name, 0, usage)
}

// given returns the flag's value if it was set on the command line.
func (f *intFlags) given(name string) *int {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	if !set {
		return nil
	}
	return f.vals[name]
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

func runEventList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("event list", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openStore(ctx, *dir)
	if err != nil {
		return err
	}
	defer db.Close()
	events, err := db.ListEvents(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "编号\t类型\t日期\t名称\t报名\t已排")
	for _, e := range events {
		regs, err := db.Registrations(ctx, e.ID)
		if err != nil {
			return err
		}
		var done []string
		if e.Lineup != nil {
			done = append(done, "路演议程")
		}
		if e.Schedule != nil {
			done = append(done, "洽谈日程")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", e.ID, e.Type, e.Date, e.Title, len(regs), strings.Join(done, "、"))
	}
	return tw.Flush()
}

func runEventLineup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("event lineup", stderr)
	eventID := fs.String("event", "", "活动编号（必填）")
	ints := &intFlags{fs: fs, vals: map[string]*int{}}
	ints.add("slots", "路演席位数（默认取活动的 slots）")
	ints.add("max-per-institution", "每个完成单位最多入选几项（0 不限）")
	ints.add("max-per-field", "每个技术领域最多入选几项（0 不限）")
	ints.add("recent-events", "最近几场活动路演过的成果不再入选（默认 3）")
	ints.add("front-rows", "每场最多邀请几家企业坐前排（0 不限）")
	lock := fs.String("lock", "", "锁定的成果编号，逗号分隔（给出即替换上次的锁定）")
	exclude := fs.String("exclude", "", "排除的成果编号，逗号分隔")
	unlock := fs.Bool("unlock", false, "清除上次的锁定与排除")
	allowRecent := fs.Bool("allow-recent", false, "允许近期活动路演过的成果入选")
	pool := fs.String("pool", "", "候选范围：registered（只排报名的科研人员，默认）、catalogue（整个成果库）、registered_first（报名者优先，成果库补位）")
	saved := fs.Bool("saved", false, "只导出已保存的议程，不重新排")
	out := fs.String("out", "", "导出文件：.xlsx、.csv、.html（路演手册）或 .json")
	weights := fs.String("weights", "", "匹配权重文件（默认使用内置权重）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *eventID == "" {
		fmt.Fprintln(stderr, "请用 --event 指定活动编号（techmatch event list 可列出活动）")
		return errSilent
	}
	format := ""
	if *out != "" {
		var err error
		if format, err = outFormat(*out, event.FormatXLSX, event.FormatCSV, event.FormatHTML, "json"); err != nil {
			return err
		}
	}
	env, err := openEventEnv(ctx, *dir, *weights, stderr)
	if err != nil {
		return err
	}
	defer env.Close()

	var l *event.Lineup
	if *saved {
		l, err = env.planner.Lineup(ctx, event.Operator, *eventID)
	} else {
		p := event.LineupParams{
			Slots:             ints.given("slots"),
			MaxPerInstitution: ints.given("max-per-institution"),
			MaxPerField:       ints.given("max-per-field"),
			RecentEvents:      ints.given("recent-events"),
			FrontRows:         ints.given("front-rows"),
		}
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "lock":
				p.Locked = append([]string{}, splitList(*lock)...)
			case "exclude":
				p.Excluded = append([]string{}, splitList(*exclude)...)
			case "allow-recent":
				p.AllowRecent = allowRecent
			case "pool":
				p.Pool = pool
			}
		})
		if *unlock {
			p.Locked, p.Excluded = []string{}, []string{}
		}
		l, err = env.planner.BuildLineup(ctx, event.Operator, *eventID, p)
	}
	if err != nil {
		return err
	}
	printLineup(stdout, l)
	if *out == "" {
		return nil
	}
	err = writeOut(*out, func(w io.Writer) error {
		if format == "json" {
			return writeJSON(w, l)
		}
		return event.WriteLineup(w, format, l)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已写入 %s\n", *out)
	return nil
}

func printLineup(w io.Writer, l *event.Lineup) {
	fmt.Fprintf(w, "路演议程：%s（%s），%d 场\n", l.Event.Title, l.Event.ID, len(l.Slots))
	if l.ByText {
		fmt.Fprintf(w, "尚无企业报名：按与主题的相关度排出，相关度之和 %.4g（上界 %.4g）\n", l.Objective, l.Reference.UpperBound)
	} else {
		fmt.Fprintf(w, "覆盖 %d 项报名需求：得分 %.4g；参照：按主题检索前 %d 项 %.4g，上界 %.4g\n",
			l.Demands, l.Objective, len(l.Slots), l.Reference.TopByText, l.Reference.UpperBound)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "序号\t时间\t成果名称\t完成单位\t技术领域\t路演人\t邀请企业")
	for _, s := range l.Slots {
		lock := ""
		if s.Locked {
			lock = "（锁定）"
		}
		fmt.Fprintf(tw, "%d\t%s–%s\t%s%s\t%s\t%s\t%s\t%d 家\n", s.Position, s.Start, s.End, s.Achievement.Title, lock,
			s.Achievement.Institution, s.Achievement.Field, s.Presenter, len(s.Invited))
	}
	tw.Flush()
	for _, m := range l.Warnings {
		fmt.Fprintln(w, "提示：", m)
	}
}

// lockFlag collects --lock 时段:桌号:科学家:企业 meetings.
type lockFlag struct {
	set      bool
	meetings []plan.Meeting
}

func (f *lockFlag) String() string { return "" }

func (f *lockFlag) Set(v string) error {
	parts := strings.Split(v, ":")
	if len(parts) != 4 {
		return fmt.Errorf("锁定的会谈应写成 时段:桌号:科学家报名编号:企业报名编号（桌号 0 表示任意），如 2:1:r-0003:r-0010")
	}
	slot, err1 := strconv.Atoi(parts[0])
	table, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return fmt.Errorf("锁定的会谈 %q：时段与桌号应为整数", v)
	}
	f.set = true
	f.meetings = append(f.meetings, plan.Meeting{Slot: slot, Table: table, Scientist: parts[2], Enterprise: parts[3]})
	return nil
}

func runEventSchedule(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dir := newFlags("event schedule", stderr)
	eventID := fs.String("event", "", "活动编号（必填）")
	ints := &intFlags{fs: fs, vals: map[string]*int{}}
	ints.add("slots", "对接时段数（默认取活动的 time_slots）")
	ints.add("tables", "洽谈桌数（默认取活动的 tables）")
	ints.add("max-meetings", "每人最多几场会谈（0 表示不超过时段数）")
	ints.add("min-meetings", "每位有合适对象的报名者至少几场会谈（默认 1，0 不设下限）")
	var locks lockFlag
	fs.Var(&locks, "lock", "锁定一场会谈：时段:桌号:科学家报名编号:企业报名编号（可重复）")
	unlock := fs.Bool("unlock", false, "清除上次锁定的会谈")
	saved := fs.Bool("saved", false, "只导出已保存的日程，不重新排")
	out := fs.String("out", "", "导出文件：.xlsx、.csv、.html（打印用日程表）或 .json")
	weights := fs.String("weights", "", "匹配权重文件（默认使用内置权重）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *eventID == "" {
		fmt.Fprintln(stderr, "请用 --event 指定活动编号（techmatch event list 可列出活动）")
		return errSilent
	}
	format := ""
	if *out != "" {
		var err error
		if format, err = outFormat(*out, event.FormatXLSX, event.FormatCSV, event.FormatHTML, "json"); err != nil {
			return err
		}
	}
	env, err := openEventEnv(ctx, *dir, *weights, stderr)
	if err != nil {
		return err
	}
	defer env.Close()

	var sc *event.Schedule
	if *saved {
		sc, err = env.planner.Schedule(ctx, event.Operator, *eventID)
	} else {
		p := event.ScheduleParams{
			Slots:       ints.given("slots"),
			Tables:      ints.given("tables"),
			MaxMeetings: ints.given("max-meetings"),
			MinMeetings: ints.given("min-meetings"),
		}
		if locks.set {
			p.Locked = locks.meetings
		}
		if *unlock && !locks.set {
			p.Locked = []plan.Meeting{}
		}
		sc, err = env.planner.BuildSchedule(ctx, event.Operator, *eventID, p)
	}
	if err != nil {
		return err
	}
	printSchedule(stdout, sc)
	if *out == "" {
		return nil
	}
	err = writeOut(*out, func(w io.Writer) error {
		if format == "json" {
			return writeJSON(w, sc)
		}
		return event.WriteSchedule(w, format, sc)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已写入 %s\n", *out)
	return nil
}

func printSchedule(w io.Writer, sc *event.Schedule) {
	fmt.Fprintf(w, "洽谈日程：%s（%s），%d 个时段 × %d 张桌，共 %d 场会谈\n", sc.Event.Title, sc.Event.ID, sc.Slots, sc.Tables, len(sc.Meetings))
	fmt.Fprintf(w, "目标值 %.4g（上界 %.4g，每人至少 %d 场时的上界 %.4g），匹配分合计 %.4g，满足约见 %d 次\n", sc.Total, sc.UpperBound, sc.MinMeetings, sc.FairBound, sc.Score, sc.Requests)
	fmt.Fprintf(w, "每人会谈：最少 %d 场，中位数 %g 场，最多 %d 场\n", sc.Fairness.Min, sc.Fairness.Median, sc.Fairness.Max)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "时段\t时间\t桌号\t科学家\t企业\t匹配度")
	for _, m := range sc.Meetings {
		fmt.Fprintf(tw, "%d\t%s–%s\t%d\t%s\t%s\t%.2f\n", m.Slot, m.Start, m.End, m.Table, m.ScientistName, m.EnterpriseName, m.Score)
	}
	tw.Flush()
	for _, u := range sc.Unplaced {
		fmt.Fprintln(w, "未排满：", u.Message)
	}
	for _, m := range sc.Warnings {
		fmt.Fprintln(w, "提示：", m)
	}
}
