package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/techmatch/techmatch/data"
)

// Sync catches the indexes up with the store: it applies every change after
// Seq, in batches, each batch recording the sequence it reaches inside the
// index together with its documents, so that an index killed mid-way loses
// nothing: the next Sync re-applies from the last recorded sequence.
// Applying a change twice is harmless. Calls are serialized.
func (ix *Index) Sync(ctx context.Context) (int, error) {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	targets, an, err := ix.current()
	if err != nil {
		return 0, err
	}
	from := ix.seq.Load()
	var changes []data.Change
	err = ix.store.ChangesSince(ctx, from, func(c data.Change) error {
		changes = append(changes, c)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read changes since %d: %w", from, err)
	}
	if len(changes) == 0 {
		return 0, nil
	}
	start := time.Now()
	n, err := ix.apply(ctx, targets, an, changes, func(seq uint64) { ix.seq.Store(seq) }, ix.opt.Progress)
	took := time.Since(start)
	level := slog.LevelDebug // the server syncs after every write
	if n >= 1000 || took > time.Second {
		level = slog.LevelInfo
	}
	if err != nil {
		level = slog.LevelWarn
	}
	ix.log.Log(ctx, level, "index synced", "changes", n, "of", len(changes), "seq", ix.Seq(), "took", took.Round(time.Millisecond), "err", err)
	return n, err
}

func (ix *Index) current() ([2]bleve.Index, [2]*analyzers, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return ix.idx, ix.an, errors.New("index closed")
	}
	return ix.idx, ix.an, nil
}

// job is one batch of changes on its way to the indexes.
type job struct {
	changes  []data.Change
	batches  [2]*bleve.Batch
	seq      uint64
	err      error
	prepared chan struct{}
	applied  chan struct{}
}

