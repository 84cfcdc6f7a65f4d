package eval_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/index/eval"
)

var (
	suites   = flag.String("suites", "", "comma-separated dev suites to evaluate (empty: none; all: every search suite)")
	analyzer = flag.String("analyzer", "gse", "analyzer to evaluate")
)

const devDir = "../../../shared/eval/dev"

// TestDevSuites evaluates the dev suites named by -suites and logs the
// figures; run: go test ./index/eval -run DevSuites -suites all -v
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
		res, err := eval.Run(context.Background(), dir, eval.Options{Analyzer: *analyzer})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		t.Log(string(b))
	}
}

// TestWriteRun writes a run file of one suite for inspection:
// go test ./index/eval -run WriteRun -args -suites=csl-title -run-out=/tmp/run.txt
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
	res, err := eval.Run(context.Background(), filepath.Join(devDir, *suites), eval.Options{Analyzer: *analyzer, Run: f})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	t.Log(string(b))
}
