package data

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"time"
)

// Kind names a catalogue.
type Kind string

const (
	KindAchievement Kind = "achievements"
	KindDemand      Kind = "demands"
)

// ParseKind accepts the catalogue names used on the command line and in URLs.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "achievements", "achievement", "成果", "科技成果":
		return KindAchievement, nil
	case "demands", "demand", "需求", "技术需求":
		return KindDemand, nil
	}
	return "", Errorf(EINVALID, "未知的目录类型 %q：应为 achievements（科技成果）或 demands（技术需求）", s)
}

// Label is the Chinese name of the catalogue.
func (k Kind) Label() string {
	if k == KindDemand {
		return "技术需求"
	}
	return "科技成果"
}

// Range is an amount range in 万元 (10,000 CNY). A zero bound means "not given".
type Range struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Region is a place in the province → city → county hierarchy.
type Region struct {
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	County   string `json:"county,omitempty"`
}

// IsZero reports whether no part of the region is given.
func (r Region) IsZero() bool { return r.Province == "" && r.City == "" && r.County == "" }

// String joins the given parts, e.g. 吉林省长春市朝阳区.
func (r Region) String() string { return r.Province + r.City + r.County }

// Inventor is a person behind an achievement. Contact is private.
type Inventor struct {
	Name    string `json:"name"`
	Title   string `json:"title,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// Enterprise is the company behind a demand.
type Enterprise struct {
	Name string `json:"name,omitempty"`
	// Size is one of 大型, 中型, 小型, 微型 (or free text from imports).
	Size     string `json:"size,omitempty"`
	Industry string `json:"industry,omitempty"`
	// CreditCode is the 统一社会信用代码.
	CreditCode string `json:"credit_code,omitempty"`
}

// Contact is private contact data of a demand or an achievement; it is never shown to readers
// without a token and never indexed.
type Contact struct {
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Mobile  string `json:"mobile,omitempty"`
	Email   string `json:"email,omitempty"`
	Fax     string `json:"fax,omitempty"`
	QQ      string `json:"qq,omitempty"`
	WeChat  string `json:"wechat,omitempty"`
	Address string `json:"address,omitempty"`
}

// IsZero reports whether the contact is empty.
func (c Contact) IsZero() bool { return c == Contact{} }

// Meta is bookkeeping the store keeps on every record.
type Meta struct {
	// Owner is the id of the token that created the record (enterprises may
	// only change their own demands).
	Owner   string    `json:"owner,omitempty"`
	Created time.Time `json:"created,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
	// Version counts the writes that changed the record (1 after the
	// first); the store sets it and clients send it back as If-Match.
	Version uint64 `json:"version,omitempty"`
}

// Achievement is a research achievement (科技成果) on offer for transfer.
type Achievement struct {
	ID            string     `json:"id"`
	Title         string     `json:"title"`
	Abstract      string     `json:"abstract,omitempty"`
	Keywords      []string   `json:"keywords,omitempty"`
	Discipline    string     `json:"discipline,omitempty"`
	Field         string     `json:"field,omitempty"`
	Industry      string     `json:"industry,omitempty"`
	Institution   string     `json:"institution,omitempty"`
	Inventors     []Inventor `json:"inventors,omitempty"`
	Maturity      string     `json:"maturity,omitempty"`
	TransferModes []string   `json:"transfer_modes,omitempty"`
	PriceWan      *Range     `json:"price_wan,omitempty"`
	Region        Region     `json:"region,omitzero"`
	Patents       []string   `json:"patents,omitempty"`
	Year          int        `json:"year,omitempty"`
	Published     string     `json:"published,omitempty"`
	Status        string     `json:"status,omitempty"`
	// Contact is the achievement's own contact (its transfer office or
	// lead inventor), private like a demand's.
	Contact *Contact `json:"contact,omitempty"`
	Meta

	// Extra keeps fields this version does not know, so that nothing imported
	// is silently lost; they are written back out on export.
	Extra map[string]json.RawMessage `json:"-"`
}