// apply writes changes (in sequence order) to targets. Workers goroutines
// fetch the records and build documents; up to Workers batches are applied
// at once, so that one batch's analysis overlaps another's segment
// building. Each batch records a sequence inside the index only if every
// change up to it is already in: its own last sequence if all earlier
// batches are applied, otherwise the highest such. So the recorded sequence
// never runs ahead of the documents, whatever the order batches finish in,
// and a crash at any point loses nothing Sync will not re-apply. applied is
// called with each new such sequence.
func (ix *Index) apply(ctx context.Context, targets [2]bleve.Index, an [2]*analyzers,
	changes []data.Change, applied func(seq uint64), progress func(done, total int)) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	size := ix.opt.BatchSize
	var jobs []*job
	for i := 0; i < len(changes); i += size {
		j := &job{changes: changes[i:min(i+size, len(changes))], prepared: make(chan struct{}), applied: make(chan struct{})}
		j.seq = j.changes[len(j.changes)-1].Seq
		jobs = append(jobs, j)
	}
	workers := ix.opt.Workers

	// Prepare at most 2×Workers batches ahead of the oldest unapplied one.
	queue := make(chan *job)
	ahead := make(chan struct{}, 2*workers)
	go func() {
		defer close(queue)
		for _, j := range jobs {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case queue <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			for j := range queue {
				j.batches, j.err = ix.prepare(ctx, targets, an, j)
				close(j.prepared)
			}
		}()
	}

	// The watermark: the highest sequence with every batch up to it applied.
	var (
		mu        sync.Mutex
		watermark uint64
		next      int // jobs[:next] are applied
		firstErr  error
		n         int
	)
	finish := func(k int, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			cancel()
			return // the watermark never passes a failed batch
		}
		close(jobs[k].applied)
		for next < len(jobs) && isClosed(jobs[next].applied) {
			n += len(jobs[next].changes)
			watermark = jobs[next].seq
			next++
			// Even after another batch failed: this one is in.
			if applied != nil {
				applied(watermark)
			}
			if progress != nil && firstErr == nil {
				progress(n, len(changes))
			}
		}
	}
	var wg sync.WaitGroup
	inflight := make(chan struct{}, workers)
	var recorded uint64 // the sequence the last launched batch records
	for k, j := range jobs {
		select {
		case <-j.prepared:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		if j.err != nil {
			finish(k, j.err)
			break
		}
		select {
		case inflight <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		mu.Lock()
		rec := watermark
		if next == k {
			rec = j.seq // everything before is in: this batch may record itself
		}
		mu.Unlock()
		if rec > 0 {
			for _, b := range j.batches {
				b.SetInternal(keySeq, seqBytes(rec))
			}
		}
		recorded = rec
		wg.Add(1)
		go func(k int, j *job) {
			defer wg.Done()
			var err error
			t0 := time.Now()
			for i, b := range j.batches {
				if err = targets[i].Batch(b); err != nil {
					err = fmt.Errorf("index %s batch: %w", kinds[i], err)
					break
				}
			}
			j.batches = [2]*bleve.Batch{}
			ix.log.Debug("batch applied", "seq", j.seq, "changes", len(j.changes), "took", time.Since(t0))
			<-inflight
			<-ahead
			finish(k, err)
		}(k, j)
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if watermark > recorded {
		for i, t := range targets {
			if err := t.SetInternal(keySeq, seqBytes(watermark)); err != nil && firstErr == nil {
				firstErr = fmt.Errorf("record %s sequence: %w", kinds[i], err)
			}
		}
	}
	return n, firstErr
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// prepare fetches a job's records and builds its two batches.
func (ix *Index) prepare(ctx context.Context, targets [2]bleve.Index, an [2]*analyzers, j *job) ([2]*bleve.Batch, error) {
	var batches [2]*bleve.Batch
	for i := range batches {
		batches[i] = targets[i].NewBatch()
	}
	var puts [2][]string
	for _, c := range j.changes {
		i, err := kindIndex(c.Kind)
		if !c.Kind.Catalogue() {
			continue // brokers, pairings, challenges: nothing to index
		} else if err != nil {
			ix.log.Warn("change of unknown kind skipped", "seq", c.Seq, "kind", c.Kind)
			continue
		}
		if c.Op == data.OpDelete {
			batches[i].Delete(c.ID)
		} else {
			puts[i] = append(puts[i], c.ID)
		}
	}
	if ids := puts[0]; len(ids) > 0 {
		recs, err := ix.store.Achievements(ctx, ids)
		if err != nil {
			return batches, fmt.Errorf("read achievements: %w", err)
		}
		for k, id := range ids {
			if k >= len(recs) || recs[k] == nil {
				batches[0].Delete(id) // deleted since the change was logged
				continue
			}
			if err := batches[0].IndexAdvanced(achievementDoc(recs[k], an[0])); err != nil {
				return batches, err
			}
		}
	}
	if ids := puts[1]; len(ids) > 0 {
		recs, err := ix.store.Demands(ctx, ids)
		if err != nil {
			return batches, fmt.Errorf("read demands: %w", err)
		}
		for k, id := range ids {
			if k >= len(recs) || recs[k] == nil {
				batches[1].Delete(id)
				continue
			}
			if err := batches[1].IndexAdvanced(demandDoc(recs[k], an[1])); err != nil {
				return batches, err
			}
		}
	}
	return batches, nil
}

// Rebuild makes both indexes anew from the store, beside the old ones
// (which keep serving searches), and swaps them in when done. progress, if
// not nil, is called after every batch. With Options.HarvestKeywords the
// catalogues' keywords missing from the dictionary become extra words of a
// new segmenter first.
func (ix *Index) Rebuild(ctx context.Context, progress func(done, total int)) error {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	if _, _, err := ix.current(); err != nil {
		return err
	}
	start := time.Now()
	var changes []data.Change
	err := ix.store.ChangesSince(ctx, 0, func(c data.Change) error {
		if c.Op == data.OpPut {
			changes = append(changes, c)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read changes: %w", err)
	}
	var last uint64
	if len(changes) > 0 {
		last = changes[len(changes)-1].Seq
	}
	if c, err := ix.store.Counts(ctx); err == nil && c.Seq > last {
		last = c.Seq // deletes after the last live record's change
	}

	extra := ix.Extra()
	if ix.opt.HarvestKeywords && ix.opt.Analyzer == AnalyzerGse {
		if extra, err = ix.harvest(ctx, changes); err != nil {
			return err
		}
	}
	_, dict, err := ix.segmenter(extra)
	if err != nil {
		return err
	}

	var fresh [2]bleve.Index
	var an [2]*analyzers
	cleanup := func() {
		for i, idx := range fresh {
			if idx != nil {
				idx.Close()
				os.RemoveAll(ix.path(kinds[i]) + ".new")
			}
		}
	}
	for i, k := range kinds {
		path := ix.path(k) + ".new"
		os.RemoveAll(path)
		if fresh[i], err = ix.create(path, dict); err != nil {
			cleanup()
			return fmt.Errorf("create %s index: %w", k, err)
		}
		if an[i], err = indexAnalyzers(fresh[i]); err != nil {
			cleanup()
			return err
		}
	}
	if _, err := ix.apply(ctx, fresh, an, changes, nil, progress); err != nil {
		cleanup()
		return err
	}
	for i := range fresh {
		if err := flush(ctx, fresh[i], last); err != nil {
			cleanup()
			return fmt.Errorf("flush new %s index: %w", kinds[i], err)
		}
		if err := fresh[i].Close(); err != nil {
			fresh[i] = nil
			cleanup()
			return fmt.Errorf("close new %s index: %w", kinds[i], err)
		}
		fresh[i] = nil
	}

	// Swap: searches wait for the write lock.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.closeAll(); err != nil {
		ix.log.Warn("close old index", "err", err)
	}
	if err := writeTerms(filepath.Join(ix.dir, termsFile), extra); err != nil {
		ix.closed = true
		return fmt.Errorf("write extra words: %w", err)
	}
	for i, k := range kinds {
		path := ix.path(k)
		if err := os.RemoveAll(path); err != nil {
			ix.closed = true
			return fmt.Errorf("remove old %s index: %w", k, err)
		}
		if err := os.Rename(path+".new", path); err != nil {
			ix.closed = true
			return fmt.Errorf("move new %s index in place: %w", k, err)
		}
		idx, err := bleve.OpenUsing(path, scorchConfig())
		if err != nil {
			ix.closed = true
			ix.closeAll()
			return fmt.Errorf("open new %s index: %w", k, err)
		}
		ix.idx[i] = idx
		if ix.an[i], err = indexAnalyzers(idx); err != nil {
			ix.closed = true
			ix.closeAll()
			return err
		}
	}
	ix.extra = extra
	ix.seq.Store(last)
	ix.log.Info("index rebuilt", "records", len(changes), "seq", last, "extra_words", len(extra), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// harvest reads the keywords of every record and returns the words worth
// adding to the dictionary.
func (ix *Index) harvest(ctx context.Context, changes []data.Change) ([]string, error) {
	var kw []string
	var ids [2][]string
	for _, c := range changes {
		if i, err := kindIndex(c.Kind); err == nil {
			ids[i] = append(ids[i], c.ID)
		}
	}
	const chunk = 1000
	for s := 0; s < len(ids[0]); s += chunk {
		recs, err := ix.store.Achievements(ctx, ids[0][s:min(s+chunk, len(ids[0]))])
		if err != nil {
			return nil, fmt.Errorf("read achievements: %w", err)
		}
		for _, r := range recs {
			if r != nil {
				kw = append(kw, r.Keywords...)
			}
		}
	}
	for s := 0; s < len(ids[1]); s += chunk {
		recs, err := ix.store.Demands(ctx, ids[1][s:min(s+chunk, len(ids[1]))])
		if err != nil {
			return nil, fmt.Errorf("read demands: %w", err)
		}
		for _, r := range recs {
			if r != nil {
				kw = append(kw, r.Keywords...)
			}
		}
	}
	base, _, err := ix.segmenter(nil)
	if err != nil {
		return nil, err
	}
	return base.HarvestTerms(kw, 2), nil
}
