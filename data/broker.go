package data

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// KindBroker and KindPairing name the broker and pairing records in the
// store's change sequence. They are not catalogues: the indexes skip them.
const (
	KindBroker        Kind = "brokers"
	KindPairing       Kind = "pairings"
	KindChallengeList Kind = "challenge-lists"
	KindChallenge     Kind = "challenges"
)

// Catalogue reports whether the kind is one of the two catalogues (the
// only kinds the indexes hold).
func (k Kind) Catalogue() bool { return k == KindAchievement || k == KindDemand }

// BrokerLevels are the grades of a technology broker (技术经纪人).
var BrokerLevels = []string{"初级", "中级", "高级"}

// Broker is a technology broker of the centre's 技术经纪人人才库. Phone and
// Email are private: shown to admins and to the broker's own token only.
type Broker struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Organisation string   `json:"organisation,omitempty"`
	Level        string   `json:"level,omitempty"`
	Fields       []string `json:"fields,omitempty"`
	// Regions are where the broker works in the 1+10+N network: the
	// province, a city, or a county of a city.
	Regions []Region `json:"regions,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Email   string   `json:"email,omitempty"`
	Active  bool     `json:"active"`
	Meta
}

// Public returns a copy without the broker's private contact data.
func (b Broker) Public() Broker {
	b.Phone, b.Email, b.Owner = "", "", ""
	return b
}

// Normalize trims the broker's text fields.
func (b *Broker) Normalize() {
	b.ID = strings.TrimSpace(b.ID)
	b.Name = strings.TrimSpace(b.Name)
	b.Organisation = strings.TrimSpace(b.Organisation)
	b.Level = strings.TrimSpace(b.Level)
	b.Phone = strings.TrimSpace(b.Phone)
	b.Email = strings.TrimSpace(b.Email)
	b.Fields = trimList(b.Fields)
}

func trimList(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Validate checks a broker and returns every problem at once.
func (b *Broker) Validate() error {
	var c checker
	c.id(b.ID)
	switch n := utf8.RuneCountInString(b.Name); {
	case n == 0:
		c.add("name", "经纪人姓名不能为空")
	case n > 50:
		c.add("name", "经纪人姓名过长：最多 50 个字")
	}
	if utf8.RuneCountInString(b.Organisation) > MaxShortLen {
		c.add("organisation", "所在机构过长：最多 %d 个字", MaxShortLen)
	}
	if b.Level != "" && !slices.Contains(BrokerLevels, b.Level) {
		c.add("level", "等级“%s”无法识别：应为 %s", b.Level, strings.Join(BrokerLevels, "、"))
	}
	if len(b.Fields) > 20 {
		c.add("fields", "技术领域过多：最多 20 个")
	}
	if len(b.Regions) > 50 {
		c.add("regions", "服务地区过多：最多 50 个")
	}
	for i, r := range b.Regions {
		if r.IsZero() {
			c.add(fmt.Sprintf("regions[%d]", i), "服务地区不能为空：至少填写省份")
		}
	}
	if utf8.RuneCountInString(b.Phone) > 50 {
		c.add("phone", "电话过长：最多 50 个字符")
	}
	if b.Email != "" && !strings.Contains(b.Email, "@") {
		c.add("email", "邮箱“%s”格式不正确", b.Email)
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("经纪人信息有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// Actor is who did something: a token's id and role, or the system.
type Actor struct {
	TokenID string `json:"token_id"`
	Role    Role   `json:"role"`
}

// SystemActor is the actor of what techmatch does by itself (expiry).
var SystemActor = Actor{TokenID: "system", Role: "system"}

// ActorOf returns the actor of a token.
func ActorOf(t *Token) Actor {
	if t == nil {
		return Actor{TokenID: "anonymous"}
	}
	return Actor{TokenID: t.ID, Role: t.Role}
}

// Audit actions.
const (
	AuditBrokerCreate    = "broker.create"
	AuditBrokerUpdate    = "broker.update"
	AuditPairingCreate   = "pairing.create"
	AuditPairingTransfer = "pairing.transition"
	AuditPairingUpdate   = "pairing.update"
	AuditPairingImport   = "pairing.import"
	AuditTokenCreate     = "token.create"
	AuditContactReveal   = "contact.reveal"
)

// AuditEntry is one append-only entry of the audit log.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
	Action string    `json:"action"`
	// Object names what was acted on: "pairings/p-000001", "brokers/b-1",
	// "tokens/tok-…", "demands/d-1".
	Object string `json:"object"`
	Detail string `json:"detail,omitempty"`
}

// AuditQuery selects audit entries: by object (exact, or a prefix ending
// in "/"), from a time on, at most Limit (newest first).
type AuditQuery struct {
	Object string
	Action string
	From   time.Time
	To     time.Time
	Limit  int
}

// Match reports whether e is selected by q.
func (q AuditQuery) Match(e AuditEntry) bool {
	if q.Object != "" {
		if strings.HasSuffix(q.Object, "/") {
			if !strings.HasPrefix(e.Object, q.Object) {
				return false
			}
		} else if e.Object != q.Object {
			return false
		}
	}
	if q.Action != "" && e.Action != q.Action {
		return false
	}
	if !q.From.IsZero() && e.At.Before(q.From) {
		return false
	}
	if !q.To.IsZero() && !e.At.Before(q.To) {
		return false
	}
	return true
}

// AuditLog is the append-only audit log.
type AuditLog interface {
	AppendAudit(ctx context.Context, entries ...AuditEntry) error
	// Audit returns the entries q selects, newest first.
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// BrokerStore keeps the 技术经纪人人才库. Every write is audited in the
// same transaction.
type BrokerStore interface {
	// PutBroker validates and stores b, assigning an id when it has none,
	// and reports whether it was created.
	PutBroker(ctx context.Context, b *Broker, by Actor) (created bool, err error)
	Broker(ctx context.Context, id string) (*Broker, error)
	ListBrokers(ctx context.Context) ([]Broker, error)
}
