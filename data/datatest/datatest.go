// Package datatest provides an in-memory data.Store for tests of other
// packages. It follows data/bolt: batches are validated whole before
// anything is written, ids are assigned where missing, identical rewrites
// are Unchanged and log nothing, every written record takes the next
// sequence number, the change log keeps only the latest change of each
// record, missing records are ENOTFOUND, and a put with a cancelled context
// writes nothing. The conformance suite data/storetest holds both stores to
// this.
package datatest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Store is an in-memory data.Store. The zero value is not ready; use New.
type Store struct {
	// Now stamps the Created and Updated times of written records and the
	// Created time of tokens. It is called with the store's lock held, once
	// per put batch and once per token; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	seq     uint64
	ach     table[data.Achievement]
	dem     table[data.Demand]
	changes map[string]data.Change // kind/id → latest change
	tokens  map[string]data.Token  // secret → token
}

// New returns an empty store.
func New() *Store {
	return &Store{
		ach:     table[data.Achievement]{kind: data.KindAchievement, recs: map[string]data.Achievement{}},
		dem:     table[data.Demand]{kind: data.KindDemand, recs: map[string]data.Demand{}},
		changes: map[string]data.Change{},
		tokens:  map[string]data.Token{},
	}
}

var _ data.Store = (*Store)(nil)

// table holds the records of one kind.
type table[T any] struct {
	kind data.Kind
	recs map[string]T
	next uint64 // last id number handed out
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// logChange is called with s.mu held.
func (s *Store) logChange(kind data.Kind, id string, op data.Op) {
	s.seq++
	s.changes[string(kind)+"/"+id] = data.Change{Seq: s.seq, Kind: kind, ID: id, Op: op}
}

func put[T any, P data.RecordPtr[T]](ctx context.Context, s *Store, t *table[T], recs []T) ([]data.PutResult, error) {
	if err := data.ValidateBatch[T, P](recs); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	results := make([]data.PutResult, len(recs))
	now := s.now()
	for i := range recs {
		p := P(&recs[i])
		if p.RecordID() == "" {
			p.SetRecordID(t.newID())
		}
		id := p.RecordID()
		meta := p.RecordMeta()
		if old, ok := t.recs[id]; ok {
			pm := P(&old).RecordMeta()
			meta.Created = pm.Created
			if meta.Owner == "" {
				meta.Owner = pm.Owner
			}
			meta.Updated = pm.Updated
			meta.Version = pm.Version
			if same(p, &old) {
				results[i] = data.Unchanged
				continue
			}
			results[i] = data.Updated
			meta.Version = pm.Version + 1
		} else {
			meta.Created = now
			meta.Version = 1
			results[i] = data.Created
		}
		meta.Updated = now
		t.recs[id] = recs[i]
		s.logChange(t.kind, id, data.OpPut)
	}
	return results, nil
}

// same reports whether two records encode alike, as data/bolt compares them.
func same(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

func (t *table[T]) newID() string {
	prefix := "a-"
	if t.kind == data.KindDemand {
		prefix = "d-"
	}
	for {
		t.next++
		id := fmt.Sprintf("%s%06d", prefix, t.next)
		if _, ok := t.recs[id]; !ok {
			return id
		}
	}
}

func get[T any](s *Store, t *table[T], id string) (*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := t.recs[id]
	if !ok {
		return nil, data.Errorf(data.ENOTFOUND, "%s %q 不存在", t.kind.Label(), id)
	}
	return &r, nil
}

func getMany[T any](s *Store, t *table[T], ids []string) ([]*T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*T, len(ids))
	for i, id := range ids {
		if r, ok := t.recs[id]; ok {
			out[i] = &r
		}
	}
	return out, nil
}

func list[T any](s *Store, t *table[T], opt data.ListOptions) ([]T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(t.recs))
	for id := range t.recs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []T
	for i := max(opt.Offset, 0); i < len(ids) && (opt.Limit <= 0 || len(out) < opt.Limit); i++ {
		out = append(out, t.recs[ids[i]])
	}
	return out, nil
}

func del[T any](s *Store, t *table[T], id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := t.recs[id]; !ok {
		return data.Errorf(data.ENOTFOUND, "%s %q 不存在", t.kind.Label(), id)
	}
	delete(t.recs, id)
	s.logChange(t.kind, id, data.OpDelete)
	return nil
}

// PutAchievements validates and upserts a batch atomically.
func (s *Store) PutAchievements(ctx context.Context, recs []data.Achievement) ([]data.PutResult, error) {
	return put(ctx, s, &s.ach, recs)
}

// Achievement returns one achievement or ENOTFOUND.
func (s *Store) Achievement(ctx context.Context, id string) (*data.Achievement, error) {
	return get(s, &s.ach, id)
}

// Achievements returns the achievements with these ids, nil where missing.
func (s *Store) Achievements(ctx context.Context, ids []string) ([]*data.Achievement, error) {
	return getMany(s, &s.ach, ids)
}

// ListAchievements pages through achievements in id order.
func (s *Store) ListAchievements(ctx context.Context, opt data.ListOptions) ([]data.Achievement, error) {
	return list(s, &s.ach, opt)
}

// DeleteAchievement removes one achievement or returns ENOTFOUND.
func (s *Store) DeleteAchievement(ctx context.Context, id string) error {
	return del(s, &s.ach, id)
}

// PutDemands validates and upserts a batch atomically.
func (s *Store) PutDemands(ctx context.Context, recs []data.Demand) ([]data.PutResult, error) {
	return put(ctx, s, &s.dem, recs)
}

// Demand returns one demand or ENOTFOUND.
func (s *Store) Demand(ctx context.Context, id string) (*data.Demand, error) {
	return get(s, &s.dem, id)
}

// Demands returns the demands with these ids, nil where missing.
func (s *Store) Demands(ctx context.Context, ids []string) ([]*data.Demand, error) {
	return getMany(s, &s.dem, ids)
}

// ListDemands pages through demands in id order.
func (s *Store) ListDemands(ctx context.Context, opt data.ListOptions) ([]data.Demand, error) {
	return list(s, &s.dem, opt)
}

// DeleteDemand removes one demand or returns ENOTFOUND.
func (s *Store) DeleteDemand(ctx context.Context, id string) error {
	return del(s, &s.dem, id)
}

// Counts returns the catalogue sizes and the latest sequence.
func (s *Store) Counts(ctx context.Context) (data.Counts, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return data.Counts{Achievements: len(s.ach.recs), Demands: len(s.dem.recs), Seq: s.seq}, nil
}

// ChangesSince calls fn for each record's latest change above seq, in
// order. fn runs without the store's lock held, so it may call the store.
func (s *Store) ChangesSince(ctx context.Context, seq uint64, fn func(data.Change) error) error {
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

// CreateToken makes a new API token.
func (s *Store) CreateToken(ctx context.Context, spec data.TokenSpec) (string, *data.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	secret, tok, err := data.NewToken(spec, s.now())
	if err != nil {
		return "", nil, err
	}
	s.tokens[secret] = *tok
	return secret, tok, nil
}

// TokenBySecret returns the token with that secret, or EUNAUTHORIZED.
func (s *Store) TokenBySecret(ctx context.Context, secret string) (*data.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, ok := s.tokens[secret]
	if !ok {
		return nil, data.Errorf(data.EUNAUTHORIZED, "令牌无效或已被撤销，请向管理员申请新的令牌")
	}
	if err := tok.Usable(s.now()); err != nil {
		return nil, err
	}
	return &tok, nil
}
