package server

// Pairings (对接) from a recommendation to a registered contract, the
// broker pool (技术经纪人人才库), the audit log and the figures the centre
// reports.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/tabular"
)

func (s *Server) pairingRoutes(v1 *gin.RouterGroup) {
	admin := s.require(data.RoleAdmin)
	staff := s.require(data.RoleAdmin, data.RoleOrganiser, data.RoleBroker)
	anyone := s.require(data.Roles...)

	// Each handler answers through serveEvent (events.go): it decodes the
	// body named by the label, and answers the error JSON or the reply.
	b := v1.Group("/brokers", s.needPairings)
	b.GET("", serveEvent(s, "", s.handleListBrokers))
	b.POST("", admin, serveEvent(s, "技术经纪人", s.handlePostBroker))
	b.GET("/:id", serveEvent(s, "", s.handleGetBroker))
	b.PUT("/:id", admin, serveEvent(s, "技术经纪人", s.handlePutBroker))
	b.GET("/:id/stats", staff, serveEvent(s, "", s.handleBrokerStats))

	p := v1.Group("/pairings", s.needPairings)
	p.POST("", s.require(PairingCreators...), serveEvent(s, "对接", s.handleCreatePairing))
	p.GET("", anyone, serveEvent(s, "", s.handleListPairings))
	p.GET("/:id", anyone, serveEvent(s, "", s.handleGetPairing))
	p.POST("/:id/transitions", anyone, serveEvent(s, "状态变更", s.handleTransition))
	p.GET("/:id/brokers", staff, serveEvent(s, "", s.handleSuggestBrokers))
	p.PUT("/:id/broker", s.require(data.RoleAdmin, data.RoleOrganiser), serveEvent(s, "指派经纪人", s.handleAssignBroker))

	v1.GET("/audit", s.needPairings, admin, serveEvent(s, "", s.handleAudit))

	st := v1.Group("/stats", s.needPairings, staff)
	st.GET("/funnel", serveEvent(s, "", s.handleFunnel("")))
	st.GET("/funnel.xlsx", serveEvent(s, "", s.handleFunnel(event.FormatXLSX)))
	st.GET("/funnel.csv", serveEvent(s, "", s.handleFunnel(event.FormatCSV)))
	st.GET("/report", serveEvent(s, "", s.handleReport))

	v1.POST("/events/:id/pairings", s.needPairings, s.needEvents, s.require(data.RoleOrganiser, data.RoleAdmin), s.handleEventPairings)
}

func (s *Server) needPairings(c *gin.Context) {
	if s.Pairings == nil || s.Brokers == nil || s.Audit == nil {
		s.fail(c, errors.New("pairing store is not configured"))
		return
	}
	c.Next()
}

func (s *Server) clock() time.Time {
	if s.Clock != nil {
		return s.Clock().UTC()
	}
	return time.Now().UTC()
}

// expire moves requests past their expiry to expired before pairings are
// read or changed, so that every answer sees expiry at the right time.
func (s *Server) expire(ctx context.Context) error {
	n, err := s.Pairings.ExpirePairings(ctx, s.clock())
	if err != nil {
		return fmt.Errorf("expire pairings: %w", err)
	}
	if n > 0 {
		s.Logger.Info("pairings expired", "count", n)
	}
	return nil
}

// ---- Brokers ----

// brokerView hides a broker's phone and e-mail from all but admins and the
// broker's own token.
func brokerView(tok *data.Token, b data.Broker) data.Broker {
	if tok != nil && (tok.Role == data.RoleAdmin || tok.Role == data.RoleBroker && tok.BrokerID == b.ID) {
		return b
	}
	return b.Public()
}

