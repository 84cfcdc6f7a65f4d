// Package metrics scores rankings against graded relevance judgements
// (TREC qrels) the way the evaluation suites in ../shared do: nDCG@k with
// exponential gain, MRR@k, recall@k, and run files any TREC tool can score.
// It uses the standard library only.
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Qrels are relevance judgements: query id → document id → grade. Grade 0
// means judged not relevant; higher is better.
type Qrels map[string]map[string]int

// LoadQrels reads a TREC qrels file: "query_id iteration doc_id grade" per
// line, white-space separated.
func LoadQrels(path string) (Qrels, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	q, err := ReadQrels(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return q, nil
}

// ReadQrels reads TREC qrels from r. Blank lines are skipped.
func ReadQrels(r io.Reader) (Qrels, error) {
	q := Qrels{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: want 4 fields (query_id 0 doc_id grade), have %d", n, len(f))
		}
		g, err := strconv.Atoi(f[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: bad grade %q", n, f[3])
		}
		if q[f[0]] == nil {
			q[f[0]] = map[string]int{}
		}
		q[f[0]][f[2]] = g
	}
	return q, sc.Err()
}

// Relevant is the number of documents judged relevant (grade ≥ 1).
func Relevant(rel map[string]int) int {
	n := 0
	for _, g := range rel {
		if g > 0 {
			n++
		}
	}
	return n
}

// dedupe keeps the first occurrence of every id: a document listed twice
// counts once, at its best rank.
func dedupe(ranked []string) []string {
	seen := make(map[string]bool, len(ranked))
	out := make([]string, 0, len(ranked))
	for _, d := range ranked {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

func top(ranked []string, k int) []string {
	ranked = dedupe(ranked)
	if k >= 0 && len(ranked) > k {
		return ranked[:k]
	}
	return ranked
}

// NDCG is the normalized discounted cumulative gain of the first k results,
// with gain 2^grade − 1 and discount log2(rank+1); the ideal ranking orders
// all judged grades. It is 0 when nothing is judged relevant.
func NDCG(ranked []string, rel map[string]int, k int) float64 {
	var ideal []int
	for _, g := range rel {
		if g > 0 {
			ideal = append(ideal, g)
		}
	}
	if len(ideal) == 0 {
		return 0
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	gain := func(g int) float64 { return math.Pow(2, float64(g)) - 1 }
	var dcg, idcg float64
	for i, d := range top(ranked, k) {
		dcg += gain(rel[d]) / math.Log2(float64(i)+2)
	}
	for i, g := range ideal {
		if i >= k {
			break
		}
		idcg += gain(g) / math.Log2(float64(i)+2)
	}
	return dcg / idcg
}

// MRR is the reciprocal rank of the first relevant result (grade ≥ 1)
// within the first k, or 0.
func MRR(ranked []string, rel map[string]int, k int) float64 {
	for i, d := range top(ranked, k) {
		if rel[d] > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// Recall is the share of the relevant documents (grade ≥ 1) found in the
// first k results; 0 when nothing is judged relevant.
func Recall(ranked []string, rel map[string]int, k int) float64 {
	n := Relevant(rel)
	if n == 0 {
		return 0
	}
	found := 0
	for _, d := range top(ranked, k) {
		if rel[d] > 0 {
			found++
		}
	}
	return float64(found) / float64(n)
}

// WriteTRECRun writes one query's results as TREC run lines:
// "qid Q0 docid rank score tag", ranks from 1. scores may be nil or shorter
// than docids (missing scores count down from the number of results, so the
// order survives tools that sort by score).
func WriteTRECRun(w io.Writer, qid string, docids []string, scores []float64, tag string) error {
	if tag == "" {
		tag = "techmatch"
	}
	for i, d := range docids {
		s := float64(len(docids) - i)
		if i < len(scores) {
			s = scores[i]
		}
		if _, err := fmt.Fprintf(w, "%s Q0 %s %d %.6f %s\n", qid, d, i+1, s, tag); err != nil {
			return err
		}
	}
	return nil
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of values by the
// nearest-rank method: the smallest value with at least p% of the values at
// or below it. values need not be sorted and are not changed. It is 0 for
// no values.
func Percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	r := int(math.Ceil(p / 100 * float64(len(v))))
	r = min(max(r, 1), len(v))
	return v[r-1]
}

// Mean is the arithmetic mean of values, 0 for none.
func Mean(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	var s float64
	for _, v := range values {
		s += v
	}
	return s / float64(len(values))
}
