package server

// Events (活动): roadshows (科技成果路演), salons (科学家企业家交流分享沙龙) and
// challenge releases (揭榜挂帅), their registrations, and the lineups and
// meeting schedules built for them from the matcher's scores.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

func (s *Server) eventRoutes(v1 *gin.RouterGroup) {
	organiser := s.require(data.RoleOrganiser, data.RoleAdmin)
	registrant := s.require(data.RoleOrganiser, data.RoleAdmin, data.RoleEnterprise)
	g := v1.Group("/events", s.needEvents)
	g.GET("", s.handleListEvents)
	g.POST("", organiser, s.handleCreateEvent)
	g.GET("/:id", s.handleGetEvent)
	g.PUT("/:id", organiser, s.handlePutEvent)
	g.GET("/:id/registrations", s.handleRegistrations)
	g.POST("/:id/registrations", registrant, s.handleRegister)
	g.PUT("/:id/registrations/:rid", registrant, s.handleRegister)
	g.POST("/:id/lineup", organiser, s.handleBuildLineup)
	g.GET("/:id/lineup", s.handleLineup)
	for _, f := range []string{FormatXLSX, FormatCSV, FormatHTML} {
		g.GET("/:id/lineup."+f, s.handleLineupExport(f))
	}
	g.POST("/:id/schedule", organiser, s.handleBuildSchedule)
	g.GET("/:id/schedule", s.handleSchedule)
	for _, f := range []string{FormatXLSX, FormatCSV} {
		g.GET("/:id/schedule."+f, s.handleScheduleExport(f))
	}
}

func (s *Server) needEvents(c *gin.Context) {
	if s.Events == nil {
		s.fail(c, errors.New("event store is not configured"))
		return
	}
	c.Next()
}

// planner returns the event planner over the server's store, index and
// matcher.
func (s *Server) planner() *EventPlanner {
	p := &EventPlanner{Store: s.Store, Events: s.Events, Matcher: s.Matcher}
	if s.Index != nil {
		p.Search = s.Index
	}
	return p
}

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
	return e
}

func registrationView(tok *data.Token, r data.Registration) data.Registration {
	if !canSeeEventPrivate(tok, r.Owner) {
		r.Wants, r.Avoid, r.Owner = nil, nil, ""
	}
	return r
}

// decodeBody reads a JSON body into v, refusing unknown fields so that a
// misspelt option is reported rather than ignored. An empty body leaves v
// as it is.
func decodeBody(c *gin.Context, what string, v any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return data.Errorf(data.EINVALID, "无法读取请求体：%v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return data.Errorf(data.EINVALID, "请求体不是有效的%s JSON：%v", what, err)
	}
	if dec.More() {
		return data.Errorf(data.EINVALID, "请求体中%s JSON 之后还有多余内容", what)
	}
	return nil
}

func (s *Server) handleListEvents(c *gin.Context) {
	list, err := s.Events.ListEvents(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	typ := c.Query("type")
	items := []data.Event{}
	for _, e := range list {
		if typ != "" && e.Type != typ {
			continue
		}
		// Lists stay small: the saved lineup and schedule are shown by
		// GET /api/v1/events/:id.
		e.Lineup, e.Schedule = nil, nil
		items = append(items, eventView(token(c), e))
	}
	c.JSON(http.StatusOK, gin.H{"total": len(items), "items": items})
}

func (s *Server) handleGetEvent(c *gin.Context) {
	e, err := s.Events.Event(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, eventView(token(c), *e))
}

func (s *Server) handleCreateEvent(c *gin.Context) {
	ctx := c.Request.Context()
	var e data.Event
	if err := decodeBody(c, "活动", &e); err != nil {
		s.fail(c, err)
		return
	}
	if e.ID != "" {
		if _, err := s.Events.Event(ctx, e.ID); err == nil {
			s.fail(c, data.Errorf(data.ECONFLICT, "活动编号 %q 已被占用：修改已有活动请用 PUT /api/v1/events/%s", e.ID, e.ID))
			return
		} else if data.ErrorCode(err) != data.ENOTFOUND {
			s.fail(c, err)
			return
		}
	}
	// Lineups and schedules are built by the server, never sent in.
	e.Lineup, e.Schedule = nil, nil
	e.Meta = data.Meta{Owner: token(c).ID}
	s.writeEvent(c, &e, http.StatusCreated)
}

func (s *Server) handlePutEvent(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	var e data.Event
	if err := decodeBody(c, "活动", &e); err != nil {
		s.fail(c, err)
		return
	}
	if e.ID != "" && e.ID != id {
		s.fail(c, data.Errorf(data.EINVALID, "请求体中的编号 %q 与地址中的编号 %q 不一致", e.ID, id))
		return
	}
	e.ID = id
	status := http.StatusOK
	old, err := s.Events.Event(ctx, id)
	switch {
	case err == nil:
		e.Lineup, e.Schedule = old.Lineup, old.Schedule
		e.Meta = old.Meta
	case data.ErrorCode(err) == data.ENOTFOUND:
		status = http.StatusCreated
		e.Lineup, e.Schedule = nil, nil
		e.Meta = data.Meta{Owner: token(c).ID}
	default:
		s.fail(c, err)
		return
	}
	s.writeEvent(c, &e, status)
}

func (s *Server) writeEvent(c *gin.Context, e *data.Event, status int) {
	if err := s.Events.PutEvent(c.Request.Context(), e); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/events/"+e.ID)
	c.JSON(status, eventView(token(c), *e))
}

// ---- Registrations ----

func (s *Server) handleRegistrations(c *gin.Context) {
	regs, err := s.Events.Registrations(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]data.Registration, 0, len(regs))
	for _, r := range regs {
		items = append(items, registrationView(token(c), r))
	}
	c.JSON(http.StatusOK, gin.H{"total": len(items), "items": items})
}

