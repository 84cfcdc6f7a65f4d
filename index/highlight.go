package index

import (
	"context"
	"fmt"
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index/zhseg"
)

// Snippet sizes, in characters.
const (
	snippetRunes = 120 // window of a long field around its first match
	snippetLead  = 20  // characters kept before the first match
)

// highlight fills the hits' highlights from the store's copy of the
// records: the matched words, found with the index analyzer's byte offsets,
// are wrapped in <mark>…</mark>, everything else HTML-escaped. It returns
// the records it read (nil when it had nothing to mark).
func (ix *Index) highlight(ctx context.Context, kind data.Kind, an *analyzers, pq *parsedQuery, hits []data.Hit) ([]data.Record, error) {
	m := newMarker(an, pq)
	if m.empty() {
		return nil, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	recs, err := ix.records(ctx, kind, ids)
	if err != nil {
		return nil, fmt.Errorf("highlights: %w", err)
	}
	for i, rec := range recs {
		switch r := rec.(type) {
		case *data.Achievement:
			hits[i].Highlights = m.fields(map[string]string{"title": r.Title, "abstract": r.Abstract, "institution": r.Institution}, "keywords", r.Keywords)
		case *data.Demand:
			hits[i].Highlights = m.fields(map[string]string{"title": r.Title, "description": r.Description, "enterprise.name": r.Enterprise.Name}, "keywords", r.Keywords)
		}
	}
	return recs, nil
}

// marker finds the spans of a text that a query matched.
type marker struct {
	an      *analyzers
	words   map[string]bool
	bigrams [][]string // per typed chunk, its bigram sequence
	// han is set when the segmenter is gse and every word and bigram is
	// Chinese characters only. Such a word is then a token only inside a
	// run of Chinese characters that holds it verbatim (gse cuts each run
	// on its own; folding and lower-casing leave these characters alone),
	// so spans analyses only those runs, and a text holding no chunk's
	// first bigram cannot hold the chunk.
	han bool
}

func newMarker(an *analyzers, pq *parsedQuery) *marker {
	m := &marker{an: an, words: map[string]bool{}}
	for _, w := range pq.words {
		m.words[w] = true
	}
	for _, s := range pq.synonym {
		for _, w := range s {
			m.words[w] = true
		}
	}
	// The words and sub-words of what was typed, as the index cuts them:
	// 玉米秸秆 marks 玉米秸秆 where the text holds it as one word, and 玉米
	// and 秸秆 where it holds them apart.
	for _, c := range pq.chunks {
		for _, t := range an.index.Analyze([]byte(c)) {
			m.words[string(t.Term)] = true
		}
	}
	if an.bigram != nil {
		for _, c := range pq.chunks {
			if bs := termsOf(an.bigram.Analyze([]byte(c))); len(bs) > 0 {
				m.bigrams = append(m.bigrams, bs)
			}
		}
	}
	_, gse := an.index.(*gseAnalyzer)
	m.han = gse
	for w := range m.words {
		m.han = m.han && allHanRunes(w)
	}
	for _, seq := range m.bigrams {
		for _, b := range seq {
			m.han = m.han && allHanRunes(b)
		}
	}
	return m
}

// isHan reports whether the segmenter counts r as a Chinese character
// (zhseg's classify: Han, kana and hangul).
func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF { // CJK Unified Ideographs: all Han
		return true
	}
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r))
}

// allHanRunes reports whether s is non-empty and all Chinese characters.
func allHanRunes(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || !isHan(r) {
			return false
		}
	}
	return true
}

