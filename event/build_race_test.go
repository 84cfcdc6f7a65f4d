package event_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/matcher"
)

// putDuringBuild is a matcher that, the first time it scores, lets another
// organiser change the event: the PUT lands while a build runs.
type putDuringBuild struct {
	db      *bolt.DB
	eventID string
	done    bool
}

func (m *putDuringBuild) edit(ctx context.Context) error {
	if m.done {
		return nil
	}
	m.done = true
	e, err := m.db.Event(ctx, m.eventID)
	if err != nil {
		return err
	}
	e.Title = "改过的标题"
	return m.db.PutEvent(ctx, e)
}

func (m *putDuringBuild) MatchDemand(ctx context.Context, id string, _ matcher.Options) ([]matcher.Result, error) {
	return nil, m.edit(ctx)
}

func (m *putDuringBuild) ScorePair(ctx context.Context, d *data.Demand, a *data.Achievement) (matcher.Result, error) {
	return matcher.Result{ID: a.ID, Score: 0.5}, m.edit(ctx)
}

// A build that started before a PUT must not write the event back over
// it: it fails with a conflict and the PUT stays.
func TestBuildDoesNotRevertAConcurrentPut(t *testing.T) {
	ctx := context.Background()
	db, err := bolt.Open(ctx, filepath.Join(t.TempDir(), "techmatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.PutAchievements(ctx, []data.Achievement{{ID: "a1", Title: "复合材料制备技术", Institution: "吉林大学"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutDemands(ctx, []data.Demand{{ID: "d1", Title: "寻找复合材料技术", Enterprise: data.Enterprise{Name: "长春企业"}}}); err != nil {
		t.Fatal(err)
	}
	for _, build := range []string{"lineup", "schedule"} {
		t.Run(build, func(t *testing.T) {
			ev := &data.Event{Type: data.EventSalon, Title: "原标题", Slots: 1, TimeSlots: 1, Tables: 1}
			if err := db.PutEvent(ctx, ev); err != nil {
				t.Fatal(err)
			}
			for _, r := range []*data.Registration{
				{EventID: ev.ID, Kind: data.RegEnterprise, Name: "长春企业", DemandIDs: []string{"d1"}},
				{EventID: ev.ID, Kind: data.RegScientist, Name: "张三", AchievementIDs: []string{"a1"}},
			} {
				if err := db.PutRegistration(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			p := &event.Planner{Store: db, Events: db, Matcher: &putDuringBuild{db: db, eventID: ev.ID}}
			if build == "lineup" {
				_, err = p.BuildLineup(ctx, event.Operator, ev.ID, event.LineupParams{})
			} else {
				_, err = p.BuildSchedule(ctx, event.Operator, ev.ID, event.ScheduleParams{})
			}
			if data.ErrorCode(err) != data.ECONFLICT {
				t.Fatalf("build over a concurrent PUT: %v, want a conflict", err)
			}
			got, err := db.Event(ctx, ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "改过的标题" || got.Lineup != nil || got.Schedule != nil {
				t.Fatalf("the PUT was reverted or the stale build saved: %+v", got)
			}
		})
	}
}
