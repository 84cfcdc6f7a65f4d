package web

// The pairing pages (对接): 发起对接 from a record's matches, the board by
// status, a pairing with its transitions, contract form and audit trail,
// the broker pages. Every check and write goes through the API's services
// (server.Server's CreatePairing, TransitionPairing, PairingFor …), so that
// a page allows, writes and reveals exactly what the API does.

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/server"
)

func (wb *Workbench) pairingRoutes(mux *http.ServeMux) {
	wb.handle(mux, "GET /pairings", http.HandlerFunc(wb.pairings))
	wb.handle(mux, "POST /pairings", http.HandlerFunc(wb.createPairing))
	wb.handle(mux, "GET /pairings/{id}", http.HandlerFunc(wb.pairing))
	wb.handle(mux, "POST /pairings/{id}/transitions", http.HandlerFunc(wb.transition))
	wb.handle(mux, "GET /brokers", http.HandlerFunc(wb.brokers))
	wb.handle(mux, "GET /brokers/{id}", http.HandlerFunc(wb.broker))
}

// pairingsOn reports whether the pairing pipeline is configured; if not it
// renders the page saying what is missing.
func (wb *Workbench) pairingsOn(w http.ResponseWriter, r *http.Request, what string) bool {
	if wb.API.PairingsEnabled() {
		return true
	}
	wb.render(w, r, http.StatusOK, "pending.html", what, "pairings", pendingPage{
		What:    what,
		Missing: "本服务未配置对接存储（经纪人、对接记录与审计日志），因此这里还没有可显示的对接记录。",
		Meanwhile: []pendingLink{
			{"/search?kind=demands", "检索技术需求，查看每条需求的推荐成果"},
			{"/events", "查看活动的路演议程与洽谈日程"},
		},
	})
	return false
}

// ---- 发起对接 on record pages ----

// existing is an open pairing of a record shown beside its match.
type existing struct {
	ID          string
	StatusLabel string
}

// pairingActions marks the matches the caller may pair (the API's rule)
// and those already paired. kind is the record page's kind; id its record.
func (wb *Workbench) pairingActions(ctx context.Context, tok *data.Token, kind data.Kind, id, owner string, ms []match) {
	if !wb.API.PairingsEnabled() || tok == nil {
		return
	}
	f := data.PairingFilter{DemandID: id}
	if kind == data.KindAchievement {
		f = data.PairingFilter{AchievementID: id}
	}
	ps, err := wb.API.ListPairingsFor(ctx, tok, f)
	if err != nil {
		wb.logger().Error("record page: pairings", "id", id, "err", err)
		return
	}
	open := map[string]existing{}
	for _, p := range ps {
		other := p.AchievementID
		if kind == data.KindAchievement {
			other = p.DemandID
		}
		if p.Status.Open() {
			open[other] = existing{p.ID, p.Status.Label()}
		}
	}
	for i := range ms {
		m := &ms[i]
		if kind == data.KindDemand {
			m.CanPair = server.MayCreatePairing(tok, owner, m.owner)
			m.DemandID, m.AchievementID = id, m.ID
		} else {
			m.CanPair = server.MayCreatePairing(tok, m.owner, owner)
			m.DemandID, m.AchievementID = m.ID, id
		}
		if e, ok := open[m.ID]; ok {
			m.Pairing = &e
		}
	}
}

func (wb *Workbench) createPairing(w http.ResponseWriter, r *http.Request) {
	tok, ok := wb.needRole(w, r, "发起对接", server.PairingCreators...)
	if !ok || !wb.pairingsOn(w, r, "发起对接") {
		return
	}
	req := data.NewPairingRequest{DemandID: r.PostFormValue("demand_id"), AchievementID: r.PostFormValue("achievement_id"),
		Source: r.PostFormValue("source"), EventID: r.PostFormValue("event_id")}
	p, created, err := wb.API.CreatePairing(r.Context(), tok, req)
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	if created {
		redirect(w, r, "/pairings/"+p.ID+"?new=1")
		return
	}
	redirect(w, r, "/pairings/"+p.ID+"?existing=1")
}

