package event

// Per-person agendas of a salon.

import (
	"context"

	"github.com/techmatch/techmatch/data"
)

// Agendas returns every registrant's agenda of the event's saved schedule
// (registrants without meetings too), with the matcher's reasons for each
// meeting.
func (p *Planner) Agendas(ctx context.Context, tok *data.Token, eventID string) ([]Agenda, error) {
	sc, err := p.Schedule(ctx, tok, eventID)
	if err != nil {
		return nil, err
	}
	reasons, err := p.meetingReasons(ctx, sc.Meetings)
	if err != nil {
		return nil, err
	}
	out := make([]Agenda, 0, len(sc.Parties))
	for _, party := range sc.Parties {
		a := Agenda{Event: sc.Event, Party: party, Meetings: []AgendaMeeting{}}
		for _, m := range sc.Agendas[party.ID] {
			am := AgendaMeeting{ScheduleMeeting: m, Reasons: reasons[[2]string{m.AchievementID, m.DemandID}], TimeRange: m.Start + "–" + m.End}
			if party.Kind == data.RegScientist {
				am.With, am.WithID, am.Ours, am.Theirs = m.EnterpriseName, m.Enterprise, m.AchievementTitle, m.DemandTitle
			} else {
				am.With, am.WithID, am.Ours, am.Theirs = m.ScientistName, m.Scientist, m.DemandTitle, m.AchievementTitle
			}
			if am.Reasons == nil {
				am.Reasons = []string{}
			}
			a.Meetings = append(a.Meetings, am)
		}
		out = append(out, a)
	}
	return out, nil
}

// Agenda returns one registrant's agenda.
func (p *Planner) Agenda(ctx context.Context, tok *data.Token, eventID, rid string) (*Agenda, error) {
	all, err := p.Agendas(ctx, tok, eventID)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Party.ID == rid {
			return &all[i], nil
		}
	}
	return nil, data.Errorf(data.ENOTFOUND, "活动 %s 的洽谈日程中没有报名 %q", eventID, rid)
}

// meetingReasons scores the meetings' record pairs afresh for their
// explanation sentences (none without a matcher).
func (p *Planner) meetingReasons(ctx context.Context, ms []ScheduleMeeting) (map[[2]string][]string, error) {
	out := map[[2]string][]string{}
	if p.Matcher == nil || len(ms) == 0 {
		return out, nil
	}
	achIDs, demIDs := make([]string, len(ms)), make([]string, len(ms))
	for i, m := range ms {
		achIDs[i], demIDs[i] = m.AchievementID, m.DemandID
	}
	achs, err := p.Store.Achievements(ctx, achIDs)
	if err != nil {
		return nil, err
	}
	dems, err := p.Store.Demands(ctx, demIDs)
	if err != nil {
		return nil, err
	}
	sentences := make([][]string, len(ms))
	err = each(ctx, len(ms), func(ctx context.Context, i int) error {
		if achs[i] == nil || dems[i] == nil {
			return nil
		}
		r, err := p.Matcher.ScorePair(ctx, dems[i], achs[i])
		sentences[i] = r.Explanation.Sentences
		return err
	})
	if err != nil {
		return nil, err
	}
	for i, m := range ms {
		out[[2]string{m.AchievementID, m.DemandID}] = sentences[i]
	}
	return out, nil
}
