package index_test

import (
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index"
)

// fixtureAchievements is a small catalogue covering the analyzer's cases and
// every filter.
func fixtureAchievements() []data.Achievement {
	return []data.Achievement{
		{
			ID: "a-bank", Title: "中国农业发展银行信贷风险评估模型",
			Abstract: "面向政策性银行的农业贷款，建立信贷风险评估模型。",
			Keywords: []string{"信贷风险", "政策性银行"},
			Field:    "金融科技", Discipline: "管理科学与工程", Maturity: "研发",
			Institution: "吉林财经大学", Region: data.Region{Province: "吉林省", City: "长春市", County: "净月区"},
			PriceWan: &data.Range{Min: 10, Max: 20}, Published: "2023-03-01",
		},
		{
			ID: "a-tsinghua", Title: "高精度光栅尺测量系统",
			Abstract: "清华大学精密仪器系研制的纳米级光栅尺测量系统，适用于数控机床。",
			Field:    "高端装备", Maturity: "TRL6",
			Institution: "清华大学", Region: data.Region{Province: "北京市", City: "北京市", County: "海淀区"},
			PriceWan: &data.Range{Min: 50, Max: 80}, Published: "2024-01-15",
			Inventors: []data.Inventor{{Name: "王建国", Contact: "13800000000"}},
		},
		{
			ID: "a-lfp", Title: "LiFePO4正极材料低成本制备技术",
			Abstract: "磷酸铁锂（LiFePO4）正极材料的固相合成工艺，符合GB/T 30835-2014标准，适用于5G基站储能和电动车动力电池。",
			Keywords: []string{"磷酸铁锂", "正极材料", "锂离子电池"},
			Field:    "新能源", Industry: "电池制造", Maturity: "中试",
			Institution: "吉林大学", Region: data.Region{Province: "吉林省", City: "长春市", County: "朝阳区"},
			PriceWan: &data.Range{Min: 100}, Published: "2024-06-01", Status: "发布中",
			Inventors: []data.Inventor{{Name: "李明"}},
		},
		{
			ID: "a-ev", Title: "新能源汽车电池管理系统",
			Abstract: "面向纯电动汽车的电池管理系统（BMS），支持SOC估计与热管理。",
			Field:    "新能源", Industry: "汽车制造", Maturity: "产业化",
			Institution: "长春理工大学", Region: data.Region{Province: "吉林省", City: "长春市"},
			PriceWan: &data.Range{Min: 200, Max: 300}, Published: "2022-11-20",
		},
		{
			ID: "a-fullwidth", Title: "ＡＩ辅助的玉米病害识别",
			Abstract: "基于深度学习的玉米叶片病害图像识别，准确率９８％。",
			Field:    "农业", Maturity: "小试",
			Institution: "吉林农业大学", Region: data.Region{Province: "吉林省", City: "长春市"},
			Published: "2021-05-05", Status: "已成交",
		},
		{
			ID: "a-steel", Title: "Φ20mm高强度钢筋连接技术",
			Abstract: "适用于Φ20mm以上钢筋的机械连接，抗拉强度提高30%。",
			Field:    "建筑材料", Maturity: "产业化",
			Institution: "吉林建筑大学", Region: data.Region{Province: "吉林省", City: "吉林市"},
			Year: 2020,
		},
	}
}

func fixtureDemands() []data.Demand {
	return []data.Demand{
		{
			ID: "d-battery", Title: "动力电池正极材料降本技术需求",
			Description: "寻求磷酸铁锂正极材料降本工艺，年产能一万吨。",
			Industry:    "电池制造", Field: "新能源",
			Enterprise: data.Enterprise{Name: "长春某新能源科技有限公司"},
			Region:     data.Region{Province: "吉林省", City: "长春市"},
			BudgetWan:  &data.Range{Min: 100, Max: 500}, Published: "2024-05-01",
			Contact: &data.Contact{Name: "张三", Phone: "13912345678"},
		},
		{
			ID: "d-challenge", Title: "汽车轻量化复合材料揭榜挂帅",
			Description: "面向一汽的车身轻量化需求，征集碳纤维复合材料方案。",
			Industry:    "汽车制造", Field: "新材料",
			Enterprise: data.Enterprise{Name: "中国第一汽车集团有限公司"},
			Region:     data.Region{Province: "吉林省", City: "长春市"},
			Challenge:  true, RewardWan: 300, Published: "2024-07-01",
		},
	}
}

// fixtureIndex returns an index over the fixture catalogue, synced.
func fixtureIndex(tb testing.TB) (*index.Index, *memStore) {
	tb.Helper()
	store := newMemStore()
	mustPutAchievements(tb, store, fixtureAchievements()...)
	mustPutDemands(tb, store, fixtureDemands()...)
	ix := MustOpenIndex(tb, store, index.Options{})
	MustSync(tb, ix)
	return ix, store
}
