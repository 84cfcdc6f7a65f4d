package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketChallengeLists = []byte("challengelists")
	bucketChallenges     = []byte("challenges")
)

const (
	kindChallengeList = data.KindChallengeList
	kindChallenge     = data.KindChallenge
)

var _ data.ChallengeStore = (*DB)(nil)

func init() { pairingBuckets = append(pairingBuckets, bucketChallengeLists, bucketChallenges) }

func putJSON(tx *bolt.Tx, bucket []byte, kind data.Kind, id string, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucket).Put([]byte(id), buf); err != nil {
		return fmt.Errorf("put %s %s: %w", kind, id, err)
	}
	return logChange(tx, kind, id, data.OpPut)
}

// getIn decodes the record under key in bucket, or returns ENOTFOUND naming
// it as missing.
func getIn[T any](tx *bolt.Tx, bucket []byte, key, missing string) (*T, error) {
	var v []byte
	if b := tx.Bucket(bucket); b != nil {
		v = b.Get([]byte(key))
	}
	if v == nil {
		return nil, data.Errorf(data.ENOTFOUND, "%s %q 不存在", missing, key)
	}
	out := new(T)
	if err := json.Unmarshal(v, out); err != nil {
		return nil, fmt.Errorf("decode %s: %w", key, err)
	}
	return out, nil
}

func getJSON[T any](db *DB, bucket []byte, key, missing string) (*T, error) {
	var out *T
	err := db.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = getIn[T](tx, bucket, key, missing)
		return err
	})
	return out, err
}

// updateJSON changes the record under key with fn and stores it with the
// audit entry fn returns, in one transaction; when fn fails nothing is
// written.
func updateJSON[T any](db *DB, bucket []byte, kind data.Kind, key, missing string, fn func(v *T, now time.Time) (data.AuditEntry, error)) (*T, error) {
	now := db.Now().UTC()
	var out *T
	err := db.update(func(tx *bolt.Tx) error {
		v, err := getIn[T](tx, bucket, key, missing)
		if err != nil {
			return err
		}
		entry, err := fn(v, now)
		if err != nil {
			return err
		}
		if err := putJSON(tx, bucket, kind, key, v); err != nil {
			return err
		}
		out = v
		return appendAudit(tx, now, entry)
	})
	return out, err
}

func listJSON[T any](db *DB, bucket []byte, keep func(*T) bool) ([]T, error) {
	out := []T{}
	err := db.view(bucket, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var x T
			if err := json.Unmarshal(v, &x); err != nil {
				return fmt.Errorf("decode %s: %w", k, err)
			}
			if keep == nil || keep(&x) {
				out = append(out, x)
			}
			return nil
		})
	})
	return out, err
}

// PutChallengeList validates and stores a list with its audit entry.
func (db *DB) PutChallengeList(ctx context.Context, l *data.ChallengeList, by data.Actor) (bool, error) {
	if l.Status == "" {
		l.Status = data.ListDraft
	}
	if err := l.Validate(); err != nil {
		return false, err
	}
	now := db.Now().UTC()
	created := false
	err := db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChallengeLists)
		if l.ID == "" {
			id, err := nextID(b, "cl-")
			if err != nil {
				return err
			}
			l.ID = id
		}
		if old := b.Get([]byte(l.ID)); old != nil {
			var prev data.ChallengeList
			if err := json.Unmarshal(old, &prev); err != nil {
				return err
			}
			l.Created, l.Owner = prev.Created, prev.Owner
		} else {
			created, l.Created = true, now
		}
		l.Updated = now
		if err := putJSON(tx, bucketChallengeLists, kindChallengeList, l.ID, l); err != nil {
			return err
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: "challenge_list.put", Object: "challenge-lists/" + l.ID, Detail: l.Title})
	})
	return created, err
}

// ChallengeList returns one list or ENOTFOUND.
func (db *DB) ChallengeList(ctx context.Context, id string) (*data.ChallengeList, error) {
	return getJSON[data.ChallengeList](db, bucketChallengeLists, id, "榜单")
}

// ListChallengeLists returns every list in id order.
func (db *DB) ListChallengeLists(ctx context.Context) ([]data.ChallengeList, error) {
	return listJSON[data.ChallengeList](db, bucketChallengeLists, nil)
}

// UpdateChallengeList changes a list with fn in one transaction.
func (db *DB) UpdateChallengeList(ctx context.Context, id string, by data.Actor, fn func(l *data.ChallengeList) error) (*data.ChallengeList, error) {
	return updateJSON(db, bucketChallengeLists, kindChallengeList, id, "榜单", func(l *data.ChallengeList, now time.Time) (data.AuditEntry, error) {
		from := l.Status
		if err := fn(l); err != nil {
			return data.AuditEntry{}, err
		}
		l.ID, l.Updated = id, now
		return data.AuditEntry{Actor: by, Action: "challenge_list.update", Object: "challenge-lists/" + id,
			Detail: fmt.Sprintf("%s → %s", from, l.Status)}, l.Validate()
	})
}

// PutChallenge stores a new challenge on an existing list.
func (db *DB) PutChallenge(ctx context.Context, ch *data.Challenge, by data.Actor) error {
	if err := ch.Validate(); err != nil {
		return err
	}
	now := db.Now().UTC()
	return db.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketChallengeLists).Get([]byte(ch.ListID)) == nil {
			return data.Errorf(data.ENOTFOUND, "榜单 %q 不存在", ch.ListID)
		}
		b := tx.Bucket(bucketChallenges)
		dup := false
		err := b.ForEach(func(k, v []byte) error {
			var other data.Challenge
			if err := json.Unmarshal(v, &other); err != nil {
				return err
			}
			dup = dup || other.ListID == ch.ListID && other.DemandID == ch.DemandID
			return nil
		})
		if err != nil {
			return err
		}
		if dup {
			return data.Errorf(data.ECONFLICT, "需求 %s 已在榜单 %s 上", ch.DemandID, ch.ListID)
		}
		if ch.ID == "" {
			id, err := nextID(b, "ch-")
			if err != nil {
				return err
			}
			ch.ID = id
		} else if b.Get([]byte(ch.ID)) != nil {
			return data.Errorf(data.ECONFLICT, "揭榜项目编号 %q 已被占用", ch.ID)
		}
		ch.Created, ch.Updated = now, now
		if err := putJSON(tx, bucketChallenges, kindChallenge, ch.ID, ch); err != nil {
			return err
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: "challenge.create", Object: "challenges/" + ch.ID,
			Detail: fmt.Sprintf("榜单 %s，需求 %s", ch.ListID, ch.DemandID)})
	})
}

// Challenge returns one challenge or ENOTFOUND.
func (db *DB) Challenge(ctx context.Context, id string) (*data.Challenge, error) {
	return getJSON[data.Challenge](db, bucketChallenges, id, "揭榜项目")
}

// Challenges returns the challenges of a list ("" for all).
func (db *DB) Challenges(ctx context.Context, listID string) ([]data.Challenge, error) {
	return listJSON(db, bucketChallenges, func(ch *data.Challenge) bool { return listID == "" || ch.ListID == listID })
}
