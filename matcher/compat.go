package matcher

import (
	"strings"
)

// Field and industry compatibility. Demands name an industry (行业: GB/T
// 4754 divisions such as 汽车制造业, or platform categories such as 智能装备制造);
// achievements name a discipline (学科: 材料科学与工程, 农业科学) and a
// technology field (技术领域). Both are mapped onto the technology domains
// below (the eight 国家重点支持的高新技术领域 plus 现代农业) by the words
// they contain, and two records are compatible as far as their domains are
// the same or related.

// Technology domains.
const (
	secEI     = iota // 电子信息
	secBio           // 生物与新医药
	secAero          // 航空航天
	secMat           // 新材料
	secSvc           // 高技术服务
	secEnergy        // 新能源与节能
	secEnv           // 资源与环境
	secMfg           // 先进制造与自动化
	secAgri          // 现代农业
	numSectors
)

var sectorNames = [numSectors]string{"电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化", "现代农业"}

// sectorSet is a set of domains, one bit each.
type sectorSet uint16

func (s sectorSet) has(i int) bool { return s&(1<<i) != 0 }

func (s sectorSet) names() []string {
	var out []string
	for i := 0; i < numSectors; i++ {
		if s.has(i) {
			out = append(out, sectorNames[i])
		}
	}
	return out
}

func sec(ids ...int) sectorSet {
	var s sectorSet
	for _, i := range ids {
		s |= 1 << i
	}
	return s
}

// sectorRules map words found in a field, discipline or industry name to
// domains. All rules whose word occurs apply; broad classes such as 工业技术
// map to several domains. Weak words (制造, 设备, 服务 …) are in
// weakSectorRules and count only when nothing else matched: 医药制造业 is
// medicine, 专用设备制造业 manufacturing.
var sectorRules = []struct {
	word string
	set  sectorSet
}{
	// Exact classes first (their words would mislead the rules below).
	{"工业技术", sec(secMfg, secMat, secEI, secEnergy)},

	{"电子", sec(secEI)}, {"信息", sec(secEI)}, {"软件", sec(secEI)}, {"计算机", sec(secEI)},
	{"通信", sec(secEI)}, {"通讯", sec(secEI)}, {"互联网", sec(secEI)}, {"网络", sec(secEI)},
	{"数据", sec(secEI)}, {"人工智能", sec(secEI)}, {"智能", sec(secEI, secMfg)}, {"集成电路", sec(secEI)},
	{"半导体", sec(secEI, secMat)}, {"光电", sec(secEI)}, {"光学", sec(secEI)}, {"传感", sec(secEI)},
	{"物联网", sec(secEI)}, {"数字", sec(secEI)}, {"广播电视", sec(secEI)}, {"控制科学", sec(secEI, secMfg)},

	{"生物", sec(secBio)}, {"医", sec(secBio)}, {"药", sec(secBio)}, {"健康", sec(secBio)},
	{"卫生", sec(secBio)}, {"疫苗", sec(secBio)}, {"基因", sec(secBio)}, {"诊断", sec(secBio)},
	{"临床", sec(secBio)}, {"护理", sec(secBio)},

	{"航空", sec(secAero)}, {"航天", sec(secAero)}, {"飞行", sec(secAero)}, {"卫星", sec(secAero)},
	{"无人机", sec(secAero, secEI)}, {"兵器", sec(secAero, secMfg)},

	{"材料", sec(secMat)}, {"化工", sec(secMat)}, {"化学", sec(secMat)}, {"金属", sec(secMat)},
	{"高分子", sec(secMat)}, {"塑料", sec(secMat)}, {"橡胶", sec(secMat)}, {"纤维", sec(secMat)},
	{"纺织", sec(secMat)}, {"陶瓷", sec(secMat)}, {"玻璃", sec(secMat)}, {"冶金", sec(secMat)},
	{"冶炼", sec(secMat)}, {"钢", sec(secMat)}, {"涂料", sec(secMat)}, {"复合", sec(secMat)},
	{"洗涤", sec(secMat)}, {"稀土", sec(secMat)}, {"造纸", sec(secMat)}, {"皮革", sec(secMat)},

	{"咨询", sec(secSvc)}, {"设计", sec(secSvc)}, {"科技推广", sec(secSvc)},
	{"商务", sec(secSvc)}, {"金融", sec(secSvc)}, {"教育", sec(secSvc)}, {"文化", sec(secSvc)},
	{"经济", sec(secSvc)},

	{"能源", sec(secEnergy)}, {"节能", sec(secEnergy, secEnv)}, {"电力", sec(secEnergy)},
	{"电网", sec(secEnergy, secEI)}, {"太阳能", sec(secEnergy)}, {"光伏", sec(secEnergy)},
	{"风电", sec(secEnergy)}, {"风能", sec(secEnergy)}, {"氢", sec(secEnergy)}, {"电池", sec(secEnergy, secMat)},
	{"储能", sec(secEnergy)}, {"燃料", sec(secEnergy)}, {"石油", sec(secEnergy, secEnv)},
	{"天然气", sec(secEnergy)}, {"燃气", sec(secEnergy)}, {"煤", sec(secEnergy, secEnv)}, {"核", sec(secEnergy)},
	{"热力", sec(secEnergy)}, {"动力工程", sec(secEnergy, secMfg)}, {"电气", sec(secEnergy, secMfg)},

	{"环境", sec(secEnv)}, {"环保", sec(secEnv)}, {"生态", sec(secEnv)}, {"资源", sec(secEnv)},
	{"水利", sec(secEnv)}, {"污水", sec(secEnv)}, {"废", sec(secEnv)}, {"矿", sec(secEnv, secMat)},
	{"地质", sec(secEnv)}, {"海洋", sec(secEnv)}, {"气象", sec(secEnv)}, {"大气", sec(secEnv)},
	{"地理", sec(secEnv)}, {"测绘", sec(secEnv, secEI)}, {"安全科学", sec(secEnv)}, {"水的生产", sec(secEnv)},

	{"装备", sec(secMfg)}, {"机械", sec(secMfg)}, {"自动化", sec(secMfg)},
	{"机床", sec(secMfg)}, {"仪表", sec(secMfg, secEI)}, {"仪器", sec(secMfg, secEI)},
	{"汽车", sec(secMfg)}, {"车辆", sec(secMfg)}, {"交通", sec(secMfg)}, {"轨道", sec(secMfg)},
	{"船舶", sec(secMfg)}, {"机器人", sec(secMfg, secEI)}, {"模具", sec(secMfg)}, {"零件", sec(secMfg)},
	{"土木", sec(secMfg)}, {"建筑", sec(secMfg)}, {"机电", sec(secMfg)},

	{"农", sec(secAgri)}, {"林业", sec(secAgri, secEnv)}, {"林学", sec(secAgri, secEnv)}, {"牧", sec(secAgri)},
	{"渔", sec(secAgri)}, {"畜", sec(secAgri)}, {"水产", sec(secAgri)}, {"作物", sec(secAgri)},
	{"园艺", sec(secAgri)}, {"种植", sec(secAgri)}, {"养殖", sec(secAgri)}, {"饲料", sec(secAgri)},
	{"兽", sec(secAgri, secBio)}, {"食品", sec(secAgri, secBio)}, {"粮", sec(secAgri)}, {"茶", sec(secAgri)},
	{"酒", sec(secAgri)}, {"饮料", sec(secAgri)}, {"烟草", sec(secAgri)}, {"植物", sec(secAgri, secBio)},
	{"草", sec(secAgri)}, {"种业", sec(secAgri)},
}

