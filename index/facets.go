package index

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/techmatch/techmatch/data"
)

// Facet counting. bleve counts facets by visiting the doc values of every
// hit, which decodes a compressed chunk per hit and allocates per value:
// on the demo catalogue it was the largest part of a default search, and
// the part that grows with the catalogue. Here each segment's facet
// values are read once into a column (local document → value id, per
// facet field) kept beside the index, and a search counts its hits from
// the columns as its searcher yields them: the counts are the same as
// bleve's terms facets (TestFacetColumnsMatchBleve).

// facetColumns holds the facet columns of one index's segments.
type facetColumns struct {
	mu     sync.Mutex
	ids    map[string]uint32 // facet value → id (from 1)
	values []string          // id → value; values[0] is unused
	segs   map[segment.Segment]*segColumn
}

// segColumn is one segment's facet values: vals[f][doc] is the id of
// document doc's value of facetFields[f], 0 for none.
type segColumn struct {
	once sync.Once
	vals [][]uint32
	err  error
}

// valueID returns the id of v, adding it if new. Callers hold c.mu.
func (c *facetColumns) valueID(v []byte) uint32 {
	if id, ok := c.ids[string(v)]; ok {
		return id
	}
	if c.ids == nil {
		c.ids = map[string]uint32{}
		c.values = []string{""}
	}
	id := uint32(len(c.values))
	s := string(v)
	c.ids[s] = id
	c.values = append(c.values, s)
	return id
}

// snapshotColumns returns the columns of the snapshot's segments, in its
// order, and the global number of each segment's first document.
func (c *facetColumns) snapshotColumns(snap *scorch.IndexSnapshot) ([]*segColumn, []uint64, error) {
	segs := snap.Segments()
	cols := make([]*segColumn, len(segs))
	offsets := make([]uint64, len(segs)+1)
	c.mu.Lock()
	if c.segs == nil {
		c.segs = map[segment.Segment]*segColumn{}
	}
	live := make(map[segment.Segment]bool, len(segs))
	for i, ss := range segs {
		s := ss.Segment()
		live[s] = true
		col := c.segs[s]
		if col == nil {
			col = &segColumn{}
			c.segs[s] = col
		}
		cols[i] = col
		offsets[i+1] = offsets[i] + s.Count() // as scorch numbers documents
	}
	// Forget merged-away segments (a search on an older snapshot that
	// still needs one builds it again).
	if len(c.segs) > 2*len(segs)+16 {
		for s := range c.segs {
			if !live[s] {
				delete(c.segs, s)
			}
		}
	}
	c.mu.Unlock()
	for i, ss := range segs {
		col := cols[i]
		col.once.Do(func() { col.vals, col.err = c.readSegment(ss.Segment()) })
		if col.err != nil {
			return nil, nil, col.err
		}
	}
	return cols, offsets, nil
}

// readSegment reads the facet values of every document of s. The values
// get ids once read, under the lock, so that other searches wait only for
// the ids, not for the reading.
func (c *facetColumns) readSegment(s segment.Segment) ([][]uint32, error) {
	dv, ok := s.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("facets: segment %T has no doc values", s)
	}
	n := s.Count()
	vals := make([][]uint32, len(facetFields))
	for f := range vals {
		vals[f] = make([]uint32, n)
	}
	field := make(map[string]int, len(facetFields))
	for f, name := range facetFields {
		field[name] = f
	}
	local := map[string]uint32{} // value → segment-local id (from 1)
	var names []string
	var state segment.DocVisitState
	var err error
	var doc uint64
	var multi error
	visit := func(name string, term []byte) {
		f, ok := field[name]
		if !ok {
			return
		}
		if vals[f][doc] != 0 {
			multi = fmt.Errorf("facets: document %d has several values of %s", doc, name)
			return
		}
		id, ok := local[string(term)]
		if !ok {
			names = append(names, string(term))
			id = uint32(len(names))
			local[names[id-1]] = id
		}
		vals[f][doc] = id
	}
	for doc = 0; doc < n; doc++ {
		if state, err = dv.VisitDocValues(doc, facetFields, visit, state); err != nil {
			return nil, fmt.Errorf("facets: read doc values: %w", err)
		}
	}
	if multi != nil {
		return nil, multi // every facet field is indexed with one value per record
	}
	global := make([]uint32, len(names)+1)
	c.mu.Lock()
	for i, v := range names {
		global[i+1] = c.valueID([]byte(v))
	}
	c.mu.Unlock()
	for _, col := range vals {
		for d, id := range col {
			col[d] = global[id]
		}
	}
	return vals, nil
}

