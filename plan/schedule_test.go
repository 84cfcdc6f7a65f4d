package plan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func schedMustBuild(tb testing.TB, sci, ent []Party, pairs []Pair, req ScheduleRequest) ScheduleResult {
	tb.Helper()
	res, err := BuildSchedule(sci, ent, pairs, req)
	if err != nil {
		tb.Fatalf("BuildSchedule: %v", err)
	}
	return res
}

// schedWeight is the objective weight of a meeting, from the registrations.
func schedWeight(sci, ent []Party, m Meeting) float64 {
	w := m.Score
	for _, p := range sci {
		if p.ID == m.Scientist && slices.Contains(p.Wants, m.Enterprise) {
			w += RequestBonus
		}
	}
	for _, p := range ent {
		if p.ID == m.Enterprise && slices.Contains(p.Wants, m.Scientist) {
			w += RequestBonus
		}
	}
	return w
}

// schedCheck asserts what must hold of every schedule.
func schedCheck(tb testing.TB, sci, ent []Party, req ScheduleRequest, res ScheduleResult) {
	tb.Helper()
	for _, v := range ValidateSchedule(sci, ent, req, res.Meetings) {
		if v.Rule == ViolationOverMax && len(res.Warnings) > 0 {
			continue // locked beyond the cap, warned about
		}
		tb.Errorf("violation: %v", v)
	}
	var total, score float64
	requests := 0
	for _, m := range res.Meetings {
		w := schedWeight(sci, ent, m)
		total += w
		score += m.Score
		asks := int(math.Round((w - m.Score) / RequestBonus))
		requests += asks
		if m.Mutual != (asks == 2) || m.Requested != (asks > 0) {
			tb.Errorf("meeting %+v: Mutual/Requested flags wrong for %d requests", m, asks)
		}
		locked := slices.ContainsFunc(req.Locked, func(l Meeting) bool {
			return l.Scientist == m.Scientist && l.Enterprise == m.Enterprise
		})
		if m.Locked != locked {
			tb.Errorf("meeting %+v: Locked = %v, want %v", m, m.Locked, locked)
		}
	}
	if math.Abs(total-res.Total) > 1e-6 || math.Abs(score-res.Score) > 1e-6 || requests != res.Requests {
		tb.Errorf("reported total %v score %v requests %d, recomputed %v %v %d", res.Total, res.Score, res.Requests, total, score, requests)
	}
	if res.Total > res.UpperBound+1e-6 {
		tb.Errorf("Total %v above UpperBound %v", res.Total, res.UpperBound)
	}
	if !slices.IsSortedFunc(res.Meetings, func(a, b Meeting) int {
		if a.Slot != b.Slot {
			return a.Slot - b.Slot
		}
		return a.Table - b.Table
	}) {
		tb.Errorf("meetings not sorted by slot and table")
	}
}

func schedParties(prefix string, n int) []Party {
	ps := make([]Party, n)
	for i := range ps {
		ps[i].ID = fmt.Sprintf("%s%d", prefix, i+1)
	}
	return ps
}

