package matcher

import (
	"math"
	"sort"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// Weights of a demand's parts when it is the query: title words count more
// than keywords, keywords more than the description (often a company
// profile); repeats in the description add little (1 + ln tf).
const (
	qTitleWeight    = 3.0
	qKeywordWeight  = 2.0
	qDescWeightBase = 1.0
)

// query is a demand prepared for scoring achievements against it.
type query struct {
	d *data.Demand

	units map[unit]float64 // characters, words of letters, bigrams, with weights
	// sorted are the units in key order with weight × idf, for a merge
	// with an achievement's sorted units.
	sorted []qunit
	words  map[string]float64 // analyzer words with weights
	// titleUnits are the title's units; titleIDF their summed idf.
	titleUnits map[unit]bool
	titleIDF   float64
	kwUnits    [][]unit        // each keyword's units
	kwWords    [][]string      // each keyword's analyzer words (nil without an analyzer)
	allWords   map[string]bool // every analyzer word of the demand's text

	// maxTerm is the heaviest word's weight × idf: explanations name only
	// matched words of some weight.
	maxTerm float64

	// Norms bring the BM25 sums into [0,1]: the score of an achievement
	// that has the query's best few terms.
	normWords, normChars, normBigrams float64

	expansion map[string]float64 // associated words (assoc signal)
	feedback  *feedback          // pseudo-relevance feedback, when computed

	region  placeInfo
	sectors sectorSet
	wantMat int // maturity stage the enterprise needs, 0 if unknown
}

// qunit is a query unit with its weight × idf.
type qunit struct {
	k  unit
	wi float64
}

// newQuery prepares demand d against the achievements' statistics.
func newQuery(m *Model, an data.Analyzer, d *data.Demand, w Weights) *query {
	q := &query{d: d, units: map[unit]float64{}, words: map[string]float64{}, titleUnits: map[unit]bool{}}
	ach := &m.cats[kindIndex(data.KindAchievement)]

	// Units: title tf × 3, keywords × 2, description 1 + ln tf.
	tu := unitCounts{}
	addUnits(d.Title, tu)
	for k, n := range tu {
		q.units[k] += qTitleWeight * float64(n)
		q.titleUnits[k] = true
	}
	for _, k := range sortedKeys(q.titleUnits) {
		q.titleIDF += ach.unitIDF(k)
	}
	kwu := unitCounts{}
	for _, k := range d.Keywords {
		addUnits(k, kwu)
		q.kwUnits = append(q.kwUnits, unitsOf(k))
	}
	for k, n := range kwu {
		q.units[k] += qKeywordWeight * float64(n)
	}
	// The description counts for its statement of the need; the parts
	// describing the company (公司简介, 工作基础, staff and revenue figures)
	// count data.ProfileWeight as much.
	need, prof := data.SplitNeed(cutRunes(d.Description, maxBodyRunes))
	du := unitCounts{}
	addUnits(need, du)
	for k, n := range du {
		q.units[k] += qDescWeightBase + math.Log(float64(n))
	}
	pu := unitCounts{}
	addUnits(prof, pu)
	for k, n := range pu {
		q.units[k] += data.ProfileWeight * (qDescWeightBase + math.Log(float64(n)))
	}

	if an != nil {
		q.allWords = map[string]bool{}
		q.kwWords = make([][]string, len(d.Keywords))
		for i, k := range d.Keywords {
			q.kwWords[i] = an.Terms(k)
		}
		for _, t := range []string{d.Title, strings.Join(d.Keywords, "；"), need, prof} {
			for _, w := range an.Terms(t) {
				q.allWords[w] = true
			}
		}
		for _, w := range an.Terms(d.Title) {
			q.words[w] += qTitleWeight
		}
		for _, k := range d.Keywords {
			for _, w := range an.Terms(k) {
				q.words[w] += qKeywordWeight
			}
		}
		dc := map[string]int{}
		for _, w := range an.Terms(need) {
			dc[w]++
		}
		for w, c := range dc {
			q.words[w] += qDescWeightBase + math.Log(float64(c))
		}
		pc := map[string]int{}
		for _, w := range an.Terms(prof) {
			pc[w]++
		}
		for w, c := range pc {
			q.words[w] += data.ProfileWeight * (qDescWeightBase + math.Log(float64(c)))
		}
		q.words = topWords(q.words, ach, maxQueryWords)
	}
	// Demand-specific weighting: words most demands use (如何, 提高, 研发,
	// 公司, 产业化) say little about what this one wants. Each term's weight
	// is scaled by its idf among the demands, learned from the demand
	// catalogue, relative to the rarest; too small a catalogue teaches
	// nothing and is left alone. Ablation on dev bdci-match (issue 12; full
	// recall@100 / rerank nDCG@10): off 0.3238 / 0.7091, on 0.3669 /
	// 0.7163; the ratio squared 0.3645 / 0.7067 and to the power 1.5
	// 0.3686 / 0.7130, so it stays linear.
	if dem := &m.cats[kindIndex(data.KindDemand)]; dem.n >= minSpecDemands && !w.NoDemandWeighting {
		mx := dem.maxIDF()
		for k, w := range q.units {
			q.units[k] = w * dem.unitIDF(k) / mx
		}
		for t, w := range q.words {
			q.words[t] = w * dem.textIDF(t) / mx
		}
	}

	for t, w := range q.words {
		q.maxTerm = math.Max(q.maxTerm, w*ach.wordIDF(t))
	}
	q.normWords = idealScore(len(q.words), func(yield func(w, idf float64)) {
		for t, w := range q.words {
			yield(w, ach.wordIDF(t))
		}
	})
	q.sorted = make([]qunit, 0, len(q.units))
	for k, w := range q.units {
		q.sorted = append(q.sorted, qunit{k, w * ach.unitIDF(k)})
	}
	sort.Slice(q.sorted, func(i, j int) bool { return q.sorted[i].k < q.sorted[j].k })

	q.normChars = idealScore(len(q.units), func(yield func(w, idf float64)) {
		for k, w := range q.units {
			if !unitIsBigram(k) {
				yield(w, ach.unitIDF(k))
			}
		}
	})
	q.normBigrams = idealScore(len(q.units), func(yield func(w, idf float64)) {
		for k, w := range q.units {
			if unitIsBigram(k) {
				yield(w, ach.unitIDF(k))
			}
		}
	})

	// Associations: each query word leads to its associates with its
	// weight relative to the query's heaviest word, times its idf relative
	// to the catalogue's rarest (common words have weak, many associates).
	if m.assoc != nil && len(q.words) > 0 {
		maxW := 0.0
		for _, w := range q.words {
			maxW = math.Max(maxW, w)
		}
		seed := make(map[string]float64, len(q.words))
		mx := ach.maxIDF()
		for t, w := range q.words {
			seed[t] = w / maxW * math.Min(1, ach.wordIDF(t)/mx*1.5)
		}
		q.expansion = m.assoc.expand(seed)
	}
	q.region = placeOf(d.Region)
	q.sectors = sectorsOf(d.Industry, d.Field, d.Enterprise.Industry)
	q.wantMat = wantedMaturity(d)
	return q
}

// minSpecDemands is the fewest demands from which demand-specific weights
// are learned.
const minSpecDemands = 20

// topWords keeps the n words with the largest weight × idf.
func topWords(words map[string]float64, c *catStats, n int) map[string]float64 {
	if len(words) <= n {
		return words
	}
	type tw struct {
		t string
		s float64
	}
	all := make([]tw, 0, len(words))
	for t, w := range words {
		all = append(all, tw{t, w * c.wordIDF(t)})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].s != all[j].s {
			return all[i].s > all[j].s
		}
		return all[i].t < all[j].t
	})
	out := make(map[string]float64, n)
	for _, x := range all[:n] {
		out[x.t] = words[x.t]
	}
	return out
}

// idealTerms is how many of a query's best terms an achievement must have
// to reach a normalized text score of one half.
const idealTerms = 4

// idealScore is the BM25 sum (at tf 1 and average length) of a query's
// idealTerms best terms: the scale of the query's scores.
func idealScore(n int, each func(yield func(w, idf float64))) float64 {
	s := make([]float64, 0, n)
	each(func(w, idf float64) { s = append(s, w*idf) })
	sort.Sort(sort.Reverse(sort.Float64Slice(s)))
	sum := 0.0
	for i := 0; i < len(s) && i < idealTerms; i++ {
		sum += s[i]
	}
	return sum
}

func sortedKeys(m map[unit]bool) []unit {
	out := make([]unit, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
