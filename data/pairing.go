package data

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// PairingStatus is where a pairing (对接) stands.
type PairingStatus string

const (
	StatusRecommended PairingStatus = "recommended"
	StatusRequested   PairingStatus = "requested"
	StatusAccepted    PairingStatus = "accepted"
	StatusNegotiating PairingStatus = "negotiating"
	StatusSigned      PairingStatus = "signed"
	StatusDeclined    PairingStatus = "declined"
	StatusExpired     PairingStatus = "expired"
	StatusClosed      PairingStatus = "closed"
)

// PairingStatuses lists the statuses in pipeline order, the ends last.
var PairingStatuses = []PairingStatus{StatusRecommended, StatusRequested, StatusAccepted, StatusNegotiating,
	StatusSigned, StatusDeclined, StatusExpired, StatusClosed}

// FunnelStatuses are the stages of the pipeline a pairing can reach.
var FunnelStatuses = []PairingStatus{StatusRecommended, StatusRequested, StatusAccepted, StatusNegotiating, StatusSigned}

var statusLabels = map[PairingStatus]string{
	StatusRecommended: "推荐",
	StatusRequested:   "已发起",
	StatusAccepted:    "双方同意",
	StatusNegotiating: "洽谈中",
	StatusSigned:      "已签约",
	StatusDeclined:    "已拒绝",
	StatusExpired:     "已过期",
	StatusClosed:      "已终止",
}

// Label is the status's Chinese name.
func (s PairingStatus) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// ParsePairingStatus accepts a status by its English or Chinese name.
func ParsePairingStatus(s string) (PairingStatus, error) {
	s = strings.TrimSpace(s)
	for _, st := range PairingStatuses {
		if s == string(st) || s == st.Label() {
			return st, nil
		}
	}
	return "", Errorf(EINVALID, "未知的对接状态“%s”：应为 %s", s, statusList(PairingStatuses))
}

func statusList(list []PairingStatus) string {
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = fmt.Sprintf("%s（%s）", s, s.Label())
	}
	return strings.Join(parts, "、")
}

// Open reports whether a pairing in this status may still move on.
func (s PairingStatus) Open() bool {
	switch s {
	case StatusSigned, StatusDeclined, StatusExpired, StatusClosed:
		return false
	}
	return true
}

// Ended reports whether the status ends a pairing without a contract (only
// an admin reopens it).
func (s PairingStatus) Ended() bool {
	return s == StatusDeclined || s == StatusExpired || s == StatusClosed
}

// nextStatuses is the status machine.
var nextStatuses = map[PairingStatus][]PairingStatus{
	StatusRecommended: {StatusRequested, StatusClosed},
	StatusRequested:   {StatusAccepted, StatusDeclined, StatusExpired, StatusClosed},
	StatusAccepted:    {StatusNegotiating, StatusSigned, StatusClosed},
	StatusNegotiating: {StatusSigned, StatusClosed},
	StatusSigned:      nil,
	StatusDeclined:    {StatusRecommended},
	StatusExpired:     {StatusRecommended},
	StatusClosed:      {StatusRecommended},
}

// NextStatuses returns the statuses a pairing may move to from s.
func NextStatuses(s PairingStatus) []PairingStatus { return slices.Clone(nextStatuses[s]) }

// Pairing sources.
const (
	SourceMatch     = "match"
	SourceRoadshow  = "roadshow"
	SourceSalon     = "salon"
	SourceChallenge = "challenge"
	SourceManual    = "manual"
)

// PairingSources are the ways a pairing comes about.
var PairingSources = []string{SourceMatch, SourceRoadshow, SourceSalon, SourceChallenge, SourceManual}

var sourceLabels = map[string]string{SourceMatch: "智能匹配", SourceRoadshow: "路演", SourceSalon: "沙龙", SourceChallenge: "揭榜挂帅", SourceManual: "人工推荐"}

// SourceLabel is the Chinese name of a pairing source.
func SourceLabel(s string) string {
	if l, ok := sourceLabels[s]; ok {
		return l
	}
	return s
}

