package plan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// meetingsPer counts each party's meetings.
func meetingsPer(sci, ent []Party, ms []Meeting) map[string]int {
	n := map[string]int{}
	for _, p := range append(slices.Clone(sci), ent...) {
		n[p.ID] = 0
	}
	for _, m := range ms {
		n[m.Scientist]++
		n[m.Enterprise]++
	}
	return n
}

// starSalon is the salon of issue 13: 8 scientists and 8 enterprises where
// three scientists match everyone far better than the rest do and two
// enterprises match nobody well, so that an unconstrained schedule leaves
// people without a meeting.
func starSalon() ([]Party, []Party, []Pair) {
	sci, ent := schedParties("S", 8), schedParties("E", 8)
	var pairs []Pair
	for i, s := range sci {
		for j, e := range ent {
			score := 0.2 + 0.01*float64((i*7+j*3)%10)
			if i < 3 {
				score = 0.8 + 0.02*float64((i+j)%5)
			}
			if j >= 6 {
				score = 0.05 + 0.01*float64(i)
			}
			pairs = append(pairs, Pair{Scientist: s.ID, Enterprise: e.ID, Score: score})
		}
	}
	return sci, ent, pairs
}

func TestBuildSchedule_MinMeetings(t *testing.T) {
	sci, ent, pairs := starSalon()
	for _, maxMeet := range []int{0, 2, 3} {
		t.Run(fmt.Sprintf("max_meetings=%d", maxMeet), func(t *testing.T) {
			free := schedMustBuild(t, sci, ent, pairs, ScheduleRequest{Slots: 4, Tables: 3, MaxMeetings: maxMeet})
			if free.Fairness.Min != 0 {
				t.Fatalf("the case does not bite: without a lower bound everyone already meets someone (%+v)", free.Fairness)
			}
			req := ScheduleRequest{Slots: 4, Tables: 3, MaxMeetings: maxMeet, MinMeetings: 1}
			res := schedMustBuild(t, sci, ent, pairs, req)
			schedCheck(t, sci, ent, req, res)
			for id, n := range meetingsPer(sci, ent, res.Meetings) {
				if n < 1 {
					t.Errorf("%s has no meeting", id)
				}
			}
			if len(res.Unplaced) != 0 || res.Fairness.Min < 1 {
				t.Errorf("unplaced %v, fairness %+v", res.Unplaced, res.Fairness)
			}
			if math.Abs(res.Total-res.FairBound) > 1e-6 {
				t.Errorf("Total %v, FairBound %v: without locks the fair schedule is optimal among fair ones", res.Total, res.FairBound)
			}
			if res.FairBound > res.UpperBound+1e-9 || math.Abs(res.UpperBound-free.UpperBound) > 1e-9 {
				t.Errorf("FairBound %v, UpperBound %v, unconstrained bound %v", res.FairBound, res.UpperBound, free.UpperBound)
			}
			if res.Total >= free.Total {
				t.Errorf("fair total %v not below the unconstrained %v although the lower bound binds", res.Total, free.Total)
			}
		})
	}
}

// TestBuildSchedule_MinMeetingsNotBinding: where everyone meets someone
// anyway, the lower bound changes nothing and Total == UpperBound still
// proves optimality.
func TestBuildSchedule_MinMeetingsNotBinding(t *testing.T) {
	sci, ent := schedParties("S", 4), schedParties("E", 4)
	var pairs []Pair
	for i, s := range sci {
		for j, e := range ent {
			pairs = append(pairs, Pair{Scientist: s.ID, Enterprise: e.ID, Score: 0.3 + 0.1*float64((i+j)%4)})
		}
	}
	req := ScheduleRequest{Slots: 3, Tables: 4}
	free := schedMustBuild(t, sci, ent, pairs, req)
	req.MinMeetings = 1
	res := schedMustBuild(t, sci, ent, pairs, req)
	if math.Abs(res.Total-res.UpperBound) > 1e-9 || math.Abs(res.Total-free.Total) > 1e-9 || res.FairBound != res.UpperBound {
		t.Errorf("total %v, bound %v, fair bound %v, unconstrained total %v", res.Total, res.UpperBound, res.FairBound, free.Total)
	}
}