func schedKeys(ms []Meeting) string {
	var ks []string
	for _, m := range ms {
		ks = append(ks, m.Scientist+"-"+m.Enterprise)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

func TestBuildSchedule(t *testing.T) {
	type tc struct {
		name   string
		sci    []Party
		ent    []Party
		pairs  []Pair
		req    ScheduleRequest
		meet   string  // sorted pairs that meet
		total  float64 // objective
		upper  float64
		checks func(t *testing.T, res ScheduleResult)
	}
	tests := []tc{
		{
			name: "best pairs ignoring slots",
			sci:  schedParties("S", 2), ent: schedParties("E", 2),
			pairs: []Pair{{"S1", "E1", 0.9, "a1", "d1"}, {"S1", "E2", 0.8, "a1", "d2"}, {"S2", "E1", 0.7, "a2", "d1"}, {"S2", "E2", 0.1, "a2", "d2"}},
			req:   ScheduleRequest{Slots: 1, Tables: 2},
			// One slot: a perfect matching; S1-E2 + S2-E1 = 1.5 beats S1-E1 + S2-E2 = 1.0.
			meet: "S1-E2,S2-E1", total: 1.5, upper: 1.5,
		},
		{
			name: "two slots, everyone meets everyone",
			sci:  schedParties("S", 2), ent: schedParties("E", 2),
			pairs: []Pair{{"S1", "E1", 0.9, "", ""}, {"S1", "E2", 0.8, "", ""}, {"S2", "E1", 0.7, "", ""}, {"S2", "E2", 0.1, "", ""}},
			req:   ScheduleRequest{Slots: 2, Tables: 2},
			meet:  "S1-E1,S1-E2,S2-E1,S2-E2", total: 2.5, upper: 2.5,
		},
		{
			name: "one table",
			sci:  schedParties("S", 2), ent: schedParties("E", 2),
			pairs: []Pair{{"S1", "E1", 0.9, "", ""}, {"S1", "E2", 0.8, "", ""}, {"S2", "E1", 0.7, "", ""}, {"S2", "E2", 0.1, "", ""}},
			req:   ScheduleRequest{Slots: 2, Tables: 1},
			// Two meetings in all; S1-E1 and S1-E2 are the best two.
			meet: "S1-E1,S1-E2", total: 1.7, upper: 1.7,
		},
		{
			name: "mutual wishes first, then one-sided, avoid never",
			sci: []Party{
				{ID: "S1", Wants: []string{"E2"}},
				{ID: "S2", Avoid: []string{"E1"}},
			},
			ent: []Party{
				{ID: "E1", Wants: []string{"S2"}},
				{ID: "E2", Wants: []string{"S1"}},
			},
			pairs: []Pair{{"S1", "E1", 1, "", ""}, {"S1", "E2", 0, "", ""}, {"S2", "E1", 1, "", ""}, {"S2", "E2", 0.3, "", ""}},
			req:   ScheduleRequest{Slots: 1, Tables: 2, MaxMeetings: 1},
			// S2-E1 is wanted by E1 but avoided by S2, so S2 can only meet
			// E2. S1-E2 is mutual (score 0, weight 2) and beats S1-E1 +
			// S2-E2 (1 + 0.3); in one slot E2 cannot meet both.
			meet: "S1-E2", total: 2, upper: 2,
		},
		{
			name: "per-person caps",
			sci:  []Party{{ID: "S1", MaxMeetings: 1}, {ID: "S2"}},
			ent:  schedParties("E", 3),
			pairs: []Pair{{"S1", "E1", 0.9, "", ""}, {"S1", "E2", 0.9, "", ""}, {"S1", "E3", 0.9, "", ""},
				{"S2", "E1", 0.5, "", ""}, {"S2", "E2", 0.4, "", ""}, {"S2", "E3", 0.3, "", ""}},
			req:  ScheduleRequest{Slots: 3, Tables: 3, MaxMeetings: 2},
			meet: "S1-E3,S2-E1,S2-E2", total: 1.8, upper: 1.8,
		},
		{
			name: "wishes without a scored pair still meet",
			sci:  []Party{{ID: "S1", Wants: []string{"E1"}}},
			ent:  schedParties("E", 2),
			req:  ScheduleRequest{Slots: 2, Tables: 1},
			meet: "S1-E1", total: 1, upper: 1,
		},
		{
			name: "locked meeting kept",
			sci:  schedParties("S", 2), ent: schedParties("E", 2),
			pairs: []Pair{{"S1", "E1", 0.9, "", ""}, {"S1", "E2", 0.8, "", ""}, {"S2", "E1", 0.7, "", ""}, {"S2", "E2", 0.1, "", ""}},
			req:   ScheduleRequest{Slots: 1, Tables: 2, Locked: []Meeting{{Slot: 1, Table: 2, Scientist: "S2", Enterprise: "E2"}}},
			meet:  "S1-E1,S2-E2", total: 1.0, upper: 1.0,
			checks: func(t *testing.T, res ScheduleResult) {
				for _, m := range res.Meetings {
					if m.Scientist == "S2" && (m.Table != 2 || !m.Locked || m.Score != 0.1) {
						t.Errorf("locked meeting came out as %+v", m)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := schedMustBuild(t, tt.sci, tt.ent, tt.pairs, tt.req)
			schedCheck(t, tt.sci, tt.ent, tt.req, res)
			if got := schedKeys(res.Meetings); got != tt.meet {
				t.Errorf("meetings %s, want %s", got, tt.meet)
			}
			if math.Abs(res.Total-tt.total) > 1e-9 || math.Abs(res.UpperBound-tt.upper) > 1e-9 {
				t.Errorf("total %v upper %v, want %v %v", res.Total, res.UpperBound, tt.total, tt.upper)
			}
			if tt.checks != nil {
				tt.checks(t, res)
			}
		})
	}
}

func TestBuildSchedule_Errors(t *testing.T) {
	sci, ent := schedParties("S", 2), schedParties("E", 2)
	sci[0].Avoid = []string{"E2"}
	tests := []struct {
		name  string
		sci   []Party
		pairs []Pair
		req   ScheduleRequest
		want  string
	}{
		{"no slots", sci, nil, ScheduleRequest{Tables: 1}, "时段数"},
		{"no tables", sci, nil, ScheduleRequest{Slots: 1}, "桌数"},
		{"negative cap", sci, nil, ScheduleRequest{Slots: 1, Tables: 1, MaxMeetings: -1}, "上限"},
		{"party cap", []Party{{ID: "S1", MaxMeetings: -2}}, nil, ScheduleRequest{Slots: 1, Tables: 1}, "上限"},
		{"empty id", []Party{{}}, nil, ScheduleRequest{Slots: 1, Tables: 1}, "缺少编号"},
		{"same id both sides", []Party{{ID: "E1"}}, nil, ScheduleRequest{Slots: 1, Tables: 1}, "重复"},
		{"bad score", sci, []Pair{{"S1", "E1", 2, "", ""}}, ScheduleRequest{Slots: 1, Tables: 1}, "匹配分"},
		{"locked unknown", sci, nil, ScheduleRequest{Slots: 1, Tables: 1, Locked: []Meeting{{Slot: 1, Scientist: "S9", Enterprise: "E1"}}}, "锁定的会谈"},
		{"locked wrong side", sci, nil, ScheduleRequest{Slots: 1, Tables: 1, Locked: []Meeting{{Slot: 1, Scientist: "E1", Enterprise: "S1"}}}, "锁定的会谈"},
		{"locked slot", sci, nil, ScheduleRequest{Slots: 1, Tables: 1, Locked: []Meeting{{Slot: 2, Scientist: "S1", Enterprise: "E1"}}}, "锁定的会谈"},
		{"locked table", sci, nil, ScheduleRequest{Slots: 1, Tables: 1, Locked: []Meeting{{Slot: 1, Table: 2, Scientist: "S1", Enterprise: "E1"}}}, "锁定的会谈"},
		{"locked avoid", sci, nil, ScheduleRequest{Slots: 1, Tables: 1, Locked: []Meeting{{Slot: 1, Scientist: "S1", Enterprise: "E2"}}}, "锁定的会谈"},
		{"locked double booked", sci, nil, ScheduleRequest{Slots: 1, Tables: 2, Locked: []Meeting{
			{Slot: 1, Scientist: "S1", Enterprise: "E1"}, {Slot: 1, Scientist: "S2", Enterprise: "E1"}}}, "锁定的会谈"},
		{"locked table clash", sci, nil, ScheduleRequest{Slots: 1, Tables: 2, Locked: []Meeting{
			{Slot: 1, Table: 1, Scientist: "S1", Enterprise: "E1"}, {Slot: 1, Table: 1, Scientist: "S2", Enterprise: "E2"}}}, "锁定的会谈"},
		{"locked overflow", sci, nil, ScheduleRequest{Slots: 1, Tables: 1, Locked: []Meeting{
			{Slot: 1, Scientist: "S1", Enterprise: "E1"}, {Slot: 1, Scientist: "S2", Enterprise: "E2"}}}, "锁定的会谈"},
		{"locked pair twice", sci, nil, ScheduleRequest{Slots: 2, Tables: 1, Locked: []Meeting{
			{Slot: 1, Scientist: "S1", Enterprise: "E1"}, {Slot: 2, Scientist: "S1", Enterprise: "E1"}}}, "锁定的会谈"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildSchedule(tt.sci, ent, tt.pairs, tt.req)
			if data.ErrorCode(err) != data.EINVALID {
				t.Fatalf("err = %v, want code %s", err, data.EINVALID)
			}
			msg := data.ErrorMessage(err)
			for _, f := range data.ErrorFields(err) {
				msg += " " + f.Field + ": " + f.Message
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not mention %q", msg, tt.want)
			}
		})
	}
}

// schedRandom makes a random salon: ns scientists, ne enterprises, pairs with
// probability density (scores rounded to 2 decimals for ties), some wishes and
// avoids, and random caps.
func schedRandom(rng *rand.Rand, ns, ne int, density float64, maxCap int) ([]Party, []Party, []Pair) {
	sci, ent := schedParties("S", ns), schedParties("E", ne)
	var pairs []Pair
	for i := range sci {
		for j := range ent {
			if rng.Float64() < density {
				pairs = append(pairs, Pair{Scientist: sci[i].ID, Enterprise: ent[j].ID,
					Score: math.Round(rng.Float64()*100) / 100, AchievementID: "A" + sci[i].ID, DemandID: "D" + ent[j].ID})
			}
			switch r := rng.Float64(); {
			case r < 0.08:
				sci[i].Wants = append(sci[i].Wants, ent[j].ID)
			case r < 0.12:
				sci[i].Avoid = append(sci[i].Avoid, ent[j].ID)
			}
			switch r := rng.Float64(); {
			case r < 0.08:
				ent[j].Wants = append(ent[j].Wants, sci[i].ID)
			case r < 0.1:
				ent[j].Avoid = append(ent[j].Avoid, sci[i].ID)
			}
		}
	}
	for _, ps := range [][]Party{sci, ent} {
		for i := range ps {
			if rng.IntN(3) == 0 {
				ps[i].MaxMeetings = 1 + rng.IntN(maxCap)
			}
		}
	}
	return sci, ent, pairs
}

// schedBrute returns the best objective over all schedules that keep the
// locks, by depth-first search over each candidate pair's slot (or none).
func schedBrute(sci, ent []Party, pairs []Pair, req ScheduleRequest) float64 {
	type cand struct {
		s, e string
		w    float64
	}
	avoid := func(s, e string) bool {
		for _, p := range sci {
			if p.ID == s && slices.Contains(p.Avoid, e) {
				return true
			}
		}
		for _, p := range ent {
			if p.ID == e && slices.Contains(p.Avoid, s) {
				return true
			}
		}
		return false
	}
	score := map[[2]string]float64{}
	for _, p := range pairs {
		score[[2]string{p.Scientist, p.Enterprise}] = max(score[[2]string{p.Scientist, p.Enterprise}], p.Score)
	}
	var cands []cand
	for _, s := range sci {
		for _, e := range ent {
			if avoid(s.ID, e.ID) {
				continue
			}
			m := Meeting{Scientist: s.ID, Enterprise: e.ID, Score: score[[2]string{s.ID, e.ID}]}
			if slices.ContainsFunc(req.Locked, func(l Meeting) bool { return l.Scientist == s.ID && l.Enterprise == e.ID }) {
				continue
			}
			cands = append(cands, cand{s.ID, e.ID, schedWeight(sci, ent, m)})
		}
	}
	capOf := map[string]int{}
	for _, p := range append(slices.Clone(sci), ent...) {
		c := p.MaxMeetings
		if c == 0 {
			c = req.MaxMeetings
		}
		if c == 0 || c > req.Slots {
			c = req.Slots
		}
		capOf[p.ID] = c
	}
	busy := map[[2]any]bool{}
	deg := map[string]int{}
	perSlot := make([]int, req.Slots+1)
	base := 0.0
	for _, l := range req.Locked {
		busy[[2]any{l.Scientist, l.Slot}] = true
		busy[[2]any{l.Enterprise, l.Slot}] = true
		deg[l.Scientist]++
		deg[l.Enterprise]++
		perSlot[l.Slot]++
		base += schedWeight(sci, ent, Meeting{Scientist: l.Scientist, Enterprise: l.Enterprise, Score: score[[2]string{l.Scientist, l.Enterprise}]})
	}
	best := 0.0
	var dfs func(k int, sum float64)
	dfs = func(k int, sum float64) {
		if k == len(cands) {
			best = max(best, sum)
			return
		}
		dfs(k+1, sum)
		c := cands[k]
		if deg[c.s] >= capOf[c.s] || deg[c.e] >= capOf[c.e] {
			return
		}
		for t := 1; t <= req.Slots; t++ {
			if busy[[2]any{c.s, t}] || busy[[2]any{c.e, t}] || perSlot[t] >= req.Tables {
				continue
			}
			busy[[2]any{c.s, t}], busy[[2]any{c.e, t}] = true, true
			deg[c.s]++
			deg[c.e]++
			perSlot[t]++
			dfs(k+1, sum+c.w)
			busy[[2]any{c.s, t}], busy[[2]any{c.e, t}] = false, false
			deg[c.s]--
			deg[c.e]--
			perSlot[t]--
		}
	}
	dfs(0, base)
	return best
}

// TestBuildSchedule_BruteForce compares with exhaustive search on tiny
// salons. Without locks the schedule must be optimal (b-matching + König +
// equitable colouring); with locks it must be feasible, and UpperBound must
// bound the optimum.
func TestBuildSchedule_BruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	optimalWithLocks, withLocks := 0, 0
	for it := 0; it < 400; it++ {
		ns, ne := 2+rng.IntN(2), 2+rng.IntN(2)
		sci, ent, pairs := schedRandom(rng, ns, ne, 0.8, 2)
		req := ScheduleRequest{Slots: 1 + rng.IntN(3), Tables: 1 + rng.IntN(3), MaxMeetings: rng.IntN(3)}
		if it%2 == 1 {
			// Lock a meeting or two of a feasible schedule.
			first := schedMustBuild(t, sci, ent, pairs, req)
			for _, m := range first.Meetings {
				if rng.IntN(2) == 0 {
					m.Table = rng.IntN(2) * m.Table
					// Move it to another slot where that is still valid.
					try := req
					moved := m
					moved.Slot = 1 + rng.IntN(req.Slots)
					try.Locked = append(slices.Clone(req.Locked), moved)
					if len(ValidateSchedule(sci, ent, try, try.Locked)) == 0 {
						req.Locked = try.Locked
					}
				}
			}
		}
		res := schedMustBuild(t, sci, ent, pairs, req)
		schedCheck(t, sci, ent, req, res)
		opt := schedBrute(sci, ent, pairs, req)
		if res.Total > opt+1e-9 {
			t.Fatalf("instance %d: total %v above the optimum %v", it, res.Total, opt)
		}
		if res.UpperBound < opt-1e-9 {
			t.Fatalf("instance %d: upper bound %v below the optimum %v", it, res.UpperBound, opt)
		}
		if len(req.Locked) == 0 {
			if math.Abs(res.Total-opt) > 1e-9 || math.Abs(res.UpperBound-opt) > 1e-9 {
				t.Fatalf("instance %d (%d×%d, T=%d K=%d m=%d): total %v bound %v, optimum %v\n%+v",
					it, ns, ne, req.Slots, req.Tables, req.MaxMeetings, res.Total, res.UpperBound, opt, res.Meetings)
			}
		} else {
			withLocks++
			if math.Abs(res.Total-opt) < 1e-9 {
				optimalWithLocks++
			}
		}
	}
	t.Logf("with locks: %d/%d optimal", optimalWithLocks, withLocks)
}

// schedBMatching is the brute-force max-weight b-matching over all subsets
// of pairs (no slots or tables): the slot-free optimum.
func schedBMatching(sci, ent []Party, pairs []Pair, capOf func(string) int) float64 {
	type cand struct {
		s, e int // indices into caps
		w    float64
	}
	var ids []string
	for _, p := range append(slices.Clone(sci), ent...) {
		ids = append(ids, p.ID)
	}
	var cands []cand
	for _, p := range pairs {
		if len(ValidateSchedule(sci, ent, ScheduleRequest{Slots: 1, Tables: 1}, []Meeting{{Slot: 1, Table: 1, Scientist: p.Scientist, Enterprise: p.Enterprise, Score: p.Score}})) > 0 {
			continue // avoided
		}
		m := Meeting{Scientist: p.Scientist, Enterprise: p.Enterprise, Score: p.Score}
		cands = append(cands, cand{slices.Index(ids, p.Scientist), slices.Index(ids, p.Enterprise), schedWeight(sci, ent, m)})
	}
	caps := make([]int, len(ids))
	for i, id := range ids {
		caps[i] = capOf(id)
	}
	deg := make([]int, len(ids))
	best := 0.0
	for mask := 0; mask < 1<<len(cands); mask++ {
		clear(deg)
		sum, ok := 0.0, true
		for k, c := range cands {
			if mask&(1<<k) == 0 {
				continue
			}
			deg[c.s]++
			deg[c.e]++
			if deg[c.s] > caps[c.s] || deg[c.e] > caps[c.e] {
				ok = false
				break
			}
			sum += c.w
		}
		if ok {
			best = max(best, sum)
		}
	}
	return best
}

// TestBuildSchedule_SlotFree: 4×4 salons with enough slots and tables that
// only the caps bind; the schedule must reach the b-matching optimum found by
// enumerating all 2^16 sets of meetings.
func TestBuildSchedule_SlotFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for it := 0; it < 60; it++ {
		sci, ent, _ := schedRandom(rng, 4, 4, 0, 3)
		var pairs []Pair
		for _, s := range sci {
			for _, e := range ent {
				pairs = append(pairs, Pair{Scientist: s.ID, Enterprise: e.ID, Score: math.Round(rng.Float64()*100) / 100})
			}
		}
		m := 1 + rng.IntN(3)
		req := ScheduleRequest{Slots: 4, Tables: 16, MaxMeetings: m}
		res := schedMustBuild(t, sci, ent, pairs, req)
		schedCheck(t, sci, ent, req, res)
		capOf := func(id string) int {
			for _, p := range append(slices.Clone(sci), ent...) {
				if p.ID == id && p.MaxMeetings > 0 {
					return p.MaxMeetings
				}
			}
			return m
		}
		opt := schedBMatching(sci, ent, pairs, capOf)
		if math.Abs(res.Total-opt) > 1e-9 {
			t.Fatalf("instance %d: total %v, b-matching optimum %v", it, res.Total, opt)
		}
	}
}

// TestBuildSchedule_Random: larger random salons, every rule in play. The
// validator must find nothing; without locks Total must equal UpperBound
// (proved optimal); re-running with the result as Previous, and with some
// of its meetings locked, must give the same schedule.
func TestBuildSchedule_Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	for it := 0; it < 60; it++ {
		ns, ne := 5+rng.IntN(30), 5+rng.IntN(30)
		sci, ent, pairs := schedRandom(rng, ns, ne, 0.2+0.8*rng.Float64(), 6)
		req := ScheduleRequest{Slots: 1 + rng.IntN(8), Tables: 1 + rng.IntN(12), MaxMeetings: rng.IntN(7)}
		res := schedMustBuild(t, sci, ent, pairs, req)
		schedCheck(t, sci, ent, req, res)
		if math.Abs(res.Total-res.UpperBound) > 1e-6 {
			t.Fatalf("instance %d: no locks but total %v < bound %v", it, res.Total, res.UpperBound)
		}
		if len(res.Warnings) > 0 {
			t.Errorf("instance %d: warnings %q", it, res.Warnings)
		}

		// Shuffling the input changes nothing.
		shuf := func(n int, swap func(i, j int)) { rng.Shuffle(n, swap) }
		sci2, ent2, pairs2 := slices.Clone(sci), slices.Clone(ent), slices.Clone(pairs)
		shuf(len(sci2), func(i, j int) { sci2[i], sci2[j] = sci2[j], sci2[i] })
		shuf(len(ent2), func(i, j int) { ent2[i], ent2[j] = ent2[j], ent2[i] })
		shuf(len(pairs2), func(i, j int) { pairs2[i], pairs2[j] = pairs2[j], pairs2[i] })
		if s := schedMustBuild(t, sci2, ent2, pairs2, req); fmt.Sprint(s.Meetings) != fmt.Sprint(res.Meetings) {
			t.Fatalf("instance %d: shuffled input changed the schedule", it)
		}

		req.Previous = res.Meetings
		again := schedMustBuild(t, sci, ent, pairs, req)
		if fmt.Sprint(again.Meetings) != fmt.Sprint(res.Meetings) {
			t.Fatalf("instance %d: re-run with previous changed the schedule", it)
		}

		// Lock a third of the meetings: nothing else needs to change.
		for _, m := range res.Meetings {
			if rng.IntN(3) == 0 {
				req.Locked = append(req.Locked, m)
			}
		}
		locked := schedMustBuild(t, sci, ent, pairs, req)
		schedCheck(t, sci, ent, req, locked)
		if schedKeys(locked.Meetings) != schedKeys(res.Meetings) || math.Abs(locked.Total-res.Total) > 1e-6 {
			t.Fatalf("instance %d: locking meetings of the schedule changed it", it)
		}
		for i, m := range locked.Meetings {
			if m.Slot != res.Meetings[i].Slot || m.Table != res.Meetings[i].Table {
				t.Fatalf("instance %d: locking moved %+v to slot %d table %d", it, res.Meetings[i], m.Slot, m.Table)
			}
		}

		// Random valid locks, then a re-run after moving one: still valid.
		req.Previous = locked.Meetings
		req.Locked = nil
		for _, m := range res.Meetings {
			if rng.IntN(4) == 0 {
				m.Slot = 1 + rng.IntN(req.Slots)
				m.Table = rng.IntN(req.Tables + 1)
				try := req
				try.Locked = append(slices.Clone(req.Locked), m)
				if len(ValidateSchedule(sci, ent, try, try.Locked)) == 0 {
					req.Locked = try.Locked
				}
			}
		}
		moved := schedMustBuild(t, sci, ent, pairs, req)
		schedCheck(t, sci, ent, req, moved)
		same := 0
		prev := map[string]Meeting{}
		for _, m := range res.Meetings {
			prev[m.Scientist+"-"+m.Enterprise] = m
		}
		for _, m := range moved.Meetings {
			if p, ok := prev[m.Scientist+"-"+m.Enterprise]; ok && p.Slot == m.Slot {
				same++
			}
		}
		t.Logf("instance %d: %d×%d T=%d K=%d: %d meetings, %d locks moved, %d of %d kept their slot, total %.2f of bound %.2f (was %.2f)",
			it, ns, ne, req.Slots, req.Tables, len(res.Meetings), len(req.Locked), same, len(moved.Meetings), moved.Total, moved.UpperBound, res.Total)
	}
}

