package metrics_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/internal/eval/metrics"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMetrics(t *testing.T) {
	rel := map[string]int{"a": 3, "b": 1, "c": 0}
	tests := []struct {
		name              string
		ranked            []string
		k                 int
		ndcg, mrr, recall float64
	}{
		// DCG = 0/1 + 7/log2(3) + 0/log2(4) + 1/log2(5) = 4.847184833…;
		// IDCG = 7/1 + 1/log2(3) = 7.630929753…
		{"graded", []string{"c", "a", "x", "b"}, 10, 0.6352023920551748, 0.5, 1},
		// Cut at 2: DCG = 7/log2(3); only a is found.
		{"cut", []string{"c", "a", "x", "b"}, 2, (7 / math.Log2(3)) / (7 + 1/math.Log2(3)), 0.5, 0.5},
		// Ideal order scores 1.
		{"ideal", []string{"a", "b", "c"}, 10, 1, 1, 1},
		// Swapped: DCG = 1 + 7/log2(3).
		{"swapped", []string{"b", "a"}, 10, (1 + 7/math.Log2(3)) / (7 + 1/math.Log2(3)), 1, 1},
		// A document listed twice counts once, at its first rank.
		{"duplicate", []string{"x", "x", "a"}, 2, 7 / math.Log2(3) / (7 + 1/math.Log2(3)), 0.5, 0.5},
		{"nothing found", []string{"x", "y"}, 10, 0, 0, 0},
		{"empty run", nil, 10, 0, 0, 0},
		{"only judged irrelevant", []string{"c"}, 10, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := metrics.NDCG(tt.ranked, rel, tt.k); !near(got, tt.ndcg) {
				t.Errorf("NDCG@%d = %v, want %v", tt.k, got, tt.ndcg)
			}
			if got := metrics.MRR(tt.ranked, rel, tt.k); !near(got, tt.mrr) {
				t.Errorf("MRR@%d = %v, want %v", tt.k, got, tt.mrr)
			}
			if got := metrics.Recall(tt.ranked, rel, tt.k); !near(got, tt.recall) {
				t.Errorf("Recall@%d = %v, want %v", tt.k, got, tt.recall)
			}
		})
	}
}

func TestNoRelevant(t *testing.T) {
	rel := map[string]int{"a": 0}
	if metrics.NDCG([]string{"a"}, rel, 10) != 0 || metrics.Recall([]string{"a"}, rel, 10) != 0 || metrics.MRR([]string{"a"}, rel, 10) != 0 {
		t.Fatal("a query without relevant documents must score 0")
	}
	if metrics.Relevant(rel) != 0 || metrics.Relevant(map[string]int{"a": 2, "b": 0, "c": 1}) != 2 {
		t.Fatal("Relevant counts grades ≥ 1")
	}
}

