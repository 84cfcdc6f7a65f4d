package matcher

import (
	"strings"

	"github.com/techmatch/techmatch/data"
)

// Region proximity. The centre's policy favours local transfer (本地转化):
// the same county beats the same city, the same city the same province, and
// within the Northeast (辽宁、吉林、黑龙江 and the east of Inner Mongolia)
// beats elsewhere. A missing region is neutral.

// Values of the region signal.
const (
	regionCounty    = 1.0
	regionCity      = 0.85
	regionProvince  = 0.7
	regionNortheast = 0.55
	regionUnknown   = 0.5
	regionElsewhere = 0.3
)

// Proximity levels, for explanations.
const (
	levelUnknown = iota
	levelElsewhere
	levelNortheast
	levelProvince
	levelCity
	levelCounty
)

// northeastProvinces are the three north-eastern provinces.
var northeastProvinces = map[string]bool{"辽宁": true, "吉林": true, "黑龙江": true}

// eastMongolia are the leagues and cities of eastern Inner Mongolia counted
// as the Northeast (蒙东).
var eastMongolia = map[string]bool{"呼伦贝尔": true, "兴安": true, "通辽": true, "赤峰": true, "锡林郭勒": true}

// cityProvince knows the province of the Northeast's cities, so that a
// record giving only its city (长春市) is placed.
var cityProvince = map[string]string{
	"长春": "吉林", "吉林": "吉林", "四平": "吉林", "辽源": "吉林", "通化": "吉林", "白山": "吉林",
	"松原": "吉林", "白城": "吉林", "延边": "吉林", "延边朝鲜族": "吉林", "梅河口": "吉林",
	"沈阳": "辽宁", "大连": "辽宁", "鞍山": "辽宁", "抚顺": "辽宁", "本溪": "辽宁", "丹东": "辽宁",
	"锦州": "辽宁", "营口": "辽宁", "阜新": "辽宁", "辽阳": "辽宁", "盘锦": "辽宁", "铁岭": "辽宁",
	"朝阳": "辽宁", "葫芦岛": "辽宁",
	"哈尔滨": "黑龙江", "齐齐哈尔": "黑龙江", "鸡西": "黑龙江", "鹤岗": "黑龙江", "双鸭山": "黑龙江",
	"大庆": "黑龙江", "伊春": "黑龙江", "佳木斯": "黑龙江", "七台河": "黑龙江", "牡丹江": "黑龙江",
	"黑河": "黑龙江", "绥化": "黑龙江", "大兴安岭": "黑龙江",
	"呼伦贝尔": "内蒙古", "兴安": "内蒙古", "通辽": "内蒙古", "赤峰": "内蒙古", "锡林郭勒": "内蒙古",
}

// placeInfo is a region with its names reduced to their cores (吉林省 →
// 吉林, 延边朝鲜族自治州 → 延边), so that 长春 and 长春市 agree.
type placeInfo struct {
	province, city, county string
	// label is the most specific name as given, for explanations.
	cityLabel, countyLabel, provinceLabel string
}

func (p placeInfo) known() bool { return p.province != "" || p.city != "" }

func (p placeInfo) northeast() bool {
	return northeastProvinces[p.province] || (p.province == "内蒙古" && eastMongolia[p.city]) ||
		(p.province == "" && p.city != "" && cityProvince[p.city] != "" && cityProvince[p.city] != "内蒙古") ||
		(p.province == "" && eastMongolia[p.city])
}

var provinceSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"}
var citySuffixes = []string{"朝鲜族自治州", "土家族苗族自治州", "藏族自治州", "彝族自治州", "自治州", "地区", "盟", "市"}
var countySuffixes = []string{"自治县", "区", "县", "市", "旗"}

func trimSuffixes(s string, suffixes []string) string {
	s = strings.TrimSpace(s)
	for _, suf := range suffixes {
		if t := strings.TrimSuffix(s, suf); t != s && t != "" {
			return t
		}
	}
	return s
}

func placeOf(r data.Region) placeInfo {
	p := placeInfo{
		province:      trimSuffixes(r.Province, provinceSuffixes),
		city:          trimSuffixes(r.City, citySuffixes),
		county:        trimSuffixes(r.County, countySuffixes),
		provinceLabel: strings.TrimSpace(r.Province),
		cityLabel:     strings.TrimSpace(r.City),
		countyLabel:   strings.TrimSpace(r.County),
	}
	// 延边朝鲜族自治州 → 延边.
	if strings.HasSuffix(p.city, "朝鲜族") {
		p.city = strings.TrimSuffix(p.city, "朝鲜族")
	}
	if p.province == "" && p.city != "" {
		p.province = cityProvince[p.city]
	}
	// Municipalities give the city as the province: 北京市 北京市.
	if p.city == "" && (p.province == "北京" || p.province == "上海" || p.province == "天津" || p.province == "重庆") {
		p.city = p.province
	}
	return p
}

// proximity returns the region signal of two places and the level reached.
func proximity(a, b placeInfo) (float64, int) {
	if !a.known() || !b.known() {
		return regionUnknown, levelUnknown
	}
	sameProv := a.province != "" && a.province == b.province
	sameCity := a.city != "" && a.city == b.city && (sameProv || a.province == "" || b.province == "")
	switch {
	case sameCity && a.county != "" && a.county == b.county:
		return regionCounty, levelCounty
	case sameCity:
		return regionCity, levelCity
	case sameProv:
		return regionProvince, levelProvince
	case a.northeast() && b.northeast():
		return regionNortheast, levelNortheast
	case a.province == "" || b.province == "":
		// Only cities given, and unknown ones: cannot tell.
		return regionUnknown, levelUnknown
	}
	return regionElsewhere, levelElsewhere
}
