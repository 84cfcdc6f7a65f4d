package matcher

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// Text limits. Long descriptions are mostly company profiles: the first
// part says what is wanted, and cutting keeps scoring fast.
const (
	maxBodyRunes  = 1500 // of a description or abstract
	maxQueryWords = 60   // analyzer words of a demand kept for scoring
	maxTF         = 1<<16 - 1
)

// profile is what the matcher compares of one achievement (or, as a query,
// of one demand): its title and its whole text as sets and bags of
// characters and bigrams, and the analyzer's words of its title and
// keywords (the segmenter is too slow to run over every candidate's abstract
// on each request; bigrams stand in for its words). Bags are slices sorted
// by key, so sums over them always add up in the same order and scores are
// reproducible to the last bit. The model keeps one for every achievement.
type profile struct {
	title []unit   // units of the title, sorted, unique
	keys  []unit   // units of title, keywords and body (cut), sorted, unique
	tfs   []uint16 // their counts
	words []wordTF // analyzer words of title and keywords, by word

	allChars int32 // characters and alphanumeric words of the whole text
	nWords   int32 // analyzer words of title and keywords, repeats counted

	kwUnits [][]unit   // each keyword's units, for keyword overlap
	kwWords [][]string // each keyword's analyzer words (nil without an analyzer)
	meta    achMeta
	sectors sectorSet // technology domains of field, discipline and industry
	place   placeInfo
}

type wordTF struct {
	w string
	n int32
}

// achMeta are the fields of an achievement the signals and explanations
// use besides its text.
type achMeta struct {
	ID, Title     string
	Keywords      []string
	Field         string
	Discipline    string
	Industry      string
	Region        data.Region
	Maturity      string
	TransferModes []string
	PriceWan      *data.Range
	Published     string
	Year          int
	Status        string
}

// newProfile builds the profile of a title, keywords and body. intern, if
// not nil, maps words to shared copies.
func newProfile(an data.Analyzer, title string, keywords []string, body string, intern func(string) string) *profile {
	p := &profile{}
	p.title = unitsOf(title)
	au := unitCounts{}
	addUnits(title, au)
	kw := strings.Join(keywords, "；")
	addUnits(kw, au)
	addUnits(cutRunes(body, maxBodyRunes), au)
	p.keys = make([]unit, 0, len(au))
	for k := range au {
		p.keys = append(p.keys, k)
	}
	sort.Slice(p.keys, func(i, j int) bool { return p.keys[i] < p.keys[j] })
	p.tfs = make([]uint16, len(p.keys))
	for i, k := range p.keys {
		n := au[k]
		p.tfs[i] = uint16(min(n, maxTF))
		if !unitIsBigram(k) {
			p.allChars += n
		}
	}
	for _, k := range keywords {
		p.kwUnits = append(p.kwUnits, unitsOf(k))
	}
	if an != nil {
		wc := map[string]int32{}
		for _, w := range an.Terms(title) {
			wc[w]++
		}
		if kw != "" {
			for _, w := range an.Terms(kw) {
				wc[w]++
			}
		}
		p.words = make([]wordTF, 0, len(wc))
		for w, n := range wc {
			if intern != nil {
				w = intern(w)
			}
			p.words = append(p.words, wordTF{w, n})
			p.nWords += n
		}
		sort.Slice(p.words, func(i, j int) bool { return p.words[i].w < p.words[j].w })
		p.kwWords = make([][]string, len(keywords))
		for i, k := range keywords {
			for _, w := range an.Terms(k) {
				if intern != nil {
					w = intern(w)
				}
				p.kwWords[i] = append(p.kwWords[i], w)
			}
		}
	}
	return p
}

// hasWord reports whether the profile's title or keywords hold w as an
// analyzer word.
func (p *profile) hasWord(w string) bool {
	i := sort.Search(len(p.words), func(i int) bool { return p.words[i].w >= w })
	return i < len(p.words) && p.words[i].w == w
}

func achievementProfile(an data.Analyzer, a *data.Achievement, intern func(string) string) *profile {
	p := newProfile(an, a.Title, a.Keywords, a.Abstract, intern)
	p.meta = achMeta{ID: a.ID, Title: a.Title, Keywords: a.Keywords, Field: a.Field, Discipline: a.Discipline,
		Industry: a.Industry, Region: a.Region, Maturity: a.Maturity, TransferModes: a.TransferModes,
		PriceWan: a.PriceWan, Published: a.Published, Year: a.Year, Status: a.Status}
	p.sectors = sectorsOf(a.Field, a.Discipline, a.Industry)
	p.place = placeOf(a.Region)
	return p
}

func demandProfile(an data.Analyzer, d *data.Demand) *profile {
	return newProfile(an, d.Title, d.Keywords, d.Description, nil)
}

func cutRunes(s string, n int) string {
	if len(s) <= n { // fewer bytes than runes allowed
		return s
	}
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