// facetTally counts the hits of one search (over one or more requests) per
// facet value.
type facetTally struct {
	c      *facetColumns
	counts [][]int32 // [facet field][value id]
}

func newFacetTally(c *facetColumns) *facetTally {
	return &facetTally{c: c, counts: make([][]int32, len(facetFields))}
}

// wrap returns q, whose hits the tally counts.
func (t *facetTally) wrap(q query.Query) query.Query { return &countingQuery{Query: q, t: t} }

// result is the counts in data's form: per field the top facetSize values
// by count, then by value, as bleve's terms facets order them.
func (t *facetTally) result() map[string][]data.FacetCount {
	t.c.mu.Lock()
	values := t.c.values
	t.c.mu.Unlock()
	out := make(map[string][]data.FacetCount, len(facetFields))
	for f, name := range facetFields {
		counts := []data.FacetCount{}
		for id, n := range t.counts[f] {
			if n > 0 && id > 0 {
				counts = append(counts, data.FacetCount{Value: values[id], Count: int(n)})
			}
		}
		sort.Slice(counts, func(i, j int) bool {
			if counts[i].Count != counts[j].Count {
				return counts[i].Count > counts[j].Count
			}
			return counts[i].Value < counts[j].Value
		})
		if len(counts) > facetSize {
			counts = counts[:facetSize]
		}
		out[name] = counts
	}
	return out
}

// countingQuery is a query whose searcher counts what it yields.
type countingQuery struct {
	query.Query
	t *facetTally
}

func (q *countingQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opt search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("facets: unexpected index reader %T", r)
	}
	cols, offsets, err := q.t.c.snapshotColumns(snap)
	if err != nil {
		return nil, err
	}
	s, err := q.Query.Searcher(ctx, r, m, opt)
	if err != nil {
		return nil, err
	}
	return &countingSearcher{Searcher: s, t: q.t, cols: cols, offsets: offsets}, nil
}

// countingSearcher passes on a searcher's matches, counting each one's
// facet values.
type countingSearcher struct {
	search.Searcher
	t       *facetTally
	cols    []*segColumn
	offsets []uint64
	seg     int // segment of the last match: matches come in document order
}

func (s *countingSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Next(ctx)
	if m != nil {
		s.count(m.IndexInternalID)
	}
	return m, err
}

func (s *countingSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	m, err := s.Searcher.Advance(ctx, id)
	if m != nil {
		s.count(m.IndexInternalID)
	}
	return m, err
}

func (s *countingSearcher) count(id bindex.IndexInternalID) {
	doc := id.Value()
	if doc < s.offsets[s.seg] || doc >= s.offsets[s.seg+1] {
		s.seg = sort.Search(len(s.cols), func(i int) bool { return s.offsets[i+1] > doc })
		if s.seg >= len(s.cols) {
			s.seg = 0
			return // not a document of this snapshot
		}
	}
	local := doc - s.offsets[s.seg]
	for f, col := range s.cols[s.seg].vals {
		if v := col[local]; v != 0 {
			if int(v) >= len(s.t.counts[f]) {
				s.t.grow(f, int(v))
			}
			s.t.counts[f][v]++
		}
	}
}

func (t *facetTally) grow(f, v int) {
	t.c.mu.Lock()
	n := len(t.c.values)
	t.c.mu.Unlock()
	n = max(n, v+1)
	c := make([]int32, n)
	copy(c, t.counts[f])
	t.counts[f] = c
}
