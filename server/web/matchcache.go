package web

// The record pages' match lists, kept while nothing they depend on changed.
// A record page's list costs a full matcher run (on the demo catalogue most
// of the page's time: analysing the record, fetching and scoring a few
// hundred candidates); brokers open the same records again and again. A
// list is reused only while the store's change sequence, the index's
// sequence and the matcher's active weights are those it was computed
// with: any write (a record, a pairing, a verdict …) or a new weighting
// computes it afresh. Verdicts are applied after the cache (MatchesFor), so
// they always show at once.

import (
	"context"
	"fmt"
	"sync"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// matchCacheSize bounds the lists kept (the oldest go first).
const matchCacheSize = 256

type matchKey struct {
	kind  data.Kind
	id    string
	opt   string // the options, printed
	state string // store seq, index seq, weights
}

type matchCache struct {
	mu    sync.Mutex
	items map[matchKey][]matcher.Result
	order []matchKey
}

func (c *matchCache) get(k matchKey) ([]matcher.Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	res, ok := c.items[k]
	return res, ok
}

func (c *matchCache) put(k matchKey, res []matcher.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil {
		c.items = map[matchKey][]matcher.Result{}
	}
	if _, ok := c.items[k]; ok {
		return
	}
	if len(c.order) >= matchCacheSize {
		delete(c.items, c.order[0])
		c.order = c.order[1:]
	}
	c.items[k] = res
	c.order = append(c.order, k)
}

func (c *matchCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items, c.order = nil, nil
}

// cachedMatcher is the workbench's matcher with the cache in front of its
// record matches; everything else goes straight through.
type cachedMatcher struct {
	server.Matcher
	wb *Workbench
}

type weighted interface{ ActiveWeights() matcher.Weights }

// state is what a cached list depends on, or "" when it cannot be told
// (then nothing is cached).
func (m cachedMatcher) state(ctx context.Context) string {
	c, err := m.wb.Store.Counts(ctx)
	if err != nil {
		return ""
	}
	s := fmt.Sprint(c.Seq)
	if m.wb.Index != nil {
		s += fmt.Sprint("/", m.wb.Index.Seq())
	}
	if w, ok := m.Matcher.(weighted); ok {
		s += fmt.Sprintf("/%v", w.ActiveWeights())
	}
	return s
}

func (m cachedMatcher) cached(ctx context.Context, kind data.Kind, id string, opt matcher.Options,
	match func(context.Context, string, matcher.Options) ([]matcher.Result, error)) ([]matcher.Result, error) {
	st := m.state(ctx)
	if st == "" {
		return match(ctx, id, opt)
	}
	k := matchKey{kind: kind, id: id, opt: fmt.Sprintf("%+v", opt), state: st}
	if res, ok := m.wb.matches.get(k); ok {
		return res, nil
	}
	res, err := match(ctx, id, opt)
	if err == nil {
		m.wb.matches.put(k, res)
	}
	return res, err
}

func (m cachedMatcher) MatchDemand(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error) {
	return m.cached(ctx, data.KindDemand, id, opt, m.Matcher.MatchDemand)
}

func (m cachedMatcher) MatchAchievement(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error) {
	return m.cached(ctx, data.KindAchievement, id, opt, m.Matcher.MatchAchievement)
}
