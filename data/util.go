package data

import (
	"sort"
	"strings"
	"unicode"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// NormalizeTitle folds a title for duplicate detection: full-width to
// half-width, lower case, and no spaces or punctuation.
func NormalizeTitle(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = FoldWidth(r)
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// FoldWidth maps a full-width ASCII variant (Ａ, １, ＋, the ideographic
// space) to its half-width form and leaves every other rune alone.
func FoldWidth(r rune) rune {
	switch {
	case r == 0x3000:
		return ' '
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	}
	return r
}
