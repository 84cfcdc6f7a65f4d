package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Slots a template can refer to as {name}.
const (
	sC      = iota // the record's main core term
	sC2            // a second core term
	sC3            // a third core term
	sP             // a product or application
	sP2            // a second product
	sV             // a process verb
	sV2            // a second process verb
	sA             // an adjective of the topic's class
	sZone          // an agricultural zone of Jilin
	sInd           // the industry
	sDisc          // the discipline
	sM1            // a result such as 能量密度达到280 Wh/kg
	sM2            //
	sM3            //
	sPain          // a problem such as 能量密度偏低
	sGP            // a generic problem of the class
	sMName         // the name of the first metric, 能量密度
	sMDir          // what the demand wants done to it: 提升, 降低 …
	sCity          // a Jilin city
	sCounty        // a county of the record's city
	sPat           // "，已获授权专利2项" or ""
	sT1            // a demand's target, e.g. 能量密度达到280 Wh/kg
	sT2            //
	sRev           // an enterprise's yearly revenue
	sSize          // an enterprise's size word
	sMode          // a cooperation mode
	sReward        // a challenge's reward in 万元
	numSlots
)

var slotNames = map[string]int{
	"c": sC, "c2": sC2, "c3": sC3, "p": sP, "p2": sP2, "v": sV, "v2": sV2, "a": sA,
	"zone": sZone, "ind": sInd, "disc": sDisc, "m1": sM1, "m2": sM2, "m3": sM3,
	"pain": sPain, "gp": sGP, "mname": sMName, "mdir": sMDir, "city": sCity,
	"county": sCounty, "pat": sPat, "t1": sT1, "t2": sT2, "rev": sRev, "size": sSize,
	"mode": sMode, "reward": sReward,
}

// seg is one piece of a compiled template: literal text, a slot, or a
// number drawn uniformly from [lo, hi] and printed with dec decimals.
type seg struct {
	lit    string
	slot   int // -1 for none
	lo, hi float64
	dec    int // -1 when the segment is not a number
}

type tmpl []seg

// compile parses "text {slot} text {10-35}% text".
func compile(s string) tmpl {
	var t tmpl
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			t = append(t, seg{lit: s, slot: -1, dec: -1})
			break
		}
		if i > 0 {
			t = append(t, seg{lit: s[:i], slot: -1, dec: -1})
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			panic(fmt.Sprintf("demo: unclosed { in template %q", s))
		}
		key := s[i+1 : i+j]
		s = s[i+j+1:]
		if k, ok := slotNames[key]; ok {
			t = append(t, seg{slot: k, dec: -1})
			continue
		}
		lo, hi, ok := strings.Cut(key, "-")
		l, err1 := strconv.ParseFloat(lo, 64)
		h, err2 := strconv.ParseFloat(hi, 64)
		if !ok || err1 != nil || err2 != nil || l > h {
			panic(fmt.Sprintf("demo: bad placeholder {%s} in template", key))
		}
		dec := 0
		if _, frac, ok := strings.Cut(lo, "."); ok {
			dec = len(frac)
		}
		t = append(t, seg{slot: -1, lo: l, hi: h, dec: dec})
	}
	return t
}

func compileAll(list []string) []tmpl {
	out := make([]tmpl, len(list))
	for i, s := range list {
		out[i] = compile(s)
	}
	return out
}

// render writes t with the slot values in vals and fresh numbers from r.
func (t tmpl) render(b *strings.Builder, vals *[numSlots]string, r *rand.Rand) {
	for _, s := range t {
		switch {
		case s.slot >= 0:
			b.WriteString(vals[s.slot])
		case s.dec >= 0:
			writeNumber(b, s, r)
		default:
			b.WriteString(s.lit)
		}
	}
}

func (t tmpl) string(vals *[numSlots]string, r *rand.Rand) string {
	var b strings.Builder
	b.Grow(96) // most titles and results fit
	t.render(&b, vals, r)
	return b.String()
}

func writeNumber(b *strings.Builder, s seg, r *rand.Rand) {
	if s.dec == 0 {
		lo, hi := int(s.lo), int(s.hi)
		n := lo + r.IntN(hi-lo+1)
		if hi-lo >= 500 { // 2734 次 reads oddly; round wide ranges to 50
			n = max(lo, n/50*50)
		}
		b.WriteString(strconv.Itoa(n))
		return
	}
	p := math.Pow(10, float64(s.dec))
	v := math.Round((s.lo+r.Float64()*(s.hi-s.lo))*p) / p
	b.WriteString(strconv.FormatFloat(v, 'f', s.dec, 64))
}

