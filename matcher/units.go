package matcher

import (
	"hash/fnv"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// Character units. Besides the analyzer's words the matcher compares texts by
// single Han characters and Han character bigrams: they need no dictionary,
// so they catch what the segmenter cuts differently (锂电池 against
// 锂离子电池, 早癌 against 大肠癌), and they are cheap enough to compute for
// every candidate on every request. A unit is a 32-bit key:
//
//	Han character:            the rune itself               [0, 1<<21)
//	word of letters / digits: 30 bits of its fnv64 hash      [1<<30, 1<<31)
//	Han bigram:               31 bits of a hash of the pair  [1<<31, 1<<32)
//
// Hashing keeps the catalogue's tables and profiles small; the few bigrams
// that share a key (a few dozen pairs among a million bigrams) blur their
// document frequencies a little and nothing else.
type unit = uint32

const (
	unitWordBase   unit = 1 << 30
	unitBigramFlag unit = 1 << 31
)

// unitIsBigram reports whether a unit is a bigram.
func unitIsBigram(k unit) bool { return k&unitBigramFlag != 0 }

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

// unitCounts is a bag of units with their counts.
type unitCounts map[unit]int32

// addUnits adds the characters, alphanumeric words and bigrams of text to
// u. Full-width forms are folded and letters lower-cased, so ＬｉＦｅＰＯ４
// and lifepo4 are one unit.
func addUnits(text string, u unitCounts) {
	var prev rune // previous Han rune of the current run, or 0
	var buf [64]byte
	word := buf[:0]
	flush := func() {
		if len(word) > 1 {
			u[wordUnit(word)]++
		}
		word = word[:0]
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		r = data.FoldWidth(r)
		switch {
		case isHan(r):
			flush()
			u[unit(r)]++
			if prev != 0 {
				u[bigramUnit(prev, r)]++
			}
			prev = r
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			prev = 0
			word = utf8.AppendRune(word, unicode.ToLower(r))
		default:
			prev = 0
			flush()
		}
	}
	flush()
}

// unitsOf returns the sorted unique units of text.
func unitsOf(text string) []unit {
	u := unitCounts{}
	addUnits(text, u)
	out := make([]unit, 0, len(u))
	for k := range u {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// bigramUnit mixes the two runes (splitmix64's finalizer) into 31 bits.
func bigramUnit(a, b rune) unit {
	x := uint64(a)<<21 | uint64(b)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return unitBigramFlag | unit(x&(1<<31-1))
}

func wordUnit(w []byte) unit {
	h := fnv.New64a()
	h.Write(w)
	return unitWordBase | unit(h.Sum64()&(1<<30-1))
}

// hasUnit reports whether the sorted units contain k.
func hasUnit(sorted []unit, k unit) bool {
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i] >= k })
	return i < len(sorted) && sorted[i] == k
}
