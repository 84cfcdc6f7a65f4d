package bolt

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

var (
	bucketBrokers  = []byte("brokers")
	bucketPairings = []byte("pairings")
	// bucketOpenPairs maps demand\x00achievement to the id of the pair's
	// open pairing: one open pairing per pair.
	bucketOpenPairs = []byte("openpairs")
	bucketAudit     = []byte("audit")
)

var (
	_ data.BrokerStore  = (*DB)(nil)
	_ data.PairingStore = (*DB)(nil)
	_ data.AuditLog     = (*DB)(nil)
)

// pairingBuckets are created on first use so that Open stays as it is.
var pairingBuckets = [][]byte{bucketBrokers, bucketPairings, bucketOpenPairs, bucketAudit}

func (db *DB) update(fn func(tx *bolt.Tx) error) error {
	return db.db.Update(func(tx *bolt.Tx) error {
		for _, name := range pairingBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return fn(tx)
	})
}

// view runs fn in a read transaction; b is nil for a bucket never written.
func (db *DB) view(name []byte, fn func(b *bolt.Bucket) error) error {
	return db.db.View(func(tx *bolt.Tx) error { return fn(tx.Bucket(name)) })
}

func appendAudit(tx *bolt.Tx, now time.Time, entries ...data.AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	for _, e := range entries {
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		e.Seq = seq
		if e.At.IsZero() {
			e.At = now
		}
		buf, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := b.Put(itob(seq), buf); err != nil {
			return fmt.Errorf("append audit: %w", err)
		}
	}
	return nil
}

// AppendAudit appends entries to the audit log.
func (db *DB) AppendAudit(ctx context.Context, entries ...data.AuditEntry) error {
	now := db.Now().UTC()
	return db.update(func(tx *bolt.Tx) error { return appendAudit(tx, now, entries...) })
}

// Audit returns the entries q selects, newest first.
func (db *DB) Audit(ctx context.Context, q data.AuditQuery) ([]data.AuditEntry, error) {
	out := []data.AuditEntry{}
	err := db.view(bucketAudit, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var e data.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode audit entry: %w", err)
			}
			if !q.Match(e) {
				continue
			}
			out = append(out, e)
			if q.Limit > 0 && len(out) >= q.Limit {
				break
			}
		}
		return nil
	})
	return out, err
}

// PutBroker validates and stores a broker with its audit entry.
func (db *DB) PutBroker(ctx context.Context, b *data.Broker, by data.Actor) (bool, error) {
	b.Normalize()
	if err := b.Validate(); err != nil {
		return false, err
	}
	now := db.Now().UTC()
	created := false
	err := db.update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketBrokers)
		if b.ID == "" {
			id, err := nextID(bk, "b-")
			if err != nil {
				return err
			}
			b.ID = id
		}
		action := data.AuditBrokerUpdate
		if old := bk.Get([]byte(b.ID)); old != nil {
			var prev data.Broker
			if err := json.Unmarshal(old, &prev); err != nil {
				return fmt.Errorf("decode broker %s: %w", b.ID, err)
			}
			b.Created, b.Owner = prev.Created, prev.Owner
		} else {
			created, action = true, data.AuditBrokerCreate
			b.Created = now
		}
		b.Updated = now
		buf, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if err := bk.Put([]byte(b.ID), buf); err != nil {
			return fmt.Errorf("put broker: %w", err)
		}
		if err := logChange(tx, data.KindBroker, b.ID, data.OpPut); err != nil {
			return err
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: action, Object: "brokers/" + b.ID, Detail: b.Name})
	})
	return created, err
}

func nextID(b *bolt.Bucket, prefix string) (string, error) {
	for {
		n, err := b.NextSequence()
		if err != nil {
			return "", err
		}
		id := fmt.Sprintf("%s%06d", prefix, n)
		if b.Get([]byte(id)) == nil {
			return id, nil
		}
	}
}

// Broker returns one broker or ENOTFOUND.
func (db *DB) Broker(ctx context.Context, id string) (*data.Broker, error) {
	var out *data.Broker
	err := db.view(bucketBrokers, func(b *bolt.Bucket) error {
		var v []byte
		if b != nil {
			v = b.Get([]byte(id))
		}
		if v == nil {
			return data.Errorf(data.ENOTFOUND, "技术经纪人 %q 不存在", id)
		}
		out = &data.Broker{}
		return json.Unmarshal(v, out)
	})
	return out, err
}

