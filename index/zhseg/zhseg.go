// Package zhseg cuts Chinese text mixed with English, numbers, model numbers
// and formulas into words with exact byte offsets. It cuts as the gse
// segmenter (github.com/go-ego/gse) does, which only its tests and the
// generation of its dictionary import, and knows nothing of bleve: package
// index turns its tokens into bleve token streams.
//
// Text is folded from full-width to half-width before cutting; offsets
// always refer to the original text. Han runs are cut by the dictionary
// (gse's shortest-path cut over gse's simplified dictionary, dict/base.txt,
// plus the domain dictionary in dict/domain.txt); runs of letters and digits are kept
// whole, joined across - / . _ + & (GB/T, Li-ion, 3.5, COVID-19, LiFePO4, 5G,
// Φ20mm), and a standard's code is joined to its number (GB/T 2260). White
// space and punctuation are dropped. Case is kept: lower-casing is a token
// filter's job, so that offsets stay exact.
//
// The cut of Han runs is gse's shortest-path cut, reimplemented over a
// compact trie (dict.go) that gives the same words: gse's own dictionary
// took two seconds and 120 MB of heap to load, this one 0.1–0.2 s and 7 MB.
// Tests compare the two cut for cut.
//
// A Segmenter is safe for concurrent use; to change the dictionary build a
// new one and swap it in.
package zhseg

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

//go:embed dict/domain.txt
var domainDict string

// DomainWords returns the words of the embedded domain dictionary.
func DomainWords() []string {
	var out []string
	for _, line := range strings.Split(domainDict, "\n") {
		if w := dictWord(line); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func dictWord(line string) string {
	line = strings.TrimSpace(line)
	if line == "" || strings.HasPrefix(line, "#") {
		return ""
	}
	w, _, _ := strings.Cut(line, " ")
	return w
}

// Mode selects how a text is cut.
type Mode int

const (
	// Search is the precise cut, for queries.
	Search Mode = iota
	// Index is the precise cut plus, at their parent's position, the
	// dictionary's two- and three-character words inside longer words and
	// the parts of joined words (GB/T 2260 → GB/T, 2260), so that a query
	// for a part finds the whole: 农业 finds 中国农业发展银行.
	Index
)

// Token is one word of a text.
type Token struct {
	// Term is the width-folded text of the word, in its original case.
	Term []byte
	// Start and End are byte offsets of the word in the original text.
	Start, End int
	// Position counts words from 1; a sub-word has its parent's position.
	Position int
	// Sub marks a sub-word emitted in Index mode.
	Sub bool
	// Han marks a word of Chinese characters.
	Han bool
}

func (t Token) String() string {
	s := fmt.Sprintf("%s@%d[%d:%d]", t.Term, t.Position, t.Start, t.End)
	if t.Sub {
		s += "*"
	}
	return s
}

// Segmenter cuts text into tokens.
type Segmenter struct {
	lex   lexicon
	extra int
}

// lexicon is what the segmenter needs of a dictionary: the cut of a run of
// Han characters and membership. *dict is the one in use; tests plug gse
// in to compare.
type lexicon interface {
	cut(dst []span, run []byte) []span
	has(word []byte) bool
}

// DefaultFreq is the frequency given to domain and extra words without one:
// high enough that the cut keeps them whole.
const DefaultFreq = 2000

// New builds a segmenter from the embedded simplified Chinese dictionary,
// the domain dictionary and extra words (for instance keywords harvested
// from a catalogue). Extra words must be Han characters only; others are
// ignored, since words of letters and digits are never looked up.
func New(extra ...string) (*Segmenter, error) {
	own, n := ownWords(extra)
	base, baseTotal, err := loadBase()
	if err != nil {
		return nil, err
	}
	ownEntries, ownTotal := parseOwn(own)
	return &Segmenter{lex: merge(ownEntries, ownTotal, base, baseTotal), extra: n}, nil
}

// ownWords renders the domain dictionary and the extra words in gse's
// format, in the order gse loaded them (the first entry of a word wins), and
// counts the extra words used.
func ownWords(extra []string) (string, int) {
	var b strings.Builder
	n := 0
	add := func(line string) {
		w := dictWord(line)
		if w == "" || !allHan(w) || utf8.RuneCountInString(w) < 2 {
			return
		}
		rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), w))
		if rest == "" {
			rest = fmt.Sprint(DefaultFreq, " n")
		}
		b.WriteString(w + " " + rest + "\n")
	}
	for _, line := range strings.Split(domainDict, "\n") {
		add(line)
	}
	for _, w := range extra {
		if w = strings.TrimSpace(w); w != "" {
			l := b.Len()
			add(w)
			if b.Len() > l {
				n++
			}
		}
	}
	return b.String(), n
}

