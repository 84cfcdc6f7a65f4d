package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

func idPrefix(kind data.Kind) string {
	if kind == data.KindDemand {
		return "d-"
	}
	return "a-"
}

// put validates and upserts recs of one kind in one transaction.
func put[T any, P data.RecordPtr[T]](ctx context.Context, db *DB, kind data.Kind, recs []T) ([]data.PutResult, error) {
	return putCond[T, P](ctx, db, kind, recs, data.WriteCond{}, false)
}

// putCond is put with cond checked against each stored record inside the
// write transaction; with keepOwner an existing record keeps its owner
// whatever the new one says.
func putCond[T any, P data.RecordPtr[T]](ctx context.Context, db *DB, kind data.Kind, recs []T, cond data.WriteCond, keepOwner bool) ([]data.PutResult, error) {
	if err := data.ValidateBatch[T, P](recs); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	results := make([]data.PutResult, len(recs))
	now := db.Now().UTC()
	err := db.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOf(kind))
		for i := range recs {
			p := P(&recs[i])
			if p.RecordID() == "" {
				id, err := newID(b, kind)
				if err != nil {
					return err
				}
				p.SetRecordID(id)
			}
			key := []byte(p.RecordID())
			meta := p.RecordMeta()
			if old := b.Get(key); old != nil {
				var prev T
				if err := json.Unmarshal(old, &prev); err != nil {
					return fmt.Errorf("decode %s %s: %w", kind, key, err)
				}
				pm := P(&prev).RecordMeta()
				if err := data.CheckWrite(kind, string(key), pm, cond); err != nil {
					return err
				}
				meta.Created = pm.Created
				if meta.Owner == "" || keepOwner {
					meta.Owner = pm.Owner
				}
				meta.Updated = pm.Updated
				meta.Version = pm.Version
				buf, err := json.Marshal(p)
				if err != nil {
					return err
				}
				if bytes.Equal(buf, old) {
					results[i] = data.Unchanged
					continue
				}
				results[i] = data.Updated
				meta.Version = pm.Version + 1
			} else {
				if err := data.CheckWrite(kind, string(key), nil, cond); err != nil {
					return err
				}
				meta.Created = now
				meta.Version = 1
				results[i] = data.Created
				if err := addMetaInt(tx, bucketOf(kind), 1); err != nil {
					return err
				}
			}
			meta.Updated = now
			buf, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if err := b.Put(key, buf); err != nil {
				return fmt.Errorf("put %s %s: %w", kind, key, err)
			}
			if err := logChange(tx, kind, string(key), data.OpPut); err != nil {
				return fmt.Errorf("log change: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func newID(b *bolt.Bucket, kind data.Kind) (string, error) {
	for {
		n, err := b.NextSequence()
		if err != nil {
			return "", err
		}
		id := fmt.Sprintf("%s%06d", idPrefix(kind), n)
		if b.Get([]byte(id)) == nil {
			return id, nil
		}
	}
}

func get[T any](ctx context.Context, db *DB, kind data.Kind, id string) (*T, error) {
	var rec *T
	err := db.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketOf(kind)).Get([]byte(id))
		if v == nil {
			return data.Errorf(data.ENOTFOUND, "%s %q 不存在", kind.Label(), id)
		}
		rec = new(T)
		return json.Unmarshal(v, rec)
	})
	return rec, err
}

func getMany[T any](ctx context.Context, db *DB, kind data.Kind, ids []string) ([]*T, error) {
	out := make([]*T, len(ids))
	err := db.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOf(kind))
		for i, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			out[i] = new(T)
			if err := json.Unmarshal(v, out[i]); err != nil {
				return fmt.Errorf("decode %s %s: %w", kind, id, err)
			}
		}
		return nil
	})
	return out, err
}

func list[T any](ctx context.Context, db *DB, kind data.Kind, opt data.ListOptions) ([]T, error) {
	var out []T
	err := db.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOf(kind)).Cursor()
		skip := opt.Offset
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if skip > 0 {
				skip--
				continue
			}
			if opt.Limit > 0 && len(out) >= opt.Limit {
				break
			}
			var rec T
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("decode %s %s: %w", kind, k, err)
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

func del(ctx context.Context, db *DB, kind data.Kind, id string) error {
	return delCond(ctx, db, kind, id, data.WriteCond{})
}

