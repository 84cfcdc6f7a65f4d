package index

import (
	"encoding/json"
	"strings"
	"sync"

	"github.com/techmatch/techmatch/data"
)

// listCache keeps the results of listings (searches without text): the
// catalogue's browse pages ask for the same few, and sorting by date or
// counting facets over every record costs tens of milliseconds on the demo
// catalogue. Entries are valid for one store sequence: any applied change
// empties the cache.
type listCache struct {
	mu  sync.Mutex
	seq uint64
	m   map[string]*data.SearchResult
}

const listCacheSize = 128

// listKey returns the cache key of q, if q is a listing.
func listKey(q data.SearchQuery) (string, bool) {
	if strings.TrimSpace(q.Text) != "" || len(q.Terms) > 0 || len(q.Filter.IDs) > 0 {
		return "", false
	}
	b, err := json.Marshal(struct {
		K      data.Kind
		F      data.Filter
		O, L   int
		S      string
		Facets bool
		Today  int // expired demands drop out at midnight
	}{q.Kind, q.Filter, q.Offset, q.Limit, q.Sort, q.Facets, today()})
	if err != nil {
		return "", false
	}
	return string(b), true
}

func (c *listCache) get(seq uint64, key string) *data.SearchResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq != seq {
		return nil
	}
	if r := c.m[key]; r != nil {
		return copyResult(r)
	}
	return nil
}

func (c *listCache) put(seq uint64, key string, r *data.SearchResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if seq < c.seq {
		return // an older search finished late
	}
	if c.seq != seq || c.m == nil || len(c.m) >= listCacheSize {
		c.seq, c.m = seq, map[string]*data.SearchResult{}
	}
	c.m[key] = r
}

// copyResult copies what a caller might change.
func copyResult(r *data.SearchResult) *data.SearchResult {
	out := *r
	out.Hits = append([]data.Hit(nil), r.Hits...)
	if r.Facets != nil {
		out.Facets = make(map[string][]data.FacetCount, len(r.Facets))
		for k, v := range r.Facets {
			out.Facets[k] = append([]data.FacetCount(nil), v...)
		}
	}
	return &out
}
