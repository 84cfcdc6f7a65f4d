package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

// Events live in the events bucket: a nested bucket per event holds the
// event under key "event" and registrations under "reg/<id>".
var _ data.EventStore = (*DB)(nil)

var keyEvent = []byte("event")

// PutEvent validates and upserts an event, assigning an id when missing.
func (db *DB) PutEvent(ctx context.Context, e *data.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return db.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketEvents)
		if e.ID == "" {
			n, err := root.NextSequence()
			if err != nil {
				return err
			}
			e.ID = fmt.Sprintf("e-%04d", n)
		}
		b, err := root.CreateBucketIfNotExists([]byte(e.ID))
		if err != nil {
			return fmt.Errorf("event bucket: %w", err)
		}
		now := db.Now().UTC()
		if old := b.Get(keyEvent); old != nil {
			var prev data.Event
			if err := json.Unmarshal(old, &prev); err != nil {
				return err
			}
			if e.Version != 0 && e.Version != prev.Version {
				return data.Errorf(data.ECONFLICT, "活动 %s 已被他人修改（提交的版本 %d，当前版本 %d）：请重新读取活动后再操作", e.ID, e.Version, prev.Version)
			}
			e.Version = prev.Version + 1
			e.Created = prev.Created
			if e.Owner == "" {
				e.Owner = prev.Owner
			}
		} else {
			e.Created = now
			e.Version = 1
		}
		e.Updated = now
		buf, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return b.Put(keyEvent, buf)
	})
}

// Event returns one event or ENOTFOUND.
func (db *DB) Event(ctx context.Context, id string) (*data.Event, error) {
	var e *data.Event
	err := db.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents).Bucket([]byte(id))
		if b == nil || b.Get(keyEvent) == nil {
			return data.Errorf(data.ENOTFOUND, "活动 %q 不存在", id)
		}
		e = &data.Event{}
		return json.Unmarshal(b.Get(keyEvent), e)
	})
	return e, err
}

// ListEvents returns all events in id order.
func (db *DB) ListEvents(ctx context.Context) ([]data.Event, error) {
	var out []data.Event
	err := db.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEvents).ForEachBucket(func(k []byte) error {
			v := tx.Bucket(bucketEvents).Bucket(k).Get(keyEvent)
			if v == nil {
				return nil
			}
			var e data.Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode event %s: %w", k, err)
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

var _ data.EventDeleter = (*DB)(nil)

// DeleteEvent deletes an event and its registrations in one transaction,
// unless pairings came from the event: the check is in the same write
// transaction, so a pairing stored at the same moment cannot slip past it.
func (db *DB) DeleteEvent(ctx context.Context, id string) error {
	return db.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketEvents)
		if b := root.Bucket([]byte(id)); b == nil || b.Get(keyEvent) == nil {
			return data.Errorf(data.ENOTFOUND, "活动 %q 不存在", id)
		}
		n, err := eventPairings(tx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return data.Errorf(data.ECONFLICT, "活动 %s 已产生 %d 条对接记录，不能删除：对接记录要保留到签约或终止", id, n)
		}
		return root.DeleteBucket([]byte(id))
	})
}

// eventPairings counts the pairings that came from an event.
func eventPairings(tx *bolt.Tx, eventID string) (int, error) {
	b := tx.Bucket(bucketPairings)
	if b == nil {
		return 0, nil
	}
	// Only records naming the event are decoded.
	needle, err := json.Marshal(eventID)
	if err != nil {
		return 0, err
	}
	needle = append([]byte(`"event_id":`), needle...)
	n := 0
	err = b.ForEach(func(k, v []byte) error {
		if !bytes.Contains(v, needle) {
			return nil
		}
		var p struct {
			EventID string `json:"event_id"`
		}
		if err := json.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("decode pairing %s: %w", k, err)
		}
		if p.EventID == eventID {
			n++
		}
		return nil
	})
	return n, err
}

// PutRegistration validates and upserts a registration of an existing event.
func (db *DB) PutRegistration(ctx context.Context, r *data.Registration) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents).Bucket([]byte(r.EventID))
		if b == nil {
			return data.Errorf(data.ENOTFOUND, "活动 %q 不存在", r.EventID)
		}
		if r.ID == "" {
			n, err := b.NextSequence()
			if err != nil {
				return err
			}
			r.ID = fmt.Sprintf("r-%04d", n)
		}
		now := db.Now().UTC()
		if r.Created.IsZero() {
			r.Created = now
		}
		r.Updated = now
		buf, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return b.Put([]byte("reg/"+r.ID), buf)
	})
}

// Registrations returns an event's registrations in id order.
func (db *DB) Registrations(ctx context.Context, eventID string) ([]data.Registration, error) {
	var out []data.Registration
	err := db.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents).Bucket([]byte(eventID))
		if b == nil {
			return data.Errorf(data.ENOTFOUND, "活动 %q 不存在", eventID)
		}
		c := b.Cursor()
		prefix := []byte("reg/")
		for k, v := c.Seek(prefix); k != nil && len(k) > len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			var r data.Registration
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode registration %s: %w", k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
