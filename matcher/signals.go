package matcher

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Signal names. Every signal is a value in [0,1]; a signal whose fields are
// missing on either side takes its neutral value, so a record with a title
// only is never penalized for what it does not say.
const (
	SignalText      = "text"      // BM25 of the demand's words and bigrams in the achievement
	SignalChars     = "chars"     // BM25 of single characters: matches the segmenter misses
	SignalTitle     = "title"     // the two titles' likeness
	SignalCover     = "cover"     // how much of the achievement's title the demand speaks of
	SignalKeywords  = "keywords"  // given keywords found on the other side
	SignalAssoc     = "assoc"     // words associated in the catalogue (PMI)
	SignalFeedback  = "feedback"  // likeness to the demand's best candidates (pseudo-relevance feedback)
	SignalField     = "field"     // technology domain of industry and field
	SignalRegion    = "region"    // same county, city, province, the Northeast
	SignalMaturity  = "maturity"  // the achievement's stage against what the enterprise needs
	SignalPrice     = "price"     // price within budget
	SignalMode      = "mode"      // transfer modes wanted and offered
	SignalFresh     = "fresh"     // recent achievement, open demand
	SignalChallenge = "challenge" // 揭榜挂帅 challenge
)

// SignalInfo describes a signal.
type SignalInfo struct {
	Name    string  `json:"name"`
	Label   string  `json:"label"`
	Neutral float64 `json:"neutral"`
	// Text marks the signals computed from the records' text (the others
	// come from their structured fields).
	Text bool `json:"text"`
}

// Signals lists every signal in the order of explanations.
var Signals = []SignalInfo{
	{SignalText, "文本相关度", 0, true},
	{SignalChars, "字面相似度", 0, true},
	{SignalTitle, "标题相似度", 0, true},
	{SignalCover, "成果名称覆盖度", 0, true},
	{SignalKeywords, "关键词重合", 0.5, true},
	{SignalAssoc, "关联词", 0, true},
	{SignalFeedback, "相似成果扩展", 0.5, true},
	{SignalField, "领域与行业", fieldUnknown, false},
	{SignalRegion, "地域", regionUnknown, false},
	{SignalMaturity, "成熟度", 0.5, false},
	{SignalPrice, "价格与预算", 0.5, false},
	{SignalMode, "转化方式", 0.5, false},
	{SignalFresh, "时效", 0.5, false},
	{SignalChallenge, "揭榜挂帅", 0.5, false},
}

const numSignals = 14

// Indexes into a signal vector, in the order of Signals.
const (
	sText = iota
	sChars
	sTitle
	sCover
	sKeywords
	sAssoc
	sFeedback
	sField
	sRegion
	sMaturity
	sPrice
	sMode
	sFresh
	sChallenge
)

