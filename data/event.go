package data

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Event types.
const (
	EventRoadshow  = "roadshow"  // 科技成果路演
	EventSalon     = "salon"     // 科学家企业家交流分享沙龙
	EventChallenge = "challenge" // 揭榜挂帅 release
)

// Event is a roadshow, a salon or a challenge release.
type Event struct {
	ID     string   `json:"id"`
	Type   string   `json:"type"`
	Title  string   `json:"title"`
	Theme  string   `json:"theme,omitempty"`
	Fields []string `json:"fields,omitempty"`
	Region Region   `json:"region,omitzero"`
	// Date is the event day, 2006-01-02; Start the first slot's time, 15:04.
	Date  string `json:"date,omitempty"`
	Start string `json:"start,omitempty"`
	Venue string `json:"venue,omitempty"`
	// Slots is the number of presentation slots of a roadshow, SlotMinutes
	// the length of one.
	Slots       int `json:"slots,omitempty"`
	SlotMinutes int `json:"slot_minutes,omitempty"`
	// TimeSlots, Tables and MeetingMinutes shape a salon's 1:1 meetings.
	TimeSlots      int `json:"time_slots,omitempty"`
	Tables         int `json:"tables,omitempty"`
	MeetingMinutes int `json:"meeting_minutes,omitempty"`
	// Host (主办单位) and Organizer (承办单位) head the printed programme.
	Host      string `json:"host,omitempty"`
	Organizer string `json:"organizer,omitempty"`
	// Published makes the lineup and schedule readable without a token.
	Published bool `json:"published,omitempty"`
	// Version counts the event's writes. A write that names a version
	// (non-zero) fails with ECONFLICT unless it is the stored one, so that
	// two organisers cannot silently overwrite each other.
	Version int `json:"version"`

	// Lineup and Schedule are the last ones built, kept so that a re-run
	// after a lock or an exclusion changes as little as possible.
	Lineup   *SavedLineup   `json:"lineup,omitempty"`
	Schedule *SavedSchedule `json:"schedule,omitempty"`
	Meta
}

// SavedLineup is a roadshow lineup as last built.
type SavedLineup struct {
	Picks []string `json:"picks"`
	// Pool is where the candidates came from (registered, catalogue or
	// registered_first; empty: catalogue); FromCatalogue the picks that
	// filled slots from the catalogue under registered_first.
	Pool          string    `json:"pool,omitempty"`
	FromCatalogue []string  `json:"from_catalogue,omitempty"`
	Locked        []string  `json:"locked,omitempty"`
	Excluded      []string  `json:"excluded,omitempty"`
	Built         time.Time `json:"built"`

	// The rules the lineup was built under, so that a re-run that does not
	// restate them keeps them. RecentEvents is how many earlier events'
	// lineups counted as recent.
	Slots             int  `json:"slots,omitempty"`
	MaxPerInstitution int  `json:"max_per_institution,omitempty"`
	MaxPerField       int  `json:"max_per_field,omitempty"`
	AllowRecent       bool `json:"allow_recent,omitempty"`
	RecentEvents      int  `json:"recent_events,omitempty"`
	FrontRows         int  `json:"front_rows,omitempty"`

	// What the build found, so that the lineup can be shown and exported
	// again without re-running it.
	Invited      []SavedInvite      `json:"invited,omitempty"`
	Contribution map[string]float64 `json:"contribution,omitempty"`
	Objective    float64            `json:"objective,omitempty"`
	TopByText    float64            `json:"top_by_text,omitempty"`
	UpperBound   float64            `json:"upper_bound,omitempty"`
	ByText       bool               `json:"by_text,omitempty"`
	Demands      int                `json:"demands,omitempty"`
	Warnings     []string           `json:"warnings,omitempty"`
}

// SavedInvite is an enterprise seated in the front rows for one pick of a
// lineup: the registration, the demand of it the pick serves best, and the
// match score.
type SavedInvite struct {
	AchievementID  string  `json:"achievement_id"`
	RegistrationID string  `json:"registration_id"`
	DemandID       string  `json:"demand_id"`
	Score          float64 `json:"score"`
}

