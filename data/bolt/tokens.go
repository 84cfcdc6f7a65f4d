package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

var _ data.TokenAdmin = (*DB)(nil)

// Tokens returns every token (never a secret), oldest first.
func (db *DB) Tokens(ctx context.Context) ([]data.Token, error) {
	var out []data.Token
	err := db.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
			var t data.Token
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("decode token: %w", err)
			}
			out = append(out, t)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, err
}

// RevokeToken marks the token revoked; it fails from the next request on.
// Revoking a revoked token keeps the first revocation time.
func (db *DB) RevokeToken(ctx context.Context, id string) (*data.Token, error) {
	var tok *data.Token
	now := db.Now().UTC()
	err := db.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var t data.Token
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("decode token: %w", err)
			}
			if t.ID != id {
				continue
			}
			if t.Revoked == nil {
				t.Revoked = &now
			}
			buf, err := json.Marshal(&t)
			if err != nil {
				return err
			}
			tok = &t
			return b.Put(append([]byte(nil), k...), buf)
		}
		return data.Errorf(data.ENOTFOUND, "没有编号为 %q 的令牌（techmatch token list 列出全部令牌）", id)
	})
	return tok, err
}
