package index

import (
	"fmt"
	"math"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/techmatch/techmatch/data"
)

// Fields of both indexes. Record text is never stored in bleve: hits carry
// ids and highlights are cut from the store's copy.
const (
	fieldTitle    = "title"   // title, word analysis, boosted
	fieldText     = "text"    // all text of the record (title included), word analysis
	fieldTextBi   = "text_bi" // the same, character bigrams
	fieldProfile  = "profile" // demands: the description's company profile (data.SplitNeed), word analysis
	fieldOrg      = "org"     // institution / enterprise name, exact
	fieldOrgBi    = "org_bi"  // the same, bigrams (substring filter)
	fieldAmountLo = "amount_lo"
	fieldAmountHi = "amount_hi"
	fieldDate     = "published" // yyyymmdd, numeric
	fieldDeadline = "deadline"  // demands: yyyymmdd, numeric

	fieldDiscipline = "discipline"
	fieldField      = "field"
	fieldIndustry   = "industry"
	fieldMaturity   = "maturity"
	fieldProvince   = "province"
	fieldCity       = "city"
	fieldCounty     = "county"
	fieldStatus     = "status"
	fieldChallenge  = "challenge"
)

// keywordFields are indexed whole, with doc values for facets.
var keywordFields = []string{fieldDiscipline, fieldField, fieldIndustry, fieldMaturity,
	fieldProvince, fieldCity, fieldCounty, fieldStatus, fieldChallenge, fieldOrg}

// facetFields are the fields counted when a search asks for facets.
var facetFields = []string{fieldField, fieldMaturity, fieldProvince, fieldCity}

// Analyzer names inside an index's mapping.
const (
	anIndex  = "tm_index"
	anSearch = "tm_search"
	anBigram = "tm_bigram"
)

// Analyzers that Options.Analyzer may name.
const (
	AnalyzerGse      = "gse"
	AnalyzerCJK      = "cjk"
	AnalyzerStandard = "standard"
)

// amountOpen stands for a missing upper bound of an amount range.
const amountOpen = 1e12

// analyzers are the analyzers documents are built with.
type analyzers struct {
	index, search, bigram analysis.Analyzer // bigram is nil without bigram sub-fields
	syn                   *synonyms
}

