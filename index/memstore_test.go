package index_test

import (
	"context"
	"sync"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/datatest"
)

// memStore is an in-memory data.Store for tests (datatest.Store) that can be
// told to fail its reads of records.
type memStore struct {
	*datatest.Store

	mu      sync.Mutex
	failGet error // returned by Achievements/Demands when set
	// failAt makes the failAt-th call of Achievements/Demands (counting from
	// 1) and every later one fail with failGet; 0 fails every call.
	failAt, calls int
}

func newMemStore() *memStore { return &memStore{Store: datatest.New()} }

var _ data.Store = (*memStore)(nil)

func (s *memStore) fail() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.failGet != nil && s.calls >= s.failAt {
		return s.failGet
	}
	return nil
}

// failFrom makes the n-th read of records from now on, and every later one,
// fail with err; nil stops failing.
func (s *memStore) failFrom(n int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.failAt, s.failGet = 0, n, err
}

func (s *memStore) Achievements(ctx context.Context, ids []string) ([]*data.Achievement, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return s.Store.Achievements(ctx, ids)
}

func (s *memStore) Demands(ctx context.Context, ids []string) ([]*data.Demand, error) {
	if err := s.fail(); err != nil {
		return nil, err
	}
	return s.Store.Demands(ctx, ids)
}