// ListBrokers returns every broker in id order.
func (db *DB) ListBrokers(ctx context.Context) ([]data.Broker, error) {
	out := []data.Broker{}
	err := db.view(bucketBrokers, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var br data.Broker
			if err := json.Unmarshal(v, &br); err != nil {
				return fmt.Errorf("decode broker %s: %w", k, err)
			}
			out = append(out, br)
			return nil
		})
	})
	return out, err
}

func putPairing(tx *bolt.Tx, p *data.Pairing) error {
	buf, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketPairings).Put([]byte(p.ID), buf); err != nil {
		return fmt.Errorf("put pairing: %w", err)
	}
	open := tx.Bucket(bucketOpenPairs)
	key := []byte(p.PairKey())
	if p.Status.Open() {
		if cur := open.Get(key); cur != nil && string(cur) != p.ID {
			return data.Errorf(data.ECONFLICT, "需求 %s 与成果 %s 已有进行中的对接 %s", p.DemandID, p.AchievementID, cur)
		}
		if err := open.Put(key, []byte(p.ID)); err != nil {
			return err
		}
	} else if cur := open.Get(key); string(cur) == p.ID {
		if err := open.Delete(key); err != nil {
			return err
		}
	}
	return logChange(tx, data.KindPairing, p.ID, data.OpPut)
}

func getPairing(tx *bolt.Tx, id string) (*data.Pairing, error) {
	var v []byte
	if b := tx.Bucket(bucketPairings); b != nil {
		v = b.Get([]byte(id))
	}
	if v == nil {
		return nil, data.Errorf(data.ENOTFOUND, "对接 %q 不存在", id)
	}
	p := &data.Pairing{}
	if err := json.Unmarshal(v, p); err != nil {
		return nil, fmt.Errorf("decode pairing %s: %w", id, err)
	}
	return p, nil
}

// CreatePairing stores a new pairing, or returns the pair's open one.
func (db *DB) CreatePairing(ctx context.Context, p *data.Pairing, audit data.AuditEntry) (*data.Pairing, bool, error) {
	now := db.Now().UTC()
	p.Status = data.StatusRecommended
	if p.Created.IsZero() {
		p.Created = now
	}
	p.Updated = now
	if p.History == nil {
		p.History = []data.HistoryEntry{{To: data.StatusRecommended, By: audit.Actor, At: p.Created}}
	}
	if err := p.Validate(); err != nil {
		return nil, false, err
	}
	var stored *data.Pairing
	created := false
	err := db.update(func(tx *bolt.Tx) error {
		if cur := tx.Bucket(bucketOpenPairs).Get([]byte(p.PairKey())); cur != nil {
			var err error
			stored, err = getPairing(tx, string(cur))
			return err
		}
		// The event it came from is checked in this write, as DeleteEvent
		// checks its pairings in its own: neither slips past the other.
		if p.EventID != "" && tx.Bucket(bucketEvents).Bucket([]byte(p.EventID)) == nil {
			return data.Errorf(data.ENOTFOUND, "活动 %q 不存在", p.EventID)
		}
		if p.ID == "" {
			id, err := nextID(tx.Bucket(bucketPairings), "p-")
			if err != nil {
				return err
			}
			p.ID = id
		} else if tx.Bucket(bucketPairings).Get([]byte(p.ID)) != nil {
			return data.Errorf(data.ECONFLICT, "对接编号 %q 已被占用", p.ID)
		}
		if err := putPairing(tx, p); err != nil {
			return err
		}
		audit.Object = "pairings/" + p.ID
		if audit.Action == "" {
			audit.Action = data.AuditPairingCreate
		}
		created, stored = true, p
		return appendAudit(tx, now, audit)
	})
	if err != nil {
		return nil, false, err
	}
	return stored, created, nil
}

// Pairing returns one pairing or ENOTFOUND.
func (db *DB) Pairing(ctx context.Context, id string) (*data.Pairing, error) {
	var p *data.Pairing
	err := db.db.View(func(tx *bolt.Tx) error {
		var err error
		p, err = getPairing(tx, id)
		return err
	})
	return p, err
}

