package index

import (
	_ "embed"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// The synonym list is applied by query-time expansion rather than bleve's
// synonym sources: those index the thesaurus into every index as synonym
// documents, so changing the list would need a reindex, and they expand
// single terms only while most of ours are multi-word (电动车 ↔ 新能源汽车
// is one word against one, but 燃料电池汽车 is cut in two). Expanding at
// query time keeps the index independent of the list.

//go:embed dict/synonyms.txt
var synonymsFile string

// SynonymGroups returns the groups of the synonym list.
func SynonymGroups() [][]string {
	var out [][]string
	for _, line := range strings.Split(synonymsFile, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var g []string
		for _, t := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '，' }) {
			if t = strings.TrimSpace(t); t != "" {
				g = append(g, t)
			}
		}
		if len(g) > 1 {
			out = append(out, g)
		}
	}
	return out
}

// synonyms maps the analyzed form of every term of the list to the analyzed
// forms of its group's other terms.
type synonyms struct {
	groups [][][]string // group → term → tokens
	first  map[string][]synRef
}

type synRef struct{ group, term int }

func newSynonyms(an analysis.Analyzer) *synonyms {
	s := &synonyms{first: map[string][]synRef{}}
	for _, g := range SynonymGroups() {
		var terms [][]string
		for _, t := range g {
			toks := termsOf(an.Analyze([]byte(t)))
			if len(toks) == 0 {
				continue
			}
			terms = append(terms, toks)
		}
		if len(terms) < 2 {
			continue
		}
		gi := len(s.groups)
		s.groups = append(s.groups, terms)
		for ti, toks := range terms {
			s.first[toks[0]] = append(s.first[toks[0]], synRef{gi, ti})
		}
	}
	return s
}

func termsOf(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// expand returns, for every synonym-list term found (as a run of tokens) in
// the query's tokens, the token lists of the other terms of its group.
func (s *synonyms) expand(tokens []string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	for i, t := range tokens {
		for _, ref := range s.first[t] {
			term := s.groups[ref.group][ref.term]
			if i+len(term) > len(tokens) || !equal(tokens[i:i+len(term)], term) {
				continue
			}
			for oi, other := range s.groups[ref.group] {
				key := strings.Join(other, " ")
				if oi == ref.term || seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, other)
			}
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