// ContractTypes are the kinds of 技术合同.
var ContractTypes = []string{"技术开发", "技术转让", "技术许可", "技术咨询", "技术服务"}

// ClosedReasons are why a pairing ends without a contract.
var ClosedReasons = []string{"成熟度不足", "价格不符", "方向不符", "企业无回应", "成果已转让", "其他"}

// DefaultRequestDays is how long a meeting request waits for an answer.
const DefaultRequestDays = 14

// MaxRequestDays bounds the waiting time a request may set.
const MaxRequestDays = 180

// Contract is the registered 技术合同 a signed pairing led to.
type Contract struct {
	// Number is the 技术合同登记号.
	Number    string  `json:"number"`
	Type      string  `json:"type"`
	AmountWan float64 `json:"amount_wan"`
	// SignedOn and RegisteredOn are dates, 2006-01-02.
	SignedOn     string `json:"signed_on"`
	RegisteredOn string `json:"registered_on,omitempty"`
	// Office is the 登记机构.
	Office string `json:"office,omitempty"`
}

// Validate checks a contract for a signature.
func (k *Contract) Validate() []FieldError {
	var c checker
	if strings.TrimSpace(k.Number) == "" {
		c.add("contract.number", "签约需要技术合同登记号")
	} else if utf8.RuneCountInString(k.Number) > 50 {
		c.add("contract.number", "技术合同登记号过长：最多 50 个字符")
	}
	if !slices.Contains(ContractTypes, k.Type) {
		c.add("contract.type", "合同类型“%s”无法识别：应为 %s", k.Type, strings.Join(ContractTypes, "、"))
	}
	if k.AmountWan <= 0 || k.AmountWan > MaxAmountWan {
		c.add("contract.amount_wan", "合同金额（万元）应大于 0 且不超过 %g", float64(MaxAmountWan))
	}
	signed, err := time.Parse(time.DateOnly, k.SignedOn)
	if err != nil {
		c.add("contract.signed_on", "签约日期“%s”格式不正确：应为 2026-03-01 这样的日期", k.SignedOn)
	}
	if k.RegisteredOn != "" {
		reg, err := time.Parse(time.DateOnly, k.RegisteredOn)
		if err != nil {
			c.add("contract.registered_on", "登记日期“%s”格式不正确：应为 2026-03-01 这样的日期", k.RegisteredOn)
		} else if !signed.IsZero() && reg.Before(signed) {
			c.add("contract.registered_on", "登记日期不能早于签约日期")
		}
	}
	if utf8.RuneCountInString(k.Office) > MaxShortLen {
		c.add("contract.office", "登记机构过长：最多 %d 个字", MaxShortLen)
	}
	return c.errs
}

// Side is a party of a pairing: the demand's or the achievement's.
type Side string

const (
	SideDemand      Side = "demand"
	SideAchievement Side = "achievement"
)

// Label is the side's Chinese name.
func (s Side) Label() string {
	if s == SideDemand {
		return "需求方"
	}
	return "成果方"
}

// Other is the other side.
func (s Side) Other() Side {
	if s == SideDemand {
		return SideAchievement
	}
	return SideDemand
}

