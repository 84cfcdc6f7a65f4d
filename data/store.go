package data

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// ListOptions pages through a catalogue in id order.
type ListOptions struct {
	Offset int
	Limit  int
}

// PutResult says what one record of a batch did.
type PutResult int

const (
	Unchanged PutResult = iota // the stored record was already identical
	Created
	Updated
)

// Op is what a change did to a record.
type Op string

const (
	OpPut    Op = "put"
	OpDelete Op = "delete"
)

// Change is one entry of the store's change sequence: the record named was
// written or deleted at sequence number Seq. Sequence numbers increase on
// every write; indexes use them to catch up after a crash.
type Change struct {
	Seq  uint64 `json:"seq"`
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
	Op   Op     `json:"op"`
}

// Counts is the size of both catalogues and the store's latest sequence.
type Counts struct {
	Achievements int    `json:"achievements"`
	Demands      int    `json:"demands"`
	Seq          uint64 `json:"seq"`
}

// Role is what a token may do.
type Role string

const (
	RoleAdmin      Role = "admin"
	RoleBroker     Role = "broker"
	RoleOrganiser  Role = "organiser"
	RoleEnterprise Role = "enterprise"
	// RoleScientist speaks for an institution's achievements (成果方).
	RoleScientist Role = "scientist"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleBroker, RoleOrganiser, RoleEnterprise, RoleScientist}

// ParseRole accepts a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleAdmin, RoleBroker, RoleOrganiser, RoleEnterprise, RoleScientist:
		return r, nil
	}
	return "", Errorf(EINVALID, "未知的角色 %q：应为 admin、broker、organiser、enterprise 或 scientist", s)
}

// Token is an API credential. Only a hash of the secret is stored.
type Token struct {
	ID      string    `json:"id"`
	Role    Role      `json:"role"`
	Name    string    `json:"name,omitempty"`
	Created time.Time `json:"created"`
	// BrokerID binds a broker token to one broker record.
	BrokerID string `json:"broker_id,omitempty"`
	// Institution binds a scientist token to the institution it speaks for.
	Institution string `json:"institution,omitempty"`
	// Expires, when set, is when the token stops working.
	Expires *time.Time `json:"expires,omitempty"`
	// Revoked, when set, is when the token was revoked; it fails at once.
	Revoked *time.Time `json:"revoked,omitempty"`
}

// TokenSpec is what a new token is made for.
type TokenSpec struct {
	Role        Role
	Name        string
	BrokerID    string
	Institution string
	Expires     *time.Time
}

// NewToken makes a token for spec with a fresh secret, created at now. The
// store keeps the token and, for lookups, only a hash of the secret.
func NewToken(spec TokenSpec, now time.Time) (secret string, tok *Token, err error) {
	role, name := spec.Role, spec.Name
	if _, err := ParseRole(string(role)); err != nil {
		return "", nil, err
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("generate token: %w", err)
	}
	secret = "tm_" + hex.EncodeToString(raw)
	// The id is drawn apart from the secret: it is shown in lists and logs
	// and must tell nothing about the secret.
	idRaw := make([]byte, 6)
	if _, err := rand.Read(idRaw); err != nil {
		return "", nil, fmt.Errorf("generate token id: %w", err)
	}
	return secret, &Token{ID: "tok-" + hex.EncodeToString(idRaw), Role: role, Name: name, Created: now,
		BrokerID: spec.BrokerID, Institution: spec.Institution, Expires: spec.Expires}, nil
}

// Store is the source of truth for both catalogues. Implementations must make
// every call atomic: a batch is stored whole or not at all.
type Store interface {
	// PutAchievements validates and upserts a batch by id, assigning ids
	// where missing. Nothing is written if any record is invalid.
	PutAchievements(ctx context.Context, recs []Achievement) ([]PutResult, error)
	Achievement(ctx context.Context, id string) (*Achievement, error)
	Achievements(ctx context.Context, ids []string) ([]*Achievement, error)
	ListAchievements(ctx context.Context, opt ListOptions) ([]Achievement, error)
	DeleteAchievement(ctx context.Context, id string) error

	PutDemands(ctx context.Context, recs []Demand) ([]PutResult, error)
	Demand(ctx context.Context, id string) (*Demand, error)
	Demands(ctx context.Context, ids []string) ([]*Demand, error)
	ListDemands(ctx context.Context, opt ListOptions) ([]Demand, error)
	DeleteDemand(ctx context.Context, id string) error

	Counts(ctx context.Context) (Counts, error)
	// ChangesSince calls fn for every change with a sequence above seq, in
	// order, keeping only the latest change of each record.
	ChangesSince(ctx context.Context, seq uint64, fn func(Change) error) error

	CreateToken(ctx context.Context, spec TokenSpec) (secret string, tok *Token, err error)
	TokenBySecret(ctx context.Context, secret string) (*Token, error)
}
