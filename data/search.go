package data

import "context"

// Sort orders of search results.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Filter narrows a search; empty fields do not filter.
type Filter struct {
	Field       string `json:"field,omitempty"`
	Discipline  string `json:"discipline,omitempty"`
	Industry    string `json:"industry,omitempty"`
	Maturity    string `json:"maturity,omitempty"`
	Province    string `json:"province,omitempty"`
	City        string `json:"city,omitempty"`
	County      string `json:"county,omitempty"`
	Institution string `json:"institution,omitempty"` // or enterprise name for demands
	Status      string `json:"status,omitempty"`
	// AmountMin/AmountMax bound price_wan (achievements) or budget_wan
	// (demands) in 万元; zero means unbounded.
	AmountMin float64 `json:"amount_min,omitempty"`
	AmountMax float64 `json:"amount_max,omitempty"`
	// From/To bound the published date, as 2006-01-02.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// IDs restricts the search to these records (used by rerankers).
	IDs []string `json:"-"`
	// Challenge keeps only 揭榜挂帅 demands.
	Challenge bool `json:"challenge,omitempty"`
	// Expired brings back demands past their deadline (已过期), which
	// searches and matches leave out by default.
	Expired bool `json:"expired,omitempty"`
}

// Term is a query term with a weight, for weighted (more-like-this) queries.
type Term struct {
	Text   string  `json:"term"`
	Weight float64 `json:"weight"`
}

// SearchQuery is a search over one catalogue.
type SearchQuery struct {
	Kind Kind
	// Text is what the user typed; "quoted phrases" are phrases.
	Text string
	// Terms, when given, are OR-ed with their weights (more-like-this).
	Terms  []Term
	Filter Filter
	Offset int
	Limit  int
	Sort   string
	// Facets asks for counts per field, maturity and region.
	Facets bool
	// Highlight asks for snippets with matched terms in <mark>…</mark>.
	Highlight bool
}

// Hit is one search result.
type Hit struct {
	ID         string              `json:"id"`
	Score      float64             `json:"score"`
	Highlights map[string][]string `json:"highlights,omitempty"`
}

// FacetCount is the number of hits with one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SearchResult is one page of hits.
type SearchResult struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	// Parsed says how the query's text was understood (nil without text).
	Parsed *ParsedQuery `json:"parsed,omitempty"`
}

// ParsedQuery is a query's text as the search understood it: the words
// every result should hold (records holding all of them rank first), the
// "quoted phrases" (held verbatim: adjacent, in order) and the -excluded
// words (no result holds them). Nothing else in the text is syntax.
type ParsedQuery struct {
	Must   []string `json:"must"`
	Phrase []string `json:"phrase"`
	Not    []string `json:"not"`
}

// Searcher runs searches over the full-text indexes.
type Searcher interface {
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
}

// Analyzer cuts text into the terms the indexes use, so that other packages
// (the matcher) can weigh terms the way the index sees them.
type Analyzer interface {
	Terms(text string) []string
	// DocFreq returns how many records of a catalogue contain term, and the
	// catalogue's size.
	DocFreq(kind Kind, term string) (df, n int)
}