// Template classes index the per-class tables below.
const (
	ciMaterial = iota
	ciSystem
	ciSoftware
	ciBio
	ciAgri
	numClasses
)

func classIndex(c byte) int {
	switch c {
	case classMaterial:
		return ciMaterial
	case classSystem:
		return ciSystem
	case classSoftware:
		return ciSoftware
	case classBio:
		return ciBio
	case classAgri:
		return ciAgri
	}
	panic(fmt.Sprintf("demo: unknown template class %q", c))
}

var adjectives = [numClasses][]string{
	ciMaterial: {"高性能", "低成本", "绿色", "高效", "新型", "环境友好型", "高稳定性", "长寿命"},
	ciSystem:   {"智能", "高精度", "在线", "实时", "自适应", "分布式", "低功耗", "一体化"},
	ciSoftware: {"智能", "一体化", "可视化", "云端", "协同", "全流程", "数字化", "自适应"},
	ciBio:      {"新型", "高效", "稳定", "高纯度", "长效", "低毒", "绿色"},
	ciAgri:     {"绿色", "高效", "优质", "节本增效", "轻简化", "标准化", "生态"},
}

// genericKeywords are terms listings of many topics carry; they make
// keyword matching less clear-cut, as in real catalogues.
var genericKeywords = [numClasses][]string{
	ciMaterial: {"工艺优化", "节能降耗", "国产替代", "绿色制造", "降本增效"},
	ciSystem:   {"智能化改造", "国产替代", "数字化转型", "在线监测", "降本增效"},
	ciSoftware: {"数字化转型", "大数据", "云平台", "智能化改造", "数据治理"},
	ciBio:      {"国产替代", "质量控制", "工艺优化", "大健康", "提质增效"},
	ciAgri:     {"绿色发展", "提质增效", "乡村振兴", "节本增效", "标准化生产"},
}

var zones = []string{"吉林省中部", "吉林西部", "东部山区", "东北寒地", "黑土区", "半干旱区", "松辽平原", "长白山区"}

// genericProblems are problems of a whole class, not of one metric.
var genericProblems = [numClasses][]string{
	ciMaterial: {"工艺流程长", "能耗较高", "批次稳定性差", "关键原料依赖进口", "环境污染较重", "生产成本偏高"},
	ciSystem:   {"人工巡检效率低", "数据孤岛现象突出", "响应不及时", "核心部件依赖进口", "运维成本高", "智能化水平低"},
	ciSoftware: {"数据分散难以共享", "人工处理效率低", "业务响应不及时", "系统兼容性差", "运维成本高", "智能化水平低"},
	ciBio:      {"工艺收率低", "质量标准不完善", "关键原料依赖进口", "生产成本偏高", "产品同质化严重", "有效成分不明确"},
	ciAgri:     {"生产方式粗放", "投入成本高", "资源利用率低", "标准化程度低", "抗逆性不足", "劳动强度大"},
}

