// Package event is the event-planning service: roadshows (科技成果路演),
// salons (科学家企业家交流分享沙龙) and challenge releases (揭榜挂帅), their
// registrations and the rules they follow, the lineups and meeting schedules
// built for them from the matcher's scores (the algorithms are in plan), the
// views the API shows and the files organisers print. The HTTP API (server)
// and the techmatch event command share it; it imports no web framework.
package event

import (
	"context"
	"runtime"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"golang.org/x/sync/errgroup"
)

// Defaults of events that do not say.
const (
	DefaultEventStart     = "09:00"
	DefaultSlotMinutes    = 15 // one roadshow presentation
	DefaultMeetingMinutes = 20 // one salon meeting
	DefaultRecentEvents   = 3  // earlier events whose lineups count as recent
	DefaultMinMeetings    = 1  // a salon's lower bound of meetings per registrant
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

// Matcher is what the planner needs of the matcher: a demand's ranked
// achievements and one pair scored with its explanation.
type Matcher interface {
	MatchDemand(ctx context.Context, demandID string, opt matcher.Options) ([]matcher.Result, error)
	ScorePair(ctx context.Context, d *data.Demand, a *data.Achievement) (matcher.Result, error)
}

// Planner keeps events and registrations by their rules and builds roadshow
// lineups and salon schedules from the matcher's scores, keeping them with
// their event so that re-runs change as little as possible. The API's
// handlers and the techmatch event command share it.
type Planner struct {
	Store   data.Store
	Events  data.EventStore
	Search  data.Searcher // nil: no theme relevance
	Matcher Matcher       // nil: only lineups by theme, without explanations
	Now     func() time.Time
}

func (p *Planner) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// each runs fn(ctx, 0..n-1) on up to GOMAXPROCS goroutines and returns the
// first error; no new work starts once one fails or ctx ends.
func each(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	stopped := false
	for i := range n {
		if gctx.Err() != nil {
			stopped = true
			break
		}
		g.Go(func() error { return fn(gctx, i) })
	}
	if err := g.Wait(); err != nil || !stopped {
		return err
	}
	return ctx.Err()
}

func round4(x float64) float64 {
	if x < 0 {
		return -round4(-x)
	}
	return float64(int64(x*1e4+0.5)) / 1e4
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
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

func summarize(e *data.Event) EventSummary {
	return EventSummary{ID: e.ID, Type: e.Type, Title: e.Title, Theme: e.Theme, Fields: e.Fields, Date: e.Date, Venue: e.Venue,
		Start: e.Start, Host: e.Host, Organizer: e.Organizer, Published: e.Published, Version: e.Version}
}
