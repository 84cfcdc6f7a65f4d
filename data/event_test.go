package data_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

func TestEventDay(t *testing.T) {
	created := time.Date(2025, 3, 9, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		e    data.Event
		want string
	}{
		{"date", data.Event{Date: "2025-05-01"}, "2025-05-01"},
		{"loose date", data.Event{Date: "2025/5/1"}, "2025-05-01"},
		{"created when no date", data.Event{Meta: data.Meta{Created: created}}, "2025-03-09"},
		{"nothing", data.Event{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Day(); got != tt.want {
				t.Fatalf("Day() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRecentlyPresented(t *testing.T) {
	ev := func(id, date string, picks ...string) data.Event {
		e := data.Event{ID: id, Type: data.EventRoadshow, Title: id, Date: date}
		if picks != nil {
			e.Lineup = &data.SavedLineup{Picks: picks}
		}
		return e
	}
	events := []data.Event{
		ev("e1", "2025-01-10", "a1", "a2"),
		ev("e2", "2025-02-10", "a2", "a3"),
		ev("e3", "2025-03-10", "a4"),
		ev("e4", "2025-04-10"), // no lineup: does not count
		ev("self", "2025-04-20", "a9"),
		ev("later", "2025-05-01", "a5"),
		ev("same-day", "2025-04-20", "a6"),
		ev("undated", "", "a7"),
	}
	self := events[4]
	tests := []struct {
		name string
		n    int
		self data.Event
		want map[string]string
	}{
		{"none", 0, self, map[string]string{}},
		{"last one", 1, self, map[string]string{"a4": "e3"}},
		{"last two, latest event wins", 2, self, map[string]string{"a4": "e3", "a2": "e2", "a3": "e2"}},
		{"more than there are", 10, self, map[string]string{"a4": "e3", "a2": "e2", "a3": "e2", "a1": "e1"}},
		{"undated event: all others", 10, ev("self", ""),
			map[string]string{"a1": "e1", "a2": "e2", "a3": "e2", "a4": "e3", "a5": "later", "a6": "same-day", "a7": "undated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := data.RecentlyPresented(events, &tt.self, tt.n)
			if !maps.Equal(got, tt.want) {
				keys := slices.Sorted(maps.Keys(got))
				t.Fatalf("RecentlyPresented = %v (keys %v), want %v", got, keys, tt.want)
			}
		})
	}
}