// Achievement titles per class.
var achievementTitles = [numClasses][]string{
	ciMaterial: {
		"一种{a}{c}的{v}方法",
		"一种用于{p}的{c}及其{v}方法",
		"{a}{c}及其{v}技术",
		"{a}{c}{v}关键技术",
		"{c}{v}工艺及其在{p}中的应用",
		"基于{c}的{a}{p}",
		"{c}与{c2}协同{v}技术",
		"{p}用{a}{c}的{v}技术",
		"{a}{c}规模化{v}技术",
		"{p}用{c}连续化{v}装置及工艺",
		"一种{a}{p}及其{v}方法",
		"{p}中{c}的{v}工艺优化",
		"面向{p}的{c}{v}技术",
	},
	ciSystem: {
		"一种基于{c}的{p}{v}方法",
		"基于{c}的{p}{a}{v}系统",
		"{p}{c}{a}{v}系统",
		"面向{p}的{c}{v}平台",
		"{c}与{c2}融合的{p}{v}技术",
		"{a}{p}{v}装置",
		"{p}{c}与{c2}关键技术及应用",
		"一种{p}的{a}{v}装置及方法",
		"{c}在{p}{v}中的应用",
		"基于{c}和{c2}的{p}{v}方法",
		"{a}{c}{v}技术及装备",
		"{p}{c}{v}系统研制",
	},
	ciSoftware: {
		"一种基于{c}的{p}{v}方法",
		"基于{c}的{p}{a}{v}平台",
		"{p}{a}{v}系统",
		"面向{p}的{c}{v}平台",
		"{c}与{c2}融合的{p}{v}技术",
		"{p}{c}与{c2}关键技术及应用",
		"基于{c}和{c2}的{p}{v}方法",
		"{c}驱动的{p}{a}{v}系统",
		"{a}{c}{v}平台研发与应用",
		"{p}{c}{v}软件",
	},
	ciBio: {
		"一种{c}及其在{p}中的应用",
		"一种含{c}和{c2}的{a}{p}",
		"一种{c}的{a}{v}方法及其用途",
		"基于{c}的{p}{v}技术",
		"一种基于{c}的{a}{p}及其制备方法",
		"{c}{v}工艺研究及{p}开发",
		"一种含{c}的{p}及其制备工艺",
		"{p}中{c}的{a}{v}方法",
		"{c}高效{v}关键技术",
		"基于{c}和{c2}的{a}{p}研制",
	},
	ciAgri: {
		"{p}{c}{v}技术",
		"{zone}{p}{c}技术模式",
		"{zone}{p}{c}关键技术集成与示范",
		"{zone}{p}{a}{v}技术规程",
		"一种{p}{c}的{v}方法",
		"{zone}{c}在{p}生产中的应用",
		"{a}{p}{v}技术体系构建与应用",
		"{zone}{p}{c}与{c2}配套技术",
		"{p}{a}{v}关键技术研究与示范",
	},
}

// Abstract sentences: background, method, results, application, team.
var backgrounds = [numClasses][]string{
	ciMaterial: {
		"{c}是{p}领域的关键技术之一，其水平直接决定产品的性能与成本。",
		"随着{ind}转型升级，{p}对{c}的需求快速增长，但现有技术普遍存在{pain}、{gp}等问题。",
		"针对{p}生产中{pain}的问题，本项目围绕{c}开展了系统研究。",
		"传统{p}{v}方法{gp}，且{pain}，难以满足{ind}高质量发展的需要。",
	},
	ciSystem: {
		"针对{p}{v}过程中{pain}、{gp}的问题，本项目开展了基于{c}的技术研究。",
		"{p}的{v}长期依赖人工经验，{gp}，{pain}。",
		"随着{ind}转型升级，{p}对{c}的需求快速增长，但现有技术普遍存在{pain}、{gp}等问题。",
		"{c}是{p}{v}的关键技术，国内相关产品{gp}。",
	},
	ciSoftware: {
		"针对{p}{v}过程中{pain}、{gp}的问题，本项目开展了基于{c}的技术研究。",
		"{p}的{v}长期依赖人工经验，{gp}，{pain}。",
		"随着数字化转型加快，{p}对{c}的需求日益迫切，但现有系统{gp}。",
	},
	ciBio: {
		"{c}是{p}开发的关键环节，其水平直接影响产品的质量与成本。",
		"目前国内{p}所需的{c}技术{gp}，{pain}，制约了相关产业发展。",
		"针对{p}{pain}、{gp}的问题，本项目围绕{c}开展了系统研究。",
		"随着健康需求持续增长，{p}市场不断扩大，但现有产品{gp}。",
	},
	ciAgri: {
		"吉林省是{p}主产区之一，但生产中普遍存在{gp}、{pain}等问题。",
		"{zone}{p}生产长期面临{pain}的难题，{gp}，制约了农民增收。",
		"针对{zone}{p}{pain}、{gp}的问题，本项目开展了{c}技术研究。",
	},
}

