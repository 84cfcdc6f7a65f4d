// Package demo generates the demo catalogue that techmatch serve stores in
// an empty database: 30,000 research achievements (科技成果) and 16,000
// enterprise technology demands (技术需求) that read like the listings of a
// technology-transfer centre in Jilin province.
//
// Every record is generated from one of about a hundred technology topics
// spread over the nine fields. A demand shares its topic's terms with the
// achievements of that topic, sometimes under a near-synonym, so that a
// matcher run over the catalogue has right answers to find. The names of
// people and enterprises are made up.
//
// Generation is deterministic: each record has its own PCG stream seeded from
// constants and its index, so the output is the same on every call, on every
// run and however the work is spread over goroutines.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Sizes of the demo catalogue.
const (
	NumAchievements = 30000
	NumDemands      = 16000
)

// Seeds of the record streams. Changing one changes the catalogue.
const (
	seedAchievements = 0x74656368_6d617463 // "techmatc"
	seedDemands      = 0x64656d61_6e647321 // "demands!"
	seedFirms        = 0x6669726d_73212121 // "firms!!!"
	seedStream       = 0x6a696c69_6e2d3232 // "jilin-22"
)

// Achievements returns the 30,000 demo achievements, ids "demo-a-000001"… in
// order. Each call returns freshly generated records the caller may change.
func Achievements() []data.Achievement {
	recs, _ := generateAchievements()
	return recs
}

// Demands returns the 16,000 demo demands, ids "demo-d-000001"… in order.
// Each call returns freshly generated records the caller may change.
func Demands() []data.Demand {
	recs, _ := generateDemands()
	return recs
}

// Topics returns the names of the technology topics the catalogue is
// generated from.
func Topics() []string {
	v := loadVocab()
	names := make([]string, len(v.topics))
	for i, t := range v.topics {
		names[i] = t.name
	}
	return names
}

// topic is a compiled rawTopic.
type topic struct {
	name, field, disc, ind string
	class                  int
	core, prod, verb       []string
	metrics                []metric
	insts                  []int // preferred institutions
	fieldInsts             []int // every institution of the field
}

type metric struct {
	name    string
	result  tmpl
	problem string // 偏低, 偏高, 过长 …
}

// vocab is everything generation reads, compiled once.
type vocab struct {
	topics     []topic
	topicCum   []float64 // cumulative topic weights
	jilinCum   []float64
	otherCum   []float64
	achTitles  [numClasses][]tmpl
	background [numClasses][]tmpl
	method     [numClasses][]tmpl
	result     [numClasses][]tmpl
	apply      [4][numClasses][]tmpl
	team       []tmpl
	demTitles  [numClasses][]tmpl
	intro      [numClasses][]tmpl
	problem    [numClasses][]tmpl
	target     []tmpl
	coop       []tmpl
	challenge  []tmpl
	mature     tmpl
	revenue    map[string]tmpl
}