// SavedMeeting is one 1:1 meeting of a saved salon schedule.
type SavedMeeting struct {
	Slot          int     `json:"slot"`
	Table         int     `json:"table"`
	Scientist     string  `json:"scientist"`
	Enterprise    string  `json:"enterprise"`
	AchievementID string  `json:"achievement_id,omitempty"`
	DemandID      string  `json:"demand_id,omitempty"`
	Score         float64 `json:"score"`
	Locked        bool    `json:"locked,omitempty"`
	// Mutual: both parties asked for the meeting; Requested: one did.
	Mutual    bool `json:"mutual,omitempty"`
	Requested bool `json:"requested,omitempty"`
}

// SavedSchedule is a salon schedule as last built.
type SavedSchedule struct {
	Meetings []SavedMeeting `json:"meetings"`
	Built    time.Time      `json:"built"`

	// The shape the schedule was built for, kept for re-runs.
	Slots       int `json:"slots,omitempty"`
	Tables      int `json:"tables,omitempty"`
	MaxMeetings int `json:"max_meetings,omitempty"`
	// What the build found: the objective, its upper bound, the sum of the
	// meetings' match scores and the number of wishes honoured.
	Total      float64  `json:"total,omitempty"`
	UpperBound float64  `json:"upper_bound,omitempty"`
	Score      float64  `json:"score,omitempty"`
	Requests   int      `json:"requests,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`

	// Fair schedules: every registrant with an acceptable partner gets at
	// least MinMeetings meetings where capacity allows. FairBound bounds
	// every schedule that does so (UpperBound every schedule at all); the
	// two differ only when the lower bounds cost score. Unplaced names who
	// got fewer, and why; Fairness sums up meetings per registrant.
	MinMeetings *int       `json:"min_meetings,omitempty"`
	FairBound   float64    `json:"fair_bound,omitempty"`
	Unplaced    []Unplaced `json:"unplaced,omitempty"`
	Fairness    Fairness   `json:"fairness,omitzero"`
}

// Unplaced is a salon registrant who got fewer meetings than the minimum:
// how many, a reason code (no_partner, avoided, capacity) and a message for
// the organiser.
type Unplaced struct {
	ID       string `json:"id"`
	Meetings int    `json:"meetings"`
	Reason   string `json:"reason"`
	Message  string `json:"message"`
}

// Fairness sums up the meetings per registrant of a salon schedule.
type Fairness struct {
	Min    int     `json:"min"`
	Median float64 `json:"median"`
	Max    int     `json:"max"`
}

// Registration kinds.
const (
	RegEnterprise = "enterprise"
	RegScientist  = "scientist"
)

// RegWithdrawn is the status of a withdrawn registration: kept, shown as
// 已退出, and left out of the next lineup or schedule.
const RegWithdrawn = "已退出"

// Registration is an enterprise (with its demands) or a scientist (with
// achievements) signed up for an event.
type Registration struct {
	ID             string   `json:"id"`
	EventID        string   `json:"event_id"`
	Kind           string   `json:"kind"`
	Name           string   `json:"name"`
	DemandIDs      []string `json:"demand_ids,omitempty"`
	AchievementIDs []string `json:"achievement_ids,omitempty"`
	// Wants and Avoid name other registrations of the event.
	Wants []string `json:"wants,omitempty"`
	Avoid []string `json:"avoid,omitempty"`
	// Status is empty for an active registration, RegWithdrawn when
	// withdrawn.
	Status string `json:"status,omitempty"`
	Meta
}

// Active reports whether the registration takes part in builds.
func (r *Registration) Active() bool { return r.Status != RegWithdrawn }

// EventDeleter deletes an event with its registrations; it refuses
// (ECONFLICT) an event that pairings came from, checked in the same write.
type EventDeleter interface {
	DeleteEvent(ctx context.Context, id string) error
}

// EventStore keeps events and their registrations.
type EventStore interface {
	PutEvent(ctx context.Context, e *Event) error
	Event(ctx context.Context, id string) (*Event, error)
	ListEvents(ctx context.Context) ([]Event, error)
	PutRegistration(ctx context.Context, r *Registration) error
	Registrations(ctx context.Context, eventID string) ([]Registration, error)
}