// HistoryEntry is one transition of a pairing.
type HistoryEntry struct {
	From PairingStatus `json:"from"`
	To   PairingStatus `json:"to"`
	By   Actor         `json:"by"`
	// Side is the party the actor spoke for, if any.
	Side Side      `json:"side,omitempty"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// MarshalJSON adds the statuses' Chinese labels.
func (h HistoryEntry) MarshalJSON() ([]byte, error) {
	type plain HistoryEntry
	return json.Marshal(struct {
		plain
		FromLabel string `json:"from_label,omitempty"`
		ToLabel   string `json:"to_label"`
	}{plain(h), labelOrEmpty(h.From), h.To.Label()})
}

func labelOrEmpty(s PairingStatus) string {
	if s == "" {
		return ""
	}
	return s.Label()
}

// Consent records when each side agreed to meet.
type Consent struct {
	Demand      *time.Time `json:"demand,omitempty"`
	Achievement *time.Time `json:"achievement,omitempty"`
}

// Both reports whether both sides agreed.
func (c Consent) Both() bool { return c.Demand != nil && c.Achievement != nil }

// Pairing (对接) follows one demand × achievement from a recommendation to
// a registered contract.
type Pairing struct {
	ID            string        `json:"id"`
	DemandID      string        `json:"demand_id"`
	AchievementID string        `json:"achievement_id"`
	Source        string        `json:"source"`
	EventID       string        `json:"event_id,omitempty"`
	BrokerID      string        `json:"broker_id,omitempty"`
	Status        PairingStatus `json:"-"`
	// Score and Explanation are the matcher's as they were when the
	// pairing was made.
	Score       float64         `json:"score"`
	Explanation json.RawMessage `json:"explanation,omitempty"`
	// Field and Region are the demand's when the pairing was made (the
	// centre reports pairings where the enterprise is); Titles are for
	// lists and exports.
	Field            string `json:"field,omitempty"`
	Region           Region `json:"region,omitzero"`
	DemandTitle      string `json:"demand_title,omitempty"`
	AchievementTitle string `json:"achievement_title,omitempty"`

	// RequestedBy is the side that asked to meet; Consent when each side
	// agreed. Contact data is revealed to the sides once both agreed.
	RequestedBy Side           `json:"requested_by,omitempty"`
	Consent     Consent        `json:"consent,omitzero"`
	History     []HistoryEntry `json:"history"`
	Contract    *Contract      `json:"contract,omitempty"`
	// ClosedReason is one of ClosedReasons; the note of the closing
	// transition says more.
	ClosedReason string     `json:"closed_reason,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	Created      time.Time  `json:"created"`
	Updated      time.Time  `json:"updated"`
}