var loadVocab = sync.OnceValue(func() *vocab {
	v := &vocab{}
	instByName := make(map[string]int, len(institutions))
	for i, in := range institutions {
		instByName[in.name] = i
	}
	fieldInsts := map[string][]int{}
	total := 0.0
	for _, rt := range rawTopics {
		t := topic{
			name: rt.name, field: rt.field, disc: rt.disc, ind: rt.ind,
			class: classIndex(rt.class[0]),
			core:  strings.Fields(rt.core),
			prod:  strings.Fields(rt.prod),
			verb:  strings.Fields(rt.verb),
		}
		if len(t.core) < 4 || len(t.prod) < 3 || len(t.verb) < 3 {
			panic(fmt.Sprintf("demo: topic %s has too few terms", rt.name))
		}
		for _, m := range strings.Split(rt.metric, ";") {
			parts := strings.Split(strings.TrimSpace(m), "|")
			if len(parts) != 3 {
				panic(fmt.Sprintf("demo: topic %s: bad metric %q", rt.name, m))
			}
			t.metrics = append(t.metrics, metric{name: parts[0], result: compile(parts[1]), problem: parts[2]})
		}
		if len(t.metrics) < 3 {
			panic(fmt.Sprintf("demo: topic %s has fewer than 3 metrics", rt.name))
		}
		for _, name := range strings.Fields(rt.insts) {
			i, ok := instByName[name]
			if !ok {
				panic(fmt.Sprintf("demo: topic %s: unknown institution %s", rt.name, name))
			}
			t.insts = append(t.insts, i)
			if !slices.Contains(fieldInsts[rt.field], i) {
				fieldInsts[rt.field] = append(fieldInsts[rt.field], i)
			}
		}
		if _, ok := firmWords[rt.ind]; !ok {
			panic(fmt.Sprintf("demo: topic %s: no firm words for industry %s", rt.name, rt.ind))
		}
		w := rt.weight
		if w == 0 {
			w = 1
		}
		total += w
		v.topics = append(v.topics, t)
		v.topicCum = append(v.topicCum, total)
	}
	for i := range v.topics {
		v.topics[i].fieldInsts = fieldInsts[v.topics[i].field]
	}
	for _, c := range jilinCities {
		v.jilinCum = appendCum(v.jilinCum, c.weight)
	}
	for _, c := range otherCities {
		v.otherCum = appendCum(v.otherCum, c.weight)
	}
	for c := 0; c < numClasses; c++ {
		v.achTitles[c] = compileAll(achievementTitles[c])
		v.background[c] = compileAll(backgrounds[c])
		v.method[c] = compileAll(methods[c])
		v.result[c] = compileAll(results[c])
		v.demTitles[c] = compileAll(demandTitles[c])
		v.intro[c] = compileAll(intros[c])
		v.problem[c] = compileAll(problems[c])
		for s := 0; s < 4; s++ {
			v.apply[s][c] = compileAll(applications[s][c])
		}
	}
	v.team = compileAll(teams)
	v.target = compileAll(targets)
	v.coop = compileAll(cooperations)
	v.challenge = compileAll(challengeSentences)
	v.mature = compile(matureCooperation)
	v.revenue = map[string]tmpl{}
	for _, size := range data.EnterpriseSizes {
		v.revenue[size] = compile(revenue[size])
	}
	return v
})

func appendCum(cum []float64, w float64) []float64 {
	last := 0.0
	if len(cum) > 0 {
		last = cum[len(cum)-1]
	}
	return append(cum, last+w)
}

// gen draws from one record's stream.
type gen struct {
	r *rand.Rand
}

func (g gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g gen) chance(p float64) bool { return g.r.Float64() < p }

