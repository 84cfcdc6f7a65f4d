package zhseg

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The general dictionary is gse's simplified Chinese dictionary (zh_s,
// github.com/go-ego/gse v0.80.3, Apache-2.0/MIT, derived from jieba's, MIT),
// reduced to what the cut of Han runs can use: its words of Han characters
// with their frequencies, sorted, and the total frequency of all its words.
// It is generated from gse by `go test ./index/zhseg -run TestBaseDictionary
// -update`, and the test fails when gse's dictionary no longer gives the
// same file. Loading it takes 0.1–0.2 s and 7 MB of heap, where
// gse's own loading took two seconds and 120 MB (it also builds search-mode
// sub-segments of every word, which the cut never reads).
//
//go:embed dict/base.txt
var baseDict string

// baseHeader starts the line of the base dictionary that holds the total
// frequency of gse's dictionary (words of letters included).
const baseHeader = "# total "

// pseudoDistance is the path length gse gives a character the dictionary
// lacks.
const pseudoDistance = 32

// noWord marks a trie node that ends no word.
var noWord = float32(math.NaN())

// dict is the dictionary as a trie over runes, its nodes in breadth-first
// order so that the children of a node are contiguous and sorted by rune.
type dict struct {
	label []rune    // the rune leading to each node (root: 0)
	first []uint32  // children of node i: first[i] ≤ j < first[i+1]
	dist  []float32 // gse's path length of the word ending here; noWord if none

	// The root's children by rune - rootMin (0: none), since every
	// character of a text starts a look-up there.
	rootMin rune
	root    []uint32
}

type entry struct {
	word string
	freq float64
}

// child returns the child of node by r, or -1.
func (d *dict) child(node int, r rune) int {
	if node == 0 {
		if i := int(r - d.rootMin); i >= 0 && i < len(d.root) && d.root[i] != 0 {
			return int(d.root[i])
		}
		return -1
	}
	lo, hi := int(d.first[node]), int(d.first[node+1])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if d.label[m] < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < int(d.first[node+1]) && d.label[lo] == r {
		return lo
	}
	return -1
}

// find returns the node of word, or -1.
func (d *dict) find(word []byte) int {
	node := 0
	for i := 0; i < len(word); {
		r, n := utf8.DecodeRune(word[i:])
		if node = d.child(node, r); node < 0 {
			return -1
		}
		i += n
	}
	return node
}

// has reports whether word is in the dictionary.
func (d *dict) has(word []byte) bool {
	n := d.find(word)
	return n > 0 && !math.IsNaN(float64(d.dist[n]))
}

// buildDict builds the trie of words (sorted, unique) whose path lengths
// are log2(total/freq) in float32, as gse computes them.
func buildDict(words []entry, total float64) *dict {
	logTotal := float32(math.Log2(total))
	size := len(words) + len(words)/2 + 1 // 1.42 nodes a word in gse's
	d := &dict{label: make([]rune, 1, size), first: make([]uint32, 1, size+1), dist: make([]float32, 1, size)}
	d.first[0], d.dist[0] = 1, noWord
	// A node is the range of words sharing its prefix of depth bytes.
	type span struct{ lo, hi, depth int32 }
	queue := make([]span, 1, size)
	queue[0] = span{0, int32(len(words)), 0}
	for q := 0; q < len(queue); q++ {
		s := queue[q]
		i := int(s.lo)
		hi, depth := int(s.hi), int(s.depth)
		if i < hi && len(words[i].word) == depth {
			i++ // the node's own word sorts first
		}
		for i < hi {
			r, n := utf8.DecodeRuneInString(words[i].word[depth:])
			j := i + 1
			for j < hi {
				r2, _ := utf8.DecodeRuneInString(words[j].word[depth:])
				if r2 != r {
					break
				}
				j++
			}
			dist := noWord
			if len(words[i].word) == depth+n {
				dist = logTotal - float32(math.Log2(words[i].freq))
			}
			d.label = append(d.label, r)
			d.dist = append(d.dist, dist)
			queue = append(queue, span{int32(i), int32(j), int32(depth + n)})
			i = j
		}
		d.first = append(d.first, uint32(len(d.label)))
	}
	if lo, hi := int(d.first[0]), int(d.first[1]); hi > lo {
		d.rootMin = d.label[lo]
		d.root = make([]uint32, d.label[hi-1]-d.rootMin+1)
		for i := lo; i < hi; i++ {
			d.root[d.label[i]-d.rootMin] = uint32(i)
		}
	}
	return d
}

// span is a word of a cut: byte offsets into the run.
type span struct{ start, end int }