// weakSectorRules apply only when no rule of sectorRules matched.
var weakSectorRules = []struct {
	word string
	set  sectorSet
}{
	{"制造", sec(secMfg)}, {"设备", sec(secMfg)}, {"工艺", sec(secMfg)}, {"服务", sec(secSvc)}, {"管理", sec(secSvc)},
}

// sectorOf maps one field, discipline or industry name to domains.
func sectorOf(name string) sectorSet {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0
	}
	for i, n := range sectorNames {
		if name == n {
			return 1 << i // a domain by its own name: just that domain
		}
	}
	var s sectorSet
	for _, r := range sectorRules {
		if strings.Contains(name, r.word) {
			s |= r.set
		}
	}
	if s == 0 {
		for _, r := range weakSectorRules {
			if strings.Contains(name, r.word) {
				s |= r.set
			}
		}
	}
	return s
}

// sectorsOf is the union of the domains of several names.
func sectorsOf(names ...string) sectorSet {
	var s sectorSet
	for _, n := range names {
		s |= sectorOf(n)
	}
	return s
}

// relatedSectors are domains that often meet in one project.
var relatedSectors = [][2]int{
	{secEI, secMfg}, {secEI, secSvc}, {secEI, secAero}, {secMat, secMfg}, {secMat, secEnergy},
	{secMat, secAero}, {secEnergy, secEnv}, {secBio, secAgri}, {secEnv, secAgri}, {secMfg, secAero},
	{secMfg, secEnergy}, {secMat, secEnv}, {secMat, secBio},
}

// Values of the field signal.
const (
	fieldSame    = 1.0
	fieldRelated = 0.65
	fieldUnknown = 0.5
	fieldOther   = 0.15
)

// compatibility returns the field signal of two sets of domains and the
// domains they share.
func compatibility(a, b sectorSet) (float64, sectorSet) {
	if a == 0 || b == 0 {
		return fieldUnknown, 0
	}
	if s := a & b; s != 0 {
		return fieldSame, s
	}
	for _, p := range relatedSectors {
		if (a.has(p[0]) && b.has(p[1])) || (a.has(p[1]) && b.has(p[0])) {
			return fieldRelated, 0
		}
	}
	return fieldOther, 0
}