func (s *Server) handleListBrokers(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	list, err := s.Brokers.ListBrokers(ctx)
	city, field := c.Query("city"), c.Query("field")
	tok := token(c)
	items := []data.Broker{}
	for _, b := range list {
		if field != "" && !contains(b.Fields, field) || city != "" && !servesCity(b, city) {
			continue
		}
		items = append(items, brokerView(tok, b))
	}
	return listReply(items), err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func servesCity(b data.Broker, city string) bool {
	for _, r := range b.Regions {
		if r.City == city {
			return true
		}
	}
	return false
}

func (s *Server) handleGetBroker(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	b, err := s.Brokers.Broker(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	return ok(brokerView(token(c), *b)), nil
}

func (s *Server) handlePostBroker(ctx context.Context, c *gin.Context, b *data.Broker) (reply, error) {
	if b.ID != "" {
		if _, err := s.Brokers.Broker(ctx, b.ID); err == nil {
			return reply{}, data.Errorf(data.ECONFLICT, "经纪人编号 %q 已被占用：修改请用 PUT /api/v1/brokers/%s", b.ID, b.ID)
		}
	}
	b.Owner = token(c).ID
	return s.putBroker(ctx, c, b)
}

func (s *Server) handlePutBroker(ctx context.Context, c *gin.Context, b *data.Broker) (reply, error) {
	if b.ID != "" && b.ID != c.Param("id") {
		return reply{}, data.Errorf(data.EINVALID, "请求体中的编号 %q 与地址中的编号 %q 不一致", b.ID, c.Param("id"))
	}
	b.ID = c.Param("id")
	return s.putBroker(ctx, c, b)
}

func (s *Server) putBroker(ctx context.Context, c *gin.Context, b *data.Broker) (reply, error) {
	created, err := s.Brokers.PutBroker(ctx, b, data.ActorOf(token(c)))
	return reply{status: createdStatus(created), body: brokerView(token(c), *b), location: "/api/v1/brokers/" + b.ID}, err
}

func (s *Server) handleBrokerStats(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	b, err := s.Brokers.Broker(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	st, err := s.BrokerStatsFor(ctx, b.ID)
	return ok(gin.H{"broker": b.Public(), "stats": st}), err
}

// ---- Pairings ----

// sides are a pairing's demand and achievement (nil when deleted since).
type sides struct {
	d *data.Demand
	a *data.Achievement
}

func (s *Server) sidesOf(ctx context.Context, p *data.Pairing) (sides, error) {
	var sd sides
	ds, err := s.Store.Demands(ctx, []string{p.DemandID})
	if err != nil {
		return sd, err
	}
	as, err := s.Store.Achievements(ctx, []string{p.AchievementID})
	if err != nil {
		return sd, err
	}
	return sides{ds[0], as[0]}, nil
}

// partyOf says what the token is to the pairing.
func partyOf(tok *data.Token, p *data.Pairing, sd sides) data.Party {
	pt := data.Party{Actor: data.ActorOf(tok)}
	if tok == nil {
		return pt
	}
	pt.Admin = tok.Role == data.RoleAdmin
	pt.Broker = tok.Role == data.RoleBroker && tok.BrokerID != "" && tok.BrokerID == p.BrokerID
	if sd.d != nil && sd.d.Owner == tok.ID {
		pt.Sides = append(pt.Sides, data.SideDemand)
	}
	if sd.a != nil && sd.a.Owner == tok.ID {
		pt.Sides = append(pt.Sides, data.SideAchievement)
	}
	return pt
}

// mayRead reports whether the token may read the pairing at all: staff
// always, an enterprise or scientist when it is a party.
func mayRead(tok *data.Token, pt data.Party) bool {
	if tok == nil {
		return false
	}
	switch tok.Role {
	case data.RoleAdmin, data.RoleOrganiser, data.RoleBroker:
		return true
	}
	return len(pt.Sides) > 0
}

// contactRights says whose contact the party may see: its own side's
// always; the other side's once both sides agreed; both for admins and the
// assigned broker.
func contactRights(pt data.Party, p *data.Pairing) (demand, achievement bool) {
	if pt.Staff() {
		return true, true
	}
	ownD, ownA := false, false
	for _, sd := range pt.Sides {
		ownD = ownD || sd == data.SideDemand
		ownA = ownA || sd == data.SideAchievement
	}
	both := p.ContactRevealed()
	return ownD || ownA && both, ownA || ownD && both
}

type PairingDemand struct {
	ID         string        `json:"id"`
	Title      string        `json:"title"`
	Enterprise string        `json:"enterprise,omitempty"`
	Field      string        `json:"field,omitempty"`
	Region     data.Region   `json:"region,omitzero"`
	Contact    *data.Contact `json:"contact,omitempty"`
	Missing    bool          `json:"missing,omitempty"`
}

type PairingAchievement struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Institution string          `json:"institution,omitempty"`
	Field       string          `json:"field,omitempty"`
	Contact     *data.Contact   `json:"contact,omitempty"`
	Inventors   []data.Inventor `json:"inventors,omitempty"`
	Missing     bool            `json:"missing,omitempty"`
}

type nextStatus struct {
	Status data.PairingStatus `json:"status"`
	Label  string             `json:"label"`
}

// pairingJSON is the pairing with its sides as the caller may see them.
// Every contact shown to someone other than its owner is audited.
func (s *Server) pairingJSON(ctx context.Context, tok *data.Token, p *data.Pairing, sd sides, withContact bool) (map[string]any, error) {
	buf, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	v, err := s.pairingView(ctx, tok, p, sd, withContact)
	if err != nil {
		return nil, err
	}
	out["demand"], out["achievement"] = v.Demand, v.Achievement
	out["contact_revealed"] = p.ContactRevealed()
	next := []nextStatus{}
	for _, st := range v.Next {
		next = append(next, nextStatus{st, st.Label()})
	}
	out["next"] = next
	return out, nil
}

// pairingView is the pairing with its sides as the caller may see them.
// Every contact shown to someone other than its owner is audited.
func (s *Server) pairingView(ctx context.Context, tok *data.Token, p *data.Pairing, sd sides, withContact bool) (*PairingView, error) {
	pt := partyOf(tok, p, sd)
	seeD, seeA := contactRights(pt, p)
	var reveals []data.AuditEntry
	dv := PairingDemand{ID: p.DemandID, Title: p.DemandTitle, Missing: sd.d == nil}
	if d := sd.d; d != nil {
		dv.Title, dv.Enterprise, dv.Field, dv.Region = d.Title, d.Enterprise.Name, d.Field, d.Region
		if withContact && seeD && d.Contact != nil {
			dv.Contact = d.Contact
			if d.Owner != tok.ID {
				reveals = append(reveals, revealEntry(tok, p, "需求方联系方式"))
			}
		}
	}
	av := PairingAchievement{ID: p.AchievementID, Title: p.AchievementTitle, Missing: sd.a == nil}
	if a := sd.a; a != nil {
		av.Title, av.Institution, av.Field = a.Title, a.Institution, a.Field
		if withContact && seeA && (a.Contact != nil || hasInventorContact(a)) {
			av.Contact, av.Inventors = a.Contact, a.Inventors
			if a.Owner != tok.ID {
				reveals = append(reveals, revealEntry(tok, p, "成果方联系方式"))
			}
		}
	}
	if len(reveals) > 0 {
		if err := s.Audit.AppendAudit(ctx, reveals...); err != nil {
			return nil, fmt.Errorf("audit contact reveal: %w", err)
		}
	}
	return &PairingView{Pairing: p, Demand: dv, Achievement: av, Next: data.NextStatuses(p.Status), Party: pt}, nil
}

// pairingOut is pairingJSON for a pairing whose sides are read afresh.
func (s *Server) pairingOut(ctx context.Context, tok *data.Token, p *data.Pairing, withContact bool) (map[string]any, error) {
	sd, err := s.sidesOf(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.pairingJSON(ctx, tok, p, sd, withContact)
}

func hasInventorContact(a *data.Achievement) bool {
	for _, p := range a.Inventors {
		if p.Contact != "" {
			return true
		}
	}
	return false
}

func revealEntry(tok *data.Token, p *data.Pairing, what string) data.AuditEntry {
	return data.AuditEntry{Actor: data.ActorOf(tok), Action: data.AuditContactReveal, Object: "pairings/" + p.ID,
		Detail: fmt.Sprintf("向 %s（%s）显示%s", tok.ID, tok.Role, what)}
}

func (s *Server) handleCreatePairing(ctx context.Context, c *gin.Context, req *data.NewPairingRequest) (reply, error) {
	tok := token(c)
	stored, created, err := s.CreatePairing(ctx, tok, *req)
	if err != nil {
		return reply{}, err
	}
	out, err := s.pairingOut(ctx, tok, stored, false)
	if err != nil {
		return reply{}, err
	}
	if !created {
		out["existing"] = true
	}
	return reply{status: createdStatus(created), body: out, location: "/api/v1/pairings/" + stored.ID}, nil
}

// newPairing checks a request for a pairing and fills in what the pairing
// keeps of its sides and of the matcher's judgement.
func (s *Server) newPairing(ctx context.Context, tok *data.Token, req data.NewPairingRequest) (*data.Pairing, error) {
	var fields []data.FieldError
	if strings.TrimSpace(req.DemandID) == "" {
		fields = append(fields, data.FieldError{Field: "demand_id", Message: "必填"})
	}
	if strings.TrimSpace(req.AchievementID) == "" {
		fields = append(fields, data.FieldError{Field: "achievement_id", Message: "必填"})
	}
	if !contains(data.PairingSources, req.Source) {
		fields = append(fields, data.FieldError{Field: "source", Message: "应为 " + strings.Join(data.PairingSources, "、") + " 之一"})
	}
	if len(fields) > 0 {
		return nil, &data.Error{Code: data.EINVALID, Message: "对接请求有误：需要 demand_id、achievement_id 和有效的 source", Fields: fields}
	}
	d, err := s.Store.Demand(ctx, req.DemandID)
	if err != nil {
		return nil, err
	}
	a, err := s.Store.Achievement(ctx, req.AchievementID)
	if err != nil {
		return nil, err
	}
	switch tok.Role {
	case data.RoleEnterprise:
		if d.Owner != tok.ID {
			return nil, data.Errorf(data.EFORBIDDEN, "企业账号只能为自己的技术需求发起对接")
		}
	case data.RoleScientist:
		if a.Owner != tok.ID {
			return nil, data.Errorf(data.EFORBIDDEN, "成果方账号只能为自己的科技成果发起对接")
		}
	case data.RoleBroker:
		if req.BrokerID == "" {
			req.BrokerID = tok.BrokerID
		}
	}
	if req.BrokerID != "" {
		if _, err := s.Brokers.Broker(ctx, req.BrokerID); err != nil {
			return nil, err
		}
	}
	if req.EventID != "" && s.Events != nil {
		if _, err := s.Events.Event(ctx, req.EventID); err != nil {
			return nil, err
		}
	}
	p := &data.Pairing{DemandID: d.ID, AchievementID: a.ID, Source: req.Source, EventID: req.EventID, BrokerID: req.BrokerID,
		Field: d.Field, Region: d.Region, DemandTitle: d.Title, AchievementTitle: a.Title, Created: s.clock()}
	if p.Field == "" {
		p.Field = a.Field
	}
	if s.Matcher != nil {
		if res, err := s.Matcher.ScorePair(ctx, d, a); err == nil {
			p.Score = res.Score
			if b, err := json.Marshal(res.Explanation); err == nil {
				p.Explanation = b
			}
		} else {
			s.Logger.Warn("score a new pairing", "demand", d.ID, "achievement", a.ID, "err", err)
		}
	}
	return p, nil
}

// loadPairing reads a pairing and its sides after expiring requests due,
// so that a request past its expiry is expired (and stays so) before it is
// shown or a transition is tried.
func (s *Server) loadPairing(ctx context.Context, id string) (*data.Pairing, sides, error) {
	if err := s.expire(ctx); err != nil {
		return nil, sides{}, err
	}
	p, err := s.Pairings.Pairing(ctx, id)
	if err != nil {
		return nil, sides{}, err
	}
	sd, err := s.sidesOf(ctx, p)
	return p, sd, err
}

func (s *Server) handleGetPairing(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	p, sd, err := s.loadPairing(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	tok := token(c)
	if !mayRead(tok, partyOf(tok, p, sd)) {
		return reply{}, data.Errorf(data.EFORBIDDEN, "只有对接双方、技术经纪人、活动组织者和管理员可以查看对接")
	}
	out, err := s.pairingJSON(ctx, tok, p, sd, true)
	return ok(out), err
}

func (s *Server) handleListPairings(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	page, size, err := pageParams(c)
	if err != nil {
		return reply{}, err
	}
	f := data.PairingFilter{BrokerID: c.Query("broker"), DemandID: c.Query("demand"), AchievementID: c.Query("achievement"),
		EventID: c.Query("event"), City: c.Query("city")}
	if v := c.Query("status"); v != "" {
		if f.Status, err = data.ParsePairingStatus(v); err != nil {
			return reply{}, err
		}
	}
	ps, err := s.ListPairingsFor(ctx, token(c), f)
	items := []data.Pairing{}
	if lo := (page - 1) * size; lo < len(ps) {
		items = ps[lo:min(lo+size, len(ps))]
	}
	return ok(gin.H{"total": len(ps), "page": page, "size": size, "items": items}), err
}

// ownPairings keeps the pairings whose demand or achievement the token owns.
func (s *Server) ownPairings(ctx context.Context, tok *data.Token, ps []data.Pairing) ([]data.Pairing, error) {
	var dids, aids []string
	for _, p := range ps {
		dids, aids = append(dids, p.DemandID), append(aids, p.AchievementID)
	}
	ds, err := s.Store.Demands(ctx, dids)
	if err != nil {
		return nil, err
	}
	as, err := s.Store.Achievements(ctx, aids)
	if err != nil {
		return nil, err
	}
	out := []data.Pairing{}
	for i, p := range ps {
		if ds[i] != nil && ds[i].Owner == tok.ID || as[i] != nil && as[i].Owner == tok.ID {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *Server) handleTransition(ctx context.Context, c *gin.Context, t *data.Transition) (reply, error) {
	tok := token(c)
	stored, sd, err := s.transition(ctx, tok, c.Param("id"), *t)
	if err != nil {
		return reply{}, err
	}
	out, err := s.pairingJSON(ctx, tok, stored, sd, true)
	return ok(out), err
}

func (s *Server) handleSuggestBrokers(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	p, err := s.Pairings.Pairing(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	limit := 10
	if v := c.Query("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > MaxPageSize {
			return reply{}, data.Errorf(data.EINVALID, "参数 limit 应为 1 到 100 之间的整数")
		}
	}
	brokers, err := s.Brokers.ListBrokers(ctx)
	if err != nil {
		return reply{}, err
	}
	open, err := s.Pairings.ListPairings(ctx, data.PairingFilter{})
	load := map[string]int{}
	for _, q := range open {
		if q.BrokerID != "" && q.Status.Open() {
			load[q.BrokerID]++
		}
	}
	return ok(gin.H{"pairing_id": p.ID, "brokers": data.SuggestBrokers(p, brokers, load, limit)}), err
}

// handleAssignBroker assigns (or, with an empty broker_id, unassigns) the
// pairing's broker.
func (s *Server) handleAssignBroker(ctx context.Context, c *gin.Context, req *struct {
	BrokerID string `json:"broker_id"`
}) (reply, error) {
	tok := token(c)
	if req.BrokerID != "" {
		b, err := s.Brokers.Broker(ctx, req.BrokerID)
		if err != nil {
			return reply{}, err
		}
		if !b.Active {
			return reply{}, data.Errorf(data.ECONFLICT, "技术经纪人 %s（%s）已停用，不能指派", b.Name, b.ID)
		}
	}
	stored, err := s.Pairings.UpdatePairing(ctx, c.Param("id"), func(p *data.Pairing) ([]data.AuditEntry, error) {
		if !p.Status.Open() {
			return nil, data.Errorf(data.ECONFLICT, "对接已“%s”，不能再指派经纪人", p.Status.Label())
		}
		detail := fmt.Sprintf("经纪人 %q → %q", p.BrokerID, req.BrokerID)
		p.BrokerID, p.Updated = req.BrokerID, s.clock()
		return []data.AuditEntry{{Actor: data.ActorOf(tok), Action: data.AuditPairingUpdate, Detail: detail}}, nil
	})
	if err != nil {
		return reply{}, err
	}
	out, err := s.pairingOut(ctx, tok, stored, false)
	return ok(out), err
}

// ---- Audit ----

func (s *Server) handleAudit(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	q := data.AuditQuery{Object: c.Query("object"), Action: c.Query("action"), Limit: 200}
	var err error
	if q.From, err = queryTime(c, "from"); err != nil {
		return reply{}, err
	}
	if q.To, err = queryTime(c, "to"); err != nil {
		return reply{}, err
	}
	if v := c.Query("limit"); v != "" {
		if q.Limit, err = strconv.Atoi(v); err != nil || q.Limit < 1 || q.Limit > 10000 {
			return reply{}, data.Errorf(data.EINVALID, "参数 limit 应为 1 到 10000 之间的整数")
		}
	}
	entries, err := s.Audit.Audit(ctx, q)
	return listReply(entries), err
}

// queryTime reads a date (2026-01-02) or an RFC 3339 time parameter.
func queryTime(c *gin.Context, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &data.Error{Code: data.EINVALID, Message: fmt.Sprintf("参数 %s“%s”不是有效日期：应为 2026-01-02 的格式", name, v),
		Fields: []data.FieldError{{Field: name, Message: "应为 2026-01-02 的格式"}}}
}

// ---- Stats ----

var groupLabels = map[string]string{"month": "月份", "field": "技术领域", "city": "城市", "county": "区县", "broker": "技术经纪人", "event": "活动", "source": "来源"}

func (s *Server) handleFunnel(format string) func(context.Context, *gin.Context, *struct{}) (reply, error) {
	return func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		group, err := data.ParseFunnelGroup(c.Query("group_by"))
		if err != nil {
			return reply{}, err
		}
		opt := data.FunnelOptions{GroupBy: group}
		if opt.From, err = queryTime(c, "from"); err != nil {
			return reply{}, err
		}
		if opt.To, err = queryTime(c, "to"); err != nil {
			return reply{}, err
		}
		rows, total, err := s.FunnelFor(ctx, opt)
		if err != nil || format == "" {
			return ok(gin.H{"group_by": group, "rows": rows, "total": total, "labels": statusLabelMap()}), err
		}
		return fileReply(format, "对接漏斗-"+group, func(w io.Writer) error {
			return tabular.WriteSheets(w, tabular.Format(format), []tabular.Sheet{tabular.FunnelSheet(groupLabels[group], rows, total)})
		})
	}
}

func statusLabelMap() map[data.PairingStatus]string {
	m := map[data.PairingStatus]string{}
	for _, st := range data.PairingStatuses {
		m[st] = st.Label()
	}
	return m
}

func (s *Server) brokerNames(ctx context.Context) (func(string) string, error) {
	list, err := s.Brokers.ListBrokers(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, b := range list {
		m[b.ID] = b.Name
	}
	return func(id string) string {
		if n := m[id]; n != "" {
			return n + "（" + id + "）"
		}
		return id
	}, nil
}

func (s *Server) handleReport(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	year := s.clock().Year()
	if v := c.Query("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1990 || y > 2100 {
			return reply{}, &data.Error{Code: data.EINVALID, Message: "参数 year 应为 1990 到 2100 之间的年份",
				Fields: []data.FieldError{{Field: "year", Message: "应为四位年份"}}}
		}
		year = y
	}
	rep, err := s.ReportFor(ctx, year)
	return ok(rep), err
}