func signalIndex(name string) int {
	for i, s := range Signals {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// pairEval is the scoring of one (demand, achievement) pair: the signal
// values and what the explanation needs to say why.
type pairEval struct {
	v [numSignals]float64

	matched      []data.Term // demand words found in the achievement, weighted
	associated   []assocHit  // achievement words associated with the demand's
	sharedSector sectorSet
	regionLevel  int
	regionName   string
	stage        int // achievement maturity stage
	wantStage    int
	priceFits    int // 1 fits, -1 over budget, 0 unknown
	modes        []string
	kwMatched    []string
}

type assocHit struct {
	word   string
	weight float64
}

// evalPair computes every signal of the achievement profiled by pa for
// query q; with detail it also collects what an explanation lists (the
// matched and associated words), which only the results shown need.
func evalPair(m *Model, q *query, pa *profile, now time.Time, detail bool) pairEval {
	var e pairEval
	ach := &m.cats[kindIndex(data.KindAchievement)]
	a := &pa.meta

	// text: words of the achievement's title and keywords, and bigrams of
	// its whole text; chars: its characters.
	var sw float64
	for _, x := range pa.words {
		qw, ok := q.words[x.w]
		if !ok {
			continue
		}
		idf := ach.wordIDF(x.w)
		sw += qw * idf * bm25TF(float64(x.n), float64(pa.nWords), ach.avgWordLen)
		if detail {
			e.matched = append(e.matched, data.Term{Text: x.w, Weight: round3(qw * idf)})
		}
	}
	var sc, sb float64
	qs := q.sorted
	j := 0
	for i, k := range pa.keys {
		for j < len(qs) && qs[j].k < k {
			j++
		}
		if j == len(qs) {
			break
		}
		if qs[j].k != k {
			continue
		}
		s := qs[j].wi * bm25TF(float64(pa.tfs[i]), float64(pa.allChars), ach.avgAll)
		if unitIsBigram(k) {
			sb += s
		} else {
			sc += s
		}
	}
	e.v[sText] = 0.5*squash(sw, q.normWords) + 0.5*squash(sb, q.normBigrams)
	e.v[sChars] = squash(sc, q.normChars)

	// title: IDF-weighted Dice of the titles' units; cover: the share of
	// the achievement title's idf mass that the demand mentions anywhere.
	var both, sumA, cov float64
	for _, k := range pa.title {
		idf := ach.unitIDF(k)
		sumA += idf
		if q.titleUnits[k] {
			both += idf
		}
		if _, ok := q.units[k]; ok {
			cov += idf
		}
	}
	if sumA+q.titleIDF > 0 {
		e.v[sTitle] = 2 * both / (sumA + q.titleIDF)
	}
	if sumA > 0 {
		e.v[sCover] = cov / sumA
	}

	e.v[sKeywords], e.kwMatched = keywordOverlap(q, pa, detail)

	// assoc: the achievement's words associated with the demand's.
	if len(q.expansion) > 0 {
		var num, den float64
		for _, x := range pa.words {
			idf := ach.wordIDF(x.w)
			den += idf
			if _, direct := q.words[x.w]; direct {
				continue
			}
			if v := q.expansion[x.w]; v > 0 {
				num += idf * v
				if detail {
					e.associated = append(e.associated, assocHit{word: x.w, weight: v})
				}
			}
		}
		if den > 0 {
			e.v[sAssoc] = num / den
		}
	}

	// feedback: likeness to the demand's best candidates.
	e.v[sFeedback] = Signals[sFeedback].Neutral
	if f := q.feedback; f != nil && len(f.units) > 0 {
		var num, den float64
		for _, k := range pa.keys {
			idf := ach.unitIDF(k)
			den += idf
			num += idf * f.units[k]
		}
		if den > 0 {
			e.v[sFeedback] = num / den
		}
	}

	// Structured fields.
	e.v[sField], e.sharedSector = compatibility(q.sectors, pa.sectors)
	e.v[sRegion], e.regionLevel = proximity(q.region, pa.place)
	e.regionName = regionName(q.region, pa.place, e.regionLevel)
	e.stage = data.MaturityStage(a.Maturity)
	e.wantStage = q.wantMat
	e.v[sMaturity] = maturityFit(q.wantMat, e.stage)
	e.v[sPrice], e.priceFits = priceFit(a.PriceWan, q.d.BudgetWan)
	e.v[sMode], e.modes = modeFit(q.d.Modes, a.TransferModes)
	e.v[sFresh] = freshness(a.Published, a.Year, q.d, now)
	e.v[sChallenge] = challengeValue(q.d)
	return e
}

// sortDetails orders what an explanation lists, heaviest first; only the
// results shown need it.
func (e *pairEval) sortDetails() {
	sort.Slice(e.matched, func(i, j int) bool {
		if e.matched[i].Weight != e.matched[j].Weight {
			return e.matched[i].Weight > e.matched[j].Weight
		}
		return e.matched[i].Text < e.matched[j].Text
	})
	sort.Slice(e.associated, func(i, j int) bool {
		if e.associated[i].weight != e.associated[j].weight {
			return e.associated[i].weight > e.associated[j].weight
		}
		return e.associated[i].word < e.associated[j].word
	})
}

// bm25TF is BM25's saturated term frequency.
func bm25TF(tf, dl, avg float64) float64 {
	if avg <= 0 {
		avg = 1
	}
	return tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*dl/avg))
}

