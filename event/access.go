package event

// Who may do what with an event, versions, publication and the lifecycle
// of events and registrations.

import (
	"context"
	"errors"
	"slices"

	"github.com/techmatch/techmatch/data"
)

// Operator is the caller of the techmatch command: an operator at the
// console of the data directory, with an administrator's rights.
var Operator = &data.Token{ID: "operator", Role: data.RoleAdmin, Name: "techmatch 命令行"}

// mayManage reports whether tok may change the event, its registrations
// and its plans: administrators always, organisers only their own events
// (events without an owner are anyone's).
func mayManage(tok *data.Token, ev *data.Event) error {
	switch {
	case tok == nil:
		return data.Errorf(data.EUNAUTHORIZED, "请先登录：管理活动需要组织者或管理员令牌")
	case tok.Role == data.RoleAdmin:
		return nil
	case tok.Role == data.RoleOrganiser && (ev.Owner == "" || ev.Owner == tok.ID):
		return nil
	}
	return data.Errorf(data.EFORBIDDEN, "活动 %s 由其他组织者创建：只有创建它的组织者或管理员可以修改它、管理报名或排期", ev.ID)
}

// checkVersion refuses a write based on an older version of the event.
func checkVersion(ev *data.Event, v *int) error {
	if v != nil && *v != ev.Version {
		return data.Errorf(data.ECONFLICT, "活动 %s 已被修改（当前版本 %d，请求中为 %d）：请重新读取活动，确认改动后再提交", ev.ID, ev.Version, *v)
	}
	return nil
}

// mayBuild reports whether tok may build the event's lineup or schedule
// from the given version of it.
func (p *Planner) mayBuild(tok *data.Token, ev *data.Event, version *int) error {
	if err := mayManage(tok, ev); err != nil {
		return err
	}
	return checkVersion(ev, version)
}

// mayRead reports whether tok may read the event's lineup or schedule:
// anyone once published, else only with a token.
func mayRead(tok *data.Token, ev *data.Event, what string) error {
	if tok == nil && !ev.Published {
		return data.Errorf(data.EUNAUTHORIZED, "活动 %s 的%s尚未发布：请携带令牌查看，或请组织者发布活动（published: true）", ev.ID, what)
	}
	return nil
}

// activeRegistrations drops withdrawn registrations.
func activeRegistrations(regs []data.Registration) []data.Registration {
	return slices.DeleteFunc(slices.Clone(regs), func(r data.Registration) bool { return !r.Active() })
}

// DeleteEvent deletes an event with its registrations: administrators any,
// organisers their own.
func (p *Planner) DeleteEvent(ctx context.Context, tok *data.Token, id string) error {
	ev, err := p.Events.Event(ctx, id)
	if err != nil {
		return err
	}
	if err := mayManage(tok, ev); err != nil {
		return err
	}
	// The store refuses an event that pairings came from, in its delete
	// transaction.
	del, ok := p.Events.(data.EventDeleter)
	if !ok {
		return errors.New("event store cannot delete events")
	}
	return del.DeleteEvent(ctx, id)
}

// Withdraw marks a registration 已退出: it is kept, shown, and left out of
// the next lineup or schedule. An enterprise withdraws its own
// registrations; organisers those of their events.
func (p *Planner) Withdraw(ctx context.Context, tok *data.Token, eventID, rid string) (data.Registration, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return data.Registration{}, err
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return data.Registration{}, err
	}
	i := slices.IndexFunc(regs, func(o data.Registration) bool { return o.ID == rid })
	if i < 0 {
		return data.Registration{}, data.Errorf(data.ENOTFOUND, "活动 %s 没有报名 %q", eventID, rid)
	}
	r := regs[i]
	if tok != nil && tok.Role == data.RoleEnterprise {
		if r.Owner != tok.ID {
			return data.Registration{}, data.Errorf(data.EFORBIDDEN, "这条报名不是当前企业账号提交的，不能退出")
		}
	} else if err := mayManage(tok, ev); err != nil {
		return data.Registration{}, err
	}
	if r.Active() {
		r.Status = data.RegWithdrawn
		if err := p.Events.PutRegistration(ctx, &r); err != nil {
			return data.Registration{}, err
		}
	}
	return RegistrationView(tok, r), nil
}