var methods = [numClasses][]string{
	ciMaterial: {
		"本成果采用{c2}与{c3}相结合的技术路线，优化了{v}工艺参数，实现了{c}的{a}{v}。",
		"项目团队开发了{c2}{v}新工艺，突破了{c3}等关键环节，形成了完整的{c}{v}技术体系。",
		"通过对{c2}关键参数的系统优化并引入{c3}，显著提升了{c}{v}过程的效率与稳定性。",
		"研究建立了{c}{v}过程的工艺模型，确定了{c2}的最佳工艺窗口，并完成了{v2}工艺验证。",
	},
	ciSystem: {
		"本成果构建了基于{c2}的{p}{v}模型，结合{c3}技术，实现了{p}状态的实时感知与智能决策。",
		"系统由感知层、传输层和应用层组成，集成{c2}、{c3}等模块，可实现{p}全过程在线管控。",
		"项目团队研制了{c}{v}装置，采用{c2}方法对{p}关键参数进行在线监测与分析。",
		"通过{c2}与{c3}的深度融合，解决了{p}{v}中精度低、响应慢的难题。",
	},
	ciSoftware: {
		"本成果构建了基于{c2}的{p}{v}模型，结合{c3}技术，实现了{v}过程的自动化与智能化。",
		"平台采用微服务架构，集成{c2}、{c3}等功能模块，支持{p}的{v}与{v2}。",
		"项目团队建立了面向{p}的{c}数据资源体系，开发了{v}算法与可视化工具。",
		"通过{c2}与{c3}的深度融合，解决了{p}{v}中数据分散、效率低的难题。",
	},
	ciBio: {
		"本成果以{c2}为研究对象，采用{c3}等技术，建立了{c}的{v}方法。",
		"项目团队筛选获得了高效{c2}，并优化了{v}及{v2}工艺，制备出{a}{p}。",
		"研究阐明了{c2}的作用机制，并通过{c3}实现了{c}的高效{v}。",
		"项目建立了{c}{v}工艺和质量标准，完成了{c2}的工艺放大研究。",
	},
	ciAgri: {
		"本成果集成了{c2}、{c3}等关键技术，形成了适合{zone}的{p}{c}技术模式。",
		"项目组经过{3-8}年多点试验，筛选出{c2}等适宜技术，优化了{p}{v}方案。",
		"通过{c2}与{c3}配套应用，实现了{p}{v}全程标准化。",
		"项目制定了{p}{c}技术规程，配套{c2}措施，显著降低了{p}生产的投入成本。",
	},
}

var results = [numClasses][]string{
	ciMaterial: {
		"经测试，{m1}，{m2}。",
		"与现有技术相比，{m1}，{m2}，{m3}。",
		"经第三方检测机构检测，{m1}，{m2}，主要技术指标达到国内领先水平。",
		"试验结果表明，{m1}，{m2}，综合性能优于同类产品。",
	},
	ciSystem: {
		"经现场测试，{m1}，{m2}。",
		"与现有系统相比，{m1}，{m2}，{m3}。",
		"经第三方检测机构检测，{m1}，{m2}，主要技术指标达到国内先进水平。",
	},
	ciSoftware: {
		"实际运行表明，{m1}，{m2}。",
		"与传统方式相比，{m1}，{m2}，{m3}。",
		"经用户单位验证，{m1}，{m2}。",
	},
	ciBio: {
		"试验结果表明，{m1}，{m2}。",
		"与现有工艺相比，{m1}，{m2}，{m3}。",
		"经第三方检测机构检测，{m1}，{m2}，主要指标达到国内领先水平。",
	},
	ciAgri: {
		"多年多点试验表明，{m1}，{m2}。",
		"示范结果表明，{m1}，{m2}，{m3}。",
		"经专家现场测产验收，{m1}，{m2}。",
	},
}