// loadBase parses the embedded base dictionary (about 0.1 s). The words
// are not kept: they point into the embedded text, but their list alone is
// 8 MB, and a process builds a segmenter or two.
func loadBase() ([]entry, float64, error) { return parseBase(baseDict) }

var (
	defaultOnce sync.Once
	defaultSeg  *Segmenter
	defaultErr  error
	// LoadTime is how long building the default segmenter took.
	LoadTime time.Duration
)

// Default returns the process-wide segmenter without extra words, building
// it on first use.
func Default() (*Segmenter, error) {
	defaultOnce.Do(func() {
		t := time.Now()
		defaultSeg, defaultErr = New()
		LoadTime = time.Since(t)
	})
	return defaultSeg, defaultErr
}

// MustDefault is Default for tests and tools; it panics on error.
func MustDefault() *Segmenter {
	s, err := Default()
	if err != nil {
		panic(err)
	}
	return s
}

// Extra is the number of extra words the segmenter was built with.
func (s *Segmenter) Extra() int { return s.extra }

// Has reports whether word is in the dictionary.
func (s *Segmenter) Has(word []byte) bool { return s.lex.has(word) }

// Cut returns the tokens of text as strings, for tests and tools.
func (s *Segmenter) Cut(text string, mode Mode) []string {
	toks := s.Tokens(nil, []byte(text), mode)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t.Term)
	}
	return out
}

// Tokens appends the tokens of text to dst. Term slices may alias text.
func (s *Segmenter) Tokens(dst []Token, text []byte, mode Mode) []Token {
	f := fold(text)
	var buf [64]piece
	pieces := buf[:0]
	scan(f.b, func(p piece) { pieces = append(pieces, p) })
	pos := 0
	for k := 0; k < len(pieces); k++ {
		p := pieces[k]
		if p.han {
			dst, pos = s.han(dst, &f, p, pos, mode)
			continue
		}
		w := f.b[p.start:p.end]
		// GB/T 2260: a code, one space and a number make one word.
		if k+1 < len(pieces) && isCode(w) {
			q := pieces[k+1]
			if !q.han && q.start == p.end+1 && f.b[p.end] == ' ' && isDigit(f.b[q.start]) {
				num := f.b[q.start:q.end]
				term := make([]byte, 0, len(w)+len(num))
				term = append(append(term, w...), num...)
				pos++
				dst = append(dst, Token{Term: term, Start: f.orig(p.start), End: f.orig(q.end), Position: pos})
				if mode == Index {
					dst = append(dst, Token{Term: w, Start: f.orig(p.start), End: f.orig(p.end), Position: pos, Sub: true})
					dst = wordParts(dst, &f, p, pos)
					dst = append(dst, Token{Term: num, Start: f.orig(q.start), End: f.orig(q.end), Position: pos, Sub: true})
					dst = wordParts(dst, &f, q, pos)
				}
				k++
				continue
			}
		}
		pos++
		dst = append(dst, Token{Term: w, Start: f.orig(p.start), End: f.orig(p.end), Position: pos})
		if mode == Index {
			dst = wordParts(dst, &f, p, pos)
		}
	}
	return dst
}