// ---- 对接看板 ----

type boardColumn struct {
	Status data.PairingStatus
	Label  string
	Items  []data.Pairing // the most recently updated first, at most boardCap unless the column is asked for
	Count  int
	More   string // the URL of the whole column when Items is cut
}

// boardCap is the number of cards a column shows on the whole board: the
// demo's pipeline has thousands of pairings, which no one reads on one
// page (and which made the page slow); the column's own URL shows all.
const boardCap = 30

type boardPage struct {
	Columns []boardColumn
	Total   int
	Mine    bool // an enterprise or scientist sees its own pairings only
	Only    data.PairingStatus
}

func (wb *Workbench) pairings(w http.ResponseWriter, r *http.Request) {
	tok, ok := wb.needRole(w, r, "查看对接看板", data.Roles...)
	if !ok || !wb.pairingsOn(w, r, "对接看板") {
		return
	}
	var only data.PairingStatus
	if v := r.URL.Query().Get("status"); v != "" {
		st, err := data.ParsePairingStatus(v)
		if err != nil {
			wb.fail(w, r, err)
			return
		}
		only = st
	}
	ps, err := wb.API.ListPairingsFor(r.Context(), tok, data.PairingFilter{})
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	slices.SortStableFunc(ps, func(a, b data.Pairing) int { return b.Updated.Compare(a.Updated) })
	p := boardPage{Total: len(ps), Mine: tok.Role == data.RoleEnterprise || tok.Role == data.RoleScientist, Only: only}
	for _, st := range data.PairingStatuses {
		if only != "" && st != only {
			continue
		}
		col := boardColumn{Status: st, Label: st.Label()}
		for _, q := range ps {
			if q.Status != st {
				continue
			}
			col.Count++
			if only != "" || len(col.Items) < boardCap {
				col.Items = append(col.Items, q)
			}
		}
		if col.Count > len(col.Items) {
			col.More = "/pairings?status=" + string(st)
		}
		p.Columns = append(p.Columns, col)
	}
	wb.render(w, r, http.StatusOK, "pairings.html", "对接看板", "pairings", p)
}

// ---- One pairing ----

type pairingPage struct {
	*server.PairingView
	New, Existing bool
	// Actions are the next statuses the caller may choose.
	Actions []data.PairingStatus
	// AskSide: staff say which side a request speaks for.
	AskSide   bool
	Form      map[string]string // the values typed, by the API's field names
	Errors    map[string]string // field errors in Chinese, likewise
	Message   string
	Audit     []data.AuditEntry
	ShowAudit bool
	Types     []string
	Reasons   []string
	Broker    string // the assigned broker's name
}

// Has reports whether st is among the actions.
func (p pairingPage) Has(st string) bool { return slices.Contains(p.Actions, data.PairingStatus(st)) }

func (wb *Workbench) pairing(w http.ResponseWriter, r *http.Request) {
	tok, ok := wb.needRole(w, r, "查看对接", data.Roles...)
	if !ok || !wb.pairingsOn(w, r, "对接") {
		return
	}
	q := r.URL.Query()
	wb.showPairing(w, r, tok, http.StatusOK, pairingPage{New: q.Get("new") == "1", Existing: q.Get("existing") == "1"})
}

// showPairing renders the pairing page with p's form state.
func (wb *Workbench) showPairing(w http.ResponseWriter, r *http.Request, tok *data.Token, status int, p pairingPage) {
	ctx := r.Context()
	id := r.PathValue("id")
	v, err := wb.API.PairingFor(ctx, tok, id)
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	p.PairingView = v
	p.Actions = actions(v)
	p.AskSide = (v.Party.Admin || v.Party.Broker) && slices.Contains(p.Actions, data.StatusRequested)
	p.Types, p.Reasons = data.ContractTypes, data.ClosedReasons
	if p.Form == nil {
		p.Form = map[string]string{"expires_in_days": strconv.Itoa(data.DefaultRequestDays)}
	}
	if p.ShowAudit = tok.Role == data.RoleAdmin; p.ShowAudit {
		if p.Audit, err = wb.API.PairingAudit(ctx, tok, id); err != nil {
			wb.fail(w, r, err)
			return
		}
	}
	if id := v.Pairing.BrokerID; id != "" {
		p.Broker = id
		if b, err := wb.API.Brokers.Broker(ctx, id); err == nil {
			p.Broker = b.Name
		}
	}
	wb.render(w, r, status, "pairing.html", "对接 "+v.Pairing.ID, "pairings", p)
}