// TestBuildSchedule_MinMeetingsBrute compares with brute force on small
// random salons: first the number of parties' minimum meetings met, then
// the weight. Without locks every b-matching within Slots×Tables fits the
// slots, so the brute force ignores slots.
func TestBuildSchedule_MinMeetingsBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 8))
	for it := range 150 {
		sci, ent := schedParties("S", 1+rng.IntN(3)), schedParties("E", 1+rng.IntN(3))
		var pairs []Pair
		for _, s := range sci {
			for _, e := range ent {
				if rng.Float64() < 0.7 {
					pairs = append(pairs, Pair{Scientist: s.ID, Enterprise: e.ID, Score: math.Round(rng.Float64()*100) / 100})
				}
			}
		}
		req := ScheduleRequest{Slots: 1 + rng.IntN(3), Tables: 1 + rng.IntN(2), MaxMeetings: rng.IntN(3), MinMeetings: 1 + rng.IntN(2)}
		res := schedMustBuild(t, sci, ent, pairs, req)
		schedCheck(t, sci, ent, req, res)
		capOf := func(string) int {
			if req.MaxMeetings > 0 {
				return min(req.MaxMeetings, req.Slots)
			}
			return req.Slots
		}
		units := func(deg map[string]int) int {
			u := 0
			for id, d := range deg {
				u += min(d, req.MinMeetings, capOf(id))
			}
			return u
		}
		var pos []Pair
		for _, p := range pairs {
			if p.Score > 0 {
				pos = append(pos, p)
			}
		}
		bestU, bestW := -1, 0.0
		for mask := 0; mask < 1<<len(pos); mask++ {
			deg := meetingsPer(sci, ent, nil)
			w, n, ok := 0.0, 0, true
			for k, p := range pos {
				if mask&(1<<k) != 0 {
					deg[p.Scientist]++
					deg[p.Enterprise]++
					w += p.Score
					n++
					ok = ok && deg[p.Scientist] <= capOf(p.Scientist) && deg[p.Enterprise] <= capOf(p.Enterprise)
				}
			}
			if !ok || n > req.Slots*req.Tables {
				continue
			}
			if u := units(deg); u > bestU || u == bestU && w > bestW {
				bestU, bestW = u, w
			}
		}
		got := units(meetingsPer(sci, ent, res.Meetings))
		if got != bestU || math.Abs(res.Total-bestW) > 1e-6 {
			t.Fatalf("case %d %+v: %d minimum meetings met, total %v; brute force %d, %v", it, req, got, res.Total, bestU, bestW)
		}
	}
}

// TestBuildSchedule_Unplaced: where the minimum cannot be met the result
// names who and why.
func TestBuildSchedule_Unplaced(t *testing.T) {
	sci, ent := schedParties("S", 3), schedParties("E", 3)
	sci[2].Avoid = []string{"E1", "E2"} // and no pair with E3
	pairs := []Pair{
		{Scientist: "S1", Enterprise: "E1", Score: 0.9}, {Scientist: "S1", Enterprise: "E2", Score: 0.5},
		{Scientist: "S2", Enterprise: "E1", Score: 0.6}, {Scientist: "S2", Enterprise: "E2", Score: 0.4},
		{Scientist: "S3", Enterprise: "E1", Score: 0.7}, {Scientist: "S3", Enterprise: "E2", Score: 0.7},
	}
	req := ScheduleRequest{Slots: 1, Tables: 1, MinMeetings: 1}
	res := schedMustBuild(t, sci, ent, pairs, req)
	schedCheck(t, sci, ent, req, res)
	if len(res.Meetings) != 1 {
		t.Fatalf("meetings %v, want one (one slot, one table)", res.Meetings)
	}
	want := map[string]string{"S3": ReasonAvoided, "E3": ReasonNoPartner}
	met := res.Meetings[0]
	for _, id := range []string{"S1", "S2", "E1", "E2"} {
		if id != met.Scientist && id != met.Enterprise {
			want[id] = ReasonCapacity
		}
	}
	got := map[string]string{}
	for _, u := range res.Unplaced {
		got[u.ID] = u.Reason
		if u.Message == "" || u.Meetings != 0 {
			t.Errorf("unplaced %+v", u)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("unplaced %v, want %v", got, want)
	}
	if res.Fairness != (Fairness{Min: 0, Median: 0, Max: 1}) {
		t.Errorf("fairness %+v", res.Fairness)
	}
}