// wordParts appends the parts of a joined word (Li-ion → Li, ion) as
// sub-words; single characters are left out (3.5 has no parts).
func wordParts(dst []Token, f *folded, p piece, pos int) []Token {
	w := f.b[p.start:p.end]
	start, parts := 0, 0
	for i := 0; i <= len(w); i++ {
		if i < len(w) && classify(rune(w[i])) != clsConn {
			continue
		}
		if i == len(w) && parts == 0 {
			break // not joined
		}
		parts++
		if part := w[start:i]; len(part) > 1 {
			dst = append(dst, Token{Term: part, Start: f.orig(p.start + start), End: f.orig(p.start + i), Position: pos, Sub: true})
		}
		start = i + 1
	}
	return dst
}

// han cuts a run of Han characters with the dictionary.
func (s *Segmenter) han(dst []Token, f *folded, p piece, pos int, mode Mode) ([]Token, int) {
	run := f.b[p.start:p.end]
	if utf8.RuneCount(run) == 1 {
		pos++
		return append(dst, Token{Term: run, Start: f.orig(p.start), End: f.orig(p.end), Position: pos, Han: true}), pos
	}
	var buf [32]span
	for _, sg := range s.lex.cut(buf[:0], run) {
		a, b := p.start+sg.start, p.start+sg.end
		pos++
		w := f.b[a:b]
		dst = append(dst, Token{Term: w, Start: f.orig(a), End: f.orig(b), Position: pos, Han: true})
		if mode == Index && len(w) > 6 { // three characters or more
			dst = s.subWords(dst, f, a, b, pos)
		}
	}
	return dst, pos
}

// subWords appends the dictionary's two- and three-character words inside
// the word f.b[a:b].
func (s *Segmenter) subWords(dst []Token, f *folded, a, b, pos int) []Token {
	var offs [32]int
	o := offs[:0]
	for i := a; i < b; {
		o = append(o, i)
		_, n := utf8.DecodeRune(f.b[i:])
		i += n
	}
	o = append(o, b)
	nr := len(o) - 1
	for i := 0; i < nr; i++ {
		for _, k := range [2]int{2, 3} {
			if k >= nr || i+k > nr {
				continue
			}
			g := f.b[o[i]:o[i+k]]
			if s.Has(g) {
				dst = append(dst, Token{Term: g, Start: f.orig(o[i]), End: f.orig(o[i+k]), Position: pos, Sub: true, Han: true})
			}
		}
	}
	return dst
}

// Bigrams appends the character bigrams of text's Han runs (a lone
// character stands for itself) and its words of letters and digits, whole.
// Positions count tokens from 1.
func Bigrams(dst []Token, text []byte) []Token {
	f := fold(text)
	pos := 0
	scan(f.b, func(p piece) {
		if !p.han {
			pos++
			dst = append(dst, Token{Term: f.b[p.start:p.end], Start: f.orig(p.start), End: f.orig(p.end), Position: pos})
			return
		}
		run := f.b[p.start:p.end]
		_, n1 := utf8.DecodeRune(run)
		if n1 == len(run) {
			pos++
			dst = append(dst, Token{Term: run, Start: f.orig(p.start), End: f.orig(p.end), Position: pos, Han: true})
			return
		}
		for i := 0; i < len(run); {
			_, n := utf8.DecodeRune(run[i:])
			if i+n >= len(run) {
				break
			}
			_, m := utf8.DecodeRune(run[i+n:])
			pos++
			a, b := p.start+i, p.start+i+n+m
			dst = append(dst, Token{Term: f.b[a:b], Start: f.orig(a), End: f.orig(b), Position: pos, Han: true})
			i += n
		}
	})
	return dst
}

func allHan(w string) bool {
	for _, r := range w {
		if classify(r) != clsHan {
			return false
		}
	}
	return w != ""
}

// HarvestTerms picks, from keyword lists, the words worth adding to the
// dictionary: Han-only, two to twelve characters, not already known, seen
// at least minCount times. The result is sorted.
func (s *Segmenter) HarvestTerms(keywords []string, minCount int) []string {
	count := map[string]int{}
	for _, k := range keywords {
		k = strings.TrimSpace(k)
		n := utf8.RuneCountInString(k)
		if n < 2 || n > 12 || !allHan(k) {
			continue
		}
		count[k]++
	}
	var out []string
	for k, c := range count {
		if c >= minCount && !s.Has([]byte(k)) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
