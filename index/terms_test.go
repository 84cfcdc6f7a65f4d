package index_test

import (
	"slices"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// TestBigramTerms: a weighted term marked Bigram matches the records'
// character bigrams, so it finds a record where the word cut differs (栅尺
// is no word of 光栅尺测量系统); unmarked, the same text finds nothing.
func TestBigramTerms(t *testing.T) {
	ix, _ := fixtureIndex(t)
	tests := []struct {
		name   string
		bigram bool
		want   bool
	}{
		{"bigram sub-field", true, true},
		{"word field", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Terms: []data.Term{{Text: "栅尺", Weight: 1, Bigram: tc.bigram}}})
			if got := slices.Contains(hitIDs(res), "a-tsinghua"); got != tc.want {
				t.Fatalf("hits %v: a-tsinghua found %v, want %v", hitIDs(res), got, tc.want)
			}
		})
	}
}
