package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/techmatch/techmatch/data"
	bolt "go.etcd.io/bbolt"
)

// bucketWeights maps a version name to a data.WeightsVersion; the key
// activeWeightsKey (not a valid version name) holds the active version.
var (
	bucketWeights    = []byte("weights")
	activeWeightsKey = []byte("\x00active")
)

var _ data.WeightsStore = (*DB)(nil)

// PutWeightsVersion stores a new weights version with its audit entry.
func (db *DB) PutWeightsVersion(ctx context.Context, v *data.WeightsVersion, by data.Actor) error {
	v.Version = strings.TrimSpace(v.Version)
	if v.Version == "" || strings.ContainsRune(v.Version, 0) || len(v.Version) > 100 {
		return &data.Error{Code: data.EINVALID, Message: "权重版本名不能为空，最长 100 字节",
			Fields: []data.FieldError{{Field: "version", Message: "必填"}}}
	}
	if !json.Valid(v.Weights) {
		return data.Errorf(data.EINVALID, "权重版本 %s 的内容不是有效的 JSON", v.Version)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := db.Now().UTC()
	v.Created = now
	buf, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketWeights)
		if err != nil {
			return fmt.Errorf("create bucket weights: %w", err)
		}
		if b.Get([]byte(v.Version)) != nil {
			return data.Errorf(data.ECONFLICT, "权重版本 %s 已存在：请换一个版本名", v.Version)
		}
		if err := b.Put([]byte(v.Version), buf); err != nil {
			return fmt.Errorf("put weights: %w", err)
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: data.AuditWeightsPut, Object: "matcher/" + v.Version, Detail: v.Source})
	})
}

// WeightsVersions lists the stored versions, oldest first.
func (db *DB) WeightsVersions(ctx context.Context) ([]data.WeightsVersion, error) {
	out := []data.WeightsVersion{}
	err := db.view(bucketWeights, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if string(k) == string(activeWeightsKey) {
				return nil
			}
			var w data.WeightsVersion
			if err := json.Unmarshal(v, &w); err != nil {
				return fmt.Errorf("decode weights %s: %w", k, err)
			}
			out = append(out, w)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, err
}

// ActiveWeights returns the active version, or nil for the default.
func (db *DB) ActiveWeights(ctx context.Context) (*data.WeightsVersion, error) {
	var out *data.WeightsVersion
	err := db.view(bucketWeights, func(b *bolt.Bucket) error {
		if b == nil {
			return nil
		}
		name := b.Get(activeWeightsKey)
		if len(name) == 0 {
			return nil
		}
		raw := b.Get(name)
		if raw == nil {
			return fmt.Errorf("active weights %s missing", name)
		}
		out = &data.WeightsVersion{}
		return json.Unmarshal(raw, out)
	})
	return out, err
}

// ActivateWeights makes a stored version active, or the default for "".
func (db *DB) ActivateWeights(ctx context.Context, version string, by data.Actor) error {
	now := db.Now().UTC()
	return db.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketWeights)
		if err != nil {
			return fmt.Errorf("create bucket weights: %w", err)
		}
		if version == "" {
			if err := b.Delete(activeWeightsKey); err != nil {
				return err
			}
		} else {
			if b.Get([]byte(version)) == nil {
				return data.Errorf(data.ENOTFOUND, "没有权重版本 %s", version)
			}
			if err := b.Put(activeWeightsKey, []byte(version)); err != nil {
				return err
			}
		}
		detail := version
		if detail == "" {
			detail = "（内置默认）"
		}
		return appendAudit(tx, now, data.AuditEntry{Actor: by, Action: data.AuditWeightsActivate, Object: "matcher", Detail: detail})
	})
}
