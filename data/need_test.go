package data

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSplitNeed(t *testing.T) {
	tests := []struct {
		name, text       string
		needHas, profHas []string
	}{
		{"headings",
			"需求内容：开发高韧性单晶新牌号。预期目标：韧性≥67%。现有工作基础：\n1、公司现有厂房3栋。2、企业产品市场前景良好。",
			[]string{"高韧性单晶", "韧性≥67%"}, []string{"厂房3栋", "市场前景良好"}},
		{"profile first, need after",
			"公司简介：本公司成立于2008年，现有职工300余人，年产值2亿元，主要产品为北斗终端。技术需求：寻求高速光模块封装技术。",
			[]string{"光模块封装"}, []string{"北斗终端", "职工300余人"}},
		{"facts without a heading",
			"公司始建于1987年，占地280亩，现有职工460名。拟开发600MPa级高强钢筋，需解决微合金化工艺问题。",
			[]string{"600MPa", "微合金化"}, []string{"始建于1987年"}},
		{"a fact sentence that asks stays need",
			"公司拟出资60万元寻求技术合作伙伴共同研发无抗饲料配方。",
			[]string{"无抗饲料"}, nil},
		{"heading after a comma",
			"研制环保装备数字化管理系统，工作基础：公司成立智能化办公室。",
			[]string{"数字化管理系统"}, []string{"智能化办公室"}},
	}
	for _, tt := range tests {
		need, prof := SplitNeed(tt.text)
		for _, w := range tt.needHas {
			if !strings.Contains(need, w) {
				t.Errorf("%s: need %q lacks %s", tt.name, need, w)
			}
		}
		for _, w := range tt.profHas {
			if !strings.Contains(prof, w) || strings.Contains(need, w) {
				t.Errorf("%s: %s not in the profile only (need %q, profile %q)", tt.name, w, need, prof)
			}
		}
		if len(need)+len(prof) != len(tt.text) {
			t.Errorf("%s: parts hold %d bytes of %d", tt.name, len(need)+len(prof), len(tt.text))
		}
	}
}

func FuzzSplitNeed(f *testing.F) {
	f.Add("需求内容：开发新牌号。工作基础：公司成立于2011年，职工50人。")
	f.Add("公司简介\n主要产品：北斗终端；技术需求：光模块")
	f.Fuzz(func(t *testing.T, s string) {
		need, prof := SplitNeed(s)
		if len(need)+len(prof) != len(s) {
			t.Fatalf("parts hold %d bytes of %d", len(need)+len(prof), len(s))
		}
	})
}

func TestAmountText(t *testing.T) {
	for _, tt := range []struct {
		r    *Range
		want string
	}{
		{&Range{Min: 200}, "200万元以上"},
		{&Range{Max: 15}, "15万元以内"},
		{&Range{Min: 990, Max: 1450}, "990–1450万元"},
		{&Range{Min: 300, Max: 300}, "300万元"},
		{&Range{Min: 0.5, Max: 2.5}, "0.5–2.5万元"},
		{nil, "面议"},
		{&Range{}, "面议"},
	} {
		if got := AmountText(tt.r); got != tt.want {
			t.Errorf("AmountText(%+v) = %q, want %q", tt.r, got, tt.want)
		}
	}
	b, err := json.Marshal(Demand{ID: "d", Title: "t", BudgetWan: &Range{Min: 200}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"budget_wan":{"min":200,"max":0,"text":"200万元以上"}`) {
		t.Errorf("budget JSON = %s", b)
	}
	var back Demand
	if err := json.Unmarshal(b, &back); err != nil || back.BudgetWan == nil || back.BudgetWan.Min != 200 {
		t.Errorf("budget read back = %+v, %v", back.BudgetWan, err)
	}
}

func TestMaturityScale(t *testing.T) {
	for in, want := range map[string]string{
		"TRL1": "实验室", "TRL3": "实验室", "trl 4": "小试", "5": "小试", "TRL6": "中试", "7": "中试", "TRL8": "产业化", "9": "产业化",
		"研发": "实验室", "实验室阶段": "实验室", "小试阶段": "小试", "中试阶段": "中试", "已产业化": "产业化", "批量生产": "产业化",
		"TRL10": "", "成熟": "",
	} {
		if got := MaturityName(in); got != want {
			t.Errorf("MaturityName(%q) = %q, want %q", in, got, want)
		}
	}
	a := Achievement{Maturity: " TRL6 "}
	a.Normalize()
	if a.Maturity != "中试" {
		t.Errorf("normalized TRL6 = %q, want 中试", a.Maturity)
	}
	d := Demand{Maturity: "奇怪的阶段"}
	d.Normalize()
	if d.Maturity != "奇怪的阶段" {
		t.Errorf("an unknown maturity changed to %q", d.Maturity)
	}
}

func TestPastDeadline(t *testing.T) {
	now := time.Date(2026, 5, 10, 15, 0, 0, 0, time.UTC)
	for dl, want := range map[string]bool{"2026-05-09": true, "2026-05-10": false, "2026-06-01": false, "": false, "不详": false} {
		d := Demand{Deadline: dl}
		if got := d.PastDeadline(now); got != want {
			t.Errorf("PastDeadline(%q) = %v, want %v", dl, got, want)
		}
	}
	d := Demand{Deadline: "2000-01-01"}
	if !d.Public().Expired {
		t.Error("Public does not mark a demand past its deadline")
	}
	d.Expired = true
	d.Normalize()
	if d.Expired {
		t.Error("Normalize keeps a client's expired mark")
	}
}