// handleRegister creates (POST) or replaces (PUT …/:rid) a registration.
// Organisers and admins register anyone; an enterprise registers itself,
// with its own demands only.
func (s *Server) handleRegister(c *gin.Context) {
	ctx := c.Request.Context()
	tok := token(c)
	eventID, rid := c.Param("id"), c.Param("rid")
	var r data.Registration
	if err := decodeBody(c, "报名", &r); err != nil {
		s.fail(c, err)
		return
	}
	if r.EventID != "" && r.EventID != eventID {
		s.fail(c, data.Errorf(data.EINVALID, "请求体中的活动编号 %q 与地址中的 %q 不一致", r.EventID, eventID))
		return
	}
	r.EventID = eventID
	regs, err := s.Events.Registrations(ctx, eventID)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if rid == "" {
		if r.ID != "" {
			s.fail(c, data.Errorf(data.EINVALID, "新报名不能自带编号：修改已有报名请用 PUT /api/v1/events/%s/registrations/%s", eventID, r.ID))
			return
		}
		r.Meta = data.Meta{Owner: tok.ID}
	} else {
		if r.ID != "" && r.ID != rid {
			s.fail(c, data.Errorf(data.EINVALID, "请求体中的编号 %q 与地址中的编号 %q 不一致", r.ID, rid))
			return
		}
		i := slices.IndexFunc(regs, func(o data.Registration) bool { return o.ID == rid })
		if i < 0 {
			s.fail(c, data.Errorf(data.ENOTFOUND, "活动 %s 没有报名 %q", eventID, rid))
			return
		}
		if tok.Role == data.RoleEnterprise && regs[i].Owner != tok.ID {
			s.fail(c, data.Errorf(data.EFORBIDDEN, "这条报名不是当前企业账号提交的，不能修改"))
			return
		}
		r.ID, r.Meta = rid, regs[i].Meta
		status = http.StatusOK
	}
	if err := s.checkRegistration(ctx, tok, &r, regs); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.Events.PutRegistration(ctx, &r); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/events/"+eventID+"/registrations/"+r.ID)
	c.JSON(status, registrationView(tok, r))
}

// checkRegistration checks what the store cannot: that the records named
// exist (and belong to the enterprise registering itself), that wants and
// avoid name registrations of the other side of the event; and it fills in
// a missing name from the records.
func (s *Server) checkRegistration(ctx context.Context, tok *data.Token, r *data.Registration, regs []data.Registration) error {
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
		ds, err := s.Store.Demands(ctx, r.DemandIDs)
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
		as, err := s.Store.Achievements(ctx, r.AchievementIDs)
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

// ---- Lineups and schedules over HTTP ----

func (s *Server) handleBuildLineup(c *gin.Context) {
	var in LineupParams
	if err := decodeBody(c, "路演排期参数", &in); err != nil {
		s.fail(c, err)
		return
	}
	l, err := s.planner().BuildLineup(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, l)
}

func (s *Server) handleLineup(c *gin.Context) {
	l, err := s.planner().Lineup(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, l)
}

func (s *Server) handleBuildSchedule(c *gin.Context) {
	var in ScheduleParams
	if err := decodeBody(c, "沙龙排期参数", &in); err != nil {
		s.fail(c, err)
		return
	}
	sc, err := s.planner().BuildSchedule(c.Request.Context(), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sc)
}

func (s *Server) handleSchedule(c *gin.Context) {
	sc, err := s.planner().Schedule(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sc)
}

func (s *Server) handleLineupExport(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		l, err := s.planner().Lineup(c.Request.Context(), c.Param("id"))
		if err != nil {
			s.fail(c, err)
			return
		}
		var buf bytes.Buffer
		if err := WriteLineup(&buf, format, l); err != nil {
			s.fail(c, err)
			return
		}
		s.sendFile(c, format, "路演议程-"+l.Event.ID, buf.Bytes())
	}
}

func (s *Server) handleScheduleExport(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		sc, err := s.planner().Schedule(c.Request.Context(), c.Param("id"))
		if err != nil {
			s.fail(c, err)
			return
		}
		var buf bytes.Buffer
		if err := WriteSchedule(&buf, format, sc); err != nil {
			s.fail(c, err)
			return
		}
		s.sendFile(c, format, "洽谈日程-"+sc.Event.ID, buf.Bytes())
	}
}

// ---- The planner ----

// Defaults of events that do not say.
const (
	DefaultEventStart     = "09:00"
	DefaultSlotMinutes    = 15 // one roadshow presentation
	DefaultMeetingMinutes = 20 // one salon meeting
	DefaultRecentEvents   = 3  // earlier events whose lineups count as recent
)

const (
	// lineupCandidates is how many achievements the matcher fetches and
	// scores per registered demand; lineupPerDemand how many of them it
	// returns (its maximum).
	lineupCandidates = 300
	lineupPerDemand  = matcher.MaxLimit
	// lineupTextHits is how many achievements are fetched by relevance to
	// the event's theme and fields.
	lineupTextHits = 500
	// maxSchedulePairs bounds the achievement × demand pairs a salon
	// schedule scores (ScorePair calls).
	maxSchedulePairs = 250_000
)

// EventPlanner builds roadshow lineups and salon schedules from the
// matcher's scores and keeps them with their event, so that re-runs change
// as little as possible. The API's handlers and the techmatch event command
// share it.
type EventPlanner struct {
	Store   data.Store
	Events  data.EventStore
	Search  data.Searcher // nil: no theme relevance
	Matcher Matcher       // nil: only lineups by theme, without explanations
	Now     func() time.Time
}

