package plan

// Salon schedules (科学家企业家交流分享沙龙): who meets whom, when and at which table.

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/techmatch/techmatch/data"
)

// Party is one registration for a salon: a scientist or an enterprise.
type Party struct {
	ID string `json:"id"`
	// Wants are ids of the other side this party asked to meet.
	Wants []string `json:"wants,omitempty"`
	// Avoid are ids of the other side this party must never meet.
	Avoid []string `json:"avoid,omitempty"`
	// MaxMeetings caps this party's meetings; 0 means the request's default.
	MaxMeetings int `json:"max_meetings,omitempty"`
}

// Pair is the precomputed score of a scientist–enterprise pair and the
// records (the scientist's achievement, the enterprise's demand) it comes
// from.
type Pair struct {
	Scientist     string  `json:"scientist"`
	Enterprise    string  `json:"enterprise"`
	Score         float64 `json:"score"` // in [0,1]
	AchievementID string  `json:"achievement_id,omitempty"`
	DemandID      string  `json:"demand_id,omitempty"`
}

// Meeting is one 1:1 meeting of a schedule (slots and tables count from 1):
// the one meeting type, the same the store keeps with a saved schedule.
type Meeting = data.SavedMeeting

// ScheduleRequest gives the shape of the salon.
type ScheduleRequest struct {
	Slots  int `json:"slots"`  // time slots, numbered 1..Slots
	Tables int `json:"tables"` // tables, numbered 1..Tables
	// MaxMeetings is the default cap on a party's meetings; 0 means Slots.
	// Nobody can have more than Slots meetings anyway.
	MaxMeetings int `json:"max_meetings,omitempty"`
	// MinMeetings is the lower bound: every party with at least one
	// acceptable partner (a pair of positive weight) gets at least this many
	// meetings (within its cap) where the capacity allows; 0: none.
	MinMeetings int `json:"min_meetings,omitempty"`
	// Locked meetings are kept exactly: pair, slot, and table unless Table
	// is 0 (then a table is assigned).
	Locked []Meeting `json:"locked,omitempty"`
	// Previous is the schedule of the last run: on ties its meetings, slots
	// and tables are kept, so that re-running after a lock changes little.
	Previous []Meeting `json:"previous,omitempty"`
}

// ScheduleResult is a salon schedule.
type ScheduleResult struct {
	// Meetings are sorted by slot, then table.
	Meetings []Meeting `json:"meetings"`
	// Total is the objective: Σ over meetings of Score + RequestBonus ×
	// (number of its two parties who asked for it).
	Total float64 `json:"total"`
	// UpperBound is a valid upper bound on Total for every schedule that
	// keeps the locks: the locked meetings' weight plus the optimum of the
	// max-weight b-matching of the remaining pairs with each party's
	// remaining cap and at most Slots×Tables meetings in all, ignoring which
	// slot each meeting goes to. Total == UpperBound proves the schedule
	// optimal. (With Previous given it may exceed the true bound by at most
	// 1e-6 per previous meeting.)
	UpperBound float64 `json:"upper_bound"`
	// Score is Σ of the meetings' scores; Requests counts the wishes
	// honoured (a mutual meeting honours two).
	Score    float64 `json:"score"`
	Requests int     `json:"requests"`
	// FairBound bounds Total for every schedule that keeps the locks and
	// gives as many parties their MinMeetings as this one does: the value of
	// the b-matching with lower bounds. It equals UpperBound unless the
	// lower bounds cost weight (then Total == FairBound proves the schedule
	// optimal among the fair ones). Without MinMeetings it is UpperBound.
	FairBound float64 `json:"fair_bound"`
	// Unplaced are the parties with fewer than max(MinMeetings, 1) meetings
	// (within their cap), with the reason; Fairness the meetings per party.
	Unplaced []Unplaced `json:"unplaced"`
	Fairness Fairness   `json:"fairness"`
	// Warnings are notes for the organiser in Chinese.
	Warnings []string `json:"warnings,omitempty"`
}

// Unplaced is a party that got fewer meetings than its minimum, and why.
type Unplaced = data.Unplaced