// newMapping returns the index mapping for an analyzer choice. Documents are
// built by hand (see achievementDoc) so that only what is listed here is
// indexed; the document mapping records the fields for anyone inspecting
// the index.
func newMapping(analyzer, dict string) (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = bindex.BM25Scoring
	bigrams := false
	switch analyzer {
	case AnalyzerGse, "":
		if err := im.AddCustomAnalyzer(anIndex, map[string]interface{}{"type": AnalyzerType, "mode": "index", "dict": dict}); err != nil {
			return nil, err
		}
		if err := im.AddCustomAnalyzer(anSearch, map[string]interface{}{"type": AnalyzerType, "mode": "search", "dict": dict}); err != nil {
			return nil, err
		}
		if err := im.AddCustomAnalyzer(anBigram, map[string]interface{}{"type": BigramAnalyzerType}); err != nil {
			return nil, err
		}
		bigrams = true
	case AnalyzerCJK, AnalyzerStandard:
		base := cjk.AnalyzerName
		if analyzer == AnalyzerStandard {
			base = standard.Name
		}
		// Aliases, so that the rest of the package names one set.
		for _, n := range []string{anIndex, anSearch} {
			if err := aliasAnalyzer(im, n, base); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("unknown analyzer %q", analyzer)
	}
	im.DefaultAnalyzer = anIndex

	dm := bleve.NewDocumentStaticMapping()
	text := func(name, an string) {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = an
		fm.Store = false
		fm.IncludeInAll = false
		// Positions of the text's bigrams: phrases and verbatim chunks
		// are phrase queries over them.
		fm.IncludeTermVectors = name == fieldTextBi
		fm.DocValues = false
		dm.AddFieldMappingsAt(name, fm)
	}
	text(fieldTitle, anIndex)
	text(fieldText, anIndex)
	text(fieldProfile, anIndex)
	if bigrams {
		text(fieldTextBi, anBigram)
		text(fieldOrgBi, anBigram)
	}
	for _, f := range keywordFields {
		fm := bleve.NewKeywordFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		dm.AddFieldMappingsAt(f, fm)
	}
	for _, f := range []string{fieldAmountLo, fieldAmountHi, fieldDate} {
		fm := bleve.NewNumericFieldMapping()
		fm.Store = false
		fm.IncludeInAll = false
		dm.AddFieldMappingsAt(f, fm)
	}
	im.DefaultMapping = dm
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}

// aliasAnalyzer defines name as the built-in analyzer base: a custom
// analyzer's "type" picks the registered constructor.
func aliasAnalyzer(im *mapping.IndexMappingImpl, name, base string) error {
	return im.AddCustomAnalyzer(name, map[string]interface{}{"type": base})
}

func mappingAnalyzers(im *mapping.IndexMappingImpl) (*analyzers, error) {
	var an analyzers
	var err error
	if an.index, err = analyzerNamed(im, anIndex); err != nil {
		return nil, err
	}
	if an.search, err = analyzerNamed(im, anSearch); err != nil {
		return nil, err
	}
	if _, ok := im.CustomAnalysis.Analyzers[anBigram]; ok {
		if an.bigram, err = analyzerNamed(im, anBigram); err != nil {
			return nil, err
		}
	}
	an.syn = newSynonyms(an.search)
	return &an, nil
}

func analyzerNamed(im *mapping.IndexMappingImpl, name string) (analysis.Analyzer, error) {
	a := im.AnalyzerNamed(name)
	if a == nil {
		return nil, fmt.Errorf("analyzer %s not defined", name)
	}
	return a, nil
}

const (
	textOpts    = bindex.IndexField
	bigramOpts  = bindex.IndexField
	textBiOpts  = bindex.IndexField | bindex.IncludeTermVectors
	keywordOpts = bindex.IndexField | bindex.DocValues
	numOpts     = bindex.IndexField | bindex.DocValues
)

type docBuilder struct {
	an *analyzers
	d  *document.Document
}

func (b *docBuilder) text(name, biName, value string) {
	if value == "" {
		return
	}
	v := []byte(value)
	b.d.AddField(document.NewTextFieldCustom(name, nil, v, textOpts, b.an.index))
	if b.an.bigram != nil && biName != "" {
		b.d.AddField(document.NewTextFieldCustom(biName, nil, v, textBiOpts, b.an.bigram))
	}
}

func (b *docBuilder) keyword(name, value string) {
	if value = strings.TrimSpace(value); value == "" {
		return
	}
	b.d.AddField(document.NewTextFieldCustom(name, nil, []byte(value), keywordOpts, nil))
}

func (b *docBuilder) number(name string, v float64) {
	b.d.AddField(document.NewNumericFieldWithIndexingOptions(name, nil, v, numOpts))
}

func (b *docBuilder) amount(r *data.Range) {
	if r == nil || (r.Min <= 0 && r.Max <= 0) {
		return
	}
	hi := r.Max
	if hi <= 0 {
		hi = amountOpen
	}
	b.number(fieldAmountLo, math.Max(r.Min, 0))
	b.number(fieldAmountHi, hi)
}

func (b *docBuilder) date(s string, year int) {
	if d := dateNumber(s); d > 0 {
		b.number(fieldDate, float64(d))
	} else if year > 0 {
		b.number(fieldDate, float64(year*10000+101))
	}
}

// dateNumber turns a date into yyyymmdd, or 0.
func dateNumber(s string) int {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	t, err := data.ParseDate(s)
	if err != nil {
		return 0
	}
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

func statusOf(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return data.DefaultStatus
	}
	return s
}

// joinText joins the text fields of a record into the text field's value.
func joinText(parts ...string) string {
	var sb strings.Builder
	for _, p := range parts {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(p)
	}
	return sb.String()
}

func achievementDoc(a *data.Achievement, an *analyzers) *document.Document {
	b := docBuilder{an: an, d: document.NewDocument(a.ID)}
	names := make([]string, 0, len(a.Inventors))
	for _, p := range a.Inventors {
		names = append(names, p.Name) // never p.Contact
	}
	b.text(fieldTitle, "", a.Title)
	b.text(fieldText, fieldTextBi, joinText(a.Title, a.Abstract, strings.Join(a.Keywords, "；"), a.Institution, strings.Join(names, "、")))
	if an.bigram != nil && a.Institution != "" {
		b.d.AddField(document.NewTextFieldCustom(fieldOrgBi, nil, []byte(a.Institution), bigramOpts, an.bigram))
	}
	b.keyword(fieldOrg, a.Institution)
	b.keyword(fieldDiscipline, a.Discipline)
	b.keyword(fieldField, a.Field)
	b.keyword(fieldIndustry, a.Industry)
	b.keyword(fieldMaturity, data.MaturityName(a.Maturity))
	b.keyword(fieldProvince, a.Region.Province)
	b.keyword(fieldCity, a.Region.City)
	b.keyword(fieldCounty, a.Region.County)
	b.keyword(fieldStatus, statusOf(a.Status))
	b.amount(a.PriceWan)
	b.date(a.Published, a.Year)
	return b.d
}

func demandDoc(d *data.Demand, an *analyzers) *document.Document {
	b := docBuilder{an: an, d: document.NewDocument(d.ID)}
	b.text(fieldTitle, "", d.Title)
	// The statement of the need is the demand's text; the parts about the
	// company go to their own field, which searches weigh far lower.
	need, prof := data.SplitNeed(d.Description)
	b.text(fieldText, fieldTextBi, joinText(d.Title, need, strings.Join(d.Keywords, "；"), d.Enterprise.Name))
	b.text(fieldProfile, "", prof)
	if an.bigram != nil && d.Enterprise.Name != "" {
		b.d.AddField(document.NewTextFieldCustom(fieldOrgBi, nil, []byte(d.Enterprise.Name), bigramOpts, an.bigram))
	}
	b.keyword(fieldOrg, d.Enterprise.Name)
	b.keyword(fieldField, d.Field)
	b.keyword(fieldIndustry, firstNonEmpty(d.Industry, d.Enterprise.Industry))
	b.keyword(fieldMaturity, data.MaturityName(d.Maturity))
	b.keyword(fieldProvince, d.Region.Province)
	b.keyword(fieldCity, d.Region.City)
	b.keyword(fieldCounty, d.Region.County)
	b.keyword(fieldStatus, statusOf(d.Status))
	if d.Challenge {
		b.keyword(fieldChallenge, "true")
	}
	b.amount(d.BudgetWan)
	b.date(d.Published, 0)
	if n := dateNumber(d.Deadline); n > 0 {
		b.number(fieldDeadline, float64(n))
	}
	return b.d
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// keep the keyword analyzer linked in: keyword field mappings name it.
var _ = keyword.Name
