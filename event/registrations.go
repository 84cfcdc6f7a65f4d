package event

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// ---- Events ----

// canSeeEventPrivate reports whether the caller may see who owns events and
// what registrations asked for (wants, avoid): organisers, admins and
// brokers always; an enterprise its own registrations.
func canSeeEventPrivate(tok *data.Token, owner string) bool {
	if tok == nil {
		return false
	}
	switch tok.Role {
	case data.RoleAdmin, data.RoleOrganiser, data.RoleBroker:
		return true
	case data.RoleEnterprise:
		return owner != "" && owner == tok.ID
	}
	return false
}

func eventView(tok *data.Token, e data.Event) data.Event {
	if !canSeeEventPrivate(tok, "") {
		e.Owner = ""
	}
	if tok == nil && !e.Published {
		e.Lineup, e.Schedule = nil, nil // unpublished plans need a token
	}
	return e
}

// RegistrationView returns what tok may see of an event registration: the
// API's rule, also used by the workbench's pages.
func RegistrationView(tok *data.Token, r data.Registration) data.Registration {
	if !canSeeEventPrivate(tok, r.Owner) {
		r.Wants, r.Avoid, r.Owner = nil, nil, ""
	}
	return r
}

// ListEvents returns the events (of one type, unless typ is empty) as tok
// may see them, without their saved lineups and schedules: lists stay
// small, GET /api/v1/events/:id shows those.
func (p *Planner) ListEvents(ctx context.Context, tok *data.Token, typ string) ([]data.Event, error) {
	list, err := p.Events.ListEvents(ctx)
	if err != nil {
		return nil, err
	}
	items := []data.Event{}
	for _, e := range list {
		if typ != "" && e.Type != typ {
			continue
		}
		e.Lineup, e.Schedule = nil, nil
		items = append(items, eventView(tok, e))
	}
	return items, nil
}

// Event returns one event as tok may see it.
func (p *Planner) Event(ctx context.Context, tok *data.Token, id string) (data.Event, error) {
	e, err := p.Events.Event(ctx, id)
	if err != nil {
		return data.Event{}, err
	}
	return eventView(tok, *e), nil
}

// CreateEvent stores a new event owned by tok; an id of its own must be
// free.
func (p *Planner) CreateEvent(ctx context.Context, tok *data.Token, e data.Event) (data.Event, error) {
	if e.ID != "" {
		if _, err := p.Events.Event(ctx, e.ID); err == nil {
			return data.Event{}, data.Errorf(data.ECONFLICT, "活动编号 %q 已被占用：修改已有活动请用 PUT /api/v1/events/%s", e.ID, e.ID)
		} else if data.ErrorCode(err) != data.ENOTFOUND {
			return data.Event{}, err
		}
	}
	// Lineups and schedules are built by the planner, never sent in.
	e.Lineup, e.Schedule = nil, nil
	e.Version = 0
	e.Meta = data.Meta{Owner: tok.ID}
	return p.writeEvent(ctx, tok, &e)
}

// PutEvent replaces (or creates) the event id, keeping its saved lineup and
// schedule; created reports whether it is new.
func (p *Planner) PutEvent(ctx context.Context, tok *data.Token, id string, e data.Event) (view data.Event, created bool, err error) {
	if e.ID != "" && e.ID != id {
		return data.Event{}, false, data.Errorf(data.EINVALID, "请求体中的编号 %q 与地址中的编号 %q 不一致", e.ID, id)
	}
	e.ID = id
	old, err := p.Events.Event(ctx, id)
	switch {
	case err == nil:
		if err := mayManage(tok, old); err != nil {
			return data.Event{}, false, err
		}
		if e.Version != 0 {
			if err := checkVersion(old, &e.Version); err != nil {
				return data.Event{}, false, err
			}
		}
		// The store refuses the write if a build or another PUT has written
		// since old was read.
		e.Version = old.Version
		e.Lineup, e.Schedule = old.Lineup, old.Schedule
		e.Meta = old.Meta
	case data.ErrorCode(err) == data.ENOTFOUND:
		created = true
		e.Version = 0
		e.Lineup, e.Schedule = nil, nil
		e.Meta = data.Meta{Owner: tok.ID}
	default:
		return data.Event{}, false, err
	}
	view, err = p.writeEvent(ctx, tok, &e)
	return view, created, err
}

func (p *Planner) writeEvent(ctx context.Context, tok *data.Token, e *data.Event) (data.Event, error) {
	if err := p.Events.PutEvent(ctx, e); err != nil {
		return data.Event{}, err
	}
	return eventView(tok, *e), nil
}

// ---- Registrations ----

// Registrations returns an event's registrations as tok may see them.
func (p *Planner) Registrations(ctx context.Context, tok *data.Token, eventID string) ([]data.Registration, error) {
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	items := make([]data.Registration, 0, len(regs))
	for _, r := range regs {
		items = append(items, RegistrationView(tok, r))
	}
	return items, nil
}