func (p *EventPlanner) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// LineupParams is the body of POST /api/v1/events/:id/lineup. Slots left
// out are the event's (else the last run's); any other field left out keeps
// its value from the last run, else: no caps, no locks or exclusions,
// recent_events 3, front_rows 0 (every enterprise the slot serves best).
type LineupParams struct {
	Slots             *int     `json:"slots,omitempty"`
	MaxPerInstitution *int     `json:"max_per_institution,omitempty"`
	MaxPerField       *int     `json:"max_per_field,omitempty"`
	Locked            []string `json:"locked,omitempty"`
	Excluded          []string `json:"excluded,omitempty"`
	AllowRecent       *bool    `json:"allow_recent,omitempty"`
	// RecentEvents is how many earlier events' lineups count as recent.
	RecentEvents *int `json:"recent_events,omitempty"`
	// FrontRows caps the enterprises invited to the front rows per slot; 0
	// invites every enterprise whose demand the slot serves best.
	FrontRows *int `json:"front_rows,omitempty"`
}

// ScheduleParams is the body of POST /api/v1/events/:id/schedule. A field
// left out keeps its value from the last run, else the event's time_slots
// and tables; max_meetings 0 means as many as there are slots.
type ScheduleParams struct {
	Slots       *int `json:"slots,omitempty"`
	Tables      *int `json:"tables,omitempty"`
	MaxMeetings *int `json:"max_meetings,omitempty"`
	// Locked meetings (slot, scientist, enterprise and optionally table,
	// all registration ids) stay as given. Left out, the last run's locks
	// stay; [] unlocks all.
	Locked []matcher.Meeting `json:"locked,omitempty"`
}

// EventSummary is what the lineup and schedule show of their event.
type EventSummary struct {
	ID     string   `json:"id"`
	Type   string   `json:"type"`
	Title  string   `json:"title"`
	Theme  string   `json:"theme,omitempty"`
	Fields []string `json:"fields,omitempty"`
	Date   string   `json:"date,omitempty"`
	Venue  string   `json:"venue,omitempty"`
}

func summarize(e *data.Event) EventSummary {
	return EventSummary{ID: e.ID, Type: e.Type, Title: e.Title, Theme: e.Theme, Fields: e.Fields, Date: e.Date, Venue: e.Venue}
}

// Lineup is a roadshow lineup as the API shows it.
type Lineup struct {
	Event EventSummary `json:"event"`
	Slots []LineupSlot `json:"slots"`
	// Objective is Σ over registered demands of the best match score among
	// the picks (or, with nobody registered, Σ of the picks' theme
	// relevance, by_text).
	Objective float64         `json:"objective"`
	Reference LineupReference `json:"reference"`
	ByText    bool            `json:"by_text"`
	// Demands is the number of registered demands served.
	Demands  int         `json:"demands"`
	Rules    LineupRules `json:"rules"`
	Warnings []string    `json:"warnings"`
	Built    time.Time   `json:"built"`
}

// LineupReference is what the objective is measured against: the same
// objective for the top achievements by plain theme relevance, and an upper
// bound no lineup can beat.
type LineupReference struct {
	TopByText  float64 `json:"top_by_text"`
	UpperBound float64 `json:"upper_bound"`
}

// LineupRules are the rules a lineup was built under.
type LineupRules struct {
	Slots             int      `json:"slots"`
	MaxPerInstitution int      `json:"max_per_institution"`
	MaxPerField       int      `json:"max_per_field"`
	Locked            []string `json:"locked"`
	Excluded          []string `json:"excluded"`
	AllowRecent       bool     `json:"allow_recent"`
	RecentEvents      int      `json:"recent_events"`
	FrontRows         int      `json:"front_rows"`
}

// LineupSlot is one presentation of a roadshow.
type LineupSlot struct {
	Position       int               `json:"position"`
	Start          string            `json:"start"`
	End            string            `json:"end"`
	Achievement    LineupAchievement `json:"achievement"`
	Presenter      string            `json:"presenter"`
	PresenterTitle string            `json:"presenter_title,omitempty"`
	Locked         bool              `json:"locked,omitempty"`
	// Contribution is the part of the objective this pick brings.
	Contribution float64   `json:"contribution"`
	Invited      []Invitee `json:"invited"`
}