// Demand is an enterprise's technology demand (技术需求).
type Demand struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Keywords    []string   `json:"keywords,omitempty"`
	Industry    string     `json:"industry,omitempty"`
	Field       string     `json:"field,omitempty"`
	Enterprise  Enterprise `json:"enterprise,omitzero"`
	Region      Region     `json:"region,omitzero"`
	BudgetWan   *Range     `json:"budget_wan,omitempty"`
	Deadline    string     `json:"deadline,omitempty"`
	// Expired marks a demand shown past its deadline (已过期); it is set by
	// Public, never stored.
	Expired  bool     `json:"expired,omitempty"`
	Modes    []string `json:"modes,omitempty"`
	Maturity string   `json:"maturity,omitempty"`
	// Challenge marks a 揭榜挂帅 challenge with a reward for the solver.
	Challenge bool     `json:"challenge,omitempty"`
	RewardWan float64  `json:"reward_wan,omitempty"`
	Contact   *Contact `json:"contact,omitempty"`
	Published string   `json:"published,omitempty"`
	Status    string   `json:"status,omitempty"`
	Meta

	Extra map[string]json.RawMessage `json:"-"`
}

// Public returns a copy without private contact data.
func (a Achievement) Public() Achievement {
	if len(a.Inventors) > 0 {
		inv := make([]Inventor, len(a.Inventors))
		for i, p := range a.Inventors {
			p.Contact = ""
			inv[i] = p
		}
		a.Inventors = inv
	}
	a.Contact = nil
	a.Owner = ""
	// Fields techmatch does not know are private: they may be contact data.
	a.Extra = nil
	return a
}

// Public returns a copy without private contact data.
func (d Demand) Public() Demand {
	d.Contact = nil
	d.Owner = ""
	d.Extra = nil
	d.Expired = d.PastDeadline(time.Now())
	return d
}

type achievementJSON Achievement
type demandJSON Demand

func (a Achievement) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*achievementJSON)(&a), a.Extra)
}

func (a *Achievement) UnmarshalJSON(b []byte) error {
	extra, err := unmarshalWithExtra(b, (*achievementJSON)(a))
	a.Extra = extra
	return err
}

func (d Demand) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*demandJSON)(&d), d.Extra)
}

func (d *Demand) UnmarshalJSON(b []byte) error {
	extra, err := unmarshalWithExtra(b, (*demandJSON)(d))
	d.Extra = extra
	return err
}

func marshalWithExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	known := knownFields(reflect.TypeOf(v).Elem())
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for _, k := range sortedKeys(extra) {
		if known[k] {
			continue
		}
		key, _ := json.Marshal(k)
		buf.WriteByte(',')
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(extra[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func unmarshalWithExtra(b []byte, v any) (map[string]json.RawMessage, error) {
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	known := knownFields(reflect.TypeOf(v).Elem())
	var extra map[string]json.RawMessage
	for k, raw := range all {
		if known[k] {
			continue
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[k] = raw
	}
	return extra, nil
}

var knownCache sync.Map // reflect.Type → map[string]bool

// knownFields returns the JSON names of t's fields, embedded structs included.
func knownFields(t reflect.Type) map[string]bool {
	if m, ok := knownCache.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if f.Anonymous && tag == "" {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			m[name] = true
		}
	}
	walk(t)
	knownCache.Store(t, m)
	return m
}

// Record is what both catalogues' records have in common; the store uses it
// to treat them alike.
type Record interface {
	RecordID() string
	SetRecordID(id string)
	RecordMeta() *Meta
	Validate() error
	Normalize()
}

var (
	_ Record = (*Achievement)(nil)
	_ Record = (*Demand)(nil)
)

// RecordMeta returns the record's bookkeeping for the store to fill in.
func (m *Meta) RecordMeta() *Meta { return m }

func (a *Achievement) RecordID() string      { return a.ID }
func (a *Achievement) SetRecordID(id string) { a.ID = id }
func (d *Demand) RecordID() string           { return d.ID }
func (d *Demand) SetRecordID(id string)      { d.ID = id }
