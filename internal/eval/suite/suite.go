// Package suite reads evaluation suites (the format of ../shared/README.md)
// for the search and match evaluations: suite.json, JSON Lines files, and
// the repairs that make a suite's records pass the store's validation. It
// uses the standard library and package data only.
package suite

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// Info is what suite.json says about a suite.
type Info struct {
	Name        string `json:"name"`
	Task        string `json:"task"`
	Description string `json:"description"`
}

// Load reads suite.json of a suite directory. A missing name is the
// directory's.
func Load(dir string) (*Info, error) {
	b, err := os.ReadFile(filepath.Join(dir, "suite.json"))
	if err != nil {
		return nil, data.Errorf(data.EINVALID, "评测集目录 %s 无法读取 suite.json：%v", dir, err)
	}
	var s Info
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, data.Errorf(data.EINVALID, "评测集 %s 的 suite.json 格式错误：%v", dir, err)
	}
	if s.Name == "" {
		s.Name = filepath.Base(dir)
	}
	return &s, nil
}

// ReadJSONL decodes every non-blank line of path into a new T and passes it
// to fn, stopping at fn's first error.
func ReadJSONL[T any](path string, fn func(*T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		v := new(T)
		if err := json.Unmarshal(sc.Bytes(), v); err != nil {
			return fmt.Errorf("%s line %d: %w", path, n, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return sc.Err()
}

// cut shortens *s to n runes and drops invalid UTF-8; it reports a change.
func cut(s *string, n int) bool {
	changed := false
	if !utf8.ValidString(*s) {
		*s = strings.ToValidUTF8(*s, "")
		changed = true
	}
	if utf8.RuneCountInString(*s) > n {
		*s = string([]rune(*s)[:n])
		changed = true
	}
	return changed
}

// RepairAchievement makes a suite record pass validation without changing
// what is searched or matched in practice: texts and lists cut to the
// store's limits, an empty title replaced by the id, an impossible year
// dropped. It reports whether it changed anything.
func RepairAchievement(a *data.Achievement) bool {
	c := cut(&a.Title, data.MaxTitleLen)
	if strings.TrimSpace(a.Title) == "" {
		a.Title, c = a.ID, true
	}
	c = cut(&a.Abstract, data.MaxTextLen) || c
	c = cut(&a.Discipline, data.MaxShortLen) || c
	c = cut(&a.Institution, data.MaxShortLen) || c
	if len(a.Keywords) > data.MaxKeywords {
		a.Keywords, c = a.Keywords[:data.MaxKeywords], true
	}
	for i := range a.Keywords {
		c = cut(&a.Keywords[i], data.MaxKeywordLen) || c
	}
	if a.Year != 0 && (a.Year < 1900 || a.Year > 2100) {
		a.Year, c = 0, true
	}
	return c
}

// RepairDemand is RepairAchievement for demands; it also puts a reversed
// budget range in order.
func RepairDemand(d *data.Demand) bool {
	c := cut(&d.Title, data.MaxTitleLen)
	if strings.TrimSpace(d.Title) == "" {
		d.Title, c = d.ID, true
	}
	c = cut(&d.Description, data.MaxTextLen) || c
	c = cut(&d.Industry, data.MaxShortLen) || c
	if d.BudgetWan != nil && d.BudgetWan.Max > 0 && d.BudgetWan.Min > d.BudgetWan.Max {
		d.BudgetWan.Min, d.BudgetWan.Max = d.BudgetWan.Max, d.BudgetWan.Min
		c = true
	}
	return c
}