func delCond(ctx context.Context, db *DB, kind data.Kind, id string, cond data.WriteCond) error {
	return db.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOf(kind))
		v := b.Get([]byte(id))
		if v == nil {
			return data.Errorf(data.ENOTFOUND, "%s %q 不存在", kind.Label(), id)
		}
		var meta struct{ data.Meta }
		if err := json.Unmarshal(v, &meta); err != nil {
			return fmt.Errorf("decode %s %s: %w", kind, id, err)
		}
		if err := data.CheckWrite(kind, id, &meta.Meta, cond); err != nil {
			return err
		}
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		if err := addMetaInt(tx, bucketOf(kind), -1); err != nil {
			return err
		}
		return logChange(tx, kind, id, data.OpDelete)
	})
}

var _ data.RecordWriter = (*DB)(nil)

// PutRecord stores one record under cond, checked in the write transaction.
func (db *DB) PutRecord(ctx context.Context, rec data.Record, cond data.WriteCond) (data.PutResult, error) {
	if rec.RecordID() == "" {
		return 0, data.Errorf(data.EINVALID, "记录缺少编号")
	}
	var res []data.PutResult
	var err error
	switch r := rec.(type) {
	case *data.Achievement:
		recs := []data.Achievement{*r}
		if res, err = putCond[data.Achievement](ctx, db, data.KindAchievement, recs, cond, true); err == nil {
			*r = recs[0]
		}
	case *data.Demand:
		recs := []data.Demand{*r}
		if res, err = putCond[data.Demand](ctx, db, data.KindDemand, recs, cond, true); err == nil {
			*r = recs[0]
		}
	default:
		return 0, fmt.Errorf("put record: unknown type %T", rec)
	}
	if err != nil {
		return 0, err
	}
	return res[0], nil
}

// DeleteRecord removes one record under cond, checked in the write
// transaction.
func (db *DB) DeleteRecord(ctx context.Context, kind data.Kind, id string, cond data.WriteCond) error {
	return delCond(ctx, db, kind, id, cond)
}

// PutAchievements validates and upserts a batch atomically.
func (db *DB) PutAchievements(ctx context.Context, recs []data.Achievement) ([]data.PutResult, error) {
	return put(ctx, db, data.KindAchievement, recs)
}

// Achievement returns one achievement or ENOTFOUND.
func (db *DB) Achievement(ctx context.Context, id string) (*data.Achievement, error) {
	return get[data.Achievement](ctx, db, data.KindAchievement, id)
}

// Achievements returns the achievements with these ids, nil where missing.
func (db *DB) Achievements(ctx context.Context, ids []string) ([]*data.Achievement, error) {
	return getMany[data.Achievement](ctx, db, data.KindAchievement, ids)
}

// ListAchievements pages through achievements in id order.
func (db *DB) ListAchievements(ctx context.Context, opt data.ListOptions) ([]data.Achievement, error) {
	return list[data.Achievement](ctx, db, data.KindAchievement, opt)
}

// DeleteAchievement removes one achievement or returns ENOTFOUND.
func (db *DB) DeleteAchievement(ctx context.Context, id string) error {
	return del(ctx, db, data.KindAchievement, id)
}

// PutDemands validates and upserts a batch atomically.
func (db *DB) PutDemands(ctx context.Context, recs []data.Demand) ([]data.PutResult, error) {
	return put(ctx, db, data.KindDemand, recs)
}

// Demand returns one demand or ENOTFOUND.
func (db *DB) Demand(ctx context.Context, id string) (*data.Demand, error) {
	return get[data.Demand](ctx, db, data.KindDemand, id)
}

// Demands returns the demands with these ids, nil where missing.
func (db *DB) Demands(ctx context.Context, ids []string) ([]*data.Demand, error) {
	return getMany[data.Demand](ctx, db, data.KindDemand, ids)
}

// ListDemands pages through demands in id order.
func (db *DB) ListDemands(ctx context.Context, opt data.ListOptions) ([]data.Demand, error) {
	return list[data.Demand](ctx, db, data.KindDemand, opt)
}

// DeleteDemand removes one demand or returns ENOTFOUND.
func (db *DB) DeleteDemand(ctx context.Context, id string) error {
	return del(ctx, db, data.KindDemand, id)
}
