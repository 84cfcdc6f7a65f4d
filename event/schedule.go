package event

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/plan"
)

// BuildSchedule schedules the 1:1 meetings of a salon, saves the schedule
// with the event and returns it.
//
// Every scientist–enterprise pair is scored by the best ScorePair over the
// scientist's achievements and the enterprise's demands; plan.BuildSchedule
// then chooses the meetings exactly as a max-weight b-matching (min-cost
// flow) and places them in slots and at tables (bipartite edge colouring with
// an improvement pass); see its documentation.
func (p *Planner) BuildSchedule(ctx context.Context, tok *data.Token, eventID string, in ScheduleParams) (*Schedule, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if err := p.mayBuild(tok, ev, in.Version); err != nil {
		return nil, err
	}
	all, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	regs := activeRegistrations(all)
	req, err := scheduleRequest(ev, in)
	if err != nil {
		return nil, err
	}
	if in.Locked == nil {
		// The last run's locks of registrations withdrawn since go.
		req.Locked = slices.DeleteFunc(req.Locked, func(m plan.Meeting) bool {
			return !slices.ContainsFunc(regs, func(r data.Registration) bool { return r.ID == m.Scientist }) ||
				!slices.ContainsFunc(regs, func(r data.Registration) bool { return r.ID == m.Enterprise })
		})
	}
	var sci, ent []data.Registration
	var achIDs, demIDs []string
	for _, r := range regs {
		switch r.Kind {
		case data.RegScientist:
			sci = append(sci, r)
			achIDs = append(achIDs, r.AchievementIDs...)
		case data.RegEnterprise:
			ent = append(ent, r)
			demIDs = append(demIDs, r.DemandIDs...)
		}
	}
	if len(sci) == 0 || len(ent) == 0 {
		return nil, data.Errorf(data.EINVALID, "沙龙至少需要一位科研人员和一家企业报名：现有科研人员 %d 位、企业 %d 家", len(sci), len(ent))
	}
	if p.Matcher == nil {
		return nil, errors.New("matcher is not configured")
	}
	if n := len(achIDs) * len(demIDs); n > maxSchedulePairs {
		return nil, data.Errorf(data.EINVALID, "报名所带的成果（%d 项）与需求（%d 项）组合过多（%d 对，最多 %d 对）：请减少每人所带的记录", len(achIDs), len(demIDs), n, maxSchedulePairs)
	}
	var warnings []string
	achs, err := p.Store.Achievements(ctx, achIDs)
	if err != nil {
		return nil, err
	}
	dems, err := p.Store.Demands(ctx, demIDs)
	if err != nil {
		return nil, err
	}
	achOf, demOf := map[string][]*data.Achievement{}, map[string][]*data.Demand{}
	k := 0
	for _, r := range sci {
		for _, id := range r.AchievementIDs {
			if a := achs[k]; a != nil {
				achOf[r.ID] = append(achOf[r.ID], a)
			} else {
				warnings = append(warnings, fmt.Sprintf("报名 %s 所带的科技成果 %s 已不存在，未计入", r.ID, id))
			}
			k++
		}
	}
	k = 0
	for _, r := range ent {
		for _, id := range r.DemandIDs {
			if d := dems[k]; d != nil {
				demOf[r.ID] = append(demOf[r.ID], d)
			} else {
				warnings = append(warnings, fmt.Sprintf("报名 %s 所带的技术需求 %s 已不存在，未计入", r.ID, id))
			}
			k++
		}
	}

	isSci, isEnt := map[string]bool{}, map[string]bool{}
	for _, r := range sci {
		isSci[r.ID] = true
	}
	for _, r := range ent {
		isEnt[r.ID] = true
	}
	type pairKey struct{ sci, ent string }
	avoid := map[pairKey]bool{}
	party := func(r data.Registration, other map[string]bool) plan.Party {
		sp := plan.Party{ID: r.ID}
		for _, id := range r.Wants {
			if other[id] {
				sp.Wants = append(sp.Wants, id)
			}
		}
		for _, id := range r.Avoid {
			if other[id] {
				sp.Avoid = append(sp.Avoid, id)
			}
		}
		return sp
	}
	var sciParties, entParties []plan.Party
	for _, r := range sci {
		sp := party(r, isEnt)
		for _, o := range sp.Avoid {
			avoid[pairKey{r.ID, o}] = true
		}
		sciParties = append(sciParties, sp)
	}
	for _, r := range ent {
		sp := party(r, isSci)
		for _, o := range sp.Avoid {
			avoid[pairKey{o, r.ID}] = true
		}
		entParties = append(entParties, sp)
	}

	// Score every pair that may meet: the best of its record pairs.
	type job struct{ i, j int }
	var jobs []job
	for i, s := range sci {
		for j, e := range ent {
			if !avoid[pairKey{s.ID, e.ID}] && len(achOf[s.ID]) > 0 && len(demOf[e.ID]) > 0 {
				jobs = append(jobs, job{i, j})
			}
		}
	}
	pairs := make([]plan.Pair, len(jobs))
	err = each(ctx, len(jobs), func(ctx context.Context, n int) error {
		s, e := sci[jobs[n].i], ent[jobs[n].j]
		best := plan.Pair{Scientist: s.ID, Enterprise: e.ID, Score: -1}
		for _, a := range achOf[s.ID] {
			for _, d := range demOf[e.ID] {
				r, err := p.Matcher.ScorePair(ctx, d, a)
				if err != nil {
					return err
				}
				if sc := min(max(r.Score, 0), 1); sc > best.Score {
					best.Score, best.AchievementID, best.DemandID = sc, a.ID, d.ID
				}
			}
		}
		pairs[n] = best
		return nil
	})
	if err != nil {
		return nil, err
	}
	byPair := map[pairKey]plan.Pair{}
	for _, sp := range pairs {
		byPair[pairKey{sp.Scientist, sp.Enterprise}] = sp
	}
	// Locks carry the pair's own records and score, whatever was sent.
	for i := range req.Locked {
		m := &req.Locked[i]
		sp := byPair[pairKey{m.Scientist, m.Enterprise}]
		m.AchievementID, m.DemandID, m.Score = sp.AchievementID, sp.DemandID, max(sp.Score, 0)
		m.Mutual, m.Requested, m.Locked = false, false, false
	}
	res, err := plan.BuildSchedule(sciParties, entParties, pairs, req)
	if err != nil {
		return nil, err
	}

	saved := &data.SavedSchedule{
		Meetings:    append([]plan.Meeting{}, res.Meetings...),
		Built:       p.now().UTC(),
		Slots:       req.Slots,
		Tables:      req.Tables,
		MaxMeetings: req.MaxMeetings,
		MinMeetings: &req.MinMeetings,
		FairBound:   round4(res.FairBound),
		Unplaced:    res.Unplaced,
		Fairness:    res.Fairness,
		Total:       round4(res.Total),
		UpperBound:  round4(res.UpperBound),
		Score:       round4(res.Score),
		Requests:    res.Requests,
		Warnings:    append(warnings, res.Warnings...),
	}
	if n := len(res.Unplaced); n > 0 {
		saved.Warnings = append(saved.Warnings, fmt.Sprintf("有 %d 位报名者少于 %d 场会谈，原因见 unplaced", n, max(req.MinMeetings, 1)))
	}
	ev.Schedule = saved
	if err := p.Events.PutEvent(ctx, ev); err != nil {
		return nil, err
	}
	return p.renderSchedule(ctx, ev, all)
}

