package tabular_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

func addGolden(f *testing.F, names ...string) {
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join("testdata", n)); err == nil {
			f.Add(b)
		}
	}
}

// checkRows reads b as name and checks what must hold for any input: no
// panic, only EINVALID errors, increasing row numbers, every bad row a
// *data.Error naming its row, every good row a record of valid UTF-8 text.
// It returns the good records.
func checkRows(t *testing.T, name string, kind data.Kind, b []byte) (achievements []data.Achievement, demands []data.Demand) {
	t.Helper()
	last := 0
	// Records of a JSON document may share a line; rows never do.
	array := strings.HasSuffix(name, ".json") || bytes.HasPrefix(bytes.TrimLeft(b, "\ufeff \t\r\n"), []byte("["))
	err := tabular.Read(context.Background(), bytes.NewReader(b), name, kind, func(r tabular.Row) error {
		if r.Num < 1 || r.Num < last || r.Num == last && !array {
			t.Fatalf("row number %d after %d", r.Num, last)
		}
		last = r.Num
		if r.Err != nil {
			var e *data.Error
			if !errors.As(r.Err, &e) || e.Code != data.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("row %d: error %#v, want *data.Error EINVALID with fields", r.Num, r.Err)
			}
			if !strings.HasPrefix(e.Message, "第 ") {
				t.Fatalf("row %d: message %q does not name the row", r.Num, e.Message)
			}
			return nil
		}
		switch kind {
		case data.KindAchievement:
			a := r.Achievement
			if a == nil {
				t.Fatalf("row %d: no record and no error", r.Num)
			}
			for _, s := range append([]string{a.ID, a.Title, a.Abstract, a.Institution}, a.Keywords...) {
				if !utf8.ValidString(s) {
					t.Fatalf("row %d: invalid UTF-8 %q", r.Num, s)
				}
			}
			achievements = append(achievements, *a)
		case data.KindDemand:
			d := r.Demand
			if d == nil {
				t.Fatalf("row %d: no record and no error", r.Num)
			}
			if d.BudgetWan != nil && d.BudgetWan.Max != 0 && d.BudgetWan.Min > d.BudgetWan.Max {
				t.Fatalf("row %d: budget %+v", r.Num, *d.BudgetWan)
			}
			for _, s := range []string{d.ID, d.Title, d.Description, d.Enterprise.Name} {
				if !utf8.ValidString(s) {
					t.Fatalf("row %d: invalid UTF-8 %q", r.Num, s)
				}
			}
			demands = append(demands, *d)
		}
		return nil
	})
	if err != nil && data.ErrorCode(err) != data.EINVALID {
		t.Fatalf("Read: %v, want nil or EINVALID", err)
	}
	return achievements, demands
}

// roundTrip writes records in format and reads them back unchanged.
func roundTrip[T tabular.Record](t *testing.T, format tabular.Format, kind data.Kind, recs []T) {
	t.Helper()
	if len(recs) == 0 {
		return
	}
	var buf bytes.Buffer
	if err := tabular.Write(context.Background(), &buf, format, tabular.Records(recs)); err != nil {
		t.Fatalf("Write: %v", err)
	}
	var back []T
	err := tabular.Read(context.Background(), &buf, "x."+string(format), kind, func(r tabular.Row) error {
		if r.Err != nil {
			t.Fatalf("re-read row %d: %v", r.Num, r.Err)
		}
		var v any = r.Achievement
		if kind == data.KindDemand {
			v = r.Demand
		}
		back = append(back, *v.(*T))
		return nil
	})
	if err != nil {
		t.Fatalf("re-read: %v", err)
	}
	sameJSON(t, back, recs)
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(achievementsCSV))
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(achievementsCSV)
	f.Add([]byte(gb))
	f.Add([]byte("需求名称\t预算\t揭榜挂帅\n甲\t10~50\t是\n乙\tabc\t\n"))
	f.Add([]byte("title;keywords;price_wan.min\n\"a;b\";\"x\ny\";5\n"))
	f.Add([]byte("成果名称,\"坏\"引号\n\"未闭合"))
	f.Add([]byte("\xff\xfe\x00\x00"))
	addGolden(f, "achievements.csv.golden", "demands.csv.golden")
	f.Fuzz(func(t *testing.T, b []byte) {
		as, _ := checkRows(t, "f.csv", data.KindAchievement, b)
		_, ds := checkRows(t, "f.csv", data.KindDemand, b)
		roundTrip(t, tabular.FormatCSV, data.KindAchievement, as)
		roundTrip(t, tabular.FormatCSV, data.KindDemand, ds)
	})
}

func FuzzReadJSONL(f *testing.F) {
	addGolden(f, "achievements.jsonl.golden", "demands.jsonl.golden")
	f.Add([]byte(`{"id":"a","title":"甲","x":[1, 2]}` + "\n\n" + `{"title":` + "\n[1]\n"))
	f.Add([]byte(`[{"title":"甲"},{"title":"乙","year":"x"}]`))
	f.Add([]byte(`{"title":"t","budget_wan":{"min":1e400},"contact":{"name":"x"},"created":"2024-05-01T08:00:00+08:00"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		as, _ := checkRows(t, "f.jsonl", data.KindAchievement, b)
		_, ds := checkRows(t, "f.jsonl", data.KindDemand, b)
		checkRows(t, "f.json", data.KindDemand, b)
		roundTrip(t, tabular.FormatJSONL, data.KindAchievement, as)
		roundTrip(t, tabular.FormatJSONL, data.KindDemand, ds)
	})
}

func FuzzReadXLSX(f *testing.F) {
	var buf bytes.Buffer
	if err := tabular.Write(context.Background(), &buf, tabular.FormatXLSX, tabular.Records(sampleDemands())); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRows(t, "f.xlsx", data.KindDemand, b)
	})
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"10-50", "10~50", "10至50", "面议", "12.5", "200以上", "≤50", "1-2亿", "5000元", "1,000", "50-10", "abc", "", "１０万～５０万元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := tabular.ParseRange(s)
		if err != nil {
			if data.ErrorCode(err) != data.EINVALID {
				t.Fatalf("ParseRange(%q) error %v, want EINVALID", s, err)
			}
			return
		}
		if r == nil {
			return
		}
		for _, v := range []float64{r.Min, r.Max} {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("ParseRange(%q) = %+v", s, *r)
			}
		}
		// Max 0 means no upper bound ("200以上").
		if r.Max != 0 && r.Min > r.Max {
			t.Fatalf("ParseRange(%q) = %+v: min above max", s, *r)
		}
		back, err := tabular.ParseRange(tabular.FormatRange(r))
		if err != nil || back == nil || *back != *r {
			t.Fatalf("ParseRange(%q) = %+v, but FormatRange gives %q which reads as %+v, %v", s, *r, tabular.FormatRange(r), back, err)
		}
	})
}