// LineupAchievement is what a lineup shows of an achievement.
type LineupAchievement struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Institution string   `json:"institution"`
	Field       string   `json:"field"`
	Maturity    string   `json:"maturity,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Missing     bool     `json:"missing,omitempty"` // deleted since the lineup was built
}

// Invitee is an enterprise seated in the front rows for a presentation.
type Invitee struct {
	RegistrationID string               `json:"registration_id"`
	Enterprise     string               `json:"enterprise"`
	DemandID       string               `json:"demand_id"`
	DemandTitle    string               `json:"demand_title,omitempty"`
	Score          float64              `json:"score"`
	Explanation    *matcher.Explanation `json:"explanation,omitempty"`
}

// Schedule is a salon schedule as the API shows it.
type Schedule struct {
	Event    EventSummary      `json:"event"`
	Meetings []ScheduleMeeting `json:"meetings"`
	// Total is Σ over meetings of score + 1 per party who asked for it;
	// UpperBound bounds every schedule that keeps the locks (Total ==
	// UpperBound proves the schedule optimal); Score is Σ of the scores and
	// Requests the wishes honoured.
	Total       float64 `json:"total"`
	UpperBound  float64 `json:"upper_bound"`
	Score       float64 `json:"score"`
	Requests    int     `json:"requests"`
	Slots       int     `json:"slots"`
	Tables      int     `json:"tables"`
	MaxMeetings int     `json:"max_meetings"`
	// Agendas holds every registration's meetings by slot, empty for those
	// who have none.
	Agendas  map[string][]ScheduleMeeting `json:"agendas"`
	Parties  []ScheduleParty              `json:"parties"`
	Warnings []string                     `json:"warnings"`
	Built    time.Time                    `json:"built"`
}

// ScheduleParty is a registration of a salon.
type ScheduleParty struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Meetings int    `json:"meetings"`
}

// ScheduleMeeting is one 1:1 meeting.
type ScheduleMeeting struct {
	Slot             int     `json:"slot"`
	Table            int     `json:"table"`
	Start            string  `json:"start"`
	End              string  `json:"end"`
	Scientist        string  `json:"scientist"`
	ScientistName    string  `json:"scientist_name"`
	Enterprise       string  `json:"enterprise"`
	EnterpriseName   string  `json:"enterprise_name"`
	AchievementID    string  `json:"achievement_id"`
	AchievementTitle string  `json:"achievement_title,omitempty"`
	DemandID         string  `json:"demand_id"`
	DemandTitle      string  `json:"demand_title,omitempty"`
	Score            float64 `json:"score"`
	Mutual           bool    `json:"mutual,omitempty"`
	Requested        bool    `json:"requested,omitempty"`
	Locked           bool    `json:"locked,omitempty"`
}

// lineupPool gathers the candidates of a lineup.
type lineupPool struct {
	cands  map[string]*matcher.LineupCandidate
	scores map[string]map[string]float64 // achievement → demand → score
	cutoff map[string]float64            // demand → lowest score that counts
}

// setScore records the score of a pair scored outside the demand's
// ranking, if it is high enough to count.
func (lp *lineupPool) setScore(c *matcher.LineupCandidate, demandID string, score float64) {
	if score > 0 && score >= lp.cutoff[demandID] {
		c.Scores[demandID] = min(score, 1)
	}
}

func (lp *lineupPool) add(a *data.Achievement) *matcher.LineupCandidate {
	c, ok := lp.cands[a.ID]
	if !ok {
		c = &matcher.LineupCandidate{ID: a.ID, Institution: a.Institution, Field: a.Field, Scores: map[string]float64{}}
		lp.cands[a.ID] = c
		lp.scores[a.ID] = c.Scores
	}
	return c
}

func (lp *lineupPool) list() []matcher.LineupCandidate {
	out := make([]matcher.LineupCandidate, 0, len(lp.cands))
	for _, c := range lp.cands {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b matcher.LineupCandidate) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// BuildLineup chooses the achievements for a roadshow, saves the lineup with
// the event and returns it.
//
// Candidates are, for every demand of the registered enterprises, the
// achievements the matcher ranks best for it (MatchDemand over 300 fetched
// candidates, keeping the best 200, with their scores), and the achievements
// most relevant to the event's theme and fields by full-text search (their
// relevance, normalised to [0,1] by the best hit, is the candidate's
// TextScore). Locked achievements join the candidates, and so do, scored
// against every demand, the achievements the top_by_text reference takes,
// so that the reference is measured like the lineup; such scores count
// only from the demand's lowest ranked match up, because the matcher gives
// unrelated pairs a floor of about 0.15–0.2.
//
// matcher.BuildLineup then maximises the coverage of the registered demands
// (Σ over demands of the best score among the picks) with lazy greedy, which
// is within 1 − 1/e of the optimum for this monotone submodular objective
// (1/2 or 1/3 under the per-institution and per-field caps) and needs only
// a few gain evaluations per slot; see its documentation. With nobody
// registered the lineup serves the theme and fields instead.
func (p *EventPlanner) BuildLineup(ctx context.Context, eventID string, in LineupParams) (*Lineup, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	rules, err := lineupRules(ev, in)
	if err != nil {
		return nil, err
	}
	var warnings []string

	// The registered demands that still exist.
	var demandIDs []string
	demandReg := map[string]string{}
	for _, r := range regs {
		if r.Kind != data.RegEnterprise {
			continue
		}
		for _, d := range r.DemandIDs {
			if _, dup := demandReg[d]; !dup {
				demandReg[d] = r.ID
				demandIDs = append(demandIDs, d)
			}
		}
	}
	ds, err := p.Store.Demands(ctx, demandIDs)
	if err != nil {
		return nil, err
	}
	var live []*data.Demand
	var liveIDs []string
	for i, d := range ds {
		if d == nil {
			warnings = append(warnings, fmt.Sprintf("报名 %s 所带的技术需求 %s 已不存在，未计入", demandReg[demandIDs[i]], demandIDs[i]))
			continue
		}
		live = append(live, d)
		liveIDs = append(liveIDs, d.ID)
	}
	if len(live) > 0 && p.Matcher == nil {
		return nil, errors.New("matcher is not configured")
	}

	pool := &lineupPool{cands: map[string]*matcher.LineupCandidate{}, scores: map[string]map[string]float64{}, cutoff: map[string]float64{}}
	results := make([][]matcher.Result, len(live))
	err = parallel(ctx, len(live), func(i int) error {
		res, err := p.Matcher.MatchDemand(ctx, live[i].ID, matcher.Options{Limit: lineupPerDemand, Candidates: lineupCandidates})
		results[i] = res
		return err
	})
	if err != nil {
		return nil, err
	}
	// A demand counts as served by an achievement only if the achievement
	// is among the demand's matches: scores are compressed (unrelated pairs
	// still score about 0.15–0.2), so pairs scored outside the ranking below
	// count only from the demand's lowest ranked score up.
	cutoff := map[string]float64{}
	for i, res := range results {
		cutoff[live[i].ID] = math.Inf(1)
		for _, r := range res {
			if r.Achievement == nil || r.Score <= 0 {
				continue
			}
			pool.add(r.Achievement).Scores[live[i].ID] = min(r.Score, 1)
			cutoff[live[i].ID] = min(cutoff[live[i].ID], r.Score)
		}
	}
	pool.cutoff = cutoff

	text := eventQueryText(ev)
	switch {
	case text != "" && p.Search != nil:
		if err := p.addThemeCandidates(ctx, pool, text); err != nil {
			return nil, err
		}
	case len(live) > 0:
		// Relevance only breaks ties and gives the reference.
	case text == "":
		return nil, data.Errorf(data.EINVALID, "还没有企业报名，活动也没有主题（theme）或技术领域（fields）：请先设置主题或领域，或等企业报名后再排路演议程")
	default:
		return nil, errors.New("search index is not configured")
	}

	// Locked achievements outside the pool join it, scored against every
	// registered demand.
	var missing []data.FieldError
	for i, id := range rules.Locked {
		if _, ok := pool.cands[id]; ok {
			continue
		}
		a, err := p.Store.Achievement(ctx, id)
		if data.ErrorCode(err) == data.ENOTFOUND {
			missing = append(missing, data.FieldError{Field: fmt.Sprintf("locked[%d]", i), Message: fmt.Sprintf("锁定的科技成果 %q 不存在", id)})
			continue
		} else if err != nil {
			return nil, err
		}
		c := pool.add(a)
		if len(live) == 0 {
			continue
		}
		scores := make([]float64, len(live))
		err = parallel(ctx, len(live), func(j int) error {
			r, err := p.Matcher.ScorePair(ctx, live[j], a)
			scores[j] = r.Score
			return err
		})
		if err != nil {
			return nil, err
		}
		for j, sc := range scores {
			pool.setScore(c, live[j].ID, sc)
		}
	}
	if len(missing) > 0 {
		return nil, &data.Error{Code: data.EINVALID, Message: "锁定的科技成果有误，请按提示修改", Fields: missing}
	}

	req := matcher.LineupRequest{
		Slots:             rules.Slots,
		MaxPerInstitution: rules.MaxPerInstitution,
		MaxPerField:       rules.MaxPerField,
		Locked:            rules.Locked,
		Excluded:          rules.Excluded,
		AllowRecent:       rules.AllowRecent,
		Demands:           liveIDs,
	}
	if !rules.AllowRecent && rules.RecentEvents > 0 {
		events, err := p.Events.ListEvents(ctx)
		if err != nil {
			return nil, err
		}
		req.Recent = map[string]bool{}
		for id := range data.RecentlyPresented(events, ev, rules.RecentEvents) {
			req.Recent[id] = true
		}
	}
	if ev.Lineup != nil {
		req.Previous = ev.Lineup.Picks
	}
	if err := p.scoreTextReference(ctx, pool, req, live); err != nil {
		return nil, err
	}
	res, err := matcher.BuildLineup(pool.list(), req)
	if err != nil {
		return nil, err
	}

	// Front rows: each registered demand sits with the pick that serves it
	// best; an enterprise sits once per slot, with its best-served demand.
	rows := matcher.FrontRows(res.Assign, pool.scores, 0)
	var invited []data.SavedInvite
	for _, a := range res.Picks {
		seen := map[string]bool{}
		for _, d := range rows[a] {
			r := demandReg[d]
			if seen[r] || rules.FrontRows > 0 && len(seen) >= rules.FrontRows {
				continue
			}
			seen[r] = true
			invited = append(invited, data.SavedInvite{AchievementID: a, RegistrationID: r, DemandID: d, Score: pool.scores[a][d]})
		}
	}

	ev.Lineup = &data.SavedLineup{
		Picks:             res.Picks,
		Locked:            rules.Locked,
		Excluded:          rules.Excluded,
		Built:             p.now().UTC(),
		Slots:             rules.Slots,
		MaxPerInstitution: rules.MaxPerInstitution,
		MaxPerField:       rules.MaxPerField,
		AllowRecent:       rules.AllowRecent,
		RecentEvents:      rules.RecentEvents,
		FrontRows:         rules.FrontRows,
		Invited:           invited,
		Contribution:      res.Contribution,
		Objective:         round4(res.Objective),
		TopByText:         round4(res.TopByText),
		UpperBound:        round4(res.UpperBound),
		ByText:            res.ByText,
		Demands:           len(live),
		Warnings:          append(warnings, res.Warnings...),
	}
	if err := p.Events.PutEvent(ctx, ev); err != nil {
		return nil, err
	}
	return p.renderLineup(ctx, ev, regs)
}

// lineupRules resolves the rules of a run: the request, else the last run
// (for slots: else the event), else the defaults.
func lineupRules(ev *data.Event, in LineupParams) (LineupRules, error) {
	r := LineupRules{Slots: ev.Slots, RecentEvents: DefaultRecentEvents}
	if l := ev.Lineup; l != nil && l.Slots > 0 {
		r = LineupRules{Slots: l.Slots, MaxPerInstitution: l.MaxPerInstitution, MaxPerField: l.MaxPerField,
			Locked: l.Locked, Excluded: l.Excluded, AllowRecent: l.AllowRecent, RecentEvents: l.RecentEvents, FrontRows: l.FrontRows}
		if ev.Slots > 0 {
			r.Slots = ev.Slots // the event's own number comes first
		}
	}
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.Slots, in.Slots)
	set(&r.MaxPerInstitution, in.MaxPerInstitution)
	set(&r.MaxPerField, in.MaxPerField)
	set(&r.RecentEvents, in.RecentEvents)
	set(&r.FrontRows, in.FrontRows)
	if in.AllowRecent != nil {
		r.AllowRecent = *in.AllowRecent
	}
	if in.Locked != nil {
		r.Locked = in.Locked
	}
	if in.Excluded != nil {
		r.Excluded = in.Excluded
	}
	r.Locked = nonNilStrings(r.Locked)
	r.Excluded = nonNilStrings(r.Excluded)

	var bad []data.FieldError
	check := func(field, label string, v, lo, hi int) {
		if v < lo || v > hi {
			bad = append(bad, data.FieldError{Field: field, Message: fmt.Sprintf("%s应在 %d 到 %d 之间，现为 %d", label, lo, hi, v)})
		}
	}
	if r.Slots == 0 {
		bad = append(bad, data.FieldError{Field: "slots", Message: "路演席位数未设置：请在请求中给出 slots，或在活动中设置 slots"})
	} else {
		check("slots", "路演席位数", r.Slots, 1, 200)
	}
	check("max_per_institution", "每单位入选上限", r.MaxPerInstitution, 0, 200)
	check("max_per_field", "每领域入选上限", r.MaxPerField, 0, 200)
	check("recent_events", "近期活动数", r.RecentEvents, 0, 100)
	check("front_rows", "每场邀请企业数", r.FrontRows, 0, 1000)
	if n := len(r.Locked) + len(r.Excluded); n > 2000 {
		bad = append(bad, data.FieldError{Field: "excluded", Message: "锁定与排除的成果过多：合计最多 2000 项"})
	}
	if len(bad) > 0 {
		return r, &data.Error{Code: data.EINVALID, Message: "路演排期参数有误，请按提示修改", Fields: bad}
	}
	return r, nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// eventQueryText is the text a lineup's theme relevance is searched with:
// the theme and the fields, within the index's query limit.
func eventQueryText(ev *data.Event) string {
	parts := []string{strings.TrimSpace(ev.Theme)}
	parts = append(parts, ev.Fields...)
	text := strings.TrimSpace(strings.Join(parts, " "))
	if r := []rune(text); len(r) > 1000 {
		text = string(r[:1000])
	}
	return text
}

// addThemeCandidates adds the achievements most relevant to text to the
// pool and sets every candidate's TextScore, normalised by the best hit.
func (p *EventPlanner) addThemeCandidates(ctx context.Context, pool *lineupPool, text string) error {
	res, err := p.Search.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Text: text, Limit: lineupTextHits})
	if err != nil {
		return err
	}
	var best float64
	for _, h := range res.Hits {
		best = max(best, h.Score)
	}
	if best <= 0 {
		return nil
	}
	var fetch []string
	for _, h := range res.Hits {
		if _, ok := pool.cands[h.ID]; !ok {
			fetch = append(fetch, h.ID)
		}
	}
	recs, err := p.Store.Achievements(ctx, fetch)
	if err != nil {
		return err
	}
	for _, a := range recs {
		if a != nil && a.Status != "草稿" && a.Status != "已下架" {
			pool.add(a)
		}
	}
	for _, h := range res.Hits {
		if c, ok := pool.cands[h.ID]; ok && h.Score > 0 {
			c.TextScore = h.Score / best
		}
	}
	return nil
}

// scoreTextReference scores against every registered demand the
// achievements that the top_by_text reference will take (the most relevant
// to the theme under the same rules, as matcher.BuildLineup chooses them).
// Most of them the matcher did not rank for any demand; without this the
// reference would count them as serving nobody and look worse than it is.
func (p *EventPlanner) scoreTextReference(ctx context.Context, pool *lineupPool, req matcher.LineupRequest, demands []*data.Demand) error {
	if len(demands) == 0 {
		return nil
	}
	cands := pool.list()
	locked, excluded := map[string]bool{}, map[string]bool{}
	for _, id := range req.Locked {
		locked[id] = true
	}
	for _, id := range req.Excluded {
		excluded[id] = true
	}
	var eligible []matcher.LineupCandidate
	for _, c := range cands {
		if !locked[c.ID] && !excluded[c.ID] && (req.AllowRecent || !req.Recent[c.ID]) {
			eligible = append(eligible, c)
		}
	}
	slices.SortStableFunc(eligible, func(a, b matcher.LineupCandidate) int {
		if a.TextScore != b.TextScore {
			if a.TextScore > b.TextScore {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	inst, field := map[string]int{}, map[string]int{}
	taken := len(req.Locked)
	for _, id := range req.Locked {
		if c, ok := pool.cands[id]; ok {
			inst[c.Institution]++
			field[c.Field]++
		}
	}
	var ref []string
	for _, c := range eligible {
		if taken >= req.Slots {
			break
		}
		if m := req.MaxPerInstitution; m > 0 && c.Institution != "" && inst[c.Institution] >= m {
			continue
		}
		if m := req.MaxPerField; m > 0 && c.Field != "" && field[c.Field] >= m {
			continue
		}
		inst[c.Institution]++
		field[c.Field]++
		taken++
		ref = append(ref, c.ID)
	}
	type job struct {
		a *matcher.LineupCandidate
		d *data.Demand
	}
	var jobs []job
	var ids []string
	for _, id := range ref {
		c := pool.cands[id]
		for _, d := range demands {
			if _, ok := c.Scores[d.ID]; !ok {
				jobs = append(jobs, job{c, d})
				ids = append(ids, id)
			}
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	achs, err := p.Store.Achievements(ctx, uniqueStrings(ids))
	if err != nil {
		return err
	}
	byID := map[string]*data.Achievement{}
	for _, a := range achs {
		if a != nil {
			byID[a.ID] = a
		}
	}
	scores := make([]float64, len(jobs))
	err = parallel(ctx, len(jobs), func(i int) error {
		a := byID[jobs[i].a.ID]
		if a == nil {
			return nil
		}
		r, err := p.Matcher.ScorePair(ctx, jobs[i].d, a)
		scores[i] = r.Score
		return err
	})
	if err != nil {
		return err
	}
	for i, j := range jobs {
		pool.setScore(j.a, j.d.ID, scores[i])
	}
	return nil
}

// Lineup returns the event's saved lineup.
func (p *EventPlanner) Lineup(ctx context.Context, eventID string) (*Lineup, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if ev.Lineup == nil {
		return nil, data.Errorf(data.ENOTFOUND, "活动 %s 还没有路演议程：请先 POST /api/v1/events/%s/lineup 排出议程", eventID, eventID)
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return p.renderLineup(ctx, ev, regs)
}

func (p *EventPlanner) renderLineup(ctx context.Context, ev *data.Event, regs []data.Registration) (*Lineup, error) {
	sl := ev.Lineup
	achs, err := p.Store.Achievements(ctx, sl.Picks)
	if err != nil {
		return nil, err
	}
	var dIDs []string
	for _, inv := range sl.Invited {
		dIDs = append(dIDs, inv.DemandID)
	}
	dems, err := p.Store.Demands(ctx, dIDs)
	if err != nil {
		return nil, err
	}
	achByID := map[string]*data.Achievement{}
	for _, a := range achs {
		if a != nil {
			achByID[a.ID] = a
		}
	}
	names := map[string]string{}
	for _, r := range regs {
		names[r.ID] = r.Name
	}

	// Explanations of the invited pairs, scored afresh.
	expl := make([]*matcher.Explanation, len(sl.Invited))
	if p.Matcher != nil {
		err := parallel(ctx, len(sl.Invited), func(i int) error {
			a, d := achByID[sl.Invited[i].AchievementID], dems[i]
			if a == nil || d == nil {
				return nil
			}
			r, err := p.Matcher.ScorePair(ctx, d, a)
			if err != nil {
				return err
			}
			expl[i] = &r.Explanation
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	minutes := ev.SlotMinutes
	if minutes <= 0 {
		minutes = DefaultSlotMinutes
	}
	locked := map[string]bool{}
	for _, id := range sl.Locked {
		locked[id] = true
	}
	l := &Lineup{
		Event:     summarize(ev),
		Slots:     make([]LineupSlot, 0, len(sl.Picks)),
		Objective: sl.Objective,
		Reference: LineupReference{TopByText: sl.TopByText, UpperBound: sl.UpperBound},
		ByText:    sl.ByText,
		Demands:   sl.Demands,
		Rules: LineupRules{Slots: sl.Slots, MaxPerInstitution: sl.MaxPerInstitution, MaxPerField: sl.MaxPerField,
			Locked: nonNilStrings(sl.Locked), Excluded: nonNilStrings(sl.Excluded), AllowRecent: sl.AllowRecent,
			RecentEvents: sl.RecentEvents, FrontRows: sl.FrontRows},
		Warnings: nonNilStrings(sl.Warnings),
		Built:    sl.Built,
	}
	for i, id := range sl.Picks {
		start, end := slotTimes(ev.Start, i, minutes)
		slot := LineupSlot{Position: i + 1, Start: start, End: end, Locked: locked[id],
			Contribution: round4(sl.Contribution[id]), Invited: []Invitee{}}
		if a := achByID[id]; a != nil {
			slot.Achievement = LineupAchievement{ID: a.ID, Title: a.Title, Institution: a.Institution, Field: a.Field,
				Maturity: a.Maturity, Keywords: a.Keywords, Summary: a.Abstract}
			if len(a.Inventors) > 0 {
				slot.Presenter, slot.PresenterTitle = a.Inventors[0].Name, a.Inventors[0].Title
			}
		} else {
			slot.Achievement = LineupAchievement{ID: id, Missing: true}
			l.Warnings = append(l.Warnings, fmt.Sprintf("第 %d 场的科技成果 %s 已不存在，请重新排议程", i+1, id))
		}
		for j, inv := range sl.Invited {
			if inv.AchievementID != id {
				continue
			}
			v := Invitee{RegistrationID: inv.RegistrationID, Enterprise: names[inv.RegistrationID],
				DemandID: inv.DemandID, Score: inv.Score, Explanation: expl[j]}
			if d := dems[j]; d != nil {
				v.DemandTitle = d.Title
				if v.Enterprise == "" {
					v.Enterprise = d.Enterprise.Name
				}
			}
			slot.Invited = append(slot.Invited, v)
		}
		l.Slots = append(l.Slots, slot)
	}
	return l, nil
}

// slotTimes returns the start and end (15:04) of the i-th (0-based) slot of
// the given length from start (DefaultEventStart if empty or invalid).
func slotTimes(start string, i, minutes int) (string, string) {
	t0, err := time.Parse("15:04", start)
	if err != nil {
		t0, _ = time.Parse("15:04", DefaultEventStart)
	}
	t := t0.Add(time.Duration(i*minutes) * time.Minute)
	return t.Format("15:04"), t.Add(time.Duration(minutes) * time.Minute).Format("15:04")
}

// BuildSchedule schedules the 1:1 meetings of a salon, saves the schedule
// with the event and returns it.
//
// Every scientist–enterprise pair is scored by the best ScorePair over the
// scientist's achievements and the enterprise's demands; matcher.BuildSchedule
// then chooses the meetings exactly as a max-weight b-matching (min-cost
// flow) and places them in slots and at tables (bipartite edge colouring with
// an improvement pass); see its documentation.
func (p *EventPlanner) BuildSchedule(ctx context.Context, eventID string, in ScheduleParams) (*Schedule, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	req, err := scheduleRequest(ev, in)
	if err != nil {
		return nil, err
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
	party := func(r data.Registration, other map[string]bool) matcher.SchedParty {
		sp := matcher.SchedParty{ID: r.ID}
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
	var sciParties, entParties []matcher.SchedParty
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
	pairs := make([]matcher.SchedPair, len(jobs))
	err = parallel(ctx, len(jobs), func(n int) error {
		s, e := sci[jobs[n].i], ent[jobs[n].j]
		best := matcher.SchedPair{Scientist: s.ID, Enterprise: e.ID, Score: -1}
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
	byPair := map[pairKey]matcher.SchedPair{}
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
	res, err := matcher.BuildSchedule(sciParties, entParties, pairs, req)
	if err != nil {
		return nil, err
	}

	saved := &data.SavedSchedule{
		Meetings:    make([]data.SavedMeeting, 0, len(res.Meetings)),
		Built:       p.now().UTC(),
		Slots:       req.Slots,
		Tables:      req.Tables,
		MaxMeetings: req.MaxMeetings,
		Total:       round4(res.Total),
		UpperBound:  round4(res.UpperBound),
		Score:       round4(res.Score),
		Requests:    res.Requests,
		Warnings:    append(warnings, res.Warnings...),
	}
	for _, m := range res.Meetings {
		saved.Meetings = append(saved.Meetings, data.SavedMeeting{Slot: m.Slot, Table: m.Table,
			Scientist: m.Scientist, Enterprise: m.Enterprise, AchievementID: m.AchievementID, DemandID: m.DemandID,
			Score: m.Score, Locked: m.Locked, Mutual: m.Mutual, Requested: m.Requested})
	}
	ev.Schedule = saved
	if err := p.Events.PutEvent(ctx, ev); err != nil {
		return nil, err
	}
	return p.renderSchedule(ctx, ev, regs)
}

// scheduleRequest resolves the shape of a salon: the request, else the
// last run, else the event.
func scheduleRequest(ev *data.Event, in ScheduleParams) (matcher.ScheduleRequest, error) {
	req := matcher.ScheduleRequest{Slots: ev.TimeSlots, Tables: ev.Tables}
	if sc := ev.Schedule; sc != nil {
		if req.Slots == 0 {
			req.Slots = sc.Slots
		}
		if req.Tables == 0 {
			req.Tables = sc.Tables
		}
		req.MaxMeetings = sc.MaxMeetings
		for _, m := range sc.Meetings {
			mm := matcher.Meeting{Slot: m.Slot, Table: m.Table, Scientist: m.Scientist, Enterprise: m.Enterprise,
				AchievementID: m.AchievementID, DemandID: m.DemandID, Score: m.Score}
			req.Previous = append(req.Previous, mm)
			if m.Locked && in.Locked == nil {
				req.Locked = append(req.Locked, mm)
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
	if len(bad) > 0 {
		return req, &data.Error{Code: data.EINVALID, Message: "沙龙排期参数有误，请按提示修改", Fields: bad}
	}
	return req, nil
}

// Schedule returns the event's saved schedule.
func (p *EventPlanner) Schedule(ctx context.Context, eventID string) (*Schedule, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
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

func (p *EventPlanner) renderSchedule(ctx context.Context, ev *data.Event, regs []data.Registration) (*Schedule, error) {
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
	for _, r := range regs {
		if r.Kind == data.RegScientist || r.Kind == data.RegEnterprise {
			out.Parties = append(out.Parties, ScheduleParty{ID: r.ID, Kind: r.Kind, Name: r.Name, Meetings: len(out.Agendas[r.ID])})
		}
	}
	return out, nil
}

// MatcherMeetings returns the schedule's meetings as the matcher's type, for
// matcher.ValidateSchedule.
func (s *Schedule) MatcherMeetings() []matcher.Meeting {
	out := make([]matcher.Meeting, len(s.Meetings))
	for i, m := range s.Meetings {
		out[i] = matcher.Meeting{Slot: m.Slot, Table: m.Table, Scientist: m.Scientist, Enterprise: m.Enterprise,
			AchievementID: m.AchievementID, DemandID: m.DemandID, Score: m.Score,
			Mutual: m.Mutual, Requested: m.Requested, Locked: m.Locked}
	}
	return out
}

// Picks returns the lineup's achievement ids in slot order.
func (l Lineup) Picks() []string {
	out := make([]string, len(l.Slots))
	for i, s := range l.Slots {
		out[i] = s.Achievement.ID
	}
	return out
}

func round4(x float64) float64 {
	if x < 0 {
		return -round4(-x)
	}
	return float64(int64(x*1e4+0.5)) / 1e4
}

// parallel runs fn(0..n-1) on up to GOMAXPROCS goroutines and returns the
// first error; the others stop taking work once one fails or ctx ends.
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	if n == 0 {
		return nil
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	var (
		mu    sync.Mutex
		next  int
		first error
		wg    sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if first != nil || next >= n {
			return 0, false
		}
		if err := ctx.Err(); err != nil {
			first = err
			return 0, false
		}
		next++
		return next - 1, true
	}
	for range workers {
		wg.Go(func() {
			for {
				i, ok := take()
				if !ok {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
