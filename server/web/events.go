package web

// The event pages (活动). All event planning goes through event.Planner
// and its exports, and only in this file, so that moving the planner to its
// own package changes this file alone.

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/event"
)

// organiserRoles may build lineups and schedules, as the API.
var organiserRoles = []data.Role{data.RoleOrganiser, data.RoleAdmin}

func (wb *Workbench) eventRoutes(mux *http.ServeMux) {
	wb.handle(mux, "GET /events", http.HandlerFunc(wb.events))
	wb.handle(mux, "GET /events/{id}", http.HandlerFunc(wb.event))
	wb.handle(mux, "POST /events/{id}/lineup", http.HandlerFunc(wb.buildLineup))
	wb.handle(mux, "POST /events/{id}/schedule", http.HandlerFunc(wb.buildSchedule))
	for _, f := range []string{event.FormatXLSX, event.FormatCSV, event.FormatHTML} {
		wb.handle(mux, "GET /events/{id}/lineup."+f, wb.lineupExport(f))
	}
	for _, f := range []string{event.FormatXLSX, event.FormatCSV} {
		wb.handle(mux, "GET /events/{id}/schedule."+f, wb.scheduleExport(f))
	}
}

func (wb *Workbench) planner() *event.Planner {
	p := &event.Planner{Store: wb.Store, Events: wb.Events, Matcher: wb.Matcher}
	if wb.Index != nil {
		p.Search = wb.Index
	}
	return p
}

func (wb *Workbench) needEvents(w http.ResponseWriter, r *http.Request) bool {
	if wb.Events == nil {
		wb.fail(w, r, data.Errorf(data.ENOTFOUND, "本服务未启用活动功能"))
		return false
	}
	return true
}

func (wb *Workbench) events(w http.ResponseWriter, r *http.Request) {
	if !wb.needEvents(w, r) {
		return
	}
	evs, err := wb.Events.ListEvents(r.Context())
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	wb.render(w, r, http.StatusOK, "events.html", "活动", "events", evs)
}

type eventPage struct {
	Event         *data.Event
	Registrations []data.Registration
	Lineup        *event.Lineup
	Schedule      *event.Schedule
	Grid          [][]*event.ScheduleMeeting // [slot][table]
	Tables        []int
	Agendas       []agenda
	CanOrganise   bool
	Hidden        bool              // the programme is not published and the reader has no token
	Pool          string            // the lineup's candidate pool, for the form
	Error         string            // the last build's error, shown above the form
	Titles        map[string]string // record id → title, for the registrations
}

// titles returns the titles of the records registrations name.
func (wb *Workbench) titles(ctx context.Context, demandIDs, achievementIDs []string) (map[string]string, error) {
	out := map[string]string{}
	ds, err := wb.Store.Demands(ctx, demandIDs)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d != nil {
			out[d.ID] = d.Title
		}
	}
	as, err := wb.Store.Achievements(ctx, achievementIDs)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if a != nil {
			out[a.ID] = a.Title
		}
	}
	return out, nil
}

type agenda struct {
	Party    event.ScheduleParty
	Meetings []event.ScheduleMeeting
}

func (wb *Workbench) event(w http.ResponseWriter, r *http.Request) {
	if !wb.needEvents(w, r) {
		return
	}
	wb.showEvent(w, r, http.StatusOK, "")
}

// showEvent renders the event page, with msg as a build error if given.
func (wb *Workbench) showEvent(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ctx := r.Context()
	id := r.PathValue("id")
	ev, err := wb.Events.Event(ctx, id)
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	regs, err := wb.Events.Registrations(ctx, id)
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	tok := user(r)
	p := eventPage{Event: ev, CanOrganise: hasRole(tok, organiserRoles...), Error: msg}
	if !hasRole(tok, data.RoleAdmin, data.RoleOrganiser, data.RoleBroker) {
		ev.Owner = ""
	}
	var dids, aids []string
	for _, reg := range regs {
		p.Registrations = append(p.Registrations, event.RegistrationView(tok, reg))
		dids, aids = append(dids, reg.DemandIDs...), append(aids, reg.AchievementIDs...)
	}
	if p.Titles, err = wb.titles(ctx, dids, aids); err != nil {
		wb.fail(w, r, err)
		return
	}
	pl := wb.planner()
	p.Pool = "registered"
	if ev.Lineup != nil {
		p.Lineup, err = pl.Lineup(ctx, tok, id)
		switch {
		case data.ErrorCode(err) == data.EUNAUTHORIZED:
			p.Hidden = true
		case err != nil:
			wb.fail(w, r, err)
			return
		default:
			p.Pool = p.Lineup.Rules.Pool
		}
	}
	if ev.Schedule != nil {
		p.Schedule, err = pl.Schedule(ctx, tok, id)
		if data.ErrorCode(err) == data.EUNAUTHORIZED {
			p.Hidden = true
		} else if err != nil {
			wb.fail(w, r, err)
			return
		}
	}
	if p.Schedule != nil {
		sc := p.Schedule
		p.Grid = make([][]*event.ScheduleMeeting, sc.Slots)
		for i := range p.Grid {
			p.Grid[i] = make([]*event.ScheduleMeeting, sc.Tables)
		}
		for i := range sc.Meetings {
			m := &sc.Meetings[i]
			if m.Slot >= 1 && m.Slot <= sc.Slots && m.Table >= 1 && m.Table <= sc.Tables {
				p.Grid[m.Slot-1][m.Table-1] = m
			}
		}
		for t := 1; t <= sc.Tables; t++ {
			p.Tables = append(p.Tables, t)
		}
		for _, party := range sc.Parties {
			p.Agendas = append(p.Agendas, agenda{Party: party, Meetings: sc.Agendas[party.ID]})
		}
	}
	wb.render(w, r, status, "event.html", ev.Title, "events", p)
}