// squash maps a non-negative score to [0,1): one half at norm.
func squash(s, norm float64) float64 {
	if s <= 0 || norm <= 0 {
		return 0
	}
	return s / (s + norm)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// keywordOverlap is the share of the keywords given on either side that the
// other side mentions (all of a keyword's characters, bigrams and words
// occur there); neutral when neither side gives keywords.
func keywordOverlap(q *query, pa *profile, detail bool) (float64, []string) {
	dk, ak := q.d.Keywords, pa.meta.Keywords
	if len(dk) == 0 && len(ak) == 0 {
		return Signals[sKeywords].Neutral, nil
	}
	n, hit := 0, 0
	var matched []string
	// A keyword is shared where the other text holds its characters and,
	// with an analyzer, holds it as words: 微囊 is not in 微囊藻.
	for i, k := range dk {
		n++
		if len(q.kwUnits[i]) > 0 && allUnits(q.kwUnits[i], func(u unit) bool { return hasUnit(pa.keys, u) }) &&
			(q.kwWords == nil || allWords(q.kwWords[i], pa.hasWord)) {
			hit++
			if detail {
				matched = appendNew(matched, k)
			}
		}
	}
	for i, k := range ak {
		n++
		if i < len(pa.kwUnits) && len(pa.kwUnits[i]) > 0 && allUnits(pa.kwUnits[i], func(u unit) bool { _, ok := q.units[u]; return ok }) &&
			(pa.kwWords == nil || q.allWords == nil || allWords(pa.kwWords[i], func(w string) bool { return q.allWords[w] })) {
			hit++
			if detail {
				matched = appendNew(matched, k)
			}
		}
	}
	return float64(hit) / float64(n), matched
}

func allWords(ws []string, has func(string) bool) bool {
	for _, w := range ws {
		if !has(w) {
			return false
		}
	}
	return len(ws) > 0
}

func allUnits(us []unit, has func(unit) bool) bool {
	for _, u := range us {
		if !has(u) {
			return false
		}
	}
	return true
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// productionWords in a demand mean the enterprise wants to produce, so it
// needs an achievement at the 中试 stage or beyond.
var productionWords = []string{"产业化", "量产", "投产", "规模化生产", "批量生产", "工业化生产", "生产线", "成熟技术", "成熟的"}

// wantedMaturity is the stage an enterprise needs: its maturity field, or
// 中试 when its text speaks of production, or 0 when unknown.
func wantedMaturity(d *data.Demand) int {
	if s := data.MaturityStage(d.Maturity); s > 0 {
		return s
	}
	text := d.Title + d.Description
	for _, w := range productionWords {
		if strings.Contains(text, w) {
			return 3
		}
	}
	return 0
}

// maturityFit scores an achievement's stage against the stage wanted.
func maturityFit(want, have int) float64 {
	if want == 0 || have == 0 {
		return 0.5
	}
	if have >= want {
		return 1
	}
	switch want - have {
	case 1:
		return 0.4
	case 2:
		return 0.15
	}
	return 0.05
}

// priceFit compares an achievement's price with a demand's budget: 1 when
// the lowest price is within the highest budget, falling with the ratio
// otherwise; neutral when either is missing or zero.
func priceFit(price, budget *data.Range) (float64, int) {
	lo := rangeLow(price)
	hi := rangeHigh(budget)
	if lo <= 0 || hi < 0 {
		return 0.5, 0
	}
	if hi == 0 || lo <= hi { // budget open above
		return 1, 1
	}
	return math.Max(0.05, 0.9*hi/lo), -1
}

// rangeLow is the lower end of a range (its upper end if only that is
// given), or 0.
func rangeLow(r *data.Range) float64 {
	if r == nil {
		return 0
	}
	if r.Min > 0 {
		return r.Min
	}
	return math.Max(r.Max, 0)
}

// rangeHigh is the upper end of a budget: -1 when there is none, 0 when it
// is open above (only a minimum given).
func rangeHigh(r *data.Range) float64 {
	if r == nil || (r.Min <= 0 && r.Max <= 0) {
		return -1
	}
	if r.Max > 0 {
		return r.Max
	}
	return 0
}

// modeFit compares the transfer modes a demand wants with those offered.
func modeFit(want, offer []string) (float64, []string) {
	if len(want) == 0 || len(offer) == 0 {
		return 0.5, nil
	}
	var both []string
	for _, w := range want {
		for _, o := range offer {
			if w == o {
				both = append(both, w)
				break
			}
		}
	}
	if len(both) > 0 {
		return 1, both
	}
	return 0.2, nil
}

// freshness favours recent achievements and open demands.
func freshness(published string, year int, d *data.Demand, now time.Time) float64 {
	var sum float64
	n := 0
	if t, ok := achievementDate(published, year); ok {
		age := now.Sub(t).Hours() / 24 / 365.25
		v := 1.0
		switch {
		case age > 15:
			v = 0.2
		case age > 2:
			v = 1 - 0.8*(age-2)/13
		}
		sum += v
		n++
	}
	if d.Deadline != "" {
		if t, err := data.ParseDate(d.Deadline); err == nil {
			if now.After(t.AddDate(0, 0, 1)) {
				sum += 0.1
			} else {
				sum += 1
			}
			n++
		}
	}
	if n == 0 {
		return 0.5
	}
	return sum / float64(n)
}

func achievementDate(published string, year int) (time.Time, bool) {
	if published != "" {
		if t, err := data.ParseDate(published); err == nil {
			return t, true
		}
	}
	if year > 0 {
		return time.Date(year, 7, 1, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// challengeValue puts 揭榜挂帅 demands forward, more so with a reward.
func challengeValue(d *data.Demand) float64 {
	if !d.Challenge {
		return 0.5
	}
	if d.RewardWan > 0 {
		return 1
	}
	return 0.9
}

// regionName names the place two records share, for explanations.
func regionName(a, b placeInfo, level int) string {
	switch level {
	case levelCounty:
		return a.cityLabel + a.countyLabel
	case levelCity:
		if a.cityLabel != "" {
			return a.cityLabel
		}
		return b.cityLabel
	case levelProvince:
		if a.provinceLabel != "" {
			return a.provinceLabel
		}
		return b.provinceLabel
	case levelNortheast:
		return "东北地区"
	}
	return ""
}
