package data_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestAchievementValidate(t *testing.T) {
	tests := []struct {
		name   string
		rec    data.Achievement
		fields []string // fields that must be reported, in order
	}{
		{"ok title only", data.Achievement{Title: "一种秸秆还田机"}, nil},
		{"ok full", data.Achievement{ID: "a-1", Title: "x", Maturity: "TRL6", TransferModes: []string{"许可"},
			PriceWan: &data.Range{Min: 10, Max: 50}, Published: "2024-05-01", Status: "发布中"}, nil},
		{"empty title", data.Achievement{Title: "  "}, []string{"title"}},
		{"long title", data.Achievement{Title: strings.Repeat("长", data.MaxTitleLen+1)}, []string{"title"}},
		{"everything wrong at once", data.Achievement{ID: "有 空格", Title: "", Maturity: "半成品",
			TransferModes: []string{"赠送"}, PriceWan: &data.Range{Min: 50, Max: 10}, Published: "昨天", Status: "x"},
			[]string{"id", "title", "maturity", "transfer_modes[0]", "price_wan", "published", "status"}},
		{"negative price", data.Achievement{Title: "x", PriceWan: &data.Range{Min: -1}}, []string{"price_wan"}},
		{"bad year", data.Achievement{Title: "x", Year: 20}, []string{"year"}},
		{"inventor without name", data.Achievement{Title: "x", Inventors: []data.Inventor{{Title: "教授"}}}, []string{"inventors[0].name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, tt.rec.Validate(), tt.fields)
		})
	}
}

func TestDemandValidate(t *testing.T) {
	tests := []struct {
		name   string
		rec    data.Demand
		fields []string
	}{
		{"ok", data.Demand{Title: "玉米深加工", BudgetWan: &data.Range{Min: 0, Max: 100}, Deadline: "2027-01"}, nil},
		{"budget reversed", data.Demand{Title: "x", BudgetWan: &data.Range{Min: 200, Max: 100}}, []string{"budget_wan"}},
		{"reward without challenge", data.Demand{Title: "x", RewardWan: 100}, []string{"reward_wan"}},
		{"challenge with reward", data.Demand{Title: "x", Challenge: true, RewardWan: 100}, nil},
		{"bad email and deadline", data.Demand{Title: "x", Deadline: "2027-13-40", Contact: &data.Contact{Email: "abc"}},
			[]string{"deadline", "contact.email"}},
		{"unknown maturity", data.Demand{Title: "x", Maturity: "TRL10"}, []string{"maturity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, tt.rec.Validate(), tt.fields)
		})
	}
}

func checkFields(tb testing.TB, err error, want []string) {
	tb.Helper()
	if len(want) == 0 {
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if data.ErrorCode(err) != data.EINVALID {
		tb.Fatalf("code = %q, want invalid (err %v)", data.ErrorCode(err), err)
	}
	got := data.ErrorFields(err)
	if len(got) != len(want) {
		tb.Fatalf("fields = %+v, want %v", got, want)
	}
	for i, f := range got {
		if f.Field != want[i] {
			tb.Errorf("field %d = %q, want %q", i, f.Field, want[i])
		}
		if f.Message == "" || !containsHan(f.Message) {
			tb.Errorf("field %q: message %q is not a Chinese message", f.Field, f.Message)
		}
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestMaturityStage(t *testing.T) {
	for in, want := range map[string]int{"研发": 1, "小试": 2, "中试": 3, "产业化": 4, "TRL1": 1, "trl 5": 2, "7": 3, "TRL9": 4, "TRL0": 0, "": 0, "成熟": 0} {
		if got := data.MaturityStage(in); got != want {
			t.Errorf("MaturityStage(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestUnknownFieldsRoundTrip(t *testing.T) {
	in := `{"id":"x","title":"t","abstract":"a","source":{"url":"u"},"zz":[1,2]}`
	var d data.Achievement
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Extra) != 2 {
		t.Fatalf("extra = %v", d.Extra)
	}
	out, _ := json.Marshal(d)
	var back map[string]any
	json.Unmarshal(out, &back)
	if back["zz"] == nil || back["source"] == nil || back["abstract"] != "a" {
		t.Fatalf("round trip lost fields: %s", out)
	}
}

func TestNormalizeTitle(t *testing.T) {
	if a, b := data.NormalizeTitle("ＬｉＦｅＰＯ４ 正极材料！"), data.NormalizeTitle("lifepo4正极材料"); a != b {
		t.Fatalf("%q != %q", a, b)
	}
}

func TestPublicDropsContact(t *testing.T) {
	d := data.Demand{Title: "x", Contact: &data.Contact{Phone: "139"}, Meta: data.Meta{Owner: "tok-1"}}
	if p := d.Public(); p.Contact != nil || p.Owner != "" || d.Contact == nil {
		t.Fatalf("Public = %+v (original %+v)", p, d)
	}
	a := data.Achievement{Title: "x", Inventors: []data.Inventor{{Name: "王", Contact: "139"}}}
	if p := a.Public(); p.Inventors[0].Contact != "" || a.Inventors[0].Contact == "" {
		t.Fatalf("Public = %+v, original %+v", p, a)
	}
}
