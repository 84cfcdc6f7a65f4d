package matcher

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCalibrateLevels(t *testing.T) {
	// 30 pairs of grade 3 at the top, then 30 of grade 1, then 40 of 0: 高
	// must stop where grade ≥ 2 falls below 60 %, 中 where grade ≥ 1 falls
	// below 50 %.
	var ps []ScoredGrade
	for i := 0; i < 30; i++ {
		ps = append(ps, ScoredGrade{Score: 0.9 - float64(i)*0.001, Grade: 3})
	}
	for i := 0; i < 30; i++ {
		ps = append(ps, ScoredGrade{Score: 0.6 - float64(i)*0.001, Grade: 1})
	}
	for i := 0; i < 40; i++ {
		ps = append(ps, ScoredGrade{Score: 0.3 - float64(i)*0.001, Grade: 0})
	}
	l := CalibrateLevels("test", ps)
	// 30 grade-3 out of n ≥ 0.6 holds down to n = 50: the 50th pair scores
	// 0.6 − 0.019.
	if want := 0.581; abs(l.High-want) > 1e-9 {
		t.Errorf("High = %v, want %v", l.High, want)
	}
	// 60 good out of n ≥ 0.8 holds down to n = 75: the 75th pair scores 0.3 − 0.014.
	if want := 0.3 - 0.014; abs(l.Medium-want) > 1e-9 {
		t.Errorf("Medium = %v, want %v", l.Medium, want)
	}
	if got := l.Table[LevelHigh]["3"]; got != 30 {
		t.Errorf("table 高 × 3 = %d, want 30", got)
	}
	if got := l.Table[LevelHigh]["1"]; got != 20 {
		t.Errorf("table 高 × 1 = %d, want 20", got)
	}
	if got := l.Table[LevelMedium]["0"]; got != 15 {
		t.Errorf("table 中 × 0 = %d, want 15", got)
	}
	if got := l.Table[LevelLow]["0"]; got != 25 {
		t.Errorf("table 低 × 0 = %d, want 25", got)
	}
	for _, tt := range []struct {
		score float64
		want  string
	}{{0.9, LevelHigh}, {0.581, LevelHigh}, {0.58, LevelMedium}, {0.286, LevelMedium}, {0.285, LevelLow}} {
		if got := l.Level(tt.score); got != tt.want {
			t.Errorf("Level(%v) = %s, want %s", tt.score, got, tt.want)
		}
	}
	// No grade ≥ 2 anywhere: nothing is 高.
	low := CalibrateLevels("test", ps[30:])
	if low.Level(1) != LevelMedium || low.Level(0.58) != LevelMedium {
		t.Errorf("without good pairs a score of 1 is %s, want 中", low.Level(1))
	}
}

func TestListNote(t *testing.T) {
	if n := ListNote([]Result{{Level: LevelMedium}, {Level: LevelLow}}, false); n != NoHighNote {
		t.Errorf("note without 高 = %q", n)
	}
	if n := ListNote([]Result{{Level: LevelMedium}, {Level: LevelHigh}}, false); n != "" {
		t.Errorf("note with 高 = %q", n)
	}
	if n := ListNote(nil, true); n != NoHighNoteDemands {
		t.Errorf("note of an empty demand list = %q", n)
	}
}

func TestEmbeddedLevels(t *testing.T) {
	w := DefaultWeights()
	if w.Levels == nil || w.Levels.High <= w.Levels.Medium || w.Levels.Medium <= 0 || len(w.Levels.Table) == 0 {
		t.Fatalf("embedded weights carry no usable level calibration: %+v", w.Levels)
	}
}

var calibrateRun = flag.String("calibrate-run", "", "rerank run file of bdci-match (techmatch eval --rerank-run) to calibrate the match levels from")

// TestCalibrateLevelsDev prints the levels calibrated on a rerank run of the
// dev bdci-match suite, for weights.json:
//
//	go run ./cmd/techmatch eval --suite ../shared/eval/dev/bdci-match --rerank-run /tmp/rerank.run
//	go test ./matcher -run CalibrateLevelsDev -v -args -calibrate-run=/tmp/rerank.run
func TestCalibrateLevelsDev(t *testing.T) {
	if *calibrateRun == "" {
		t.Skip("no -calibrate-run given")
	}
	dir := filepath.Join("..", "..", "shared", "eval", "dev", "bdci-match")
	grades := map[[2]string]int{}
	f, err := os.Open(filepath.Join(dir, "qrels.tsv"))
	if err != nil {
		t.Skipf("bdci-match suite not available: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		x := strings.Fields(sc.Text())
		if len(x) == 4 {
			g, _ := strconv.Atoi(x[3])
			grades[[2]string{x[0], x[2]}] = g
		}
	}
	r, err := os.Open(*calibrateRun)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var ps []ScoredGrade
	sc = bufio.NewScanner(r)
	for sc.Scan() {
		x := strings.Fields(sc.Text())
		if len(x) < 5 {
			continue
		}
		g, ok := grades[[2]string{x[0], x[2]}]
		if !ok {
			continue
		}
		s, _ := strconv.ParseFloat(x[4], 64)
		ps = append(ps, ScoredGrade{Score: s, Grade: g})
	}
	l := CalibrateLevels("bdci-match (dev)", ps)
	b, _ := json.MarshalIndent(l, "", "  ")
	fmt.Println(string(b))
}
