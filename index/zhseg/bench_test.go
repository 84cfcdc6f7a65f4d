package zhseg

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

const sharedData = "../../../shared/data/achievements.jsonl"

// sampleTexts returns titles and abstracts of the shared real records, or
// skips the benchmark when ../shared is absent.
func sampleTexts(tb testing.TB, max int) [][]byte {
	tb.Helper()
	f, err := os.Open(sharedData)
	if err != nil {
		tb.Skipf("shared data absent (%v): skipping", err)
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() && len(out) < max {
		var r struct{ Title, Abstract string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		out = append(out, []byte(r.Title+"。"+r.Abstract))
	}
	return out
}

func benchMode(b *testing.B, mode Mode) {
	s := MustDefault()
	texts := sampleTexts(b, 2000)
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	b.SetBytes(n)
	b.ResetTimer()
	var dst []Token
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			dst = s.Tokens(dst[:0], t, mode)
		}
	}
}

func BenchmarkTokensIndex(b *testing.B)  { benchMode(b, Index) }
func BenchmarkTokensSearch(b *testing.B) { benchMode(b, Search) }

func BenchmarkBigrams(b *testing.B) {
	texts := sampleTexts(b, 2000)
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	b.SetBytes(n)
	b.ResetTimer()
	var dst []Token
	for i := 0; i < b.N; i++ {
		for _, t := range texts {
			dst = Bigrams(dst[:0], t)
		}
	}
}
