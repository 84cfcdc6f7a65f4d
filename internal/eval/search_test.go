package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/internal/eval"
)

var (
	suites   = flag.String("suites", "", "comma-separated dev suites to evaluate (empty: none; all: every search suite)")
	analyzer = flag.String("analyzer", "gse", "analyzer to evaluate")
)

const devDir = "../../../shared/eval/dev"

// TestDevSuites evaluates the dev suites named by -suites and logs the
// figures; run: go test ./internal/eval -run DevSuites -suites all -v
func TestDevSuites(t *testing.T) {
	if *suites == "" {
		t.Skip("no -suites given")
	}
	names := strings.Split(*suites, ",")
	if *suites == "all" {
		names = []string{"csl-title", "csl-keywords", "csl-contains", "chinaxiv-title", "chinaxiv-keywords", "chinaxiv-contains"}
	}
	for _, n := range names {
		dir := filepath.Join(devDir, n)
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("shared suites absent (%v)", err)
		}
		res, err := eval.RunSearch(context.Background(), dir, eval.SearchOptions{BuildOptions: eval.BuildOptions{Analyzer: *analyzer}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		t.Log(string(b))
	}
}

// TestWriteRun writes a run file of one suite for inspection:
// go test ./internal/eval -run WriteRun -args -suites=csl-title -run-out=/tmp/run.txt
var runOut = flag.String("run-out", "", "file for the TREC run of TestWriteRun")

func TestWriteRun(t *testing.T) {
	if *runOut == "" || *suites == "" {
		t.Skip("no -run-out or -suites given")
	}
	f, err := os.Create(*runOut)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := eval.RunSearch(context.Background(), filepath.Join(devDir, *suites), eval.SearchOptions{BuildOptions: eval.BuildOptions{Analyzer: *analyzer}, Run: f})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	t.Log(string(b))
}

// writeSuite writes a small search suite into a temporary directory.
func writeSuite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"suite.json": `{"name": "tiny", "task": "search"}`,
		"achievements.jsonl": `{"id": "r1", "title": "锂离子电池正极材料", "abstract": "磷酸铁锂正极材料的制备"}
{"id": "r2", "title": "玉米秸秆还田技术", "abstract": "秸秆粉碎还田与保护性耕作", "keywords": ["秸秆还田"]}
{"id": "r3", "title": "光栅尺测量系统", "abstract": "纳米级位移测量", "year": 3000}
`,
		"queries.jsonl": `{"id": "q1", "text": "磷酸铁锂"}
{"id": "q2", "text": "秸秆还田"}
{"id": "q3", "text": "不存在的内容"}
{"id": "q4", "text": "测量"}
`,
		// q3 finds nothing; q4 has no relevant record and is not scored.
		"qrels.tsv": "q1 0 r1 1\nq2 0 r2 2\nq2 0 r1 0\nq3 0 r3 1\nq4 0 r3 0\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRunTinySuite(t *testing.T) {
	dir := writeSuite(t)
	tmp := t.TempDir()
	var run bytes.Buffer
	res, err := eval.RunSearch(context.Background(), dir, eval.SearchOptions{Run: &run, BuildOptions: eval.BuildOptions{TempDir: tmp}})
	if err != nil {
		t.Fatal(err)
	}
	// q1 and q2 are found first, q3 not at all: 2 of 3.
	if res.Suite != "tiny" || res.Queries != 3 || res.Records != 3 || res.Repaired != 1 {
		t.Errorf("result %+v", res)
	}
	if res.MRR10 != 0.6667 || res.Recall100 != 0.6667 || res.NDCG10 != 0.6667 {
		t.Errorf("metrics %+v, want 2/3 each", res)
	}
	if res.LatencyMS.P99 <= 0 || res.LatencyMS.P99 < res.LatencyMS.P50 {
		t.Errorf("latency %+v", res.LatencyMS)
	}
	lines := strings.Split(strings.TrimSpace(run.String()), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "q1 Q0 r1 1 ") || !strings.HasSuffix(lines[0], " techmatch") {
		t.Errorf("run file:\n%s", run.String())
	}
	b, _ := json.Marshal(res)
	for _, key := range []string{`"suite"`, `"queries"`, `"ndcg@10"`, `"mrr@10"`, `"recall@10"`, `"recall@100"`, `"latency_ms":{"p50"`, `"p99"`, `"index_seconds"`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
	// The temporary store and index are gone.
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind in the temporary directory: %v", left)
	}
}

func TestRunRefusesMatchSuites(t *testing.T) {
	dir := writeSuite(t)
	os.WriteFile(filepath.Join(dir, "suite.json"), []byte(`{"name": "m", "task": "match"}`), 0o644)
	if _, err := eval.RunSearch(context.Background(), dir, eval.SearchOptions{}); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("match suite: %v, want EINVALID", err)
	}
	if _, err := eval.RunSearch(context.Background(), t.TempDir(), eval.SearchOptions{}); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("not a suite: %v, want EINVALID", err)
	}
}

// TestDevQuality guards the known-item quality on a real dev suite.
func TestDevQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes a dev suite")
	}
	dir := filepath.Join(devDir, "csl-title")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared suites absent (%v)", err)
	}
	res, err := eval.RunSearch(context.Background(), dir, eval.SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.MRR10 < 0.985 {
		t.Errorf("csl-title MRR@10 %.4f, below 0.985", res.MRR10)
	}
}
