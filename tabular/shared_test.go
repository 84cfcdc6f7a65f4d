package tabular_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

// sharedData is the team's real data (see /work/shared/README.md); it is
// never copied into the repository.
var sharedData = filepath.Join("..", "..", "shared", "data")

// readShared returns the content of a shared data file, skipping the test
// when it is absent.
func readShared(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(sharedData, name))
	if os.IsNotExist(err) {
		tb.Skipf("shared data %s not found: skipping the test on real records", filepath.Join(sharedData, name))
	} else if err != nil {
		tb.Fatal(err)
	}
	return b
}

func countLines(b []byte) int {
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			n++
		}
	}
	return n
}

// Every real record parses, and survives export to CSV and Excel and import
// back unchanged.
func TestSharedData(t *testing.T) {
	t.Run("achievements", func(t *testing.T) {
		b := readShared(t, "achievements.jsonl")
		rows := mustRead(t, "achievements.jsonl", data.KindAchievement, b)
		mustParse(t, rows)
		recs := achievementsOf(t, rows)
		if want := countLines(b); len(recs) != want || want < 6000 {
			t.Fatalf("%d records from %d lines", len(recs), want)
		}
		invalid := 0
		for i, r := range recs {
			if r.ID == "" || r.Title == "" || rows[i].Num != i+1 {
				t.Fatalf("line %d: record %q %q numbered %d", i+1, r.ID, r.Title, rows[i].Num)
			}
			if r.Validate() != nil {
				invalid++
			}
		}
		t.Logf("%d achievements read, %d would fail validation", len(recs), invalid)
		for _, f := range []tabular.Format{tabular.FormatCSV, tabular.FormatXLSX} {
			rows := mustRead(t, "export."+string(f), data.KindAchievement, writeAll(t, f, recs))
			mustParse(t, rows)
			sameJSON(t, achievementsOf(t, rows), recs)
		}
	})
	t.Run("demands", func(t *testing.T) {
		b := readShared(t, "demands.jsonl")
		rows := mustRead(t, "demands.jsonl", data.KindDemand, b)
		mustParse(t, rows)
		recs := demandsOf(t, rows)
		if want := countLines(b); len(recs) != want || want < 500 {
			t.Fatalf("%d records from %d lines", len(recs), want)
		}
		budgets := 0
		for _, r := range recs {
			if r.BudgetWan != nil {
				budgets++
			}
		}
		if budgets == 0 {
			t.Error("no budget read: budget_wan is in every shared demand")
		}
		for _, f := range []tabular.Format{tabular.FormatCSV, tabular.FormatXLSX} {
			rows := mustRead(t, "export."+string(f), data.KindDemand, writeAll(t, f, recs))
			mustParse(t, rows)
			sameJSON(t, demandsOf(t, rows), recs)
		}
	})
}
