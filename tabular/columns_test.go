package tabular

import (
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestHeaderMapping(t *testing.T) {
	for _, tt := range []struct {
		kind   data.Kind
		header string
		want   string // JSON path, "" for unknown
	}{
		{data.KindAchievement, "成果编号", "id"},
		{data.KindAchievement, "编号", "id"},
		{data.KindAchievement, "id", "id"},
		{data.KindAchievement, "ID", "id"},
		{data.KindAchievement, "成果名称", "title"},
		{data.KindAchievement, "项目名称", "title"},
		{data.KindAchievement, " 名 称 ", "title"},
		{data.KindAchievement, "成果名称*", "title"},
		{data.KindAchievement, "\ufeff成果名称", "title"},
		{data.KindAchievement, "Title", "title"},
		{data.KindAchievement, "成果简介", "abstract"},
		{data.KindAchievement, "摘要", "abstract"},
		{data.KindAchievement, "关键字", "keywords"},
		{data.KindAchievement, "所属学科", "discipline"},
		{data.KindAchievement, "领域", "field"},
		{data.KindAchievement, "所属行业", "industry"},
		{data.KindAchievement, "依托单位", "institution"},
		{data.KindAchievement, "发明人", "inventors"},
		{data.KindAchievement, "技术成熟度", "maturity"},
		{data.KindAchievement, "合作方式", "transfer_modes"},
		{data.KindAchievement, "transfer_modes", "transfer_modes"},
		{data.KindAchievement, "价格", "price_wan"},
		{data.KindAchievement, "价格(万元)", "price_wan"},
		{data.KindAchievement, "价格（万元）", "price_wan"},
		{data.KindAchievement, "转让价格 (万元)", "price_wan"},
		{data.KindAchievement, "PRICE_WAN", "price_wan"},
		{data.KindAchievement, "price_wan.min", "price_wan.min"},
		{data.KindAchievement, "price_wan.max", "price_wan.max"},
		{data.KindAchievement, "省", "region.province"},
		{data.KindAchievement, "region.city", "region.city"},
		{data.KindAchievement, "县", "region.county"},
		{data.KindAchievement, "专利号", "patents"},
		{data.KindAchievement, "年份", "year"},
		{data.KindAchievement, "发布时间", "published"},
		{data.KindAchievement, "状态", "status"},
		{data.KindAchievement, "需求描述", ""},
		{data.KindAchievement, "备注", ""},
		{data.KindAchievement, "", ""},
		{data.KindAchievement, "(万元)", ""},
		{data.KindDemand, "需求编号", "id"},
		{data.KindDemand, "需求标题", "title"},
		{data.KindDemand, "名称", "title"},
		{data.KindDemand, "需求内容", "description"},
		{data.KindDemand, "关键词", "keywords"},
		{data.KindDemand, "行业", "industry"},
		{data.KindDemand, "技术领域", "field"},
		{data.KindDemand, "单位名称", "enterprise.name"},
		{data.KindDemand, "enterprise.name", "enterprise.name"},
		{data.KindDemand, "企业规模", "enterprise.size"},
		{data.KindDemand, "城市", "region.city"},
		{data.KindDemand, "预算(万元)", "budget_wan"},
		{data.KindDemand, "资金预算", "budget_wan"},
		{data.KindDemand, "budget_wan.max", "budget_wan.max"},
		{data.KindDemand, "截止时间", "deadline"},
		{data.KindDemand, "合作方式", "modes"},
		{data.KindDemand, "期望成熟度", "maturity"},
		{data.KindDemand, "揭榜挂帅", "challenge"},
		{data.KindDemand, "奖励(万元)", "reward_wan"},
		{data.KindDemand, "揭榜奖励（万元）", "reward_wan"},
		{data.KindDemand, "联系人", "contact.name"},
		{data.KindDemand, "电话", "contact.phone"},
		{data.KindDemand, "电子邮箱", "contact.email"},
		{data.KindDemand, "E-mail", "contact.email"},
		{data.KindDemand, "发布日期", "published"},
		{data.KindDemand, "成果简介", ""},
	} {
		var got string
		switch tt.kind {
		case data.KindAchievement:
			if i := achievementSchema.lookup(tt.header); i >= 0 {
				got = achievementSchema.cols[i].key
			}
		case data.KindDemand:
			if i := demandSchema.lookup(tt.header); i >= 0 {
				got = demandSchema.cols[i].key
			}
		}
		if got != tt.want {
			t.Errorf("%s: header %q maps to %q, want %q", tt.kind, tt.header, got, tt.want)
		}
	}
}

// Every canonical header maps back to its own column, and no two columns
// share one, so that exports read back.
func TestCanonicalHeaders(t *testing.T) {
	check := func(kind data.Kind, header []string, lookup func(string) int, key func(int) string, keys []string) {
		t.Helper()
		if len(header) != len(keys) {
			t.Fatalf("%s: %d headers for %d exported columns", kind, len(header), len(keys))
		}
		seen := map[string]bool{}
		for i, h := range header {
			if seen[h] {
				t.Errorf("%s: header %q twice", kind, h)
			}
			seen[h] = true
			if j := lookup(h); j < 0 || key(j) != keys[i] {
				t.Errorf("%s: canonical header %q does not map to %s", kind, h, keys[i])
			}
		}
	}
	var akeys, dkeys []string
	for _, c := range achievementSchema.cols {
		if c.label != "" {
			akeys = append(akeys, c.key)
		}
	}
	for _, c := range demandSchema.cols {
		if c.label != "" {
			dkeys = append(dkeys, c.key)
		}
	}
	ah, err := Header(data.KindAchievement)
	if err != nil {
		t.Fatal(err)
	}
	dh, err := Header(data.KindDemand)
	if err != nil {
		t.Fatal(err)
	}
	check(data.KindAchievement, ah, achievementSchema.lookup, func(i int) string { return achievementSchema.cols[i].key }, akeys)
	check(data.KindDemand, dh, demandSchema.lookup, func(i int) string { return demandSchema.cols[i].key }, dkeys)
	if _, err := Header("events"); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("Header(events) error = %v, want EINVALID", err)
	}
}

func TestDuplicateAliasPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("newSchema accepted two columns with the header 名称")
		}
	}()
	newSchema(data.KindDemand, []column[dem]{
		textCol("id", "名称", nil, func(d *dem) *string { return &d.ID }),
		textCol("title", "标题", []string{"名称"}, func(d *dem) *string { return &d.Title }),
	}, nil, nil, nil)
}