// TestBuildSchedule_Tables: when there are no more scientists than tables,
// every scientist keeps one table all evening.
func TestBuildSchedule_Tables(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for it := 0; it < 30; it++ {
		sci, ent, pairs := schedRandom(rng, 6, 12, 0.9, 4)
		req := ScheduleRequest{Slots: 5, Tables: 6 + rng.IntN(3)}
		res := schedMustBuild(t, sci, ent, pairs, req)
		schedCheck(t, sci, ent, req, res)
		table := map[string]int{}
		for _, m := range res.Meetings {
			if tb, ok := table[m.Scientist]; ok && tb != m.Table {
				t.Fatalf("instance %d: %s moves from table %d to %d", it, m.Scientist, tb, m.Table)
			}
			table[m.Scientist] = m.Table
		}
	}
}

func TestBuildSchedule_LockedOverCap(t *testing.T) {
	sci := []Party{{ID: "S1", MaxMeetings: 1}}
	ent := schedParties("E", 2)
	req := ScheduleRequest{Slots: 2, Tables: 1, Locked: []Meeting{
		{Slot: 1, Scientist: "S1", Enterprise: "E1"}, {Slot: 2, Scientist: "S1", Enterprise: "E2"}}}
	res := schedMustBuild(t, sci, ent, []Pair{{"S1", "E1", 0.5, "", ""}}, req)
	if len(res.Meetings) != 2 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "超过其上限") {
		t.Fatalf("meetings %+v warnings %q", res.Meetings, res.Warnings)
	}
	if got := ValidateSchedule(sci, ent, req, res.Meetings); len(got) != 1 || got[0].Rule != ViolationOverMax {
		t.Errorf("violations %v, want one %s", got, ViolationOverMax)
	}
}

