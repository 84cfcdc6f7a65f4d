package index

import (
	"fmt"
	"time"
)

// Settle waits, for benchmarks, until both indexes have persisted every
// segment and stopped merging (the segment count holds for a second), so
// that background work after a build does not skew latencies.
func (ix *Index) Settle(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	last, stable := "", time.Now()
	for time.Now().Before(deadline) {
		var state string
		for _, idx := range ix.idx {
			st, _ := idx.StatsMap()["index"].(map[string]interface{})
			state += fmt.Sprint(st["num_root_memorysegments"], "/", st["num_root_filesegments"], "/", st["TotFileMergeLoopBeg"], " ")
		}
		if state != last {
			last, stable = state, time.Now()
		} else if time.Since(stable) > time.Second {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("index still busy after %v: %s", timeout, last)
}

// SetBleveFacets makes Search count facets with bleve's facet builder
// (true) or from the facet columns (false, the default), and empties the
// listing cache, so that tests can compare the two.
func (ix *Index) SetBleveFacets(on bool) {
	ix.bleveFacets = on
	ix.lists.mu.Lock()
	ix.lists.m = nil
	ix.lists.mu.Unlock()
}

// SetDeadlineInFilter makes Search leave out demands past their deadline
// with a filter (true) or a must-not clause (false, the default), and
// empties the listing cache.
func (ix *Index) SetDeadlineInFilter(on bool) {
	ix.deadlineInFilter = on
	ix.lists.mu.Lock()
	ix.lists.m = nil
	ix.lists.mu.Unlock()
}