// formInt reads a positive integer field; absent is nil.
func formInt(r *http.Request, name, label string, bad *[]string) *int {
	v := r.PostFormValue(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		*bad = append(*bad, label+"应为非负整数")
		return nil
	}
	return &n
}

func (wb *Workbench) buildLineup(w http.ResponseWriter, r *http.Request) {
	if !wb.needEvents(w, r) {
		return
	}
	if _, ok := wb.needRole(w, r, "编排路演议程", organiserRoles...); !ok {
		return
	}
	var bad []string
	in := event.LineupParams{
		Slots:    formInt(r, "slots", "场次数", &bad),
		Pool:     formPool(r),
		Locked:   nonNil(r.PostForm["locked"]),
		Excluded: nonNil(r.PostForm["excluded"]),
	}
	// Locking one slot and excluding it at once means excluding it.
	in.Locked = slices.DeleteFunc(in.Locked, func(id string) bool { return slices.Contains(in.Excluded, id) })
	if len(bad) > 0 {
		wb.showEvent(w, r, http.StatusBadRequest, joinMessages(bad))
		return
	}
	_, err := wb.planner().BuildLineup(r.Context(), user(r), r.PathValue("id"), in)
	wb.afterBuild(w, r, err, "#lineup")
}

func (wb *Workbench) buildSchedule(w http.ResponseWriter, r *http.Request) {
	if !wb.needEvents(w, r) {
		return
	}
	if _, ok := wb.needRole(w, r, "编排洽谈日程", organiserRoles...); !ok {
		return
	}
	var bad []string
	in := event.ScheduleParams{
		Slots:       formInt(r, "slots", "轮次数", &bad),
		Tables:      formInt(r, "tables", "桌数", &bad),
		MaxMeetings: formInt(r, "max_meetings", "每人最多洽谈数", &bad),
	}
	if len(bad) > 0 {
		wb.showEvent(w, r, http.StatusBadRequest, joinMessages(bad))
		return
	}
	_, err := wb.planner().BuildSchedule(r.Context(), user(r), r.PathValue("id"), in)
	wb.afterBuild(w, r, err, "#schedule")
}

// afterBuild answers a lineup or schedule build: back to the event's section
// when it worked, the error page for a missing event or an internal error,
// and otherwise the event page with the build's messages above the form.
func (wb *Workbench) afterBuild(w http.ResponseWriter, r *http.Request, err error, anchor string) {
	switch code := data.ErrorCode(err); {
	case err == nil:
		redirect(w, r, "/events/"+r.PathValue("id")+anchor)
	case code == data.EINTERNAL || code == data.ENOTFOUND:
		wb.fail(w, r, err)
	default:
		bad := []string{data.ErrorMessage(err)}
		for _, fe := range data.ErrorFields(err) {
			bad = append(bad, fe.Message)
		}
		wb.showEvent(w, r, http.StatusBadRequest, joinMessages(bad))
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func joinMessages(msgs []string) string {
	var b bytes.Buffer
	for i, m := range msgs {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(m)
	}
	return b.String()
}

var exportTypes = map[string]string{
	event.FormatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	event.FormatCSV:  "text/csv; charset=utf-8",
	event.FormatHTML: "text/html; charset=utf-8",
}

func sendExport(w http.ResponseWriter, format, name string, body []byte) {
	disp := "attachment"
	if format == event.FormatHTML {
		disp = "inline"
		// The booklet is a stand-alone printable page with its own styles.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": name + "." + format}))
	w.Header().Set("Content-Type", exportTypes[format])
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func (wb *Workbench) lineupExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !wb.needEvents(w, r) {
			return
		}
		l, err := wb.planner().Lineup(r.Context(), user(r), r.PathValue("id"))
		if err != nil {
			wb.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := event.WriteLineup(&buf, format, l); err != nil {
			wb.fail(w, r, err)
			return
		}
		sendExport(w, format, "路演议程-"+l.Event.ID, buf.Bytes())
	}
}

func (wb *Workbench) scheduleExport(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !wb.needEvents(w, r) {
			return
		}
		sc, err := wb.planner().Schedule(r.Context(), user(r), r.PathValue("id"))
		if err != nil {
			wb.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := event.WriteSchedule(&buf, format, sc); err != nil {
			wb.fail(w, r, err)
			return
		}
		sendExport(w, format, "洽谈日程-"+sc.Event.ID, buf.Bytes())
	}
}

// formPool reads the lineup form's candidate pool; an empty choice leaves the
// API's default.
func formPool(r *http.Request) *string {
	if v := r.PostFormValue("pool"); v != "" {
		return &v
	}
	return nil
}