func TestPercentile(t *testing.T) {
	v := []float64{5, 1, 4, 2, 3}
	tests := []struct{ p, want float64 }{{50, 3}, {20, 1}, {21, 2}, {99, 5}, {100, 5}, {0, 1}}
	for _, tt := range tests {
		if got := metrics.Percentile(v, tt.p); got != tt.want {
			t.Errorf("Percentile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if v[0] != 5 {
		t.Error("Percentile sorted its input in place")
	}
	if metrics.Percentile(nil, 50) != 0 {
		t.Error("Percentile of nothing should be 0")
	}
	if got := metrics.Mean([]float64{1, 2, 6}); got != 3 {
		t.Errorf("Mean = %v, want 3", got)
	}
}

func TestReadQrels(t *testing.T) {
	q, err := metrics.ReadQrels(strings.NewReader("q1 0 d1 2\n\nq1\t0\td2\t0\nq2 0 d1 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if q["q1"]["d1"] != 2 || q["q1"]["d2"] != 0 || q["q2"]["d1"] != 1 || len(q) != 2 {
		t.Fatalf("qrels = %v", q)
	}
	for _, bad := range []string{"q1 0 d1\n", "q1 0 d1 x\n"} {
		if _, err := metrics.ReadQrels(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadQrels(%q): want an error", bad)
		}
	}
}

func TestWriteTRECRun(t *testing.T) {
	var buf bytes.Buffer
	if err := metrics.WriteTRECRun(&buf, "q1", []string{"a", "b"}, []float64{2.5}, ""); err != nil {
		t.Fatal(err)
	}
	want := "q1 Q0 a 1 2.500000 techmatch\nq1 Q0 b 2 1.000000 techmatch\n"
	if buf.String() != want {
		t.Fatalf("run =\n%s\nwant\n%s", buf.String(), want)
	}
}

// TestAgainstScorePy scores a pseudo-random run over a real suite's qrels
// with this package and with ../shared/tools/score.py, and compares.
func TestAgainstScorePy(t *testing.T) {
	const shared = "../../../../shared"
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 absent: skipping the cross-check with score.py")
	}
	for _, suite := range []string{"csl-contains", "bdci-match"} {
		dir := filepath.Join(shared, "eval/dev", suite)
		if _, err := os.Stat(filepath.Join(dir, "qrels.tsv")); err != nil {
			t.Skipf("shared suite absent (%v): skipping the cross-check with score.py", err)
		}
		t.Run(suite, func(t *testing.T) {
			qrels, err := metrics.LoadQrels(filepath.Join(dir, "qrels.tsv"))
			if err != nil {
				t.Fatal(err)
			}
			queries := readQueryIDs(t, filepath.Join(dir, "queries.jsonl"))
			rnd := rand.New(rand.NewPCG(1, 2))
			run := filepath.Join(t.TempDir(), "run.txt")
			f, err := os.Create(run)
			if err != nil {
				t.Fatal(err)
			}
			var nd, mrr, r10, r100 []float64
			for _, q := range queries {
				rel := qrels[q]
				// Judged documents in random order among unjudged ones.
				var ranked []string
				for d := range rel {
					ranked = append(ranked, d)
				}
				sort.Strings(ranked)
				for i := 0; i < 30; i++ {
					ranked = append(ranked, fmt.Sprintf("noise-%d", i))
				}
				rnd.Shuffle(len(ranked), func(i, j int) { ranked[i], ranked[j] = ranked[j], ranked[i] })
				ranked = ranked[:min(len(ranked), 120)]
				if err := metrics.WriteTRECRun(f, q, ranked, nil, "test"); err != nil {
					t.Fatal(err)
				}
				if metrics.Relevant(rel) == 0 {
					continue
				}
				nd = append(nd, metrics.NDCG(ranked, rel, 10))
				mrr = append(mrr, metrics.MRR(ranked, rel, 10))
				r10 = append(r10, metrics.Recall(ranked, rel, 10))
				r100 = append(r100, metrics.Recall(ranked, rel, 100))
			}
			f.Close()
			out, err := exec.Command(python, filepath.Join(shared, "tools/score.py"), dir, run).Output()
			if err != nil {
				t.Fatalf("score.py: %v", err)
			}
			var py map[string]float64
			if err := json.Unmarshal(out, &py); err != nil {
				t.Fatalf("score.py output %q: %v", out, err)
			}
			if int(py["queries"]) != len(nd) {
				t.Errorf("queries: score.py %v, we %d", py["queries"], len(nd))
			}
			for name, ours := range map[string]float64{"ndcg@10": metrics.Mean(nd), "mrr@10": metrics.Mean(mrr), "recall@10": metrics.Mean(r10), "recall@100": metrics.Mean(r100)} {
				if math.Abs(ours-py[name]) > 0.00005+1e-9 { // score.py rounds to 4 places
					t.Errorf("%s: score.py %v, we %.6f", name, py[name], ours)
				}
			}
		})
	}
}

func readQueryIDs(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var q struct{ ID string }
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.ID)
	}
	return ids
}