// MarshalJSON adds the Chinese labels of the status and source.
func (p Pairing) MarshalJSON() ([]byte, error) {
	type plain Pairing
	return json.Marshal(struct {
		plain
		Status      PairingStatus `json:"status"`
		StatusLabel string        `json:"status_label"`
		SourceLabel string        `json:"source_label"`
	}{plain(p), p.Status, p.Status.Label(), SourceLabel(p.Source)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Pairing) UnmarshalJSON(b []byte) error {
	type plain Pairing
	var v struct {
		plain
		Status PairingStatus `json:"status"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Pairing(v.plain)
	p.Status = v.Status
	return nil
}

// PairKey identifies the demand × achievement of a pairing.
func (p *Pairing) PairKey() string { return p.DemandID + "\x00" + p.AchievementID }

// Reached returns the funnel statuses the pairing has been in.
func (p *Pairing) Reached() map[PairingStatus]bool {
	m := map[PairingStatus]bool{StatusRecommended: true}
	for _, h := range p.History {
		m[h.To] = true
	}
	m[p.Status] = true
	return m
}

// SignedAt is when the pairing moved to signed (zero if it did not).
func (p *Pairing) SignedAt() time.Time {
	for i := len(p.History) - 1; i >= 0; i-- {
		if p.History[i].To == StatusSigned {
			return p.History[i].At
		}
	}
	return time.Time{}
}

// ContactRevealed reports whether both sides agreed, so that each may see
// the other's contact data.
func (p *Pairing) ContactRevealed() bool { return p.Consent.Both() }

// Validate checks a pairing as it is stored.
func (p *Pairing) Validate() error {
	var c checker
	c.id(p.ID)
	if strings.TrimSpace(p.DemandID) == "" {
		c.add("demand_id", "需要技术需求编号 demand_id")
	}
	if strings.TrimSpace(p.AchievementID) == "" {
		c.add("achievement_id", "需要科技成果编号 achievement_id")
	}
	if !slices.Contains(PairingSources, p.Source) {
		c.add("source", "来源“%s”无法识别：应为 %s", p.Source, strings.Join(PairingSources, "、"))
	}
	if _, ok := statusLabels[p.Status]; !ok {
		c.add("status", "未知的对接状态“%s”", p.Status)
	}
	if p.Status == StatusSigned {
		if p.Contract == nil {
			c.add("contract", "已签约的对接需要合同信息")
		} else {
			c.errs = append(c.errs, p.Contract.Validate()...)
		}
	}
	if p.Status == StatusClosed && !slices.Contains(ClosedReasons, p.ClosedReason) {
		c.add("reason", "终止对接需要原因：%s", strings.Join(ClosedReasons, "、"))
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("对接记录有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// NewPairingRequest is the body of POST /api/v1/pairings.
type NewPairingRequest struct {
	DemandID      string `json:"demand_id"`
	AchievementID string `json:"achievement_id"`
	Source        string `json:"source"`
	EventID       string `json:"event_id,omitempty"`
	BrokerID      string `json:"broker_id,omitempty"`
}

// Transition is the body of POST /api/v1/pairings/:id/transitions.
type Transition struct {
	To   PairingStatus `json:"to"`
	Note string        `json:"note,omitempty"`
	// Side is the party a broker or admin speaks for when requesting,
	// accepting or declining; parties speak for their own side.
	Side     Side      `json:"side,omitempty"`
	Contract *Contract `json:"contract,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	// ExpiresInDays sets how long a request waits for an answer (default
	// 14 days).
	ExpiresInDays int `json:"expires_in_days,omitempty"`
}

// Party says what a token is to a pairing.
type Party struct {
	Actor Actor
	// Admin may make any allowed transition and reopen ended pairings.
	Admin bool
	// Broker is the pairing's assigned broker, acting for either side.
	Broker bool
	// Sides are the sides whose records the token owns.
	Sides []Side
}

// Staff reports whether the party acts for either side.
func (pt Party) Staff() bool { return pt.Admin || pt.Broker }

func (pt Party) owns(s Side) bool { return slices.Contains(pt.Sides, s) }

// Expire moves a request unanswered past its expiry to expired and
// reports whether it did.
func (p *Pairing) Expire(now time.Time) bool {
	if p.Status != StatusRequested || p.ExpiresAt == nil || now.Before(*p.ExpiresAt) {
		return false
	}
	p.History = append(p.History, HistoryEntry{From: p.Status, To: StatusExpired, By: SystemActor, At: *p.ExpiresAt,
		Note: "请求超过有效期未获回应，自动过期"})
	p.Status = StatusExpired
	p.Updated = now
	return true
}

// Apply makes transition t on p for party pt at now, or returns why not:
// ECONFLICT naming the allowed next states for a transition the status
// machine does not have, EFORBIDDEN for a party who may not make it,
// EINVALID for missing or bad details. A request past its expiry expires
// first. p is changed only on success (expiry aside).
func (p *Pairing) Apply(t Transition, pt Party, now time.Time) error {
	p.Expire(now)
	from := p.Status
	allowed := nextStatuses[from]
	if !slices.Contains(allowed, t.To) {
		if _, ok := statusLabels[t.To]; !ok {
			return Errorf(EINVALID, "未知的对接状态“%s”：应为 %s", t.To, statusList(PairingStatuses))
		}
		if len(allowed) == 0 {
			return Errorf(ECONFLICT, "对接当前为“%s”，不能再变更状态", from.Label())
		}
		return Errorf(ECONFLICT, "对接当前为“%s”，不能变为“%s”：可以变为 %s", from.Label(), t.To.Label(), statusList(allowed))
	}
	if t.To == StatusExpired && !pt.Admin {
		return Errorf(EFORBIDDEN, "请求到期后会自动过期，只有管理员可以提前将其标为过期")
	}
	if from.Ended() && !pt.Admin {
		return Errorf(EFORBIDDEN, "对接已“%s”，只有管理员可以重新开启", from.Label())
	}
	if !pt.Staff() && len(pt.Sides) == 0 {
		return Errorf(EFORBIDDEN, "只有对接双方、指派的技术经纪人或管理员可以变更对接状态")
	}
	side, err := pt.side(t, p)
	if err != nil {
		return err
	}
	note := strings.TrimSpace(t.Note)
	if utf8.RuneCountInString(note) > 2000 {
		return &Error{Code: EINVALID, Message: "备注过长：最多 2000 个字", Fields: []FieldError{{Field: "note", Message: "最多 2000 个字"}}}
	}
	next := *p
	next.Consent = p.Consent
	switch t.To {
	case StatusRequested:
		days := t.ExpiresInDays
		if days == 0 {
			days = DefaultRequestDays
		}
		if days < 1 || days > MaxRequestDays {
			return &Error{Code: EINVALID, Message: fmt.Sprintf("请求有效期应为 1 到 %d 天", MaxRequestDays),
				Fields: []FieldError{{Field: "expires_in_days", Message: fmt.Sprintf("应为 1 到 %d 之间的整数", MaxRequestDays)}}}
		}
		exp := now.Add(time.Duration(days) * 24 * time.Hour)
		next.ExpiresAt = &exp
		next.RequestedBy = side
		at := now
		next.Consent = Consent{}
		if side == SideDemand {
			next.Consent.Demand = &at
		} else {
			next.Consent.Achievement = &at
		}
	case StatusAccepted, StatusDeclined:
		if side == p.RequestedBy {
			return Errorf(EFORBIDDEN, "请求由%s发起，应由%s回应", p.RequestedBy.Label(), p.RequestedBy.Other().Label())
		}
		if t.To == StatusAccepted {
			at := now
			if side == SideDemand {
				next.Consent.Demand = &at
			} else {
				next.Consent.Achievement = &at
			}
		}
		next.ExpiresAt = nil
	case StatusSigned:
		if t.Contract == nil {
			return &Error{Code: EINVALID, Message: "签约需要合同信息：登记号、类型、金额和签约日期",
				Fields: []FieldError{{Field: "contract", Message: "必填"}}}
		}
		k := *t.Contract
		k.Number, k.Office = strings.TrimSpace(k.Number), strings.TrimSpace(k.Office)
		if errs := k.Validate(); len(errs) > 0 {
			return &Error{Code: EINVALID, Message: fmt.Sprintf("合同信息有 %d 处需要修改", len(errs)), Fields: errs}
		}
		next.Contract = &k
	case StatusClosed:
		if !slices.Contains(ClosedReasons, t.Reason) {
			return &Error{Code: EINVALID, Message: "终止对接需要原因：" + strings.Join(ClosedReasons, "、"),
				Fields: []FieldError{{Field: "reason", Message: "应为 " + strings.Join(ClosedReasons, "、") + " 之一"}}}
		}
		if t.Reason == "其他" && note == "" {
			return &Error{Code: EINVALID, Message: "终止原因为“其他”时请在备注中说明",
				Fields: []FieldError{{Field: "note", Message: "必填"}}}
		}
		next.ClosedReason = t.Reason
		next.ExpiresAt = nil
	case StatusRecommended:
		// An admin reopens: the pairing starts over, consent included.
		next.Consent, next.RequestedBy, next.ClosedReason, next.ExpiresAt = Consent{}, "", "", nil
	}
	if t.To != StatusSigned && t.Contract != nil {
		return &Error{Code: EINVALID, Message: "只有签约时才能填写合同信息", Fields: []FieldError{{Field: "contract", Message: "仅在 to 为 signed 时填写"}}}
	}
	if t.To != StatusClosed && t.Reason != "" {
		return &Error{Code: EINVALID, Message: "只有终止对接时才能填写原因", Fields: []FieldError{{Field: "reason", Message: "仅在 to 为 closed 时填写"}}}
	}
	next.Status = t.To
	next.History = append(slices.Clone(p.History), HistoryEntry{From: from, To: t.To, By: pt.Actor, Side: side, At: now, Note: note})
	next.Updated = now
	*p = next
	return nil
}

// side decides which party a transition speaks for: the token's own side,
// or for staff the side named (required for requests and answers).
func (pt Party) side(t Transition, p *Pairing) (Side, error) {
	needsSide := t.To == StatusRequested || t.To == StatusAccepted || t.To == StatusDeclined
	if t.Side != "" && t.Side != SideDemand && t.Side != SideAchievement {
		return "", &Error{Code: EINVALID, Message: "side 应为 demand（需求方）或 achievement（成果方）",
			Fields: []FieldError{{Field: "side", Message: "应为 demand 或 achievement"}}}
	}
	if pt.Staff() {
		if !needsSide {
			return t.Side, nil
		}
		if t.Side != "" {
			return t.Side, nil
		}
		if t.To != StatusRequested && p.RequestedBy != "" {
			return p.RequestedBy.Other(), nil
		}
		return "", &Error{Code: EINVALID, Message: "经纪人或管理员代为发起请求时，请用 side 说明代表哪一方（demand 需求方 或 achievement 成果方）",
			Fields: []FieldError{{Field: "side", Message: "必填：demand 或 achievement"}}}
	}
	if t.Side != "" {
		if !pt.owns(t.Side) {
			return "", Errorf(EFORBIDDEN, "当前令牌不能代表%s", t.Side.Label())
		}
		return t.Side, nil
	}
	if !needsSide {
		return pt.Sides[0], nil
	}
	if len(pt.Sides) == 1 {
		return pt.Sides[0], nil
	}
	// Owning both sides: a request speaks for the demand, an answer for
	// the side that did not ask.
	if t.To == StatusRequested {
		return SideDemand, nil
	}
	return p.RequestedBy.Other(), nil
}

// PairingFilter selects pairings.
type PairingFilter struct {
	Status        PairingStatus
	BrokerID      string
	DemandID      string
	AchievementID string
	EventID       string
	City          string
	// Party, if set, keeps only pairings whose demand or achievement id is
	// in it (an enterprise or scientist sees its own pairings).
	Party map[string]bool
}

// Match reports whether f selects p.
func (f PairingFilter) Match(p *Pairing) bool {
	switch {
	case f.Status != "" && p.Status != f.Status,
		f.BrokerID != "" && p.BrokerID != f.BrokerID,
		f.DemandID != "" && p.DemandID != f.DemandID,
		f.AchievementID != "" && p.AchievementID != f.AchievementID,
		f.EventID != "" && p.EventID != f.EventID,
		f.City != "" && p.Region.City != f.City:
		return false
	}
	if f.Party != nil && !f.Party[p.DemandID] && !f.Party[p.AchievementID] {
		return false
	}
	return true
}

// PairingStore keeps pairings. Every write also appends its audit entries
// and a change to the change sequence, in one transaction.
type PairingStore interface {
	// CreatePairing stores p (status recommended, id assigned) unless an
	// open pairing of the same demand × achievement exists: then it returns
	// that one and created false.
	CreatePairing(ctx context.Context, p *Pairing, audit AuditEntry) (stored *Pairing, created bool, err error)
	Pairing(ctx context.Context, id string) (*Pairing, error)
	// ListPairings returns the pairings f selects in id order.
	ListPairings(ctx context.Context, f PairingFilter) ([]Pairing, error)
	// UpdatePairing reads the pairing, calls fn to change it and stores it
	// with the audit entries fn returns, all in one transaction; an error
	// from fn leaves everything as it was.
	UpdatePairing(ctx context.Context, id string, fn func(p *Pairing) ([]AuditEntry, error)) (*Pairing, error)
	// ExpirePairings moves every request past its expiry to expired.
	ExpirePairings(ctx context.Context, now time.Time) (int, error)
	// ImportPairings stores whole pairings with their history (demo data,
	// restores), keeping their ids.
	ImportPairings(ctx context.Context, ps []Pairing, by Actor) error
}
