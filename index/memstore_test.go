package index_test

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/techmatch/techmatch/data"
)

// memStore is an in-memory data.Store for tests: it validates like the real
// store, keeps one change per record (the latest), and can be told to fail.
type memStore struct {
	mu      sync.Mutex
	seq     uint64
	ach     map[string]data.Achievement
	dem     map[string]data.Demand
	changes map[string]data.Change // kind/id → latest change
	failGet error                  // returned by Achievements/Demands when set
	// failAt makes the failAt-th call of Achievements/Demands (counting from
	// 1) and every later one fail with failGet; 0 fails every call.
	failAt, calls int
}

func newMemStore() *memStore {
	return &memStore{ach: map[string]data.Achievement{}, dem: map[string]data.Demand{}, changes: map[string]data.Change{}}
}

var _ data.Store = (*memStore)(nil)

// fail is called with s.mu held.
func (s *memStore) fail() error {
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

func (s *memStore) logChange(kind data.Kind, id string, op data.Op) {
	s.seq++
	s.changes[string(kind)+"/"+id] = data.Change{Seq: s.seq, Kind: kind, ID: id, Op: op}
}

func (s *memStore) PutAchievements(ctx context.Context, recs []data.Achievement) ([]data.PutResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range recs {
		recs[i].Normalize()
		if err := recs[i].Validate(); err != nil {
			return nil, err
		}
	}
	out := make([]data.PutResult, len(recs))
	for i, r := range recs {
		if r.ID == "" {
			r.ID = fmt.Sprintf("a-%06d", len(s.ach)+1)
		}
		out[i] = data.Created
		if _, ok := s.ach[r.ID]; ok {
			out[i] = data.Updated
		}
		s.ach[r.ID] = r
		s.logChange(data.KindAchievement, r.ID, data.OpPut)
	}
	return out, nil
}

func (s *memStore) PutDemands(ctx context.Context, recs []data.Demand) ([]data.PutResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range recs {
		recs[i].Normalize()
		if err := recs[i].Validate(); err != nil {
			return nil, err
		}
	}
	out := make([]data.PutResult, len(recs))
	for i, r := range recs {
		if r.ID == "" {
			r.ID = fmt.Sprintf("d-%06d", len(s.dem)+1)
		}
		out[i] = data.Created
		if _, ok := s.dem[r.ID]; ok {
			out[i] = data.Updated
		}
		s.dem[r.ID] = r
		s.logChange(data.KindDemand, r.ID, data.OpPut)
	}
	return out, nil
}

func (s *memStore) Achievement(ctx context.Context, id string) (*data.Achievement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.ach[id]
	if !ok {
		return nil, data.Errorf(data.ENOTFOUND, "科技成果 %q 不存在", id)
	}
	return &r, nil
}

func (s *memStore) Achievements(ctx context.Context, ids []string) ([]*data.Achievement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail(); err != nil {
		return nil, err
	}
	out := make([]*data.Achievement, len(ids))
	for i, id := range ids {
		if r, ok := s.ach[id]; ok {
			out[i] = &r
		}
	}
	return out, nil
}

func (s *memStore) ListAchievements(ctx context.Context, opt data.ListOptions) ([]data.Achievement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id := range s.ach {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []data.Achievement
	for i, id := range ids {
		if i < opt.Offset || (opt.Limit > 0 && len(out) >= opt.Limit) {
			continue
		}
		out = append(out, s.ach[id])
	}
	return out, nil
}

func (s *memStore) DeleteAchievement(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ach[id]; !ok {
		return data.Errorf(data.ENOTFOUND, "科技成果 %q 不存在", id)
	}
	delete(s.ach, id)
	s.logChange(data.KindAchievement, id, data.OpDelete)
	return nil
}

func (s *memStore) Demand(ctx context.Context, id string) (*data.Demand, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.dem[id]
	if !ok {
		return nil, data.Errorf(data.ENOTFOUND, "技术需求 %q 不存在", id)
	}
	return &r, nil
}

func (s *memStore) Demands(ctx context.Context, ids []string) ([]*data.Demand, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fail(); err != nil {
		return nil, err
	}
	out := make([]*data.Demand, len(ids))
	for i, id := range ids {
		if r, ok := s.dem[id]; ok {
			out[i] = &r
		}
	}
	return out, nil
}

func (s *memStore) ListDemands(ctx context.Context, opt data.ListOptions) ([]data.Demand, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id := range s.dem {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []data.Demand
	for i, id := range ids {
		if i < opt.Offset || (opt.Limit > 0 && len(out) >= opt.Limit) {
			continue
		}
		out = append(out, s.dem[id])
	}
	return out, nil
}

func (s *memStore) DeleteDemand(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.dem[id]; !ok {
		return data.Errorf(data.ENOTFOUND, "技术需求 %q 不存在", id)
	}
	delete(s.dem, id)
	s.logChange(data.KindDemand, id, data.OpDelete)
	return nil
}

func (s *memStore) Counts(ctx context.Context) (data.Counts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return data.Counts{Achievements: len(s.ach), Demands: len(s.dem), Seq: s.seq}, nil
}

func (s *memStore) ChangesSince(ctx context.Context, seq uint64, fn func(data.Change) error) error {
	s.mu.Lock()
	var cs []data.Change
	for _, c := range s.changes {
		if c.Seq > seq {
			cs = append(cs, c)
		}
	}
	s.mu.Unlock()
	sort.Slice(cs, func(i, j int) bool { return cs[i].Seq < cs[j].Seq })
	for _, c := range cs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) CreateToken(ctx context.Context, role data.Role, name string) (string, *data.Token, error) {
	return "", nil, data.Errorf(data.EINTERNAL, "not supported")
}

func (s *memStore) TokenBySecret(ctx context.Context, secret string) (*data.Token, error) {
	return nil, data.Errorf(data.ENOTFOUND, "not supported")
}
