package zhseg

import (
	"unicode"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// class is what the scanner makes of one rune.
type class uint8

const (
	clsSep  class = iota // white space, punctuation, symbols, invalid bytes
	clsHan               // Chinese characters (and kana, hangul): segmented by the dictionary
	clsWord              // letters and digits of other scripts: kept whole
	clsConn              // joins two word pieces: - / . _ + &
)

func classify(r rune) class {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			return clsWord
		case r == '-' || r == '/' || r == '.' || r == '_' || r == '+' || r == '&':
			return clsConn
		}
		return clsSep
	case r == utf8.RuneError:
		return clsSep
	case r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)):
		return clsHan
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		return clsWord
	}
	return clsSep
}

// folded is a text with full-width forms folded to half-width, and the way
// back from its byte offsets to the original's.
type folded struct {
	b   []byte
	off []int32 // off[i] is the original offset of folded byte i; nil: identity
}

func (f *folded) orig(i int) int {
	if f.off == nil {
		return i
	}
	return int(f.off[i])
}

// needsFold reports whether text has a full-width form (U+FF01–U+FF5E) or
// the ideographic space (U+3000): EF BC 81…EF BD 9E and E3 80 80 in UTF-8.
func needsFold(text []byte) bool {
	for i := 0; i+2 < len(text); i++ {
		switch text[i] {
		case 0xEF:
			if c := text[i+1]; c == 0xBC || c == 0xBD {
				return true
			}
		case 0xE3:
			if text[i+1] == 0x80 && text[i+2] == 0x80 {
				return true
			}
		}
	}
	return false
}

func fold(text []byte) folded {
	if !needsFold(text) {
		return folded{b: text}
	}
	f := folded{b: make([]byte, 0, len(text)), off: make([]int32, 0, len(text)+1)}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError {
			// Keep invalid bytes as they are: the scanner skips them.
			f.b = append(f.b, text[i:i+n]...)
			for k := 0; k < n; k++ {
				f.off = append(f.off, int32(i+k))
			}
			i += n
			continue
		}
		fr := data.FoldWidth(r)
		start := len(f.b)
		f.b = utf8.AppendRune(f.b, fr)
		for k := start; k < len(f.b); k++ {
			f.off = append(f.off, int32(i))
		}
		i += n
	}
	f.off = append(f.off, int32(len(text)))
	return f
}

// piece is a run of the folded text: either Han characters or one word
// (letters and digits, possibly joined by connectors).
type piece struct {
	start, end int // folded offsets
	han        bool
}

// scan splits folded text into pieces, dropping separators.
func scan(b []byte, fn func(p piece)) {
	i := 0
	for i < len(b) {
		r, n := utf8.DecodeRune(b[i:])
		switch classify(r) {
		case clsHan:
			j := i + n
			for j < len(b) {
				r2, n2 := utf8.DecodeRune(b[j:])
				if classify(r2) != clsHan {
					break
				}
				j += n2
			}
			fn(piece{start: i, end: j, han: true})
			i = j
		case clsWord:
			j := scanWord(b, i)
			fn(piece{start: i, end: j})
			i = j
		default:
			i += n
		}
	}
}

// scanWord returns the end of the word starting at i: word runes, with single
// connectors between them (GB/T, Li-ion, 3.5, COVID-19), and a trailing ++
// or # after a short run of letters (C++, C#).
func scanWord(b []byte, i int) int {
	j := i
	letters := 0
	for j < len(b) {
		r, n := utf8.DecodeRune(b[j:])
		switch classify(r) {
		case clsWord:
			if unicode.IsLetter(r) {
				letters++
			}
			j += n
			continue
		case clsConn:
			if j+n < len(b) {
				r2, _ := utf8.DecodeRune(b[j+n:])
				if classify(r2) == clsWord {
					j += n
					continue
				}
			}
		}
		break
	}
	// C++, C#, F#: a trailing symbol after one or two letters.
	if letters == j-i && letters <= 2 && j < len(b) && (b[j] == '+' || b[j] == '#') {
		k := j + 1
		if b[j] == '+' && k < len(b) && b[k] == '+' {
			k++
		}
		if k == len(b) {
			j = k
		} else if r, _ := utf8.DecodeRune(b[k:]); classify(r) != clsWord {
			j = k
		}
	}
	return j
}

// isCode reports whether w looks like a standard's code: one to five capital
// letters, optionally followed by a slash and one or two more (GB, GB/T,
// ISO, JB/T).
func isCode(w []byte) bool {
	n, slash := 0, false
	for k, c := range w {
		switch {
		case 'A' <= c && c <= 'Z':
			n++
		case c == '/' && !slash && k > 0 && k < len(w)-1:
			slash = true
		default:
			return false
		}
	}
	return n >= 2 && n <= 7
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