// jumper is gse's forward-jump record at one character: the shortest path
// length from the start of the run, and the length in runes of its last
// word.
type jumper struct {
	dist  float32
	runes int
}

// cut appends the words of a run of Han characters to dst: gse's
// shortest-path cut (Segmenter.Segment), computed the same way, float32
// sums and ties included, so the words are the same.
func (d *dict) cut(dst []span, run []byte) []span {
	var offBuf [65]int
	var jBuf [64]jumper
	off := offBuf[:0]
	for i := 0; i < len(run); {
		off = append(off, i)
		_, n := utf8.DecodeRune(run[i:])
		i += n
	}
	n := len(off)
	off = append(off, len(run))
	jumpers := jBuf[:0]
	if n <= len(jBuf) {
		jumpers = jBuf[:n]
	} else {
		jumpers = make([]jumper, n)
	}
	update := func(at int, dist float32, runes int) {
		if j := &jumpers[at]; j.dist == 0 || j.dist > dist {
			j.dist, j.runes = dist, runes
		}
	}
	for cur := 0; cur < n; cur++ {
		var base float32
		if cur > 0 {
			base = jumpers[cur-1].dist
		}
		node, shortest := 0, 0
		for k := cur; k < n; k++ {
			r, _ := utf8.DecodeRune(run[off[k]:])
			if node = d.child(node, r); node < 0 {
				break
			}
			if dist := d.dist[node]; !math.IsNaN(float64(dist)) {
				if shortest == 0 {
					shortest = k - cur + 1
				}
				update(k, base+dist, k-cur+1)
			}
		}
		if shortest != 1 {
			update(cur, base+pseudoDistance, 1)
		}
	}
	// Walk back from the end, then reverse.
	mark := len(dst)
	for at := n - 1; at >= 0; {
		start := at - jumpers[at].runes + 1
		dst = append(dst, span{off[start], off[at+1]})
		at = start - 1
	}
	for i, j := mark, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst
}

// parseBase reads the embedded base dictionary.
func parseBase(text string) ([]entry, float64, error) {
	words := make([]entry, 0, strings.Count(text, "\n"))
	var total float64
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if strings.HasPrefix(line, "#") {
			if t, ok := strings.CutPrefix(line, baseHeader); ok {
				v, err := strconv.ParseFloat(t, 64)
				if err != nil {
					return nil, 0, fmt.Errorf("base dictionary total %q: %w", t, err)
				}
				total = v
			}
			continue
		}
		w, f, ok := strings.Cut(line, " ")
		if !ok {
			return nil, 0, fmt.Errorf("base dictionary line %q", line)
		}
		v, err := strconv.ParseUint(f, 10, 32)
		if err != nil {
			return nil, 0, fmt.Errorf("base dictionary line %q: %w", line, err)
		}
		if n := len(words); n > 0 && words[n-1].word >= w {
			return nil, 0, fmt.Errorf("base dictionary not sorted at %q", w)
		}
		words = append(words, entry{w, float64(v)})
	}
	if total <= 0 {
		return nil, 0, fmt.Errorf("base dictionary without its total")
	}
	return words, total, nil
}

// parseOwn reads words in gse's dictionary format ("word freq pos" a line)
// as gse's LoadDictStr does: lines without a frequency, or below 2, are
// skipped; a word of one character gets frequency 2; the first entry of a
// word wins.
func parseOwn(text string) (words []entry, total float64) {
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		parts := strings.Split(line, " ")
		w := strings.TrimSpace(parts[0])
		if len(parts) < 2 {
			continue
		}
		freq, err := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
		if err != nil || freq < 2 {
			continue
		}
		if utf8.RuneCountInString(w) < 2 {
			freq = 2
		}
		if seen[w] {
			continue
		}
		seen[w] = true
		words = append(words, entry{w, freq})
		total += freq
	}
	return words, total
}

// merge returns the dictionary of own words (which win) and the base
// words, as gse builds it when own words are loaded first.
func merge(own []entry, ownTotal float64, base []entry, baseTotal float64) *dict {
	if len(own) == 0 {
		return buildDict(base, baseTotal)
	}
	mine := make(map[string]bool, len(own))
	for _, e := range own {
		mine[e.word] = true
	}
	sorted := append([]entry(nil), own...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].word < sorted[j].word })
	total := ownTotal + baseTotal
	all := make([]entry, 0, len(base)+len(own))
	k := 0
	for _, e := range base {
		for k < len(sorted) && sorted[k].word < e.word {
			all = append(all, sorted[k])
			k++
		}
		if mine[e.word] {
			total -= e.freq // gse never adds a word twice
			continue
		}
		all = append(all, e)
	}
	all = append(all, sorted[k:]...)
	return buildDict(all, total)
}