// Validate checks an event and returns every problem at once.
func (e *Event) Validate() error {
	var c checker
	c.id(e.ID)
	switch e.Type {
	case EventRoadshow, EventSalon, EventChallenge:
	default:
		c.add("type", "活动类型“%s”无法识别：应为 roadshow（路演）、salon（沙龙）或 challenge（揭榜挂帅）", e.Type)
	}
	c.title(e.Title)
	c.text("theme", "主题", e.Theme, 2000)
	if len(e.Fields) > 20 {
		c.add("fields", "技术领域过多：最多 20 个")
	}
	c.region("region", e.Region)
	c.date("date", "活动日期", e.Date)
	if e.Start != "" {
		if _, err := time.Parse("15:04", e.Start); err != nil {
			c.add("start", "开始时间“%s”应写成 09:30 的格式", e.Start)
		}
	}
	c.short("venue", "地点", e.Venue)
	c.short("host", "主办单位", e.Host)
	c.short("organizer", "承办单位", e.Organizer)
	for _, n := range []struct {
		field, label string
		v, max       int
	}{
		{"slots", "路演席位数", e.Slots, 200},
		{"slot_minutes", "每场路演时长", e.SlotMinutes, 240},
		{"time_slots", "对接时段数", e.TimeSlots, 100},
		{"tables", "洽谈桌数", e.Tables, 500},
		{"meeting_minutes", "每次洽谈时长", e.MeetingMinutes, 240},
	} {
		if n.v < 0 || n.v > n.max {
			c.add(n.field, "%s应在 0 到 %d 之间", n.label, n.max)
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("活动有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// Validate checks a registration's own fields (the server checks that the
// records and registrations it names exist).
func (r *Registration) Validate() error {
	var c checker
	switch r.Kind {
	case RegEnterprise:
		if len(r.DemandIDs) == 0 {
			c.add("demand_ids", "企业报名至少要带一项技术需求")
		}
		if len(r.AchievementIDs) > 0 {
			c.add("achievement_ids", "企业报名只能带技术需求；科研人员请以 scientist 身份报名")
		}
	case RegScientist:
		if len(r.AchievementIDs) == 0 {
			c.add("achievement_ids", "科研人员报名至少要带一项科技成果")
		}
		if len(r.DemandIDs) > 0 {
			c.add("demand_ids", "科研人员报名只能带科技成果")
		}
	default:
		c.add("kind", "报名类型“%s”无法识别：应为 enterprise（企业）或 scientist（科研人员）", r.Kind)
	}
	if r.Status != "" && r.Status != RegWithdrawn {
		c.add("status", "报名状态“%s”无法识别：退出报名请用 DELETE", r.Status)
	}
	if strings.TrimSpace(r.Name) == "" {
		c.add("name", "报名名称不能为空")
	} else if utf8.RuneCountInString(r.Name) > MaxShortLen {
		c.add("name", "报名名称过长")
	}
	if len(r.DemandIDs)+len(r.AchievementIDs) > MaxListLen {
		c.add("demand_ids", "报名所带的记录过多：最多 %d 项", MaxListLen)
	}
	for _, id := range r.Avoid {
		if slices.Contains(r.Wants, id) {
			c.add("avoid", "报名 %s 同时出现在想见（wants）和不见（avoid）中", id)
		}
	}
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf("报名有 %d 处需要修改", len(c.errs)), Fields: c.errs}
}

// Day returns the event's day as 2006-01-02: its date, else the day it was
// created, else "".
func (e *Event) Day() string {
	if e.Date != "" {
		if t, err := ParseDate(e.Date); err == nil {
			return t.Format("2006-01-02")
		}
	}
	if !e.Created.IsZero() {
		return e.Created.Format("2006-01-02")
	}
	return ""
}

// RecentlyPresented returns the achievements on the saved lineups of the n
// latest events before e (by Day; events on e's day or later, e itself and
// events without a lineup do not count), each mapped to the latest of those
// events that presented it. When e has no day, every other event counts.
func RecentlyPresented(events []Event, e *Event, n int) map[string]string {
	out := map[string]string{}
	if n <= 0 {
		return out
	}
	day := e.Day()
	var past []*Event
	for i := range events {
		o := &events[i]
		if o.ID == e.ID || o.Lineup == nil || len(o.Lineup.Picks) == 0 {
			continue
		}
		if d := o.Day(); day != "" && (d == "" || d >= day) {
			continue
		}
		past = append(past, o)
	}
	slices.SortFunc(past, func(a, b *Event) int {
		if c := strings.Compare(b.Day(), a.Day()); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	for _, o := range past[:min(n, len(past))] {
		for _, id := range o.Lineup.Picks {
			if _, seen := out[id]; !seen {
				out[id] = o.ID
			}
		}
	}
	return out
}