// TestBuildSchedule_LockBlocks: locks that make the b-matching's choice
// impossible to place; the improvement pass must fill the salon with others.
func TestBuildSchedule_LockBlocks(t *testing.T) {
	// Two slots, two tables. S1-E1 is locked into slot 1 and S2-E2 into
	// slot 2. The b-matching wants S1-E2 and S2-E1, but S1 and E2 (and S2
	// and E1) have no free slot in common. S3 takes the free places.
	sci, ent := schedParties("S", 3), schedParties("E", 2)
	pairs := []Pair{{"S1", "E2", 0.9, "", ""}, {"S2", "E1", 0.8, "", ""}, {"S1", "E1", 0.1, "", ""}, {"S2", "E2", 0.1, "", ""},
		{"S3", "E2", 0.5, "", ""}, {"S3", "E1", 0.4, "", ""}}
	req := ScheduleRequest{Slots: 2, Tables: 2, Locked: []Meeting{
		{Slot: 1, Table: 1, Scientist: "S1", Enterprise: "E1"}, {Slot: 2, Table: 1, Scientist: "S2", Enterprise: "E2"}}}
	res := schedMustBuild(t, sci, ent, pairs, req)
	schedCheck(t, sci, ent, req, res)
	if got := schedKeys(res.Meetings); got != "S1-E1,S2-E2,S3-E1,S3-E2" {
		t.Errorf("meetings %s, want S1-E1,S2-E2,S3-E1,S3-E2", got)
	}
	if opt := schedBrute(sci, ent, pairs, req); math.Abs(res.Total-opt) > 1e-9 || math.Abs(res.Total-1.1) > 1e-9 {
		t.Errorf("total %v, want the optimum 1.1 (brute force %v)", res.Total, opt)
	}
	if math.Abs(res.UpperBound-1.9) > 1e-9 || len(res.Warnings) != 2 {
		t.Errorf("bound %v, warnings %q: want 1.9 and two warnings about S1-E2 and S2-E1", res.UpperBound, res.Warnings)
	}

	// Three slots, one table, three locks: the salon is full, and the
	// bound knows it (capacity Slots×Tables caps the flow).
	req = ScheduleRequest{Slots: 3, Tables: 1, MaxMeetings: 2, Locked: []Meeting{
		{Slot: 1, Scientist: "S1", Enterprise: "E1"}, {Slot: 2, Scientist: "S2", Enterprise: "E2"}, {Slot: 3, Scientist: "S2", Enterprise: "E1"}}}
	res = schedMustBuild(t, sci, ent, pairs, req)
	schedCheck(t, sci, ent, req, res)
	if len(res.Meetings) != 3 || len(res.Warnings) != 0 || math.Abs(res.UpperBound-1.0) > 1e-9 || math.Abs(res.Total-1.0) > 1e-9 {
		t.Errorf("meetings %+v, warnings %q, total %v, bound %v: want the 3 locked, total = bound = 1", res.Meetings, res.Warnings, res.Total, res.UpperBound)
	}
}