// hanRuns calls fn with the byte bounds of each run of Chinese characters
// in text.
func hanRuns(text string, fn func(a, b int)) {
	start := -1
	for i, r := range text {
		han := r != utf8.RuneError && isHan(r)
		switch {
		case han && start < 0:
			start = i
		case !han && start >= 0:
			fn(start, i)
			start = -1
		}
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

// holdsWord reports whether s holds one of the words verbatim.
func (m *marker) holdsWord(s string) bool {
	for w := range m.words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func (m *marker) empty() bool { return len(m.words) == 0 && len(m.bigrams) == 0 }

type span struct{ start, end int }

// spans returns the merged, sorted byte spans of text to mark.
func (m *marker) spans(text string) []span {
	var out []span
	if m.han {
		hanRuns(text, func(a, b int) {
			if !m.holdsWord(text[a:b]) {
				return
			}
			for _, t := range m.an.index.Analyze([]byte(text[a:b])) {
				if m.words[string(t.Term)] {
					out = append(out, span{a + t.Start, a + t.End})
				}
			}
		})
	} else {
		for _, t := range m.an.index.Analyze([]byte(text)) {
			if m.words[string(t.Term)] {
				out = append(out, span{t.Start, t.End})
			}
		}
	}
	switch {
	case len(m.bigrams) == 0:
	case m.han:
		// The bigram analyzer's tokens without its lower-casing, which
		// changes no Chinese character.
		if m.holdsFirstBigram(text) {
			bis := zhseg.Bigrams(nil, []byte(text))
			for _, seq := range m.bigrams {
				out = append(out, findTokenRuns(bis, seq)...)
			}
		}
	default:
		bis := m.an.bigram.Analyze([]byte(text))
		for _, seq := range m.bigrams {
			out = append(out, findRuns(bis, seq)...)
		}
	}
	return mergeSpans(out, len(text))
}

// findTokenRuns is findRuns over the segmenter's tokens.
func findTokenRuns(ts []zhseg.Token, seq []string) []span {
	return runsOf(len(ts), func(i int) ([]byte, int, int, int) {
		return ts[i].Term, ts[i].Position, ts[i].Start, ts[i].End
	}, seq)
}

// holdsFirstBigram reports whether text holds the first bigram of one of
// the chunks verbatim.
func (m *marker) holdsFirstBigram(text string) bool {
	for _, seq := range m.bigrams {
		if strings.Contains(text, seq[0]) {
			return true
		}
	}
	return false
}

// findRuns finds seq as consecutive tokens of ts.
func findRuns(ts analysis.TokenStream, seq []string) []span {
	return runsOf(len(ts), func(i int) ([]byte, int, int, int) {
		return ts[i].Term, ts[i].Position, ts[i].Start, ts[i].End
	}, seq)
}

// runsOf finds seq as consecutive tokens (consecutive positions) among n
// tokens; tok gives the i-th token's term, position and byte span.
func runsOf(n int, tok func(i int) (term []byte, pos, start, end int), seq []string) []span {
	var out []span
	for i := 0; i+len(seq) <= n; i++ {
		_, first, start, _ := tok(i)
		ok := true
		end := 0
		for k, s := range seq {
			term, pos, _, e := tok(i + k)
			if string(term) != s || pos != first+k {
				ok = false
				break
			}
			end = e
		}
		if ok {
			out = append(out, span{start, end})
		}
	}
	return out
}

func mergeSpans(in []span, n int) []span {
	var valid []span
	for _, s := range in {
		if s.start >= 0 && s.start < s.end && s.end <= n {
			valid = append(valid, s)
		}
	}
	sort.Slice(valid, func(i, j int) bool { return valid[i].start < valid[j].start })
	var out []span
	for _, s := range valid {
		if k := len(out) - 1; k >= 0 && s.start <= out[k].end {
			out[k].end = max(out[k].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// fields returns the snippets of the fields that matched.
func (m *marker) fields(texts map[string]string, listName string, list []string) map[string][]string {
	out := map[string][]string{}
	for name, text := range texts {
		if text == "" {
			continue
		}
		if sp := m.spans(text); len(sp) > 0 {
			limit := snippetRunes
			if name == "title" || name == "institution" || name == "enterprise.name" {
				limit = 0
			}
			out[name] = []string{snippet(text, sp, limit)}
		}
	}
	for _, item := range list {
		if sp := m.spans(item); len(sp) > 0 {
			out[listName] = append(out[listName], snippet(item, sp, 0))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// snippet renders text with the byte spans (sorted, disjoint, on character
// boundaries) in <mark>…</mark> and the rest HTML-escaped. With limit > 0 a
// longer text is cut to a window of about limit characters that starts a
// little before the first span, never inside a span or a character, with
// "…" where text was left out.
func snippet(text string, spans []span, limit int) string {
	from, to := 0, len(text)
	if limit > 0 && utf8.RuneCountInString(text) > limit {
		first := 0
		if len(spans) > 0 {
			first = spans[0].start
		}
		from = back(text, first, snippetLead)
		to = forward(text, from, limit)
		for _, s := range spans { // never cut a mark
			if s.start < to && s.end > to {
				to = s.end
			}
		}
	}
	var sb strings.Builder
	if from > 0 {
		sb.WriteString("…")
	}
	pos := from
	for _, s := range spans {
		if s.end <= from || s.start >= to || s.start < pos || !boundary(text, s.start) || !boundary(text, s.end) {
			continue // outside the window, overlapping, or not on characters
		}
		a, b := max(s.start, from), min(s.end, to)
		sb.WriteString(html.EscapeString(text[pos:a]))
		sb.WriteString("<mark>")
		sb.WriteString(html.EscapeString(text[a:b]))
		sb.WriteString("</mark>")
		pos = b
	}
	sb.WriteString(html.EscapeString(text[pos:to]))
	if to < len(text) {
		sb.WriteString("…")
	}
	return sb.String()
}

// back moves n characters back from byte offset i.
func back(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forward moves n characters on from byte offset i.
func forward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// boundary reports whether byte offset i of s starts a character (or is
// the end).
func boundary(s string, i int) bool {
	return i == len(s) || (i >= 0 && i < len(s) && utf8.RuneStart(s[i]))
}
