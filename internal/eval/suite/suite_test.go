package suite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestLoadAndReadJSONL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tiny")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "suite.json"), []byte(`{"task":"search"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil || s.Name != "tiny" || s.Task != "search" {
		t.Fatalf("Load: %+v, %v", s, err)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("a directory without suite.json loaded")
	}

	path := filepath.Join(dir, "a.jsonl")
	if err := os.WriteFile(path, []byte("{\"id\":\"a\"}\n\n  \n{\"id\":\"b\"}\n{bad\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var ids []string
	err = ReadJSONL(path, func(a *data.Achievement) error {
		ids = append(ids, a.ID)
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "line 5") || strings.Join(ids, ",") != "a,b" {
		t.Errorf("ReadJSONL: %v, %v", ids, err)
	}
}

func TestRepair(t *testing.T) {
	a := data.Achievement{ID: "a-1", Title: " ", Abstract: strings.Repeat("长", data.MaxTextLen+5), Year: 3000}
	if !RepairAchievement(&a) || a.Title != "a-1" || len([]rune(a.Abstract)) != data.MaxTextLen || a.Year != 0 {
		t.Errorf("repaired achievement: %q %d %d", a.Title, len([]rune(a.Abstract)), a.Year)
	}
	if err := a.Validate(); err != nil {
		t.Errorf("repaired achievement invalid: %v", err)
	}
	if RepairAchievement(&a) {
		t.Error("a valid achievement was changed")
	}
	d := data.Demand{ID: "d-1", Title: "需求", BudgetWan: &data.Range{Min: 50, Max: 10}}
	if !RepairDemand(&d) || d.BudgetWan.Min != 10 || d.BudgetWan.Max != 50 {
		t.Errorf("repaired demand: %+v", d.BudgetWan)
	}
}
