package index

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/techmatch/techmatch/index/zhseg"
)

// Names under which the analysis is registered with bleve. Every process
// that opens an index must import this package, or bleve cannot rebuild the
// analyzers named in the index's mapping.
const (
	// AnalyzerType is the bleve analyzer type of the gse analyzers. Its
	// config takes "mode" ("index" or "search") and "dict" (the id of the
	// segmenter's extra words; "" for none).
	AnalyzerType = "techmatch_gse"
	// BigramAnalyzerType is the analyzer of the character-bigram sub-fields.
	BigramAnalyzerType = "techmatch_bigram"
	// StopTokenMap is the stop word list of the gse analyzers.
	StopTokenMap = "techmatch_stop"
)

//go:embed dict/stopwords.txt
var stopWordsFile string

func init() {
	if err := registry.RegisterAnalyzer(AnalyzerType, newGseAnalyzer); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(BigramAnalyzerType, newBigramAnalyzer); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenMap(StopTokenMap, newStopTokenMap); err != nil {
		panic(err)
	}
}

// StopWords returns the stop word list.
func StopWords() []string {
	var out []string
	for _, line := range strings.Split(stopWordsFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, strings.Fields(line)...)
		}
	}
	return out
}

func newStopTokenMap(config map[string]interface{}, cache *registry.Cache) (analysis.TokenMap, error) {
	m := analysis.NewTokenMap()
	for _, w := range StopWords() {
		m.AddToken(w)
	}
	return m, nil
}

// segmenters holds the segmenters with extra words, by dictionary id. The
// segmenter without extra words (id "") is zhseg.Default.
var segmenters sync.Map // string → *zhseg.Segmenter

// dictID names a set of extra words.
func dictID(extra []string) string {
	if len(extra) == 0 {
		return ""
	}
	h := sha256.Sum256([]byte(strings.Join(extra, "\n")))
	return hex.EncodeToString(h[:8])
}

// loadSegmenter returns the segmenter for a set of extra words, building it
// (about a second) if this process has not yet.
func loadSegmenter(extra []string) (*zhseg.Segmenter, string, error) {
	id := dictID(extra)
	if id == "" {
		s, err := zhseg.Default()
		return s, id, err
	}
	if s, ok := segmenters.Load(id); ok {
		return s.(*zhseg.Segmenter), id, nil
	}
	s, err := zhseg.New(extra...)
	if err != nil {
		return nil, "", err
	}
	actual, _ := segmenters.LoadOrStore(id, s)
	return actual.(*zhseg.Segmenter), id, nil
}

func segmenterByID(id string) (*zhseg.Segmenter, error) {
	if id == "" {
		return zhseg.Default()
	}
	if s, ok := segmenters.Load(id); ok {
		return s.(*zhseg.Segmenter), nil
	}
	return nil, fmt.Errorf("segmenter with extra words %q not loaded", id)
}

// gseAnalyzer is the word analyzer: the gse cut (with sub-words at index
// time), lower-casing, stop words.
type gseAnalyzer struct {
	seg   *zhseg.Segmenter
	mode  zhseg.Mode
	lower analysis.TokenFilter
	stop  analysis.TokenMap
}

func newGseAnalyzer(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	mode := zhseg.Search
	switch m, _ := config["mode"].(string); m {
	case "index":
		mode = zhseg.Index
	case "search", "":
	default:
		return nil, fmt.Errorf("%s: unknown mode %q", AnalyzerType, m)
	}
	id, _ := config["dict"].(string)
	seg, err := segmenterByID(id)
	if err != nil {
		return nil, err
	}
	stop, err := cache.TokenMapNamed(StopTokenMap)
	if err != nil {
		return nil, err
	}
	return &gseAnalyzer{seg: seg, mode: mode, lower: lowercase.NewLowerCaseFilter(), stop: stop}, nil
}

func (a *gseAnalyzer) Analyze(input []byte) analysis.TokenStream {
	toks := a.seg.Tokens(nil, input, a.mode)
	return a.filter(toStream(toks))
}

func (a *gseAnalyzer) filter(ts analysis.TokenStream) analysis.TokenStream {
	ts = a.lower.Filter(ts)
	j := 0
	for _, t := range ts {
		if _, stop := a.stop[string(t.Term)]; !stop {
			ts[j] = t
			j++
		}
	}
	return ts[:j]
}

func toStream(toks []zhseg.Token) analysis.TokenStream {
	ts := make(analysis.TokenStream, len(toks))
	backing := make([]analysis.Token, len(toks))
	for i, t := range toks {
		typ := analysis.AlphaNumeric
		if t.Han {
			typ = analysis.Ideographic
		}
		backing[i] = analysis.Token{Term: t.Term, Start: t.Start, End: t.End, Position: t.Position, Type: typ}
		ts[i] = &backing[i]
	}
	return ts
}

// bigramAnalyzer is the analyzer of the bigram sub-fields: bigrams of Han
// runs, words of letters and digits whole, lower-cased.
type bigramAnalyzer struct{ lower analysis.TokenFilter }

func newBigramAnalyzer(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	return &bigramAnalyzer{lower: lowercase.NewLowerCaseFilter()}, nil
}

func (a *bigramAnalyzer) Analyze(input []byte) analysis.TokenStream {
	return a.lower.Filter(toStream(zhseg.Bigrams(nil, input)))
}

// Token is one analyzed word of a text, with byte offsets into it.
type Token struct {
	Term      string `json:"term"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Position  int    `json:"position"`
	SubWord   bool   `json:"sub,omitempty"`
	Ideograph bool   `json:"han,omitempty"`
}

// Segment runs the index-time analysis of the default segmenter (the gse
// cut with sub-words, lower-casing, stop words) over text. Offsets are byte
// offsets into text.
func Segment(text string) []Token {
	return SegmentMode(text, zhseg.Index)
}

var (
	defaultAnalyzersOnce sync.Once
	defaultAnalyzers     [2]*gseAnalyzer // by mode
)

// SegmentMode runs the analysis of the given mode over text; zhseg.Search
// is the query-time analysis. Without the dictionary it returns nil.
func SegmentMode(text string, mode zhseg.Mode) []Token {
	defaultAnalyzersOnce.Do(func() {
		seg, err := zhseg.Default()
		if err != nil {
			return
		}
		stop, _ := newStopTokenMap(nil, nil)
		for _, m := range []zhseg.Mode{zhseg.Search, zhseg.Index} {
			defaultAnalyzers[m] = &gseAnalyzer{seg: seg, mode: m, lower: lowercase.NewLowerCaseFilter(), stop: stop}
		}
	})
	if mode != zhseg.Index {
		mode = zhseg.Search
	}
	a := defaultAnalyzers[mode]
	if a == nil {
		return nil
	}
	return fromStream(a.Analyze([]byte(text)))
}

// fromStream converts a token stream; a token at the position of the one
// before it is a sub-word.
func fromStream(ts analysis.TokenStream) []Token {
	out := make([]Token, len(ts))
	for i, t := range ts {
		out[i] = Token{Term: string(t.Term), Start: t.Start, End: t.End, Position: t.Position,
			SubWord: i > 0 && t.Position == ts[i-1].Position, Ideograph: t.Type == analysis.Ideographic}
	}
	return out
}