// actions are the next statuses the status machine allows and the party
// may choose, as data.Pairing.Apply decides.
func actions(v *server.PairingView) []data.PairingStatus {
	pt, p := v.Party, v.Pairing
	if !pt.Staff() && len(pt.Sides) == 0 {
		return nil
	}
	if p.Status.Ended() && !pt.Admin {
		return nil
	}
	var out []data.PairingStatus
	for _, st := range v.Next {
		switch {
		case st == data.StatusExpired && !pt.Admin:
			continue
		case (st == data.StatusAccepted || st == data.StatusDeclined) && !pt.Staff() &&
			!slices.Contains(pt.Sides, p.RequestedBy.Other()):
			continue // only the side that did not ask answers
		}
		out = append(out, st)
	}
	return out
}

// transitionFields are the form's inputs in the API's field names.
var transitionFields = []string{"note", "side", "reason", "expires_in_days", "contract.number", "contract.type",
	"contract.amount_wan", "contract.signed_on", "contract.registered_on", "contract.office"}

func (wb *Workbench) transition(w http.ResponseWriter, r *http.Request) {
	tok, ok := wb.needRole(w, r, "变更对接状态", data.Roles...)
	if !ok || !wb.pairingsOn(w, r, "对接") {
		return
	}
	form := map[string]string{}
	for _, name := range transitionFields {
		form[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	errs := map[string]string{}
	t := data.Transition{To: data.PairingStatus(r.PostFormValue("to")), Note: form["note"], Side: data.Side(form["side"])}
	switch t.To {
	case data.StatusRequested:
		if v := form["expires_in_days"]; v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				errs["expires_in_days"] = "有效期应填写天数（整数）"
			}
			t.ExpiresInDays = n
		}
	case data.StatusClosed:
		t.Reason = form["reason"]
	case data.StatusSigned:
		k := &data.Contract{Number: form["contract.number"], Type: form["contract.type"], SignedOn: form["contract.signed_on"],
			RegisteredOn: form["contract.registered_on"], Office: form["contract.office"]}
		if v := form["contract.amount_wan"]; v != "" {
			amt, err := strconv.ParseFloat(v, 64)
			if err != nil {
				errs["contract.amount_wan"] = "合同金额应填写数字（万元），例如 120.5"
			}
			k.AmountWan = amt
		}
		t.Contract = k
		if len(errs) > 0 { // not sent: show the contract's other problems at once
			for _, fe := range k.Validate() {
				if _, dup := errs[fe.Field]; !dup {
					errs[fe.Field] = fe.Message
				}
			}
		}
	}
	var err error
	if len(errs) == 0 {
		var p *data.Pairing
		if p, err = wb.API.TransitionPairing(r.Context(), tok, r.PathValue("id"), t); err == nil {
			redirect(w, r, "/pairings/"+p.ID)
			return
		}
	}
	code := data.ErrorCode(err)
	if err != nil && code != data.EINVALID && code != data.ECONFLICT && code != data.EFORBIDDEN {
		wb.fail(w, r, err)
		return
	}
	for _, fe := range data.ErrorFields(err) {
		name := fe.Field
		if name == "contract" {
			name = "contract.number"
		}
		if _, dup := errs[name]; dup {
			errs[name] += "；" + fe.Message
		} else {
			errs[name] = fe.Message
		}
	}
	status := http.StatusBadRequest
	msg := "状态未变更：请按各栏下方的提示修改后再提交"
	if err != nil {
		status = server.ErrorStatus(code)
		if len(data.ErrorFields(err)) == 0 {
			msg = data.ErrorMessage(err)
		}
	}
	wb.showPairing(w, r, tok, status, pairingPage{Form: form, Errors: errs, Message: msg})
}