func TestAgendas(t *testing.T) {
	ms := []Meeting{
		{Slot: 2, Table: 1, Scientist: "S1", Enterprise: "E1"},
		{Slot: 1, Table: 3, Scientist: "S1", Enterprise: "E2"},
		{Slot: 1, Table: 1, Scientist: "S2", Enterprise: "E1"},
	}
	got := Agendas(ms)
	want := map[string][]Meeting{
		"S1": {ms[1], ms[0]},
		"S2": {ms[2]},
		"E1": {ms[2], ms[0]},
		"E2": {ms[1]},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Agendas = %v\nwant %v", got, want)
	}
}

// TestBuildSchedule_Golden pins down a small salon as a grid.
func TestBuildSchedule_Golden(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 5))
	sci, ent, pairs := schedRandom(rng, 8, 10, 0.6, 3)
	req := ScheduleRequest{Slots: 4, Tables: 4, MaxMeetings: 3,
		Locked: []Meeting{{Slot: 2, Table: 4, Scientist: "S3", Enterprise: "E7"}}}
	res := schedMustBuild(t, sci, ent, pairs, req)
	schedCheck(t, sci, ent, req, res)
	var b strings.Builder
	fmt.Fprintf(&b, "total %.2f  bound %.2f  score %.2f  wishes honoured %d\n", res.Total, res.UpperBound, res.Score, res.Requests)
	grid := map[[2]int]Meeting{}
	for _, m := range res.Meetings {
		grid[[2]int{m.Slot, m.Table}] = m
	}
	fmt.Fprintf(&b, "%-6s", "")
	for tb := 1; tb <= req.Tables; tb++ {
		fmt.Fprintf(&b, "| table %-9d", tb)
	}
	b.WriteString("\n")
	for s := 1; s <= req.Slots; s++ {
		fmt.Fprintf(&b, "slot %d", s)
		for tb := 1; tb <= req.Tables; tb++ {
			m, ok := grid[[2]int{s, tb}]
			cell := ""
			if ok {
				cell = fmt.Sprintf("%s-%s %.2f", m.Scientist, m.Enterprise, m.Score)
				switch {
				case m.Locked:
					cell += "L"
				case m.Mutual:
					cell += "M"
				case m.Requested:
					cell += "R"
				}
			}
			fmt.Fprintf(&b, "| %-15s", cell)
		}
		b.WriteString("\n")
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	lineupEventGolden(t, "schedule_salon.golden", b.String())
}