// applications by maturity stage (研发, 小试, 中试, 产业化) and class.
var applications = [4][numClasses][]string{
	{ // 研发
		ciMaterial: {"目前已完成实验室验证{pat}，可应用于{p}、{p2}等领域，拟寻求企业合作开展中试。", "目前处于实验室研究阶段{pat}，技术原理已得到验证，适合与企业合作开发。"},
		ciSystem:   {"目前已完成原理样机研制{pat}，可应用于{p}、{p2}等场景，拟寻求企业合作开展工程化开发。"},
		ciSoftware: {"目前已完成核心算法验证{pat}，可应用于{p}、{p2}等场景，拟寻求合作单位开展试点。"},
		ciBio:      {"目前已完成实验室研究{pat}，药效与安全性初步得到验证，拟寻求企业合作开展后续开发。", "目前处于实验室研究阶段{pat}，可应用于{p}、{p2}等产品开发。"},
		ciAgri:     {"目前已完成田间小区试验{pat}，效果良好，拟寻求合作单位开展示范。"},
	},
	{ // 小试
		ciMaterial: {"目前已完成小试{pat}，工艺路线稳定，适用于{p}和{p2}的开发。", "成果已完成小批量试制{pat}，具备开展中试的条件。"},
		ciSystem:   {"已完成样机研制和实验室测试{pat}，具备开展现场试验的条件。"},
		ciSoftware: {"已完成原型系统开发与测试{pat}，具备开展试点应用的条件。"},
		ciBio:      {"目前已完成小试{pat}，工艺稳定可控，具备开展中试放大的条件。"},
		ciAgri:     {"目前已在{county}完成小面积试验{pat}，具备开展示范推广的条件。"},
	},
	{ // 中试
		ciMaterial: {"目前已在{city}完成中试{pat}，产品性能稳定，具备产业化条件。", "成果已建成中试线并连续稳定运行{3-12}个月{pat}，可进行技术转让或合作产业化。"},
		ciSystem:   {"目前已在{city}开展现场试点应用{pat}，运行稳定，具备推广条件。"},
		ciSoftware: {"目前已在{city}开展试点应用{pat}，运行稳定，具备推广条件。"},
		ciBio:      {"目前已完成中试放大{pat}，产品质量稳定，具备产业化条件。", "成果已在{city}完成中试{pat}，可进行技术转让或合作开发。"},
		ciAgri:     {"目前已在{county}建立示范基地{pat}，示范效果良好，具备大面积推广条件。"},
	},
	{ // 产业化
		ciMaterial: {"该成果已在{2-15}家企业实现应用{pat}，累计新增产值{500-20000}万元，可推广至{p}、{p2}等领域。", "成果已实现规模化生产{pat}，产品销往{3-20}个省份，经济和社会效益显著。"},
		ciSystem:   {"该成果已在{3-30}家单位推广应用{pat}，累计新增产值{300-9000}万元。", "成果已实现批量生产{pat}，可推广至{p}、{p2}等领域。"},
		ciSoftware: {"该成果已在{5-60}家单位推广应用{pat}，用户反馈良好，可推广至{p}、{p2}等领域。"},
		ciBio:      {"该成果已实现产业化{pat}，累计新增产值{800-30000}万元，可推广至{p}、{p2}等领域。"},
		ciAgri:     {"已在{county}等地建立示范基地{3-20}个{pat}，辐射带动农户{500-8000}户，经济效益显著。"},
	},
}

var teams = []string{
	"项目团队长期从事{disc}研究，可为合作企业提供技术培训和后续服务。",
	"完成单位拥有{disc}相关省部级科研平台，可承担后续工艺优化与技术升级。",
	"欢迎有意向的企业洽谈合作。",
}

// Demand titles per class.
var demandTitles = [numClasses][]string{
	ciMaterial: {
		"寻求{c}技术以{mdir}{p}{mname}",
		"{p}{c}关键技术攻关",
		"征集{p}{c}解决方案",
		"{p}{pain}问题技术攻关",
		"关于{c}在{p}中应用的技术需求",
		"{p}{v}技术合作开发",
		"引进{c}技术开发{a}{p}",
		"{p}{v}生产线自动化改造",
		"{p}{v}工艺优化",
		"{c}{v}工艺升级改造",
		"{a}{c}{v}技术需求",
	},
	ciSystem: {
		"寻求{c}技术以{mdir}{p}{mname}",
		"{p}{c}关键技术攻关",
		"征集{p}{c}解决方案",
		"{p}{pain}问题技术攻关",
		"关于{c}在{p}中应用的技术需求",
		"{p}{v}环节智能化升级改造",
		"{p}{a}{v}装置研制",
		"基于{c}的{p}{v}系统建设",
		"{a}{c}{v}技术需求",
	},
	ciSoftware: {
		"寻求{c}技术以{mdir}{p}{mname}",
		"征集{p}{c}解决方案",
		"关于{c}在{p}中应用的技术需求",
		"{p}{a}{v}系统开发",
		"{p}{c}数字化平台建设",
		"基于{c}的{p}{v}平台建设",
	},
	ciBio: {
		"寻求{c}技术以{mdir}{p}{mname}",
		"{p}{c}关键技术攻关",
		"征集{p}{c}解决方案",
		"{p}{pain}问题技术攻关",
		"关于{c}在{p}中应用的技术需求",
		"{p}{v}工艺优化",
		"引进{c}技术开发{a}{p}",
		"{c}{v}工艺升级改造",
	},
	ciAgri: {
		"寻求{c}技术以{mdir}{p}{mname}",
		"{zone}{p}{c}技术引进与示范",
		"{p}{c}{v}技术需求",
		"{p}{pain}问题解决方案征集",
		"{p}{c}技术推广合作",
		"征集{zone}{p}{c}解决方案",
	},
}