// Register creates (rid empty) or replaces the registration rid of an
// event; created reports whether it is new. Organisers and admins register
// anyone; an enterprise registers itself, with its own demands only.
func (p *Planner) Register(ctx context.Context, tok *data.Token, eventID, rid string, r data.Registration) (view data.Registration, created bool, err error) {
	if r.EventID != "" && r.EventID != eventID {
		return view, false, data.Errorf(data.EINVALID, "请求体中的活动编号 %q 与地址中的 %q 不一致", r.EventID, eventID)
	}
	r.EventID = eventID
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return view, false, err
	}
	if tok.Role != data.RoleEnterprise {
		if err := mayManage(tok, ev); err != nil {
			return view, false, err
		}
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return view, false, err
	}
	if rid == "" {
		if r.ID != "" {
			return view, false, data.Errorf(data.EINVALID, "新报名不能自带编号：修改已有报名请用 PUT /api/v1/events/%s/registrations/%s", eventID, r.ID)
		}
		r.Meta = data.Meta{Owner: tok.ID}
		r.Status = ""
		created = true
	} else {
		if r.ID != "" && r.ID != rid {
			return view, false, data.Errorf(data.EINVALID, "请求体中的编号 %q 与地址中的编号 %q 不一致", r.ID, rid)
		}
		i := slices.IndexFunc(regs, func(o data.Registration) bool { return o.ID == rid })
		if i < 0 {
			return view, false, data.Errorf(data.ENOTFOUND, "活动 %s 没有报名 %q", eventID, rid)
		}
		if tok.Role == data.RoleEnterprise && regs[i].Owner != tok.ID {
			return view, false, data.Errorf(data.EFORBIDDEN, "这条报名不是当前企业账号提交的，不能修改")
		}
		r.ID, r.Meta, r.Status = rid, regs[i].Meta, regs[i].Status
	}
	if err := p.checkRegistration(ctx, tok, &r, regs); err != nil {
		return view, false, err
	}
	if err := p.Events.PutRegistration(ctx, &r); err != nil {
		return view, false, err
	}
	return RegistrationView(tok, r), created, nil
}

// checkRegistration checks what the store cannot: that the records named
// exist (and belong to the enterprise registering itself), that wants and
// avoid name registrations of the other side of the event; and it fills in
// a missing name from the records.
func (p *Planner) checkRegistration(ctx context.Context, tok *data.Token, r *data.Registration, regs []data.Registration) error {
	r.Name = strings.TrimSpace(r.Name)
	r.DemandIDs = uniqueStrings(r.DemandIDs)
	r.AchievementIDs = uniqueStrings(r.AchievementIDs)
	r.Wants = uniqueStrings(r.Wants)
	r.Avoid = uniqueStrings(r.Avoid)
	if tok.Role == data.RoleEnterprise && r.Kind != data.RegEnterprise {
		return data.Errorf(data.EFORBIDDEN, "企业账号只能以企业（kind 为 enterprise）身份为自己报名")
	}
	var bad []data.FieldError
	badf := func(field, format string, args ...any) {
		bad = append(bad, data.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch r.Kind {
	case data.RegEnterprise:
		ds, err := p.Store.Demands(ctx, r.DemandIDs)
		if err != nil {
			return err
		}
		for i, d := range ds {
			switch {
			case d == nil:
				badf(fmt.Sprintf("demand_ids[%d]", i), "技术需求 %q 不存在", r.DemandIDs[i])
			case tok.Role == data.RoleEnterprise && d.Owner != tok.ID:
				return data.Errorf(data.EFORBIDDEN, "技术需求 %s 不属于当前企业账号，不能用它报名", d.ID)
			case r.Name == "" && d.Enterprise.Name != "":
				r.Name = d.Enterprise.Name
			}
		}
	case data.RegScientist:
		as, err := p.Store.Achievements(ctx, r.AchievementIDs)
		if err != nil {
			return err
		}
		for i, a := range as {
			switch {
			case a == nil:
				badf(fmt.Sprintf("achievement_ids[%d]", i), "科技成果 %q 不存在", r.AchievementIDs[i])
			case r.Name == "" && len(a.Inventors) > 0:
				r.Name = a.Inventors[0].Name
			}
		}
	}
	kindOf := map[string]string{}
	for _, o := range regs {
		kindOf[o.ID] = o.Kind
	}
	for _, list := range []struct {
		field string
		ids   []string
	}{{"wants", r.Wants}, {"avoid", r.Avoid}} {
		for i, id := range list.ids {
			f := fmt.Sprintf("%s[%d]", list.field, i)
			switch k, ok := kindOf[id]; {
			case id == r.ID && id != "":
				badf(f, "报名不能指向自己")
			case !ok:
				badf(f, "本活动没有报名 %q：请填写对方的报名编号（如 r-0001）", id)
			case k == r.Kind:
				badf(f, "报名 %s 与本报名同为%s：沙龙只安排科研人员与企业之间的会谈", id, regKindLabel(k))
			}
		}
	}
	if err := r.Validate(); err != nil {
		var e *data.Error
		if errors.As(err, &e) {
			e.Fields = append(e.Fields, bad...)
		}
		return err
	}
	if len(bad) > 0 {
		return &data.Error{Code: data.EINVALID, Message: fmt.Sprintf("报名有 %d 处需要修改", len(bad)), Fields: bad}
	}
	return nil
}

// uniqueStrings drops repeats, keeping the first of each.
func uniqueStrings(in []string) []string {
	if len(in) < 2 {
		return in
	}
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func regKindLabel(kind string) string {
	if kind == data.RegScientist {
		return "科研人员"
	}
	return "企业"
}
