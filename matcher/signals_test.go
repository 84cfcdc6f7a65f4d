package matcher

import (
	"math"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

func TestProximity(t *testing.T) {
	r := func(p, c, k string) data.Region { return data.Region{Province: p, City: c, County: k} }
	tests := []struct {
		name  string
		a, b  data.Region
		want  float64
		level int
	}{
		{"same county", r("吉林省", "长春市", "朝阳区"), r("吉林省", "长春市", "朝阳区"), regionCounty, levelCounty},
		{"same city, other county", r("吉林省", "长春市", "朝阳区"), r("吉林省", "长春市", "南关区"), regionCity, levelCity},
		{"same city, short names", r("吉林", "长春", ""), r("吉林省", "长春市", ""), regionCity, levelCity},
		{"city only, province inferred", r("", "长春市", ""), r("吉林省", "长春市", ""), regionCity, levelCity},
		{"same province", r("吉林省", "长春市", ""), r("吉林省", "通化市", ""), regionProvince, levelProvince},
		{"province from city", r("", "延边朝鲜族自治州", ""), r("吉林省", "", ""), regionProvince, levelProvince},
		{"northeast", r("吉林省", "长春市", ""), r("辽宁省", "沈阳市", ""), regionNortheast, levelNortheast},
		{"east inner mongolia", r("吉林省", "", ""), r("内蒙古自治区", "通辽市", ""), regionNortheast, levelNortheast},
		{"west inner mongolia is elsewhere", r("吉林省", "", ""), r("内蒙古自治区", "呼和浩特市", ""), regionElsewhere, levelElsewhere},
		{"elsewhere", r("吉林省", "长春市", ""), r("广东省", "深圳市", ""), regionElsewhere, levelElsewhere},
		{"same municipality", r("北京市", "", ""), r("北京市", "北京市", "海淀区"), regionCity, levelCity},
		{"one missing", r("", "", ""), r("吉林省", "长春市", ""), regionUnknown, levelUnknown},
		{"both missing", r("", "", ""), r("", "", ""), regionUnknown, levelUnknown},
		{"unknown cities only", r("", "某某市", ""), r("", "另一市", ""), regionUnknown, levelUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, l := proximity(placeOf(tt.a), placeOf(tt.b))
			v2, l2 := proximity(placeOf(tt.b), placeOf(tt.a))
			if v != tt.want || l != tt.level {
				t.Errorf("proximity = %v (level %d), want %v (level %d)", v, l, tt.want, tt.level)
			}
			if v != v2 || l != l2 {
				t.Errorf("not symmetric: %v/%d against %v/%d", v, l, v2, l2)
			}
		})
	}
	if !(regionCounty > regionCity && regionCity > regionProvince && regionProvince > regionNortheast &&
		regionNortheast > regionUnknown && regionUnknown > regionElsewhere) {
		t.Error("region values are not in order of closeness")
	}
}

func TestPriceFit(t *testing.T) {
	r := func(lo, hi float64) *data.Range { return &data.Range{Min: lo, Max: hi} }
	tests := []struct {
		name          string
		price, budget *data.Range
		want          float64
		fits          int
	}{
		{"both missing", nil, nil, 0.5, 0},
		{"no budget", r(50, 80), nil, 0.5, 0},
		{"zero budget means not given", r(50, 80), r(0, 0), 0.5, 0},
		{"no price", nil, r(0, 100), 0.5, 0},
		{"zero price means not given", r(0, 0), r(0, 100), 0.5, 0},
		{"within", r(50, 80), r(0, 100), 1, 1},
		{"lowest price within", r(80, 150), r(0, 100), 1, 1},
		{"budget open above", r(500, 0), r(100, 0), 1, 1},
		{"price as maximum only", r(0, 60), r(0, 100), 1, 1},
		{"over budget", r(200, 300), r(0, 100), 0.45, -1},
		{"far over budget", r(5000, 0), r(0, 10), 0.05, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, f := priceFit(tt.price, tt.budget)
			if math.Abs(v-tt.want) > 1e-9 || f != tt.fits {
				t.Errorf("priceFit = %v, %d; want %v, %d", v, f, tt.want, tt.fits)
			}
		})
	}
}