// Fairness sums up the meetings per party.
type Fairness = data.Fairness

// Reasons of Unplaced.
const (
	ReasonNoPartner = "no_partner" // no pair of positive weight with anyone
	ReasonAvoided   = "avoided"    // every possible partner is on an avoid list
	ReasonCapacity  = "capacity"   // partners' caps, slots or tables ran out
)

// RequestBonus is added to a meeting's weight for each of its two
// parties who asked for it. Scores are at most 1, so one more honoured wish
// outweighs any score difference of a single meeting: mutual wishes (bonus 2)
// come first, one-sided wishes (bonus 1) next, and scores decide the rest.
const RequestBonus = 1.0

// prevBonus is the tie-breaking weight of a pair that met in the
// previous run.
const prevBonus = 1e-6

// BuildSchedule builds the 1:1 meetings of a salon between scientists and
// enterprises over req.Slots time slots with req.Tables tables.
//
// Rules: each party meets at most one other party per slot and at most its
// cap in all (MaxMeetings, else req.MaxMeetings, else Slots); a pair meets at
// most once; pairs where either side listed the other in Avoid never meet; at
// most Tables meetings per slot; locked meetings are kept as given. A pair
// can meet if it has a Pair or one side asked for it (score 0 then);
// pairs nobody asked for with score 0 are not scheduled. Pairs naming unknown
// parties are ignored.
//
// The objective is Σ of meeting weights, weight = Score + RequestBonus ×
// (number of the two who asked for it). Method:
//
//  1. Which pairs meet: a max-weight b-matching, solved exactly as a min-cost
//     flow (source → scientist with the scientist's remaining cap, scientist →
//     enterprise with capacity 1 and cost −weight, enterprise → sink with the
//     enterprise's remaining cap, and a super-source edge of capacity
//     Slots×Tables − locked meetings) by successive shortest paths with
//     Dijkstra on reduced costs, stopping at the first path of non-negative
//     cost. This is the best set of meetings ignoring slots and tables.
//     With MinMeetings, each party's first MinMeetings units of capacity
//     carry a reward larger than any set of meetings can weigh, so the flow
//     first gives as many parties their minimum as the caps and the
//     Slots×Tables meetings allow (lexicographically), then maximises the
//     weight; a second flow without the rewards gives UpperBound, and
//     FairBound is the first flow's value.
//  2. When: an edge colouring of the chosen meetings (a bipartite graph whose
//     degrees are at most the caps, hence at most Slots) with Slots colours by
//     alternating-path (Kempe chain) recolouring — König's theorem says
//     Slots colours suffice for maximum degree ≤ Slots. Then colour classes
//     larger than Tables are evened out by flipping two-coloured paths with
//     one more edge of the full colour (de Werra: a bipartite graph has an
//     equitable edge colouring with any number of colours ≥ its maximum
//     degree); since there are at most Slots×Tables meetings, every slot then
//     fits its tables.
//  3. Without locks steps 1–2 always place every chosen meeting, so the
//     schedule is optimal and Total == UpperBound. Locked meetings are
//     pre-coloured and never recoloured, which can leave a chosen meeting
//     without a slot; an improvement pass then inserts the best remaining
//     pairs (those left out and all others) wherever both parties and a
//     table are free, directly or after one alternating-path flip.
//  4. Tables: each scientist gets a home table (greedy colouring of the
//     scientists who share slots) and keeps it whenever it is free, so
//     scientists move as little as possible.
//
// Re-runs: a pair that met in req.Previous gets a tie-breaking bonus of 1e-6
// in step 1, keeps its previous slot and table when they are free, and
// alternating paths avoid moving previous meetings when they can.
//
// Bad requests (Slots or Tables ≤ 0, negative caps, empty or repeated ids,
// scores outside [0,1], locked meetings that name unknown parties, fall
// outside the slots or tables, clash, repeat a pair or pair parties that
// avoid each other) are *data.Error with code EINVALID. Locked meetings
// beyond a party's cap are kept with a warning.
func BuildSchedule(scientists, enterprises []Party, pairs []Pair, req ScheduleRequest) (ScheduleResult, error) {
	s, err := schedPrepare(scientists, enterprises, pairs, req)
	if err != nil {
		return ScheduleResult{}, err
	}
	flowValue := s.match(s.req.MinMeetings > 0)
	fairValue := flowValue
	if s.req.MinMeetings > 0 {
		flowValue = s.freeValue()
	}
	s.colour()
	s.improve()
	s.assignTables()
	return s.result(flowValue, fairValue), nil
}

