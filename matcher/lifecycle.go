package matcher

import (
	"context"
	"errors"
	"log/slog"
	"sync"
)

// lifecycle owns the matcher's background work (model rebuilds): started
// by Open, stopped and waited for by Close.
type lifecycle struct {
	mu     sync.Mutex
	ctx    context.Context // nil before Open; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Open starts the matcher's background work: from then on, when the store
// has changed and the model is older than RefreshEvery, the model is
// rebuilt in the background (the old one serves meanwhile). Close stops it.
// Without Open the model is built on first use and rebuilt only by
// Refresh. ctx's values are kept, its cancellation is not: Close stops the
// work.
func (m *Matcher) Open(ctx context.Context) error {
	l := &m.life
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ctx != nil {
		return errors.New("matcher: open: already opened")
	}
	l.ctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	return nil
}

// Close stops the background work started since Open and waits for it.
// The matcher still answers afterwards, with the model it has.
func (m *Matcher) Close() error {
	l := &m.life
	l.mu.Lock()
	cancel := l.cancel
	l.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	l.wg.Wait()
	return nil
}

// open reports whether background work may start.
func (m *Matcher) open() bool {
	l := &m.life
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ctx != nil && l.ctx.Err() == nil
}

// goBackground runs fn in a goroutine owned by the lifecycle, unless the
// matcher is not open (or closed); it reports whether fn runs.
func (m *Matcher) goBackground(fn func(ctx context.Context)) bool {
	l := &m.life
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ctx == nil || l.ctx.Err() != nil {
		return false
	}
	ctx := l.ctx
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		fn(ctx)
	}()
	return true
}

func (m *Matcher) logger() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.Default()
}
