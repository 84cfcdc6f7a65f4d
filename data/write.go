package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// WriteCond are the conditions a single-record write is checked against
// inside the store's write transaction, so that two clients racing on one id
// cannot both succeed.
type WriteCond struct {
	// CreateOnly fails with ECONFLICT when a record with the id exists.
	CreateOnly bool
	// IfVersion, when non-zero, fails with EPRECONDITION unless the stored
	// record has this version (a missing record fails too).
	IfVersion uint64
	// IfExists fails with EPRECONDITION when the record is missing
	// (If-Match: *).
	IfExists bool
	// Owner, when non-empty, is the writer's token id: an existing record
	// owned by someone else fails with EFORBIDDEN (enterprises).
	Owner string
}

// RecordWriter writes one record under conditions checked atomically with
// the write. data/bolt implements it; data.Store stays as it is.
type RecordWriter interface {
	// PutRecord validates and stores rec (a *Achievement or *Demand), which
	// must have an id. A new record keeps rec's owner; an existing one keeps
	// its stored owner. rec's meta is filled in as stored (created, updated,
	// version).
	PutRecord(ctx context.Context, rec Record, cond WriteCond) (PutResult, error)
	// DeleteRecord removes the record of kind with id under cond.
	DeleteRecord(ctx context.Context, kind Kind, id string, cond WriteCond) error
}

// KindOf returns the catalogue of a record.
func KindOf(rec Record) Kind {
	if _, ok := rec.(*Demand); ok {
		return KindDemand
	}
	return KindAchievement
}

// CheckWrite checks cond against the stored record's meta (nil when there is
// none). Stores call it inside their write transaction.
func CheckWrite(kind Kind, id string, old *Meta, cond WriteCond) error {
	if old == nil {
		if cond.IfVersion != 0 || cond.IfExists {
			return Errorf(EPRECONDITION, "%s %q 已不存在：请重新读取后再修改", kind.Label(), id)
		}
		return nil
	}
	if cond.CreateOnly {
		return Errorf(ECONFLICT, "编号 %q 已被占用：修改已有记录请用 PUT /api/v1/%s/%s", id, kind, id)
	}
	if cond.Owner != "" && old.Owner != cond.Owner {
		return Errorf(EFORBIDDEN, "这条%s属于其他账号，不能修改或删除", kind.Label())
	}
	if cond.IfVersion != 0 && old.Version != cond.IfVersion {
		return Errorf(EPRECONDITION, "%s %q 已被他人修改（当前版本 %d，您提交的是版本 %d）：请重新读取后再修改",
			kind.Label(), id, old.Version, cond.IfVersion)
	}
	return nil
}

// ContentID derives a stable id for a record that has none from its content
// (meta and id excluded), so that importing the same row twice stores it
// once. Call it after Normalize.
func ContentID(rec Record) (string, error) {
	var buf []byte
	var err error
	prefix := "a-h"
	switch r := rec.(type) {
	case *Achievement:
		c := *r
		c.ID, c.Meta = "", Meta{}
		buf, err = json.Marshal(c)
	case *Demand:
		c := *r
		c.ID, c.Meta = "", Meta{}
		buf, err = json.Marshal(c)
		prefix = "d-h"
	}
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf)
	return prefix + hex.EncodeToString(sum[:10]), nil
}

// TokenAdmin lists and revokes tokens (the operator's `token list` and
// `token revoke`).
type TokenAdmin interface {
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken marks the token with id revoked at once; ENOTFOUND when
	// there is none.
	RevokeToken(ctx context.Context, id string) (*Token, error)
}

// Usable returns EUNAUTHORIZED when the token is revoked or expired at now.
func (t *Token) Usable(now time.Time) error {
	if t.Revoked != nil {
		return Errorf(EUNAUTHORIZED, "令牌 %s 已于 %s 被撤销，请向管理员申请新的令牌", t.ID, t.Revoked.Local().Format("2006-01-02 15:04"))
	}
	if t.Expires != nil && !now.Before(*t.Expires) {
		return Errorf(EUNAUTHORIZED, "令牌 %s 已于 %s 过期，请向管理员申请新的令牌", t.ID, t.Expires.Local().Format("2006-01-02 15:04"))
	}
	return nil
}