func TestMaturity(t *testing.T) {
	for _, tt := range []struct {
		want, have int
		v          float64
	}{
		{0, 0, 0.5}, {0, 4, 0.5}, {3, 0, 0.5}, {3, 3, 1}, {3, 4, 1}, {3, 2, 0.4}, {3, 1, 0.15}, {4, 1, 0.05}, {1, 1, 1},
	} {
		if v := maturityFit(tt.want, tt.have); v != tt.v {
			t.Errorf("maturityFit(%d, %d) = %v, want %v", tt.want, tt.have, v, tt.v)
		}
	}
	for _, tt := range []struct {
		d    data.Demand
		want int
	}{
		{data.Demand{Title: "x"}, 0},
		{data.Demand{Title: "x", Maturity: "小试"}, 2},
		{data.Demand{Title: "x", Maturity: "TRL8"}, 4},
		{data.Demand{Title: "建设生产线"}, 3},
		{data.Demand{Title: "x", Description: "希望实现产业化"}, 3},
		{data.Demand{Title: "x", Maturity: "研发", Description: "产业化"}, 1}, // the field wins
	} {
		if got := wantedMaturity(&tt.d); got != tt.want {
			t.Errorf("wantedMaturity(%+v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestModeFit(t *testing.T) {
	for _, tt := range []struct {
		want, offer []string
		v           float64
		both        int
	}{
		{nil, nil, 0.5, 0},
		{[]string{"许可"}, nil, 0.5, 0},
		{nil, []string{"许可"}, 0.5, 0},
		{[]string{"许可", "转让"}, []string{"转让"}, 1, 1},
		{[]string{"许可"}, []string{"作价入股"}, 0.2, 0},
	} {
		v, both := modeFit(tt.want, tt.offer)
		if v != tt.v || len(both) != tt.both {
			t.Errorf("modeFit(%v, %v) = %v, %v", tt.want, tt.offer, v, both)
		}
	}
}

func TestFreshness(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	open := &data.Demand{Title: "x", Deadline: "2025-12-31"}
	closed := &data.Demand{Title: "x", Deadline: "2025-01-31"}
	none := &data.Demand{Title: "x"}
	for _, tt := range []struct {
		name      string
		published string
		year      int
		d         *data.Demand
		want      float64
	}{
		{"nothing known", "", 0, none, 0.5},
		{"recent", "2024-06-01", 0, none, 1},
		{"year only", "", 2024, none, 1},
		{"old", "2005-01-01", 0, none, 0.2},
		{"mid", "", 2015, none, 1 - 0.8*(now.Sub(time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC)).Hours()/24/365.25-2)/13},
		{"bad date, no year", "昨天", 0, none, 0.5},
		{"open demand only", "", 0, open, 1},
		{"closed demand", "", 0, closed, 0.1},
		{"recent achievement, closed demand", "2024-06-01", 0, closed, 0.55},
	} {
		if got := freshness(tt.published, tt.year, tt.d, now); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: freshness = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestChallenge(t *testing.T) {
	if v := challengeValue(&data.Demand{}); v != 0.5 {
		t.Errorf("plain demand: %v", v)
	}
	if a, b := challengeValue(&data.Demand{Challenge: true}), challengeValue(&data.Demand{Challenge: true, RewardWan: 100}); !(a > 0.5 && b > a) {
		t.Errorf("challenge %v, with reward %v", a, b)
	}
}

func TestCompatibility(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"汽车制造业", "先进制造与自动化", fieldSame},
		{"医药制造业", "生物与新医药", fieldSame},
		{"软件和信息技术服务业", "计算机科学与技术", fieldSame},
		{"农副食品加工业", "现代农业", fieldSame},
		{"新能源材料", "材料科学与工程", fieldSame},
		{"智能装备制造", "电子信息", fieldSame}, // 智能 is both
		{"汽车制造业", "新材料", fieldRelated},
		{"医药制造业", "现代农业", fieldRelated},
		{"医药制造业", "航空航天", fieldOther},
		{"", "新材料", fieldUnknown},
		{"汽车制造业", "", fieldUnknown},
		{"哲学", "新材料", fieldUnknown}, // no domain known for 哲学
	}
	for _, tt := range tests {
		got, _ := compatibility(sectorOf(tt.a), sectorOf(tt.b))
		back, _ := compatibility(sectorOf(tt.b), sectorOf(tt.a))
		if got != tt.want || back != got {
			t.Errorf("compatibility(%s, %s) = %v (back %v), want %v", tt.a, tt.b, got, back, tt.want)
		}
	}
	if got := sectorOf("新能源与节能").names(); len(got) != 1 || got[0] != "新能源与节能" {
		t.Errorf("a domain named by its own name maps to %v", got)
	}
	if names := sectorOf("电气机械和器材制造业").names(); len(names) == 0 {
		t.Error("电气机械和器材制造业 maps to no domain")
	}
}

func TestUnits(t *testing.T) {
	a, b := unitsOf("ＬｉＦｅＰＯ４正极材料"), unitsOf("lifepo4 正极材料")
	if len(a) != len(b) {
		t.Fatalf("full-width and half-width differ: %v %v", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("full-width and half-width differ: %v %v", a, b)
		}
	}
	u := unitCounts{}
	addUnits("锂电池，锂电池", u)
	if u[unit('锂')] != 2 || u[bigramUnit('锂', '电')] != 2 || u[bigramUnit('池', '锂')] != 0 {
		t.Errorf("units of 锂电池，锂电池: %v", u)
	}
	for k := range u {
		if unitIsBigram(k) != (k >= unitBigramFlag) {
			t.Errorf("unit %x misclassified", k)
		}
	}
	if cutRunes("一二三四", 2) != "一二" || cutRunes("ab", 5) != "ab" {
		t.Error("cutRunes")
	}
}

// TestKeywordOverlap checks the keyword signal on both sides and its
// neutral value.
func TestKeywordOverlap(t *testing.T) {
	m, _ := newTestMatcher(t)
	mdl, err := m.Model(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w := DefaultWeights()
	q := newQuery(mdl, m.Analyzer, &data.Demand{Title: "隔膜涂覆", Keywords: []string{"隔膜", "石墨烯"}}, w)
	p := achievementProfile(m.Analyzer, &data.Achievement{Title: "陶瓷涂覆隔膜", Keywords: []string{"涂覆"}}, nil)
	v, matched := keywordOverlap(q, p, true)
	if math.Abs(v-2.0/3) > 1e-9 || len(matched) != 2 {
		t.Errorf("overlap = %v %v, want 2/3 (隔膜 found, 石墨烯 not, 涂覆 found)", v, matched)
	}
	q = newQuery(mdl, m.Analyzer, &data.Demand{Title: "隔膜"}, w)
	p = achievementProfile(m.Analyzer, &data.Achievement{Title: "隔膜"}, nil)
	if v, _ := keywordOverlap(q, p, true); v != Signals[sKeywords].Neutral {
		t.Errorf("no keywords on either side: %v, want neutral", v)
	}
}

func TestSignalsTable(t *testing.T) {
	if len(Signals) != numSignals {
		t.Fatalf("%d signals described, %d computed", len(Signals), numSignals)
	}
	seen := map[string]bool{}
	for i, s := range Signals {
		if seen[s.Name] || signalIndex(s.Name) != i || s.Label == "" {
			t.Errorf("signal %d %+v", i, s)
		}
		seen[s.Name] = true
		if s.Neutral < 0 || s.Neutral > 1 {
			t.Errorf("%s: neutral %v", s.Name, s.Neutral)
		}
	}
}