// schedEdge is a pair that may meet.
type schedEdge struct {
	sci, ent  int // party indices: scientists 0..ns-1, enterprises ns..ns+ne-1
	score     float64
	ach, dem  string
	asks      int     // how many of the two asked for it
	w         float64 // true weight
	prev      bool
	prevSlot  int // 0-based, -1 if none
	prevTable int // 1-based, 0 if none
	locked    bool
	lockTable int  // 1-based, 0 if free
	chosen    bool // by the b-matching
	slot      int  // 0-based, -1 if not placed
	table     int  // 1-based
}

type schedState struct {
	req    ScheduleRequest
	ids    []string // party ids: scientists then enterprises
	ns, ne int
	cap    []int // effective cap per party
	deg    []int // placed meetings per party
	edges  []schedEdge

	at    [][]int32 // at[party][slot] = edge index or -1
	count []int     // meetings per slot

	warnings []string
	avoided  []int // other-side parties each party avoids or is avoided by
}

func schedPrepare(scientists, enterprises []Party, pairs []Pair, req ScheduleRequest) (*schedState, error) {
	T, K := req.Slots, req.Tables
	switch {
	case T <= 0:
		return nil, data.Errorf(data.EINVALID, "沙龙时段数应大于 0，现为 %d", T)
	case K <= 0:
		return nil, data.Errorf(data.EINVALID, "沙龙桌数应大于 0，现为 %d", K)
	case req.MaxMeetings < 0:
		return nil, data.Errorf(data.EINVALID, "每人会谈上限不能为负数")
	case req.MinMeetings < 0:
		return nil, data.Errorf(data.EINVALID, "每人会谈下限不能为负数")
	}
	// Work in id order so that the schedule does not depend on input order.
	byID := func(a, b Party) int { return cmp.Compare(a.ID, b.ID) }
	scientists = slices.SortedStableFunc(slices.Values(scientists), byID)
	enterprises = slices.SortedStableFunc(slices.Values(enterprises), byID)
	s := &schedState{req: req, ns: len(scientists), ne: len(enterprises)}
	n := s.ns + s.ne
	idx := make(map[string]int, n)
	s.ids = make([]string, 0, n)
	s.cap = make([]int, n)
	s.deg = make([]int, n)
	def := req.MaxMeetings
	if def == 0 {
		def = T
	}
	for _, parties := range [][]Party{scientists, enterprises} {
		for _, p := range parties {
			if p.ID == "" {
				return nil, data.Errorf(data.EINVALID, "有报名者缺少编号")
			}
			if _, dup := idx[p.ID]; dup {
				return nil, data.Errorf(data.EINVALID, "报名编号 %q 重复（科学家与企业的编号也不能相同）", p.ID)
			}
			if p.MaxMeetings < 0 {
				return nil, data.Errorf(data.EINVALID, "报名者 %q 的会谈上限不能为负数", p.ID)
			}
			k := len(s.ids)
			idx[p.ID] = k
			s.ids = append(s.ids, p.ID)
			c := def
			if p.MaxMeetings > 0 {
				c = p.MaxMeetings
			}
			s.cap[k] = min(c, T)
		}
	}
	sci := func(id string) (int, bool) { k, ok := idx[id]; return k, ok && k < s.ns }
	ent := func(id string) (int, bool) { k, ok := idx[id]; return k, ok && k >= s.ns }

	type key struct{ a, b int }
	avoid := map[key]bool{}
	asks := map[key]int{}
	for i, p := range scientists {
		for _, id := range p.Avoid {
			if j, ok := ent(id); ok {
				avoid[key{i, j}] = true
			}
		}
		for _, id := range slices.Compact(slices.Sorted(slices.Values(p.Wants))) {
			if j, ok := ent(id); ok {
				asks[key{i, j}]++
			}
		}
	}
	for jj, p := range enterprises {
		j := s.ns + jj
		for _, id := range p.Avoid {
			if i, ok := sci(id); ok {
				avoid[key{i, j}] = true
			}
		}
		for _, id := range slices.Compact(slices.Sorted(slices.Values(p.Wants))) {
			if i, ok := sci(id); ok {
				asks[key{i, j}]++
			}
		}
	}

	s.avoided = make([]int, n)
	for k := range avoid {
		s.avoided[k.a]++
		s.avoided[k.b]++
	}

	byPair := map[key]int{}
	addEdge := func(i, j int, score float64, ach, dem string) {
		if k, ok := byPair[key{i, j}]; ok {
			e := &s.edges[k]
			if score > e.score || score == e.score && (ach < e.ach || ach == e.ach && dem < e.dem) {
				e.score, e.ach, e.dem = score, ach, dem
			}
			return
		}
		byPair[key{i, j}] = len(s.edges)
		s.edges = append(s.edges, schedEdge{sci: i, ent: j, score: score, ach: ach, dem: dem,
			asks: asks[key{i, j}], prevSlot: -1, slot: -1})
	}
	for _, p := range pairs {
		i, ok1 := sci(p.Scientist)
		j, ok2 := ent(p.Enterprise)
		if !ok1 || !ok2 || avoid[key{i, j}] {
			continue
		}
		sc, ok := lineupClamp(p.Score)
		if !ok {
			return nil, data.Errorf(data.EINVALID, "科学家 %q 与企业 %q 的匹配分 %v 无效：应在 0 到 1 之间", p.Scientist, p.Enterprise, p.Score)
		}
		addEdge(i, j, sc, p.AchievementID, p.DemandID)
	}
	for _, k := range slices.SortedFunc(func(yield func(key) bool) {
		for k := range asks {
			if !yield(k) {
				return
			}
		}
	}, func(a, b key) int {
		if c := cmp.Compare(a.a, b.a); c != 0 {
			return c
		}
		return cmp.Compare(a.b, b.b)
	}) {
		if !avoid[k] {
			addEdge(k.a, k.b, 0, "", "")
		}
	}
	slices.SortFunc(s.edges, func(a, b schedEdge) int {
		if c := cmp.Compare(a.sci, b.sci); c != 0 {
			return c
		}
		return cmp.Compare(a.ent, b.ent)
	})
	for k := range s.edges {
		e := &s.edges[k]
		e.w = e.score + RequestBonus*float64(e.asks)
		byPair[key{e.sci, e.ent}] = k
	}

	// Previous meetings: pair bonus, slot and table hints.
	for _, m := range req.Previous {
		i, ok1 := sci(m.Scientist)
		j, ok2 := ent(m.Enterprise)
		if !ok1 || !ok2 {
			continue
		}
		if k, ok := byPair[key{i, j}]; ok {
			e := &s.edges[k]
			e.prev = true
			if m.Slot >= 1 && m.Slot <= T {
				e.prevSlot = m.Slot - 1
				if m.Table >= 1 && m.Table <= K {
					e.prevTable = m.Table
				}
			}
		}
	}

	s.at = make([][]int32, n)
	for p := range s.at {
		s.at[p] = slices.Repeat([]int32{-1}, T)
	}
	s.count = make([]int, T)

	// Locked meetings.
	var bad []data.FieldError
	badf := func(k int, format string, args ...any) {
		bad = append(bad, data.FieldError{Field: fmt.Sprintf("locked[%d]", k), Message: fmt.Sprintf(format, args...)})
	}
	tableUsed := map[[2]int]bool{}
	for k, m := range req.Locked {
		i, ok1 := sci(m.Scientist)
		j, ok2 := ent(m.Enterprise)
		switch {
		case !ok1:
			badf(k, "锁定会谈中的科学家 %q 不在报名名单中", m.Scientist)
			continue
		case !ok2:
			badf(k, "锁定会谈中的企业 %q 不在报名名单中", m.Enterprise)
			continue
		case m.Slot < 1 || m.Slot > T:
			badf(k, "锁定会谈的时段 %d 超出范围 1–%d", m.Slot, T)
			continue
		case m.Table < 0 || m.Table > K:
			badf(k, "锁定会谈的桌号 %d 超出范围 1–%d", m.Table, K)
			continue
		case avoid[key{i, j}]:
			badf(k, "%s 与 %s 已声明回避，不能安排会谈", m.Scientist, m.Enterprise)
			continue
		}
		t := m.Slot - 1
		if m.Table > 0 {
			if tableUsed[[2]int{t, m.Table}] {
				badf(k, "第 %d 时段第 %d 桌被锁定了两场会谈", m.Slot, m.Table)
				continue
			}
		}
		if s.at[i][t] >= 0 {
			badf(k, "%s 在第 %d 时段被锁定了两场会谈", m.Scientist, m.Slot)
			continue
		}
		if s.at[j][t] >= 0 {
			badf(k, "%s 在第 %d 时段被锁定了两场会谈", m.Enterprise, m.Slot)
			continue
		}
		if s.count[t] >= K {
			badf(k, "第 %d 时段锁定的会谈超过了 %d 张桌子", m.Slot, K)
			continue
		}
		ek, ok := byPair[key{i, j}]
		if ok && s.edges[ek].locked {
			badf(k, "%s 与 %s 被锁定了两场会谈", m.Scientist, m.Enterprise)
			continue
		}
		if !ok {
			sc, valid := lineupClamp(m.Score)
			if !valid {
				badf(k, "锁定会谈的匹配分 %v 无效：应在 0 到 1 之间", m.Score)
				continue
			}
			ek = len(s.edges)
			byPair[key{i, j}] = ek
			a := asks[key{i, j}]
			s.edges = append(s.edges, schedEdge{sci: i, ent: j, score: sc, ach: m.AchievementID, dem: m.DemandID,
				asks: a, w: sc + RequestBonus*float64(a), prevSlot: -1, slot: -1})
		}
		e := &s.edges[ek]
		if m.AchievementID != "" || m.DemandID != "" {
			e.ach, e.dem = m.AchievementID, m.DemandID
		}
		e.locked, e.lockTable = true, m.Table
		if m.Table > 0 {
			tableUsed[[2]int{t, m.Table}] = true
		}
		s.place(ek, t)
	}
	if len(bad) > 0 {
		return nil, &data.Error{Code: data.EINVALID, Message: fmt.Sprintf("锁定的会谈有 %d 处问题", len(bad)), Fields: bad}
	}
	for p := range s.deg {
		if s.deg[p] > s.cap[p] {
			s.warnings = append(s.warnings, fmt.Sprintf("%s 锁定了 %d 场会谈，超过其上限 %d 场", s.ids[p], s.deg[p], s.cap[p]))
		}
	}
	return s, nil
}