// Demand description sentences: the enterprise, its problem, its target,
// how it wants to cooperate.
var intros = [numClasses][]string{
	ciMaterial: {
		"我公司成立于{1995-2021}年，是一家{size}{ind}企业，主要产品包括{p}和{p2}。",
		"本企业位于{county}，主要从事{p}的研发、生产和销售，年产值约{rev}。",
	},
	ciSystem: {
		"我公司成立于{1995-2021}年，主要为客户提供{p}相关的设备、系统集成与运维服务，年营业收入约{rev}。",
		"本企业位于{county}，长期承担{p}的建设与运营，现有{v}手段主要依赖人工。",
	},
	ciSoftware: {
		"我公司是一家{size}{ind}企业，主要面向{p}提供信息化解决方案，年营业收入约{rev}。",
		"我单位负责{p}的运营管理，业务数据量大、流程复杂。",
	},
	ciBio: {
		"我公司成立于{1995-2021}年，是一家{size}{ind}企业，主要产品包括{p}和{p2}。",
		"本企业位于{county}，主要从事{p}的研发与生产，年产值约{rev}。",
	},
	ciAgri: {
		"我公司是位于{county}的农业产业化企业，主要从事{p}的生产和加工，年销售收入约{rev}。",
		"本企业联合周边合作社经营{p}生产，规模在当地位居前列。",
	},
}

var problems = [numClasses][]string{
	ciMaterial: {
		"目前{p}生产中{c}环节存在{pain}、{gp}等问题，影响了产品竞争力。",
		"现有{v}工艺{gp}，{pain}，亟需引进先进技术进行升级。",
		"随着订单增长和客户要求提高，{pain}已成为制约企业发展的主要瓶颈。",
	},
	ciSystem: {
		"目前{p}{v}环节存在{pain}、{gp}等问题，难以满足客户要求。",
		"随着业务规模扩大，{gp}、{pain}等问题日益突出，企业自身研发力量难以解决。",
	},
	ciSoftware: {
		"目前{p}{v}环节存在{pain}、{gp}等问题，难以满足管理要求。",
		"随着业务规模扩大，{gp}、{pain}等问题日益突出，现有系统难以支撑。",
	},
	ciBio: {
		"目前{p}生产中{c}环节存在{pain}、{gp}等问题，影响了产品竞争力。",
		"现有{v}工艺{gp}，{pain}，亟需引进先进技术进行升级。",
	},
	ciAgri: {
		"目前{p}生产中存在{pain}、{gp}等问题，影响了经济效益。",
		"受气候和土壤条件影响，{pain}、{gp}等问题较为突出。",
	},
}

var targets = []string{
	"希望引进{c}相关技术，要求{t1}，{t2}。",
	"拟通过{c}与{c2}等技术手段解决上述问题，技术指标要求：{t1}；{t2}。",
	"希望合作方提供{c}成熟技术方案，要求{t1}。",
	"需求目标：采用{c}技术，{t1}，{t2}。",
}

var cooperations = []string{
	"可提供中试场地、设备和配套资金，希望与高校院所以{mode}方式开展合作。",
	"企业具备专业技术团队和生产条件，可承担成果转化的工程化工作。",
	"欢迎省内外高校、科研院所和科技型企业对接。",
	"合作方式可采用{mode}，费用可面议。",
}

const matureCooperation = "优先考虑已有产业化应用案例的成熟技术。"

var challengeSentences = []string{
	"本需求为揭榜挂帅项目，揭榜方须在{12-36}个月内完成攻关，验收通过后给予{reward}万元奖励。",
	"本项目采用揭榜挂帅方式组织，榜额{reward}万元，不论资历、不设门槛，能者揭榜。",
}