// scheduleRequest resolves the shape of a salon: the request, else the
// last run, else the event.
func scheduleRequest(ev *data.Event, in ScheduleParams) (plan.ScheduleRequest, error) {
	req := plan.ScheduleRequest{Slots: ev.TimeSlots, Tables: ev.Tables, MinMeetings: DefaultMinMeetings}
	if sc := ev.Schedule; sc != nil {
		if req.Slots == 0 {
			req.Slots = sc.Slots
		}
		if req.Tables == 0 {
			req.Tables = sc.Tables
		}
		req.MaxMeetings = sc.MaxMeetings
		if sc.MinMeetings != nil {
			req.MinMeetings = *sc.MinMeetings
		}
		for _, m := range sc.Meetings {
			req.Previous = append(req.Previous, m)
			if m.Locked && in.Locked == nil {
				req.Locked = append(req.Locked, m)
			}
		}
	}
	if in.Slots != nil {
		req.Slots = *in.Slots
	}
	if in.Tables != nil {
		req.Tables = *in.Tables
	}
	if in.MaxMeetings != nil {
		req.MaxMeetings = *in.MaxMeetings
	}
	if in.MinMeetings != nil {
		req.MinMeetings = *in.MinMeetings
	}
	if in.Locked != nil {
		req.Locked = slices.Clone(in.Locked)
	}
	var bad []data.FieldError
	badf := func(field, format string, args ...any) {
		bad = append(bad, data.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch {
	case req.Slots == 0:
		badf("slots", "对接时段数未设置：请在请求中给出 slots，或在活动中设置 time_slots")
	case req.Slots < 0 || req.Slots > 100:
		badf("slots", "对接时段数应在 1 到 100 之间，现为 %d", req.Slots)
	}
	switch {
	case req.Tables == 0:
		badf("tables", "洽谈桌数未设置：请在请求中给出 tables，或在活动中设置 tables")
	case req.Tables < 0 || req.Tables > 500:
		badf("tables", "洽谈桌数应在 1 到 500 之间，现为 %d", req.Tables)
	}
	if req.MaxMeetings < 0 || req.MaxMeetings > 100 {
		badf("max_meetings", "每人会谈上限应在 0 到 100 之间（0 表示不超过时段数），现为 %d", req.MaxMeetings)
	}
	if req.MinMeetings < 0 || req.MinMeetings > 100 {
		badf("min_meetings", "每人至少会谈场数应在 0 到 100 之间（0 表示不设下限），现为 %d", req.MinMeetings)
	} else if req.MaxMeetings > 0 && req.MinMeetings > req.MaxMeetings {
		badf("min_meetings", "每人至少会谈场数（%d）不能多于每人会谈上限（max_meetings %d）", req.MinMeetings, req.MaxMeetings)
	}
	if len(bad) > 0 {
		return req, &data.Error{Code: data.EINVALID, Message: "沙龙排期参数有误，请按提示修改", Fields: bad}
	}
	return req, nil
}

// Schedule returns the event's saved schedule.
func (p *Planner) Schedule(ctx context.Context, tok *data.Token, eventID string) (*Schedule, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if err := mayRead(tok, ev, "洽谈日程"); err != nil {
		return nil, err
	}
	if ev.Schedule == nil {
		return nil, data.Errorf(data.ENOTFOUND, "活动 %s 还没有洽谈日程：请先 POST /api/v1/events/%s/schedule 排出日程", eventID, eventID)
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return p.renderSchedule(ctx, ev, regs)
}

func (p *Planner) renderSchedule(ctx context.Context, ev *data.Event, regs []data.Registration) (*Schedule, error) {
	sc := ev.Schedule
	var achIDs, demIDs []string
	for _, m := range sc.Meetings {
		achIDs = append(achIDs, m.AchievementID)
		demIDs = append(demIDs, m.DemandID)
	}
	achs, err := p.Store.Achievements(ctx, achIDs)
	if err != nil {
		return nil, err
	}
	dems, err := p.Store.Demands(ctx, demIDs)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	out := &Schedule{
		Event:       summarize(ev),
		Meetings:    make([]ScheduleMeeting, 0, len(sc.Meetings)),
		Total:       sc.Total,
		UpperBound:  sc.UpperBound,
		Score:       sc.Score,
		Requests:    sc.Requests,
		Slots:       sc.Slots,
		Tables:      sc.Tables,
		MaxMeetings: sc.MaxMeetings,
		FairBound:   sc.FairBound,
		Fairness:    sc.Fairness,
		Unplaced:    []UnplacedParty{},
		Agendas:     map[string][]ScheduleMeeting{},
		Parties:     []ScheduleParty{},
		Warnings:    nonNilStrings(sc.Warnings),
		Built:       sc.Built,
	}
	for _, r := range regs {
		names[r.ID] = r.Name
		if r.Kind == data.RegScientist || r.Kind == data.RegEnterprise {
			out.Agendas[r.ID] = []ScheduleMeeting{}
		}
	}
	minutes := ev.MeetingMinutes
	if minutes <= 0 {
		minutes = DefaultMeetingMinutes
	}
	for i, m := range sc.Meetings {
		start, end := slotTimes(ev.Start, m.Slot-1, minutes)
		sm := ScheduleMeeting{Slot: m.Slot, Table: m.Table, Start: start, End: end,
			Scientist: m.Scientist, ScientistName: names[m.Scientist],
			Enterprise: m.Enterprise, EnterpriseName: names[m.Enterprise],
			AchievementID: m.AchievementID, DemandID: m.DemandID, Score: m.Score,
			Mutual: m.Mutual, Requested: m.Requested, Locked: m.Locked}
		if a := achs[i]; a != nil {
			sm.AchievementTitle = a.Title
		}
		if d := dems[i]; d != nil {
			sm.DemandTitle = d.Title
		}
		out.Meetings = append(out.Meetings, sm)
		out.Agendas[m.Scientist] = append(out.Agendas[m.Scientist], sm)
		out.Agendas[m.Enterprise] = append(out.Agendas[m.Enterprise], sm)
	}
	for _, ms := range out.Agendas {
		slices.SortStableFunc(ms, func(a, b ScheduleMeeting) int { return a.Slot - b.Slot })
	}
	kinds := map[string]string{}
	for _, r := range regs {
		if r.Kind == data.RegScientist || r.Kind == data.RegEnterprise {
			kinds[r.ID] = r.Kind
			out.Parties = append(out.Parties, ScheduleParty{ID: r.ID, Kind: r.Kind, Name: r.Name, Meetings: len(out.Agendas[r.ID]), Status: r.Status})
		}
	}
	if sc.MinMeetings != nil {
		out.MinMeetings = *sc.MinMeetings
	}
	if sc.FairBound == 0 {
		out.FairBound = sc.UpperBound // built before fair schedules
	}
	for _, u := range sc.Unplaced {
		out.Unplaced = append(out.Unplaced, UnplacedParty{ID: u.ID, Kind: kinds[u.ID], Name: names[u.ID],
			Meetings: u.Meetings, Reason: u.Reason, Message: nameIDs(u.Message, u.ID, names[u.ID])})
	}
	return out, nil
}

// nameIDs puts the registrant's name beside its id in a message.
func nameIDs(msg, id, name string) string {
	if name == "" {
		return msg
	}
	return strings.ReplaceAll(msg, id, name+"（"+id+"）")
}