// ---- 经纪人 ----

type brokersPage struct {
	Items []data.Broker
}

func (wb *Workbench) brokers(w http.ResponseWriter, r *http.Request) {
	if !wb.pairingsOn(w, r, "技术经纪人") {
		return
	}
	list, err := wb.API.BrokersFor(r.Context(), user(r))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	wb.render(w, r, http.StatusOK, "brokers.html", "技术经纪人", "brokers", brokersPage{Items: list})
}

type brokerPage struct {
	Broker data.Broker
	Stats  *data.BrokerStats // staff only, as the API
	// Open are the broker's open pairings, the most recently updated first
	// (staff only); Suggested the open pairings no broker has yet whose
	// field or region the broker covers (the broker itself and admins).
	Open, Suggested []data.Pairing
	OpenTotal       int
	ShowSuggested   bool
}

// brokerListCap bounds the lists of a broker's page.
const brokerListCap = 20

// covers reports whether broker b's fields or regions cover pairing p
// (a region covers the places inside it).
func covers(b data.Broker, p data.Pairing) bool {
	if p.Field != "" && slices.Contains(b.Fields, p.Field) {
		return true
	}
	for _, r := range b.Regions {
		if r.Province != "" && r.Province == p.Region.Province &&
			(r.City == "" || r.City == p.Region.City) && (r.County == "" || r.County == p.Region.County) {
			return true
		}
	}
	return false
}

// brokerWork fills the broker's open pairings and, for the broker itself
// and admins, the unassigned ones it could take.
func (wb *Workbench) brokerWork(ctx context.Context, tok *data.Token, p *brokerPage) error {
	mine, err := wb.API.ListPairingsFor(ctx, tok, data.PairingFilter{BrokerID: p.Broker.ID})
	if err != nil {
		return err
	}
	byUpdate := func(a, b data.Pairing) int { return b.Updated.Compare(a.Updated) }
	slices.SortStableFunc(mine, byUpdate)
	for _, q := range mine {
		if q.Status.Open() {
			p.OpenTotal++
			if len(p.Open) < brokerListCap {
				p.Open = append(p.Open, q)
			}
		}
	}
	if p.ShowSuggested = tok.Role == data.RoleAdmin || tok.BrokerID == p.Broker.ID; !p.ShowSuggested {
		return nil
	}
	all, err := wb.API.ListPairingsFor(ctx, tok, data.PairingFilter{})
	if err != nil {
		return err
	}
	slices.SortStableFunc(all, byUpdate)
	for _, q := range all {
		if q.BrokerID == "" && q.Status.Open() && covers(p.Broker, q) && len(p.Suggested) < brokerListCap {
			p.Suggested = append(p.Suggested, q)
		}
	}
	return nil
}

// staffRoles may see broker statistics, as GET /api/v1/brokers/:id/stats.
var staffRoles = []data.Role{data.RoleAdmin, data.RoleOrganiser, data.RoleBroker}

func (wb *Workbench) broker(w http.ResponseWriter, r *http.Request) {
	if !wb.pairingsOn(w, r, "技术经纪人") {
		return
	}
	ctx := r.Context()
	tok := user(r)
	list, err := wb.API.BrokersFor(ctx, tok)
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(list, func(b data.Broker) bool { return b.ID == r.PathValue("id") })
	if i < 0 {
		wb.fail(w, r, data.Errorf(data.ENOTFOUND, "技术经纪人 %q 不存在", r.PathValue("id")))
		return
	}
	p := brokerPage{Broker: list[i]}
	if hasRole(tok, staffRoles...) {
		st, err := wb.API.BrokerStatsFor(ctx, p.Broker.ID)
		if err != nil {
			wb.fail(w, r, err)
			return
		}
		p.Stats = &st
		if err := wb.brokerWork(ctx, tok, &p); err != nil {
			wb.fail(w, r, err)
			return
		}
	}
	wb.render(w, r, http.StatusOK, "broker.html", p.Broker.Name, "brokers", p)
}
