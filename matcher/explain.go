package matcher

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// Direction says which side was matched to which, for the wording of
// explanations.
type Direction int

const (
	// DirDemand: achievements were found for a demand.
	DirDemand Direction = iota
	// DirAchievement: demands were found for an achievement.
	DirAchievement
)

// Explanation says why a pair scored what it did: each signal's value and
// weighted contribution (the contributions add up to the total), the demand
// words found in the achievement with their weights, and two or three
// short sentences a broker can read out.
type Explanation struct {
	Total     float64       `json:"total"`
	Signals   []SignalValue `json:"signals"`
	Terms     []data.Term   `json:"terms"`
	Sentences []string      `json:"sentences"`
}

// SignalValue is one signal of a pair. Weight is the signal's share of all
// weights, so Contribution = Weight × Value.
type SignalValue struct {
	Name         string  `json:"name"`
	Label        string  `json:"label"`
	Value        float64 `json:"value"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
}

const (
	minSpokenTerm   = 0.2
	maxExplainTerms = 10
	maxSentences    = 3
	maxListed       = 4 // words listed in one sentence
)

func explain(e *pairEval, w *[numSignals]float64, total float64, q *query, a *achMeta, dir Direction) Explanation {
	e.sortDetails()
	ex := Explanation{Total: round4(total), Signals: make([]SignalValue, 0, numSignals), Terms: []data.Term{}}
	var sw float64
	for _, x := range w {
		sw += x
	}
	for i, s := range Signals {
		if w[i] == 0 {
			continue
		}
		share := w[i] / sw
		ex.Signals = append(ex.Signals, SignalValue{Name: s.Name, Label: s.Label, Value: round4(e.v[i]),
			Weight: round4(share), Contribution: round4(share * e.v[i])})
	}
	for i, t := range e.matched {
		if i == maxExplainTerms {
			break
		}
		ex.Terms = append(ex.Terms, t)
	}
	ex.Sentences = sentences(e, w, q, a, dir)
	return ex
}

// sentence is a candidate sentence with how much it matters.
type sentence struct {
	text string
	rank float64
}

func sentences(e *pairEval, w *[numSignals]float64, q *query, a *achMeta, dir Direction) []string {
	var out []sentence
	add := func(sig int, text string) {
		if text == "" {
			return
		}
		out = append(out, sentence{text, w[sig] * abs(e.v[sig]-Signals[sig].Neutral)})
	}

	// What the texts share: given keywords first, then the heaviest words,
	// then associated words: whole words of two characters or more, never
	// fragments.
	switch {
	case len(e.kwMatched) > 0:
		out = append(out, sentence{"关键词重合：" + list(e.kwMatched), 100})
	case len(termTexts(e.matched, q.maxTerm)) > 0:
		out = append(out, sentence{"共同的技术词：" + list(termTexts(e.matched, q.maxTerm)), 100})
	}
	var assoc []string
	for _, h := range e.associated {
		if len(assoc) < 3 && utf8.RuneCountInString(h.word) >= 2 && !isNumber(h.word) {
			assoc = append(assoc, h.word)
		}
	}
	if len(assoc) > 0 && w[sAssoc] > 0 {
		add(sAssoc, "相关技术词："+strings.Join(assoc, "、")+"（在成果库中常与需求用词同时出现）")
	}
	if e.v[sFeedback] > 0.6 && w[sFeedback] > 0 && q.feedback != nil && !contains(q.feedback.ids, a.ID) {
		add(sFeedback, "与该需求最相关的几项成果内容相近")
	}

	switch e.regionLevel {
	case levelCounty, levelCity, levelProvince:
		add(sRegion, "同在"+e.regionName+"，便于本地转化")
	case levelNortheast:
		add(sRegion, "同属东北地区，便于就近转化")
	}
	if e.sharedSector != 0 {
		add(sField, "同属"+strings.Join(e.sharedSector.names(), "、")+"领域")
	} else if e.v[sField] < fieldUnknown {
		add(sField, "领域与企业所在行业差别较大")
	}
	if t := maturityText(e.wantStage, e.stage); t != "" {
		// A stage below the need is a warning the broker must see.
		if e.stage < e.wantStage {
			out = append(out, sentence{t, 95})
		} else {
			add(sMaturity, t)
		}
	}
	switch t := priceText(a.PriceWan, q.d.BudgetWan, e.priceFits); e.priceFits {
	case -1:
		out = append(out, sentence{t, 96}) // a conflict is always said
	case 1:
		add(sPrice, t)
	}
	if len(e.modes) > 0 {
		add(sMode, "转化方式一致："+strings.Join(e.modes, "、"))
	}
	if q.d.Challenge {
		s := "该需求为揭榜挂帅项目"
		if q.d.RewardWan > 0 {
			s += fmt.Sprintf("，悬赏 %g 万元", q.d.RewardWan)
		}
		add(sChallenge, s)
	}
	if len(out) == 0 {
		if dir == DirAchievement {
			out = append(out, sentence{"与该成果的文字关联较弱，仅供参考", 0})
		} else {
			out = append(out, sentence{"与需求的文字关联较弱，仅供参考", 0})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].rank > out[j].rank })
	if len(out) > maxSentences {
		out = out[:maxSentences]
	}
	texts := make([]string, len(out))
	for i, s := range out {
		texts[i] = s.text
	}
	return texts
}

// termTexts lists matched words worth reading out: whole words of two
// characters or more weighing at least a fifth of the demand's heaviest
// word; never single characters or numbers.
func termTexts(ts []data.Term, maxTerm float64) []string {
	var out []string
	for _, t := range ts {
		if t.Weight < minSpokenTerm*maxTerm || utf8.RuneCountInString(t.Text) < 2 || isNumber(t.Text) {
			continue
		}
		out = append(out, t.Text)
	}
	return out
}

// maturityText compares the stage an enterprise needs with the
// achievement's, in that direction: 需要中试，成果已产业化：成熟度高于需求.
func maturityText(want, have int) string {
	if have <= 0 {
		return ""
	}
	name := data.MaturityStages[have-1]
	if want <= 0 {
		return ""
	}
	need := "需要" + data.MaturityStages[want-1] + "，"
	switch {
	case have > want:
		return need + "成果已" + name + "：成熟度高于需求"
	case have == want:
		return need + "成果处于" + name + "阶段：成熟度符合需求"
	}
	return need + "成果处于" + name + "阶段：成熟度低于需求，需进一步熟化"
}

// priceText states the achievement's price against the enterprise's
// budget: 报价 990–1450 万元，高于企业预算（15 万元以内）.
func priceText(price, budget *data.Range, fits int) string {
	p, b := data.AmountText(price), data.AmountText(budget)
	switch fits {
	case -1:
		return "报价" + p + "，高于企业预算（" + b + "），需协商"
	case 1:
		if price != nil && budget != nil && budget.Max > 0 && price.Max > budget.Max {
			return "报价" + p + "，起价在企业预算（" + b + "）之内，可协商"
		}
		return "报价" + p + "，在企业预算（" + b + "）之内"
	}
	return ""
}

func list(ws []string) string {
	if len(ws) > maxListed {
		ws = ws[:maxListed]
	}
	return strings.Join(ws, "、")
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
