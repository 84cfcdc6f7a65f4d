package event

// The lineups and schedules as the API and the exports show them.

import (
	"time"

	"github.com/techmatch/techmatch/data"

	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/plan"
)

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
	// Pool is where candidates come from: registered (default), catalogue
	// or registered_first.
	Pool *string `json:"pool,omitempty"`
	// Version, when given, must be the event's current version (else 409).
	Version *int `json:"version,omitempty"`
}

// Candidate pools of a roadshow lineup.
const (
	PoolRegistered      = "registered"       // achievements of registered scientists only
	PoolCatalogue       = "catalogue"        // the whole catalogue
	PoolRegisteredFirst = "registered_first" // registered, then the catalogue fills the slots they cannot fill well
)

// ScheduleParams is the body of POST /api/v1/events/:id/schedule. A field
// left out keeps its value from the last run, else the event's time_slots
// and tables; max_meetings 0 means as many as there are slots.
type ScheduleParams struct {
	Slots       *int `json:"slots,omitempty"`
	Tables      *int `json:"tables,omitempty"`
	MaxMeetings *int `json:"max_meetings,omitempty"`
	// MinMeetings is the lower bound: everyone with an acceptable partner
	// gets at least this many meetings where capacity allows (default 1;
	// 0: no lower bound).
	MinMeetings *int `json:"min_meetings,omitempty"`
	// Version, when given, must be the event's current version (else 409).
	Version *int `json:"version,omitempty"`
	// Locked meetings (slot, scientist, enterprise and optionally table,
	// all registration ids) stay as given. Left out, the last run's locks
	// stay; [] unlocks all.
	Locked []plan.Meeting `json:"locked,omitempty"`
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
	// Start is the first slot's time; Host (主办) and Organizer (承办) head
	// the printed programme.
	Start     string `json:"start,omitempty"`
	Host      string `json:"host,omitempty"`
	Organizer string `json:"organizer,omitempty"`
	Published bool   `json:"published,omitempty"`
	Version   int    `json:"version"`
}

// Agenda is one registrant's salon meetings in slot order: whom they meet,
// when, at which table, and why.
type Agenda struct {
	Event    EventSummary    `json:"event"`
	Party    ScheduleParty   `json:"party"`
	Meetings []AgendaMeeting `json:"meetings"`
}

// AgendaMeeting is a meeting seen from one side: the other party, the
// records the match rests on, and the matcher's reasons in words.
type AgendaMeeting struct {
	ScheduleMeeting
	With      string   `json:"with"`
	WithID    string   `json:"with_id"`
	Ours      string   `json:"ours,omitempty"`   // our achievement or demand
	Theirs    string   `json:"theirs,omitempty"` // theirs
	Reasons   []string `json:"reasons"`
	TimeRange string   `json:"-"`
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
	Pool              string   `json:"pool"`
}

// LineupSlot is one presentation of a roadshow.
type LineupSlot struct {
	Position       int               `json:"position"`
	Start          string            `json:"start"`
	End            string            `json:"end"`
	Achievement    LineupAchievement `json:"achievement"`
	Presenter      string            `json:"presenter"`
	PresenterTitle string            `json:"presenter_title,omitempty"`
	// Pool says where the slot's achievement came from: registered or
	// catalogue.
	Pool   string `json:"pool"`
	Locked bool   `json:"locked,omitempty"`
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
	// MinMeetings is the lower bound the schedule was built with;
	// FairBound bounds Total for every schedule meeting the lower bounds as
	// well as this one (== UpperBound unless the lower bounds cost score).
	MinMeetings int     `json:"min_meetings"`
	FairBound   float64 `json:"fair_bound"`
	// Fairness is min, median and max meetings per registrant; Unplaced
	// the registrants below the minimum, and why.
	Fairness data.Fairness   `json:"fairness"`
	Unplaced []UnplacedParty `json:"unplaced"`
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
	Status   string `json:"status,omitempty"` // 已退出 when withdrawn
}

// UnplacedParty is a registrant with fewer meetings than the minimum:
// who, how many, a reason code (no_partner, avoided, capacity) and why in
// words.
type UnplacedParty struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Meetings int    `json:"meetings"`
	Reason   string `json:"reason"`
	Message  string `json:"message"`
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

// PlanMeetings returns the schedule's meetings as plan's type, for
// plan.ValidateSchedule.
func (s *Schedule) PlanMeetings() []plan.Meeting {
	out := make([]plan.Meeting, len(s.Meetings))
	for i, m := range s.Meetings {
		out[i] = plan.Meeting{Slot: m.Slot, Table: m.Table, Scientist: m.Scientist, Enterprise: m.Enterprise,
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