func (s *schedState) place(k, t int) {
	e := &s.edges[k]
	e.slot = t
	s.at[e.sci][t] = int32(k)
	s.at[e.ent][t] = int32(k)
	s.count[t]++
	s.deg[e.sci]++
	s.deg[e.ent]++
}

func (s *schedState) unplace(k int) {
	e := &s.edges[k]
	t := e.slot
	s.at[e.sci][t] = -1
	s.at[e.ent][t] = -1
	s.count[t]--
	s.deg[e.sci]--
	s.deg[e.ent]--
	e.slot = -1
}

func (s *schedState) result(flowValue, fairValue float64) ScheduleResult {
	res := ScheduleResult{Meetings: []Meeting{}, Warnings: s.warnings}
	for k := range s.edges {
		e := &s.edges[k]
		if e.locked {
			res.UpperBound += e.w
		}
		if e.slot < 0 {
			continue
		}
		res.Meetings = append(res.Meetings, Meeting{
			Slot: e.slot + 1, Table: e.table,
			Scientist: s.ids[e.sci], Enterprise: s.ids[e.ent],
			AchievementID: e.ach, DemandID: e.dem,
			Score: e.score, Mutual: e.asks == 2, Requested: e.asks > 0, Locked: e.locked,
		})
		res.Total += e.w
		res.Score += e.score
		res.Requests += e.asks
	}
	locked := res.UpperBound
	res.UpperBound += flowValue
	res.FairBound = locked + fairValue
	res.Unplaced, res.Fairness = s.unplaced()
	slices.SortFunc(res.Meetings, func(a, b Meeting) int {
		if c := cmp.Compare(a.Slot, b.Slot); c != 0 {
			return c
		}
		return cmp.Compare(a.Table, b.Table)
	})
	return res
}

