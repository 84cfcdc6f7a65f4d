package plan

import (
	"math"
	"slices"
	"testing"
)

func validateRules(vs []Violation) []string {
	var rules []string
	for _, v := range vs {
		if v.Message == "" {
			rules = append(rules, v.Rule+"(no message)")
			continue
		}
		rules = append(rules, v.Rule)
	}
	slices.Sort(rules)
	return rules
}

func TestValidateLineup(t *testing.T) {
	cands := []Candidate{
		{ID: "A", Institution: "吉大", Field: "新材料"},
		{ID: "B", Institution: "吉大", Field: "光电"},
		{ID: "C", Institution: "应化所", Field: "新材料"},
		{ID: "D", Institution: "", Field: ""},
		{ID: "E", Institution: "", Field: ""},
	}
	tests := []struct {
		name  string
		req   LineupRequest
		picks []string
		want  []string
	}{
		{"valid", LineupRequest{Slots: 3, MaxPerInstitution: 1, MaxPerField: 1}, []string{"A", "D", "E"}, nil},
		{"fewer picks than slots is fine", LineupRequest{Slots: 3}, []string{"A"}, nil},
		{"too many", LineupRequest{Slots: 1}, []string{"A", "B"}, []string{ViolationTooManyPicks}},
		{"duplicate", LineupRequest{Slots: 3}, []string{"A", "A"}, []string{ViolationDuplicatePick}},
		{"unknown", LineupRequest{Slots: 3}, []string{"Z"}, []string{ViolationUnknown}},
		{"excluded", LineupRequest{Slots: 3, Excluded: []string{"B"}}, []string{"B"}, []string{ViolationExcluded}},
		{"recent", LineupRequest{Slots: 3, Recent: map[string]bool{"B": true}}, []string{"B"}, []string{ViolationRecent}},
		{"recent allowed", LineupRequest{Slots: 3, Recent: map[string]bool{"B": true}, AllowRecent: true}, []string{"B"}, nil},
		{"recent locked", LineupRequest{Slots: 3, Recent: map[string]bool{"B": true}, Locked: []string{"B"}}, []string{"B"}, nil},
		{"institution cap", LineupRequest{Slots: 3, MaxPerInstitution: 1}, []string{"A", "B"}, []string{ViolationInstitutionCap}},
		{"field cap", LineupRequest{Slots: 3, MaxPerField: 1}, []string{"A", "C"}, []string{ViolationFieldCap}},
		{"empty institution and field uncapped", LineupRequest{Slots: 3, MaxPerInstitution: 1, MaxPerField: 1}, []string{"D", "E"}, nil},
		{"locked missing", LineupRequest{Slots: 3, Locked: []string{"C"}}, []string{"A"}, []string{ViolationLockedMissing}},
		{"everything", LineupRequest{Slots: 2, MaxPerInstitution: 1, MaxPerField: 1, Excluded: []string{"A"}, Locked: []string{"E"}},
			[]string{"A", "B", "C", "A", "Z"},
			[]string{ViolationDuplicatePick, ViolationExcluded, ViolationFieldCap, ViolationInstitutionCap, ViolationLockedMissing, ViolationTooManyPicks, ViolationUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validateRules(ValidateLineup(cands, tt.req, tt.picks))
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rules = %v, want %v", got, want)
			}
		})
	}
}

func TestValidateSchedule(t *testing.T) {
	sci := []Party{{ID: "S1", MaxMeetings: 1}, {ID: "S2", Avoid: []string{"E2"}}, {ID: "S3"}}
	ent := []Party{{ID: "E1"}, {ID: "E2"}, {ID: "E3", Avoid: []string{"S3"}}}
	m := func(slot, table int, s, e string) Meeting {
		return Meeting{Slot: slot, Table: table, Scientist: s, Enterprise: e, Score: 0.5}
	}
	req := ScheduleRequest{Slots: 3, Tables: 2, MaxMeetings: 2}
	tests := []struct {
		name     string
		req      ScheduleRequest
		meetings []Meeting
		want     []string
	}{
		{"valid", req, []Meeting{m(1, 1, "S1", "E1"), m(1, 2, "S2", "E3"), m(2, 1, "S2", "E1"), m(3, 2, "S3", "E2")}, nil},
		{"slot out of range", req, []Meeting{m(4, 1, "S1", "E1")}, []string{ViolationSlotRange}},
		{"slot zero", req, []Meeting{m(0, 1, "S1", "E1")}, []string{ViolationSlotRange}},
		{"table out of range", req, []Meeting{m(1, 3, "S1", "E1")}, []string{ViolationTableRange}},
		{"table clash", req, []Meeting{m(1, 1, "S1", "E1"), m(1, 1, "S2", "E3")}, []string{ViolationTableClash}},
		{"table overflow", ScheduleRequest{Slots: 3, Tables: 1}, []Meeting{m(1, 1, "S1", "E1"), m(1, 2, "S2", "E3")},
			[]string{ViolationTableOverflow, ViolationTableRange}},
		{"double booked", req, []Meeting{m(1, 1, "S2", "E1"), m(1, 2, "S2", "E3")}, []string{ViolationDoubleBooked}},
		{"over own cap", req, []Meeting{m(1, 1, "S1", "E1"), m(2, 1, "S1", "E2")}, []string{ViolationOverMax}},
		{"over default cap", ScheduleRequest{Slots: 3, Tables: 2, MaxMeetings: 1}, []Meeting{m(1, 1, "S3", "E1"), m(2, 1, "S3", "E2")}, []string{ViolationOverMax}},
		{"default cap is slots", ScheduleRequest{Slots: 2, Tables: 2}, []Meeting{m(1, 1, "S3", "E1"), m(2, 1, "S3", "E2")}, nil},
		{"avoided by scientist", req, []Meeting{m(1, 1, "S2", "E2")}, []string{ViolationAvoid}},
		{"avoided by enterprise", req, []Meeting{m(1, 1, "S3", "E3")}, []string{ViolationAvoid}},
		{"repeated pair", req, []Meeting{m(1, 1, "S3", "E1"), m(2, 1, "S3", "E1")}, []string{ViolationRepeatedPair}},
		{"unknown", req, []Meeting{m(1, 1, "S9", "E1")}, []string{ViolationUnknown}},
		{"wrong side", req, []Meeting{m(1, 1, "E2", "S1")}, []string{ViolationSameSideMeeting, ViolationSameSideMeeting}},
		{"bad score", req, []Meeting{{Slot: 1, Table: 1, Scientist: "S3", Enterprise: "E1", Score: math.NaN()}}, []string{ViolationBadScore}},
		{"locked missing", ScheduleRequest{Slots: 3, Tables: 2, Locked: []Meeting{m(2, 0, "S3", "E1")}},
			[]Meeting{m(1, 1, "S3", "E1")}, []string{ViolationLockedMissing}},
		{"locked present, table free", ScheduleRequest{Slots: 3, Tables: 2, Locked: []Meeting{m(1, 0, "S3", "E1")}},
			[]Meeting{m(1, 2, "S3", "E1")}, nil},
		{"locked at another table", ScheduleRequest{Slots: 3, Tables: 2, Locked: []Meeting{m(1, 1, "S3", "E1")}},
			[]Meeting{m(1, 2, "S3", "E1")}, []string{ViolationLockedMissing}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validateRules(ValidateSchedule(sci, ent, tt.req, tt.meetings))
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("rules = %v, want %v", got, want)
			}
		})
	}
}
