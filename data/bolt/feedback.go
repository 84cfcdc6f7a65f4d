package bolt

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

// bucketFeedback maps demand\x00achievement\x00token to a verdict.
var bucketFeedback = []byte("feedback")

var _ data.FeedbackStore = (*DB)(nil)

// PutFeedback validates and stores a verdict with its audit entry in one
// transaction.
func (db *DB) PutFeedback(ctx context.Context, fb *data.Feedback) error {
	fb.Normalize()
	if err := fb.Validate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := db.Now().UTC()
	fb.At = now
	fb.Source = ""
	buf, err := json.Marshal(fb)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketFeedback)
		if err != nil {
			return fmt.Errorf("create bucket feedback: %w", err)
		}
		if err := b.Put([]byte(fb.Key()), buf); err != nil {
			return fmt.Errorf("put feedback: %w", err)
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: fb.By, Action: data.AuditFeedback,
			Object: "demands/" + fb.DemandID, Detail: fmt.Sprintf("%s %s %s", fb.AchievementID, fb.Verdict, fb.Side)})
	})
}

// ListFeedback returns the verdicts f selects, oldest first.
func (db *DB) ListFeedback(ctx context.Context, f data.FeedbackFilter) ([]data.Feedback, error) {
	out := []data.Feedback{}
	err := db.view(bucketFeedback, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var fb data.Feedback
			if err := json.Unmarshal(v, &fb); err != nil {
				return fmt.Errorf("decode feedback: %w", err)
			}
			if f.Match(&fb) {
				out = append(out, fb)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	data.SortFeedback(out)
	return out, nil
}
