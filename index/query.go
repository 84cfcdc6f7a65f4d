package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/techmatch/techmatch/data"
)

// queryText is a query's text taken apart: plain chunks (split at white
// space), "quoted phrases" and -excluded words. Nothing else is syntax: the
// text never reaches bleve's query-string parser.
type queryText struct {
	chunks  []string
	phrases []string
	not     []string
}

// parseText separates phrases and exclusions from the plain text. An
// exclusion is a chunk that starts with one '-' followed by a letter or a
// Han character, at the start of the text or after a Han word or a Latin
// word: "石墨烯 -氧化" and "graphene -oxide" exclude, while "X -射线",
// "a -酮戊二酸" and "k . -匿名" (hyphens typed with a space, common in
// titles) stay plain text, and so do "--20世纪" and "-66".
//
// Three more conditions read the query as a broker types it. A broker adds
// exclusions to refine a search: before the words ("-氧化 石墨烯") or after
// them ("石墨烯 薄膜 -氧化 -还原"). A '-' word between two plain words is
// instead a hyphenated name that lost its prefix when pasted (β-防御素,
// α-葡萄糖苷酶, β-catenin in a keyword list: "免疫 -防御素 基因表达"), so it
// stays plain text. An excluded word holds no punctuation ("-类社会互动、
// 积极情绪的中介作用" is a title's subtitle, not a word). And a query keeps at
// least one positive chunk or phrase: "-氧化" alone is plain text.
func parseText(text string) queryText {
	var qt queryText
	phrases, rest := splitQuery(text)
	qt.phrases = phrases
	fields := strings.Fields(rest)
	ex := make([]string, len(fields)) // the excluded word of a candidate, or ""
	prev := ""
	for i, c := range fields {
		if w, ok := exclusion(c, prev); ok {
			ex[i] = w
		}
		prev = c
	}
	// Only the leading and trailing runs of candidates exclude.
	lead := 0
	for lead < len(fields) && ex[lead] != "" {
		lead++
	}
	trail := len(fields)
	for trail > lead && ex[trail-1] != "" {
		trail--
	}
	for i := lead; i < trail; i++ {
		ex[i] = ""
	}
	if len(phrases) == 0 && trail-lead == 0 {
		ex = make([]string, len(fields)) // nothing positive would be left
	}
	for i, c := range fields {
		if ex[i] != "" {
			qt.not = append(qt.not, ex[i])
		} else {
			qt.chunks = append(qt.chunks, c)
		}
	}
	return qt
}

func exclusion(chunk, prev string) (string, bool) {
	if !strings.HasPrefix(chunk, "-") {
		return "", false
	}
	r, _ := utf8.DecodeRuneInString(chunk[1:])
	if !unicode.Is(unicode.Han, r) && !unicode.IsLetter(r) {
		return "", false
	}
	for _, c := range chunk[1:] {
		if unicode.IsPunct(c) && c != '-' || unicode.IsSymbol(c) {
			return "", false
		}
	}
	if prev == "" {
		return chunk[1:], true
	}
	// After a Han word or a Latin word of two letters or more; not after
	// punctuation, digits or a lone letter (k . -匿名, X -射线).
	p, _ := utf8.DecodeLastRuneInString(prev)
	if unicode.Is(unicode.Han, p) {
		return chunk[1:], true
	}
	n := 0
	for _, c := range prev {
		if c < utf8.RuneSelf && unicode.IsLetter(c) {
			n++
		} else {
			n = 0
		}
	}
	if n >= 2 {
		return chunk[1:], true
	}
	return "", false
}

// parsed is the response's account of the query.
func (qt queryText) parsed() *data.ParsedQuery {
	if len(qt.chunks)+len(qt.phrases)+len(qt.not) == 0 {
		return nil
	}
	nz := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return append([]string(nil), s...)
	}
	return &data.ParsedQuery{Must: nz(qt.chunks), Phrase: nz(qt.phrases), Not: nz(qt.not)}
}

// verbatim matches records holding text as a verbatim substring: its
// bigrams adjacent and in order in the bigram sub-field (or its words, in
// order, without bigram sub-fields). A text that is one search word also
// matches that word in the word field. Nil when text has no terms.
func verbatim(an *analyzers, text string) query.Query {
	var alts []query.Query
	words := termsOf(an.search.Analyze([]byte(text)))
	if len(words) == 1 {
		alts = append(alts, termQuery(fieldText, words[0], 1))
	}
	if an.bigram != nil {
		if bs := termsOf(an.bigram.Analyze([]byte(text))); len(bs) > 0 {
			alts = append(alts, phraseQuery(fieldTextBi, bs))
		}
	} else if len(words) > 1 {
		alts = append(alts, phraseQuery(fieldText, words))
	}
	switch len(alts) {
	case 0:
		return nil
	case 1:
		return alts[0]
	}
	return query.NewDisjunctionQuery(alts)
}

func phraseQuery(field string, terms []string) query.Query {
	if len(terms) == 1 {
		return termQuery(field, terms[0], 1)
	}
	return query.NewPhraseQuery(terms, field)
}

func conjunction(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// tiers returns the filters of the ranking's tiers, best first: records
// holding every chunk and phrase verbatim (or as a word); then records
// holding every word of the query (as a word or verbatim) that the search
// weighs (keep: words in a large share of the catalogue are not, see
// pruning). The rest of the matches rank below both. A tier that would
// equal the one before it is left out.
func (qt queryText) tiers(an *analyzers, keep func(string) bool) []query.Query {
	var units []query.Query
	for _, c := range append(append([]string(nil), qt.chunks...), qt.phrases...) {
		if u := verbatim(an, c); u != nil {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return nil
	}
	out := []query.Query{conjunction(units)}
	var words []string
	for _, c := range append(append([]string(nil), qt.chunks...), qt.phrases...) {
		words = append(words, termsOf(an.search.Analyze([]byte(c)))...)
	}
	words = dedupe(words)
	kept := words[:0:0]
	for _, w := range words {
		if keep == nil || keep(w) {
			kept = append(kept, w)
		}
	}
	words = kept
	if len(words) > len(units) {
		var wq []query.Query
		for _, w := range words {
			if u := verbatim(an, w); u != nil {
				wq = append(wq, u)
			}
		}
		out = append(out, conjunction(wq))
	}
	return out
}

// excluded matches records holding any excluded word verbatim, or nil.
func (qt queryText) excluded(an *analyzers) query.Query {
	var qs []query.Query
	for _, w := range qt.not {
		if u := verbatim(an, w); u != nil {
			qs = append(qs, u)
		}
	}
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}