func schedBenchInstance() ([]Party, []Party, []Pair) {
	rng := rand.New(rand.NewPCG(40, 40))
	sci, ent, _ := schedRandom(rng, 40, 40, 0, 6)
	var pairs []Pair
	for _, s := range sci {
		for _, e := range ent {
			pairs = append(pairs, Pair{Scientist: s.ID, Enterprise: e.ID, Score: rng.Float64()})
		}
	}
	return sci, ent, pairs
}

func BenchmarkSchedule(b *testing.B) {
	sci, ent, pairs := schedBenchInstance()
	req := ScheduleRequest{Slots: 8, Tables: 10, MaxMeetings: 6}
	first, err := BuildSchedule(sci, ent, pairs, req)
	if err != nil {
		b.Fatal(err)
	}
	relock := req
	relock.Previous = first.Meetings
	for k, m := range first.Meetings {
		if k%7 == 0 {
			m.Slot = m.Slot%req.Slots + 1
			m.Table = 0
			try := relock
			try.Locked = append(slices.Clone(relock.Locked), m)
			if len(ValidateSchedule(sci, ent, try, try.Locked)) == 0 {
				relock.Locked = try.Locked
			}
		}
	}
	for _, bc := range []struct {
		name string
		req  ScheduleRequest
	}{{"fresh", req}, {"relock", relock}, {"fair", fair(req)}} {
		b.Run(bc.name, func(b *testing.B) {
			var res ScheduleResult
			for b.Loop() {
				if res, err = BuildSchedule(sci, ent, pairs, bc.req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(res.Meetings)), "meetings")
			b.ReportMetric(res.Total/res.UpperBound, "total/bound")
			b.ReportMetric(float64(res.Fairness.Min), "min-meetings")
		})
	}
}

// fair is req with everyone's minimum of one meeting.
func fair(req ScheduleRequest) ScheduleRequest {
	req.MinMeetings = 1
	return req
}
