package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval/tune"
	"github.com/techmatch/techmatch/matcher"
)

const devSuite = "../../../shared/eval/dev/bdci-match"

// writeSuite writes a small match suite to a temporary directory.
func writeSuite(tb testing.TB, task string) string {
	tb.Helper()
	dir := tb.TempDir()
	write := func(name string, lines ...any) {
		var b bytes.Buffer
		for _, l := range lines {
			if s, ok := l.(string); ok {
				b.WriteString(s + "\n")
				continue
			}
			j, _ := json.Marshal(l)
			b.Write(append(j, '\n'))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("suite.json", map[string]any{"name": "tiny", "task": task})
	write("achievements.jsonl",
		map[string]string{"id": "a1", "title": "锂离子电池隔膜涂覆技术"},
		map[string]string{"id": "a2", "title": "玉米秸秆还田机"},
		map[string]string{"id": "a3", "title": "锂电池回收利用"},
		map[string]string{"id": "a4", "title": "人参皂苷提取工艺"})
	write("demands.jsonl",
		map[string]string{"id": "d1", "title": "电池隔膜涂覆", "description": "需要锂离子电池隔膜的涂覆工艺"},
		map[string]string{"id": "d2", "title": "秸秆还田", "description": "玉米秸秆处理"})
	write("queries.jsonl", map[string]string{"id": "q1", "demand_id": "d1"}, map[string]string{"id": "q2", "demand_id": "d2"})
	write("qrels.tsv", "q1 0 a1 3", "q1 0 a3 1", "q1 0 a2 0", "q2 0 a2 2", "q2 0 a4 0")
	return dir
}

func TestRunTinySuite(t *testing.T) {
	dir := writeSuite(t, "match")
	var run, rerank bytes.Buffer
	res, err := RunMatch(context.Background(), dir, MatchOptions{Run: &run, RerankRun: &rerank, BuildOptions: BuildOptions{TempDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Queries != 2 || res.Full == nil || res.Achievements != 4 || res.Demands != 2 || res.Weights == "" {
		t.Fatalf("result %+v", res)
	}
	// The right answers are obvious: both demands find their achievement
	// first, in both modes.
	if res.Rerank.NDCG10 != 1 || res.Rerank.MRR10 != 1 || res.Full.MRR10 != 1 {
		t.Errorf("rerank %+v, full %+v", res.Rerank, *res.Full)
	}
	lines := strings.Split(strings.TrimSpace(rerank.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "q1 Q0 a1 1 ") {
		t.Errorf("rerank run:\n%s", rerank.String())
	}
	if !strings.HasPrefix(run.String(), "q1 Q0 a1 1 ") {
		t.Errorf("full run:\n%s", run.String())
	}
}

func TestLoadRejects(t *testing.T) {
	ctx := context.Background()
	if _, err := RunMatch(ctx, writeSuite(t, "search"), MatchOptions{}); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("search suite: err %v, want invalid", err)
	}
	if _, err := RunMatch(ctx, t.TempDir(), MatchOptions{}); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("no suite.json: err %v, want invalid", err)
	}
}

// TestHandMadeCatalogue runs the matcher's hand-made catalogue through the
// real store and gse index: every demand finds the achievement a person
// would pick.
func TestHandMadeCatalogue(t *testing.T) {
	b, err := os.ReadFile("../../matcher/testdata/catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Achievements []data.Achievement `json:"achievements"`
		Demands      []data.Demand      `json:"demands"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := LoadRecords(ctx, c.Achievements, c.Demands, MatchOptions{BuildOptions: BuildOptions{TempDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for d, a := range map[string]string{"d-separator": "a-separator", "d-vision": "a-vision", "d-corn": "a-corn-starch",
		"d-feed": "a-feed", "d-rehab": "a-rehab", "d-ginseng": "a-ginseng"} {
		rs, err := e.Matcher.MatchDemand(ctx, d, matcher.Options{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) == 0 || rs[0].ID != a {
			t.Errorf("%s: top %v, want %s", d, rs, a)
		}
		// expired: d-ginseng's deadline (2025-01-31) has passed, and
		// demands past their deadline are left out unless asked for.
		back, err := e.Matcher.MatchAchievement(ctx, a, matcher.Options{Limit: 3, Filter: data.Filter{Expired: true}})
		if err != nil {
			t.Fatal(err)
		}
		if len(back) == 0 || back[0].ID != d || back[0].Score != rs[0].Score {
			t.Errorf("%s: demands %v, want %s first with score %v", a, back, d, rs[0].Score)
		}
	}
}

// TestDevSuite runs the bdci-match dev suite when ../shared is present.
// The embedded weights were fitted on this very suite, so its figures with
// them are in-sample (optimistic) and only logged; the targets are checked
// on the cross-validated figures: each fold of demands is ranked with
// weights refitted without it, starting from weights in which the fitted
// signals are reset (so the start has not seen the suite).
func TestDevSuite(t *testing.T) {
	if _, err := os.Stat(filepath.Join(devSuite, "suite.json")); err != nil {
		t.Skipf("shared dev suite absent (%v): skipping", err)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	ctx := context.Background()
	runFile := filepath.Join(t.TempDir(), "full.run")
	f, err := os.Create(runFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opt := MatchOptions{Run: f, BuildOptions: BuildOptions{TempDir: t.TempDir()}}
	e, err := LoadMatch(ctx, devSuite, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	res, err := e.Evaluate(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(res)
	t.Logf("in-sample (weights fitted on this suite): %s", out)
	f.Sync()
	n := 0
	sc := bufio.NewScanner(mustOpen(t, runFile))
	for sc.Scan() {
		if len(strings.Fields(sc.Text())) != 6 {
			t.Fatalf("bad run line %q", sc.Text())
		}
		n++
	}
	if n < 100*res.Queries/2 {
		t.Errorf("full run has %d lines for %d queries", n, res.Queries)
	}

	w := matcher.DefaultWeights()
	if w.Tuning == nil || len(w.Tuning.Free) == 0 {
		t.Fatalf("embedded weights %s carry no tuning record", w.Version)
	}
	start := w
	start.Signals = maps.Clone(w.Signals)
	for _, s := range w.Tuning.Free {
		start.Signals[s] = start.Signals[w.Tuning.Anchor]
	}
	qs, err := e.TuneData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fq, err := e.FullData(ctx, matcher.DefaultCandidates)
	if err != nil {
		t.Fatal(err)
	}
	_, rep, err := tune.Fit(qs, start, tune.Options{Folds: 5, Free: w.Tuning.Free, Anchor: w.Tuning.Anchor, Full: fq})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cross-validated (%d folds): rerank nDCG@10 %.4f, full recall@100 %.4f", rep.CV.Folds, rep.CV.After, rep.CV.RecallAfter)
	// The acceptance targets: rerank nDCG@10 0.68, full recall@100 0.35
	// (measured when this test was written: in-sample 0.7144 and 0.3511,
	// cross-validated 0.7138 and 0.3517).
	if rep.CV.After < 0.68 {
		t.Errorf("cross-validated rerank nDCG@10 %.4f below the target 0.68", rep.CV.After)
	}
	if rep.CV.RecallAfter < 0.35 {
		t.Errorf("cross-validated full recall@100 %.4f below the target 0.35", rep.CV.RecallAfter)
	}
}

func mustOpen(tb testing.TB, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

func TestTuneDataAndAblation(t *testing.T) {
	ctx := context.Background()
	e, err := LoadMatch(ctx, writeSuite(t, "match"), MatchOptions{BuildOptions: BuildOptions{TempDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	qs, err := e.TuneData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 2 || len(qs[0].IDs) != 3 || len(qs[1].IDs) != 2 || len(qs[0].Signals[0]) != len(matcher.Signals) {
		t.Fatalf("tune data %+v", qs)
	}
	fs, err := e.FullData(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || len(fs[0].IDs) == 0 || fs[0].Rel["a1"] != 3 {
		t.Fatalf("full data %+v", fs)
	}
	rows, err := e.Ablation(ctx, matcher.DefaultWeights(), tune.Options{Folds: 1, FullWeight: 1})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, r := range rows {
		names[r.Config] = true
		if r.Fit < 0 || r.Fit > 1 || r.Recall100 < 0 || r.Recall100 > 1 {
			t.Errorf("row %+v out of range", r)
		}
	}
	for _, want := range []string{"all text signals", "without chars", "only chars", "all, without demand-specific term weighting"} {
		if !names[want] {
			t.Errorf("ablation lacks %q: %v", want, rows)
		}
	}
}
