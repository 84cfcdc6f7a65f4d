package bolt_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

// A saved lineup and schedule come back whole: re-runs and exports rely on
// every field of the last build.
func TestEventKeepsSavedPlans(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	built := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	lineup := &data.SavedLineup{
		Picks: []string{"a2", "a1"}, Locked: []string{"a1"}, Excluded: []string{"a9"}, Built: built,
		Slots: 2, MaxPerInstitution: 1, MaxPerField: 2, AllowRecent: true, RecentEvents: 3, FrontRows: 4,
		Invited:      []data.SavedInvite{{AchievementID: "a2", RegistrationID: "r-0001", DemandID: "d1", Score: 0.8}},
		Contribution: map[string]float64{"a2": 0.8, "a1": 0},
		Objective:    0.8, TopByText: 0.5, UpperBound: 1.2, Demands: 1, Warnings: []string{"提示"},
	}
	schedule := &data.SavedSchedule{
		Meetings: []data.SavedMeeting{{Slot: 1, Table: 2, Scientist: "r-0002", Enterprise: "r-0001", AchievementID: "a1",
			DemandID: "d1", Score: 0.7, Locked: true, Mutual: true, Requested: true}},
		Built: built, Slots: 4, Tables: 3, MaxMeetings: 2, Total: 2.7, UpperBound: 2.7, Score: 0.7, Requests: 2,
	}
	e := &data.Event{Type: data.EventSalon, Title: "沙龙", Lineup: lineup, Schedule: schedule}
	if err := db.PutEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	got, err := db.Event(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Lineup, lineup) || !reflect.DeepEqual(got.Schedule, schedule) {
		t.Fatalf("lineup %+v\nschedule %+v", got.Lineup, got.Schedule)
	}
}