// Agendas returns each registration's meetings (by scientist and by
// enterprise id), sorted by slot.
func Agendas(meetings []Meeting) map[string][]Meeting {
	out := map[string][]Meeting{}
	for _, m := range meetings {
		out[m.Scientist] = append(out[m.Scientist], m)
		if m.Enterprise != m.Scientist {
			out[m.Enterprise] = append(out[m.Enterprise], m)
		}
	}
	for _, ms := range out {
		slices.SortStableFunc(ms, func(a, b Meeting) int {
			if c := cmp.Compare(a.Slot, b.Slot); c != 0 {
				return c
			}
			return cmp.Compare(a.Table, b.Table)
		})
	}
	return out
}

// unplaced lists the parties with fewer meetings than their minimum
// (max(MinMeetings, 1) within their cap), with the reason, and sums up the
// meetings per party.
func (s *schedState) unplaced() ([]Unplaced, Fairness) {
	n := s.ns + s.ne
	partners := make([]int, n) // pairs of positive weight
	for _, e := range s.edges {
		if e.w > 0 || e.locked {
			partners[e.sci]++
			partners[e.ent]++
		}
	}
	placed := 0
	for _, c := range s.count {
		placed += c
	}
	T, K := s.req.Slots, s.req.Tables
	out := []Unplaced{}
	for p := range n {
		want := min(max(s.req.MinMeetings, 1), s.cap[p])
		if s.deg[p] >= want {
			continue
		}
		u := Unplaced{ID: s.ids[p], Meetings: s.deg[p]}
		switch {
		case partners[p] == 0 && s.avoided[p] > 0:
			u.Reason = ReasonAvoided
			u.Message = fmt.Sprintf("%s 除回避名单（avoid）上的 %d 位外没有可配对的对方", s.ids[p], s.avoided[p])
		case partners[p] == 0:
			u.Reason = ReasonNoPartner
			u.Message = fmt.Sprintf("%s 没有可配对的对方：所带记录与对方的匹配分均为 0，或对方没有有效记录", s.ids[p])
		default:
			u.Reason = ReasonCapacity
			full := 0
			for _, e := range s.edges {
				if e.w <= 0 && !e.locked {
					continue
				}
				if o := e.sci + e.ent - p; (e.sci == p || e.ent == p) && s.deg[o] >= s.cap[o] {
					full++
				}
			}
			msg := fmt.Sprintf("%s 有 %d 位可配对的对方，其中 %d 位的会谈已排满", s.ids[p], partners[p], full)
			if placed >= T*K {
				msg += fmt.Sprintf("；%d 个时段 × %d 张桌共 %d 场已全部排满", T, K, T*K)
			} else if full < partners[p] {
				msg += "；其余对方在本人有空的时段都已有会谈"
			}
			u.Message = msg + fmt.Sprintf("（现有 %d 场，至少应有 %d 场）", s.deg[p], want)
		}
		out = append(out, u)
	}
	var f Fairness
	if n > 0 {
		degs := slices.Sorted(slices.Values(s.deg))
		f.Min, f.Max = degs[0], degs[n-1]
		f.Median = float64(degs[(n-1)/2]+degs[n/2]) / 2
	}
	return out, f
}