// between returns an int in [lo, hi].
func (g gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

// weighted returns an index into a cumulative weight table.
func (g gen) weighted(cum []float64) int {
	x := g.r.Float64() * cum[len(cum)-1]
	return sort.SearchFloat64s(cum, x)
}

// skewed returns an index in [0, n) favouring the front.
func (g gen) skewed(n int, power float64) int {
	return min(n-1, int(float64(n)*math.Pow(g.r.Float64(), power)))
}

// distinct picks k different indexes below n.
func (g gen) distinct(n, k int) []int {
	out := make([]int, 0, k)
	for len(out) < k {
		i := g.r.IntN(n)
		if !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	return out
}

func (g gen) tmpl(list []tmpl) tmpl { return list[g.r.IntN(len(list))] }

// person returns a made-up Chinese name.
func (g gen) person(korean bool) string {
	var b strings.Builder
	if korean {
		b.WriteString(g.pick(koreanSurnames))
	} else {
		b.WriteString(surnames[g.skewed(len(surnames), 2.2)])
	}
	b.WriteRune(givenChars[g.r.IntN(len(givenChars))])
	if g.chance(0.72) {
		b.WriteRune(givenChars[g.r.IntN(len(givenChars))])
	}
	return b.String()
}

func (g gen) mobile() string {
	return g.pick(mobilePrefixes) + fmt.Sprintf("%08d", g.r.IntN(100000000))
}

func (g gen) landline(area string) string {
	return area + "-8" + fmt.Sprintf("%07d", g.r.IntN(10000000))
}

// date returns a day in [from, from+days] as 2006-01-02.
func (g gen) date(from time.Time, days int) string {
	return from.AddDate(0, 0, g.r.IntN(days+1)).Format(time.DateOnly)
}

// terms picks the core terms, products and verbs of one record so that a
// product never repeats a core term ("大豆大豆栽培技术").
func (g gen) terms(t *topic, vals *[numSlots]string) (core []int, prod []int) {
	core = g.distinct(len(t.core), 3)
	for tries := 0; ; tries++ {
		prod = g.distinct(len(t.prod), 2)
		c, p := t.core[core[0]], t.prod[prod[0]]
		if tries > 8 || !(strings.Contains(c, p) || strings.Contains(p, c)) {
			break
		}
	}
	vals[sC], vals[sC2], vals[sC3] = t.core[core[0]], t.core[core[1]], t.core[core[2]]
	vals[sP], vals[sP2] = t.prod[prod[0]], t.prod[prod[1]]
	// A verb the core term already ends in reads twice (植物修复…修复).
	var vs []int
	for tries := 0; ; tries++ {
		vs = g.distinct(len(t.verb), 2)
		if tries > 8 || !strings.Contains(vals[sC], t.verb[vs[0]]) {
			break
		}
	}
	vals[sV], vals[sV2] = t.verb[vs[0]], t.verb[vs[1]]
	vals[sA] = g.pick(adjectives[t.class])
	vals[sZone] = g.pick(zones)
	vals[sInd], vals[sDisc] = t.ind, t.disc
	vals[sGP] = g.pick(genericProblems[t.class])
	return core, prod
}

// metrics fills m1…m3 with rendered results, pain and mname with the first
// metric's problem, and returns the metrics used.
func (g gen) metrics(t *topic, vals *[numSlots]string) []int {
	idx := g.distinct(len(t.metrics), 3)
	for k, i := range idx {
		m := &t.metrics[i]
		vals[sM1+k] = m.name + m.result.string(vals, g.r)
	}
	m := &t.metrics[idx[0]]
	vals[sPain] = m.name + m.problem
	vals[sMName] = m.name
	vals[sMDir] = direction(m.problem)
	return idx
}

// direction is what a demand wants done about a problem.
func direction(problem string) string {
	switch problem {
	case "偏高", "偏大", "偏重", "超标":
		return "降低"
	case "过长":
		return "缩短"
	case "不可控", "不稳定", "不均匀":
		return "改善"
	}
	return "提升"
}

// target renders a metric as a demand's requirement; relative changes get
// 以上 ("降低20%以上").
func (g gen) target(m *metric, vals *[numSlots]string) string {
	res := m.result.string(vals, g.r)
	for _, p := range []string{"提高", "提升", "降低", "减少", "缩短", "延长", "增加", "减小", "节约", "下降"} {
		if strings.HasPrefix(res, p) && !strings.Contains(res, "至") && !strings.Contains(res, "到") {
			res += "以上"
			break
		}
	}
	return m.name + res
}

// keywords picks n distinct terms, first the given ones, then others of the
// topic.
func keywords(first []string, pool []string, n int, g gen) []string {
	out := make([]string, 0, n)
	add := func(s string) {
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, s := range first {
		if len(out) < n {
			add(s)
		}
	}
	for tries := 0; len(out) < n && tries < 20; tries++ {
		add(g.pick(pool))
	}
	return out
}

// parallel runs fn over [0, n) in contiguous chunks, one per processor, each
// with its own rand.Rand reseeded per record.
func parallel(n int, seed uint64, fn func(i int, g gen)) {
	workers := min(runtime.GOMAXPROCS(0), 8)
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(n, lo+chunk)
		wg.Go(func() {
			src := rand.NewPCG(0, 0)
			g := gen{r: rand.New(src)}
			for i := lo; i < hi; i++ {
				src.Seed(seed, seedStream^uint64(i))
				fn(i, g)
			}
		})
	}
	wg.Wait()
}

func recordID(prefix string, i int) string {
	return prefix + fmt.Sprintf("%06d", i+1)
}

var (
	lastDay = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	// openUntil is the earliest deadline of a demand still open in the demo:
	// the catalogue must look alive for years after it was written, since
	// searches and matches leave expired demands out by default.
	openUntil    = time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
	demandsStart = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ---- achievements ----

// generateAchievements returns the achievements and each one's topic index.
func generateAchievements() ([]data.Achievement, []int) {
	v := loadVocab()
	recs := make([]data.Achievement, NumAchievements)
	topics := make([]int, NumAchievements)
	parallel(NumAchievements, seedAchievements, func(i int, g gen) {
		ti := g.weighted(v.topicCum)
		topics[i] = ti
		recs[i] = g.achievement(v, &v.topics[ti], recordID("demo-a-", i))
	})
	return recs, topics
}

var maturityCum = [numClasses][]float64{
	ciMaterial: {22, 52, 80, 100},
	ciSystem:   {20, 45, 75, 100},
	ciSoftware: {15, 35, 65, 100},
	ciBio:      {30, 58, 82, 100},
	ciAgri:     {10, 25, 55, 100},
}

var yearCum = func() []float64 {
	var cum []float64
	for y := 2015; y <= 2025; y++ {
		cum = appendCum(cum, 1+0.25*float64(y-2015))
	}
	return cum
}()

func (g gen) achievement(v *vocab, t *topic, id string) data.Achievement {
	var vals [numSlots]string
	core, prod := g.terms(t, &vals)
	g.metrics(t, &vals)

	inst := g.institution(t)
	in := &institutions[inst]
	stage := g.weighted(maturityCum[t.class])
	year := 2015 + g.weighted(yearCum)
	patents := g.patents(t.class, stage, year)

	vals[sCity] = jilinCities[g.weighted(v.jilinCum)].name
	vals[sCounty] = g.pick(cityByName(in.city).counties)
	switch {
	case len(patents) == 0:
	case strings.HasPrefix(patents[0][6:], "1") && g.chance(0.5):
		vals[sPat] = "，已申请发明专利" + strconv.Itoa(len(patents)) + "项"
	default:
		vals[sPat] = "，已获授权专利" + strconv.Itoa(len(patents)) + "项"
	}

	a := data.Achievement{
		ID:          id,
		Title:       g.tmpl(v.achTitles[t.class]).string(&vals, g.r),
		Abstract:    g.abstract(v, t, stage, &vals),
		Discipline:  t.disc,
		Field:       t.field,
		Industry:    t.ind,
		Institution: in.name,
		Maturity:    data.MaturityStages[stage],
		Region:      data.Region{Province: provinceJilin, City: in.city, County: in.county},
		Patents:     patents,
		Year:        year,
		Status:      data.DefaultStatus,
	}

	// Keywords: the title's core term first, then other core terms and
	// products.
	first := []string{t.core[core[0]], t.core[core[1]]}
	if g.chance(0.6) {
		first = append(first, t.prod[prod[0]])
	}
	n := g.between(3, 6)
	if g.chance(0.15) {
		a.Keywords = keywords(first, t.core, n-1, g)
		a.Keywords = append(a.Keywords, g.pick(genericKeywords[t.class]))
	} else {
		a.Keywords = keywords(first, t.core, n, g)
	}

	n = []int{1, 2, 2, 3, 3, 3, 4, 4}[g.r.IntN(8)]
	korean := in.city == "延边朝鲜族自治州"
	titles := personTitles[in.kind]
	for k := 0; k < n; k++ {
		p := data.Inventor{Name: g.person(korean && g.chance(0.45))}
		if k == 0 {
			p.Title = titles[g.r.IntN(3)] // mostly the senior title
			if g.chance(0.45) {
				p.Contact = g.mobile()
			}
		} else {
			p.Title = titles[g.r.IntN(len(titles))]
		}
		a.Inventors = append(a.Inventors, p)
	}

	a.TransferModes = g.modes([]float64{0.5, 0.4, 0.15, 0.4, 0.45})
	a.PriceWan = g.price(stage)

	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(year+1, 12, 31, 0, 0, 0, 0, time.UTC)
	if to.After(lastDay) {
		to = lastDay
	}
	a.Published = g.date(from, int(to.Sub(from).Hours()/24))
	switch x := g.r.Float64(); {
	case x < 0.04:
		a.Status = "已成交"
	case x < 0.05:
		a.Status = "已下架"
	}
	return a
}

func (g gen) institution(t *topic) int {
	list := t.insts
	if g.chance(0.15) {
		list = t.fieldInsts
	}
	total := 0.0
	for _, i := range list {
		total += institutions[i].weight
	}
	x := g.r.Float64() * total
	for _, i := range list {
		x -= institutions[i].weight
		if x < 0 {
			return i
		}
	}
	return list[len(list)-1]
}

func cityByName(name string) *city {
	for i := range jilinCities {
		if jilinCities[i].name == name {
			return &jilinCities[i]
		}
	}
	panic("demo: unknown city " + name)
}

func (g gen) abstract(v *vocab, t *topic, stage int, vals *[numSlots]string) string {
	c := t.class
	var parts []tmpl
	bg := g.chance(0.85)
	if bg {
		parts = append(parts, g.tmpl(v.background[c]))
	}
	m := g.distinct(len(v.method[c]), 2)
	parts = append(parts, v.method[c][m[0]])
	second := g.chance(0.35)
	if second {
		parts = append(parts, v.method[c][m[1]])
	}
	parts = append(parts, g.tmpl(v.result[c]), g.tmpl(v.apply[stage][c]))
	if len(parts) < 5 && g.chance(0.3) {
		parts = append(parts, g.tmpl(v.team))
	}
	var b strings.Builder
	b.Grow(1024) // abstracts run to about 200 characters
	for _, p := range parts {
		p.render(&b, vals, g.r)
	}
	return b.String()
}

// patents returns 0–3 Chinese patent application numbers filed in the three
// years up to the achievement's year, with correct check digits.
func (g gen) patents(class, stage, year int) []string {
	p := 0.6
	if class == ciAgri || class == ciSoftware {
		p = 0.3
	}
	if !g.chance(p + 0.05*float64(stage)) {
		return nil
	}
	n := []int{1, 1, 1, 2, 2, 3}[g.r.IntN(6)]
	out := make([]string, n)
	for k := range out {
		y := max(2012, year-g.r.IntN(3))
		kind := 1
		if g.chance(0.25) {
			kind = 2
		}
		out[k] = patentNumber(y, kind, g.r.IntN(10000000))
	}
	return out
}

// patentNumber formats a CNIPA application number: CN, year, kind (1
// invention, 2 utility model), a 7-digit serial, and the check digit.
func patentNumber(year, kind, serial int) string {
	digits := fmt.Sprintf("%04d%d%07d", year, kind, serial)
	return "CN" + digits + "." + string(patentCheck(digits))
}

// patentCheck returns the check digit of a 12-digit application number: the
// digits weighted 2…9,2…5 modulo 11, where 10 is written X.
func patentCheck(digits string) byte {
	weights := [12]int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(digits[i]-'0') * weights[i]
	}
	if sum%11 == 10 {
		return 'X'
	}
	return byte('0' + sum%11)
}

// modes draws transfer modes, each with its own probability, in the order of
// data.TransferModes; at least one.
func (g gen) modes(p []float64) []string {
	var out []string
	for i, m := range data.TransferModes {
		if g.chance(p[i]) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		out = append(out, data.TransferModes[g.r.IntN(len(data.TransferModes))])
	}
	return out
}

var priceBands = [4][2]float64{{5, 60}, {10, 150}, {30, 400}, {50, 1200}}

// price returns a price range in 万元 that grows with maturity; one in five
// achievements has none (面议).
func (g gen) price(stage int) *data.Range {
	if g.chance(0.2) {
		return nil
	}
	band := priceBands[stage]
	lo := roundAmount(band[0] + g.r.Float64()*(band[1]-band[0]))
	if g.chance(0.3) {
		return &data.Range{Min: lo, Max: lo}
	}
	return &data.Range{Min: lo, Max: roundAmount(lo * (1.3 + g.r.Float64()*1.7))}
}

// roundAmount rounds to a figure people would write: 5 below 100, 10 below
// 1000, 50 above.
func roundAmount(x float64) float64 {
	step := 5.0
	switch {
	case x >= 1000:
		step = 50
	case x >= 100:
		step = 10
	}
	return math.Max(step, math.Round(x/step)*step)
}

// ---- demands ----

// firm is a made-up enterprise that posts demands.
type firm struct {
	ent     data.Enterprise
	region  data.Region
	contact data.Contact
}

// generateDemands returns the demands and each one's topic index.
func generateDemands() ([]data.Demand, []int) {
	v := loadVocab()
	firms := buildFirms(v)
	recs := make([]data.Demand, NumDemands)
	topics := make([]int, NumDemands)
	parallel(NumDemands, seedDemands, func(i int, g gen) {
		ti := g.weighted(v.topicCum)
		topics[i] = ti
		recs[i] = g.demand(v, &v.topics[ti], firms[v.topics[ti].ind], recordID("demo-d-", i))
	})
	return recs, topics
}

// buildFirms makes each industry a pool of enterprises, about one for every
// three demands the industry will get, all with different names.
func buildFirms(v *vocab) map[string][]firm {
	expected := map[string]float64{}
	var industries []string
	prev := 0.0
	for i, t := range v.topics {
		if _, ok := expected[t.ind]; !ok {
			industries = append(industries, t.ind)
		}
		expected[t.ind] += (v.topicCum[i] - prev) / v.topicCum[len(v.topicCum)-1] * NumDemands
		prev = v.topicCum[i]
	}
	src := rand.NewPCG(seedFirms, seedStream)
	g := gen{r: rand.New(src)}
	taken := map[string]bool{}
	pools := make(map[string][]firm, len(industries))
	for _, ind := range industries {
		n := max(12, int(expected[ind]/3))
		pool := make([]firm, n)
		for k := range pool {
			pool[k] = g.firm(v, ind, taken)
		}
		pools[ind] = pool
	}
	return pools
}

var sizeCum = []float64{8, 32, 78, 100} // 大型, 中型, 小型, 微型

func (g gen) firm(v *vocab, ind string, taken map[string]bool) firm {
	var c *city
	if b, ok := cityBias[ind]; ok && g.chance(b.p) {
		c = cityByName(b.city)
	} else if g.chance(0.9) {
		c = &jilinCities[g.weighted(v.jilinCum)]
	} else {
		c = &otherCities[g.weighted(v.otherCum)]
	}
	county := g.pick(c.counties)
	size := data.EnterpriseSizes[g.weighted(sizeCum)]

	var name string
	for {
		prefix := c.short
		switch x := g.r.Float64(); {
		case c.province == provinceJilin && x < 0.3:
			prefix = "吉林省"
		case strings.HasSuffix(county, "市") && x < 0.55:
			prefix = strings.TrimSuffix(county, "市")
		case c.province != provinceJilin && x < 0.45:
			prefix = strings.TrimSuffix(strings.TrimSuffix(c.province, "省"), "自治区")
		}
		suffix := "有限公司"
		switch x := g.r.Float64(); {
		case size == "大型" && x < 0.45:
			suffix = "股份有限公司"
		case size == "大型" && x < 0.7:
			suffix = "集团有限公司"
		case x < 0.12:
			suffix = "有限责任公司"
		case x < 0.2 && size == "中型":
			suffix = "股份有限公司"
		}
		name = prefix + g.pick(brands) + g.pick(firmWords[ind]) + suffix
		if !taken[name] {
			taken[name] = true
			break
		}
	}
	f := firm{
		ent:    data.Enterprise{Name: name, Size: size, Industry: ind, CreditCode: g.creditCode(c.division)},
		region: data.Region{Province: c.province, City: c.name, County: county},
	}
	f.contact.Name = g.person(c.name == "延边朝鲜族自治州" && g.chance(0.4))
	if g.chance(0.8) {
		f.contact.Phone = g.mobile()
	} else {
		f.contact.Phone = g.landline(c.area)
	}
	return f
}

// creditCode returns an 18-character 统一社会信用代码 for an enterprise
// registered in division: 91, the division code, a 9-character
// organisation code with its GB 11714 check character, and the GB 32100
// check character.
func (g gen) creditCode(division string) string {
	org := make([]byte, 8, 9)
	for i := range org {
		org[i] = byte('0' + g.r.IntN(10))
	}
	org = append(org, orgCodeCheck(string(org)))
	code := "91" + division + string(org)
	return code + string(creditCodeCheck(code))
}

// creditCodeCharset is the alphabet of 统一社会信用代码 (no I, O, S, V, Z).
const creditCodeCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// orgCodeCheck returns the GB 11714 check character of an 8-digit
// organisation code.
func orgCodeCheck(digits string) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(digits[i]-'0') * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// creditCodeCheck returns the GB 32100 check character of the first 17
// characters of a 统一社会信用代码.
func creditCodeCheck(code string) byte {
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(creditCodeCharset, code[i]) * weights[i]
	}
	return creditCodeCharset[(31-sum%31)%31]
}

var demandMaturityCum = []float64{6, 18, 52, 100} // 研发, 小试, 中试, 产业化

var revenue = map[string]string{
	"大型": "{10-80}亿元",
	"中型": "{1-9}亿元",
	"小型": "{1000-9000}万元",
	"微型": "{100-900}万元",
}

var sizeWords = map[string]string{"大型": "大型", "中型": "中型", "小型": "科技型中小", "微型": "小微"}

var budgetBands = map[string][2]float64{
	"大型": {100, 2000},
	"中型": {50, 500},
	"小型": {10, 200},
	"微型": {5, 50},
}

// surface returns term or, with probability p, one of its near-synonyms.
func (g gen) surface(term string, p float64) string {
	if alt, ok := synonyms[term]; ok && g.chance(p) {
		return alt[g.r.IntN(len(alt))]
	}
	return term
}

func (g gen) demand(v *vocab, t *topic, pool []firm, id string) data.Demand {
	f := &pool[g.skewed(len(pool), 1.6)]
	var vals [numSlots]string
	core, _ := g.terms(t, &vals)
	midx := g.metrics(t, &vals)

	// Near-synonyms: the demand may name the main term and the product the
	// way the enterprise would, not the way the researchers do.
	c, p := vals[sC], vals[sP]
	vals[sC] = g.surface(c, 0.5)
	vals[sP] = g.surface(p, 0.5)
	vals[sT1] = g.target(&t.metrics[midx[0]], &vals)
	vals[sT2] = g.target(&t.metrics[midx[1]], &vals)
	vals[sCounty] = f.region.County
	if vals[sCounty] == "" {
		vals[sCounty] = f.region.City
	}
	vals[sSize] = sizeWords[f.ent.Size]
	vals[sRev] = v.revenue[f.ent.Size].string(&vals, g.r)

	d := data.Demand{
		ID:         id,
		Industry:   t.ind,
		Field:      t.field,
		Enterprise: f.ent,
		Region:     f.region,
		Status:     data.DefaultStatus,
	}
	contact := f.contact
	d.Contact = &contact

	stage := g.weighted(demandMaturityCum)
	if g.chance(0.9) {
		d.Maturity = data.MaturityStages[stage]
	}
	d.Modes = g.modes([]float64{0.35, 0.2, 0.08, 0.35, 0.5})
	vals[sMode] = d.Modes[0]

	d.Challenge = g.chance(0.05)
	if d.Challenge {
		d.RewardWan = roundAmount(50 + 950*math.Pow(g.r.Float64(), 2))
		vals[sReward] = strconv.FormatFloat(d.RewardWan, 'f', -1, 64)
	}

	title := g.tmpl(v.demTitles[t.class]).string(&vals, g.r)
	if d.Challenge {
		title = "揭榜挂帅：" + title
	}
	d.Title = title

	var b strings.Builder
	b.Grow(640)
	g.tmpl(v.intro[t.class]).render(&b, &vals, g.r)
	g.tmpl(v.problem[t.class]).render(&b, &vals, g.r)
	g.tmpl(v.target).render(&b, &vals, g.r)
	switch {
	case d.Challenge:
		g.tmpl(v.challenge).render(&b, &vals, g.r)
	case d.Maturity == "产业化" && g.chance(0.4):
		v.mature.render(&b, &vals, g.r)
	case g.chance(0.6):
		g.tmpl(v.coop).render(&b, &vals, g.r)
	}
	d.Description = b.String()

	// Keywords: the term as the enterprise wrote it, always one core term
	// as the topic spells it, then products and other core terms.
	first := []string{vals[sC], t.core[core[1]]}
	if g.chance(0.7) {
		first = append(first, vals[sP])
	}
	if vals[sC] != c && g.chance(0.5) {
		first = append(first, c)
	}
	n := g.between(3, 5)
	if g.chance(0.3) {
		d.Keywords = keywords(first, t.prod, n-1, g)
		d.Keywords = append(d.Keywords, g.pick(genericKeywords[t.class]))
	} else {
		d.Keywords = keywords(first, t.prod, n, g)
	}

	if g.chance(0.85) {
		band := budgetBands[f.ent.Size]
		hi := roundAmount(band[0] + (band[1]-band[0])*math.Pow(g.r.Float64(), 1.5))
		switch {
		case g.chance(0.25):
			d.BudgetWan = &data.Range{Max: hi} // 不超过
		default:
			d.BudgetWan = &data.Range{Min: roundAmount(hi * (0.4 + 0.4*g.r.Float64())), Max: hi}
		}
		if d.Challenge && d.BudgetWan.Max < d.RewardWan {
			d.BudgetWan.Max = d.RewardWan
		}
	}

	published := demandsStart.AddDate(0, 0, g.r.IntN(int(lastDay.Sub(demandsStart).Hours()/24)+1))
	d.Published = published.Format(time.DateOnly)
	d.Deadline = demandDeadline(published, g.between(90, 540)).Format(time.DateOnly)
	return d
}

// demandDeadline turns a draw of 90–540 days into a deadline: about one
// demand in ten (draws under 135) closed that long after it was published
// and shows as 已过期; the rest stay open until some time between the end
// of 2027 and 2031.
func demandDeadline(published time.Time, days int) time.Time {
	if days < 135 {
		return published.AddDate(0, 0, days)
	}
	return openUntil.AddDate(0, 0, (days-135)*3)
}