// ListPairings returns the pairings f selects, in id order.
func (db *DB) ListPairings(ctx context.Context, f data.PairingFilter) ([]data.Pairing, error) {
	out := []data.Pairing{}
	err := db.view(bucketPairings, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		need := rawNeeds(f)
		return b.ForEach(func(k, v []byte) error {
			for _, n := range need {
				if !bytes.Contains(v, n) {
					return nil // cannot match: skip the decoding
				}
			}
			var p data.Pairing
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode pairing %s: %w", k, err)
			}
			if f.Match(&p) {
				out = append(out, p)
			}
			return nil
		})
	})
	return out, err
}

// rawNeeds are the bytes a stored pairing's JSON must contain to match the
// id fields of f (the JSON json.Marshal writes for an id made of plain
// characters): a cheap pre-check before decoding, as the record pages list
// the pairings of one demand or achievement among thousands.
func rawNeeds(f data.PairingFilter) [][]byte {
	var out [][]byte
	for _, c := range []struct{ field, id string }{{"demand_id", f.DemandID}, {"achievement_id", f.AchievementID}, {"broker_id", f.BrokerID}} {
		if c.id != "" && plainID(c.id) {
			out = append(out, []byte(`"`+c.field+`":"`+c.id+`"`))
		}
	}
	return out
}

// plainID reports whether id needs no escaping in JSON.
func plainID(id string) bool {
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == ':') {
			return false
		}
	}
	return true
}

// UpdatePairing changes one pairing with fn and stores it with fn's audit
// entries in one transaction.
func (db *DB) UpdatePairing(ctx context.Context, id string, fn func(p *data.Pairing) ([]data.AuditEntry, error)) (*data.Pairing, error) {
	now := db.Now().UTC()
	var out *data.Pairing
	err := db.update(func(tx *bolt.Tx) error {
		p, err := getPairing(tx, id)
		if err != nil {
			return err
		}
		entries, err := fn(p)
		if err != nil {
			return err
		}
		p.ID = id
		if err := p.Validate(); err != nil {
			return err
		}
		if err := putPairing(tx, p); err != nil {
			return err
		}
		for i := range entries {
			if entries[i].Object == "" {
				entries[i].Object = "pairings/" + id
			}
		}
		out = p
		return appendAudit(tx, now, entries...)
	})
	return out, err
}

// ExpirePairings moves every request past its expiry to expired. It only
// takes the write lock when a read finds a request due.
func (db *DB) ExpirePairings(ctx context.Context, now time.Time) (int, error) {
	due := false
	err := db.view(bucketPairings, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			// Cheap pre-check on the raw JSON before decoding.
			if due || !bytes.Contains(v, []byte(`"status":"requested"`)) {
				return nil
			}
			var p data.Pairing
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode pairing %s: %w", k, err)
			}
			due = p.Status == data.StatusRequested && p.ExpiresAt != nil && !now.Before(*p.ExpiresAt)
			return nil
		})
	})
	if err != nil || !due {
		return 0, err
	}
	n := 0
	err = db.update(func(tx *bolt.Tx) error {
		var due []*data.Pairing
		err := tx.Bucket(bucketPairings).ForEach(func(k, v []byte) error {
			var p data.Pairing
			if err := json.Unmarshal(v, &p); err != nil {
				return fmt.Errorf("decode pairing %s: %w", k, err)
			}
			if p.Expire(now) {
				due = append(due, &p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, p := range due {
			if err := putPairing(tx, p); err != nil {
				return err
			}
			if err := appendAudit(tx, now, data.AuditEntry{At: now, Actor: data.SystemActor, Action: data.AuditPairingTransfer,
				Object: "pairings/" + p.ID, Detail: "requested → expired（到期未回应）"}); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}

// ImportPairings stores whole pairings, keeping their ids and history.
func (db *DB) ImportPairings(ctx context.Context, ps []data.Pairing, by data.Actor) error {
	for i := range ps {
		if err := ps[i].Validate(); err != nil {
			return fmt.Errorf("pairing %d (%s): %w", i+1, ps[i].ID, err)
		}
	}
	now := db.Now().UTC()
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPairings)
		for i := range ps {
			p := &ps[i]
			if p.ID == "" {
				id, err := nextID(b, "p-")
				if err != nil {
					return err
				}
				p.ID = id
			}
			if err := putPairing(tx, p); err != nil {
				return err
			}
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: data.AuditPairingImport, Object: "pairings/",
			Detail: fmt.Sprintf("导入 %d 条对接", len(ps))})
	})
}
