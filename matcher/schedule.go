package matcher

// Salon schedules (科学家企业家交流分享沙龙): who meets whom, when and at which table.

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/techmatch/techmatch/data"
)

// SchedParty is one registration for a salon: a scientist or an enterprise.
type SchedParty struct {
	ID string `json:"id"`
	// Wants are ids of the other side this party asked to meet.
	Wants []string `json:"wants,omitempty"`
	// Avoid are ids of the other side this party must never meet.
	Avoid []string `json:"avoid,omitempty"`
	// MaxMeetings caps this party's meetings; 0 means the request's default.
	MaxMeetings int `json:"max_meetings,omitempty"`
}

// SchedPair is the precomputed score of a scientist–enterprise pair and the
// records (the scientist's achievement, the enterprise's demand) it comes
// from.
type SchedPair struct {
	Scientist     string  `json:"scientist"`
	Enterprise    string  `json:"enterprise"`
	Score         float64 `json:"score"` // in [0,1]
	AchievementID string  `json:"achievement_id,omitempty"`
	DemandID      string  `json:"demand_id,omitempty"`
}

// Meeting is one 1:1 meeting of a schedule. Slots and tables count from 1.
type Meeting struct {
	Slot          int     `json:"slot"`
	Table         int     `json:"table"`
	Scientist     string  `json:"scientist"`
	Enterprise    string  `json:"enterprise"`
	AchievementID string  `json:"achievement_id,omitempty"`
	DemandID      string  `json:"demand_id,omitempty"`
	Score         float64 `json:"score"`
	// Mutual: both asked for this meeting. Requested: at least one did.
	Mutual    bool `json:"mutual,omitempty"`
	Requested bool `json:"requested,omitempty"`
	Locked    bool `json:"locked,omitempty"`
}

// ScheduleRequest gives the shape of the salon.
type ScheduleRequest struct {
	Slots  int `json:"slots"`  // time slots, numbered 1..Slots
	Tables int `json:"tables"` // tables, numbered 1..Tables
	// MaxMeetings is the default cap on a party's meetings; 0 means Slots.
	// Nobody can have more than Slots meetings anyway.
	MaxMeetings int `json:"max_meetings,omitempty"`
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
	// Total is the objective: Σ over meetings of Score + SchedRequestBonus ×
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
	// Warnings are notes for the organiser in Chinese.
	Warnings []string `json:"warnings,omitempty"`
}

// SchedRequestBonus is added to a meeting's weight for each of its two
// parties who asked for it. Scores are at most 1, so one more honoured wish
// outweighs any score difference of a single meeting: mutual wishes (bonus 2)
// come first, one-sided wishes (bonus 1) next, and scores decide the rest.
const SchedRequestBonus = 1.0

// schedPrevBonus is the tie-breaking weight of a pair that met in the
// previous run.
const schedPrevBonus = 1e-6

// BuildSchedule builds the 1:1 meetings of a salon between scientists and
// enterprises over req.Slots time slots with req.Tables tables.
//
// Rules: each party meets at most one other party per slot and at most its
// cap in all (MaxMeetings, else req.MaxMeetings, else Slots); a pair meets at
// most once; pairs where either side listed the other in Avoid never meet; at
// most Tables meetings per slot; locked meetings are kept as given. A pair
// can meet if it has a SchedPair or one side asked for it (score 0 then);
// pairs nobody asked for with score 0 are not scheduled. Pairs naming unknown
// parties are ignored.
//
// The objective is Σ of meeting weights, weight = Score + SchedRequestBonus ×
// (number of the two who asked for it). Method:
//
//  1. Which pairs meet: a max-weight b-matching, solved exactly as a min-cost
//     flow (source → scientist with the scientist's remaining cap, scientist →
//     enterprise with capacity 1 and cost −weight, enterprise → sink with the
//     enterprise's remaining cap, and a super-source edge of capacity
//     Slots×Tables − locked meetings) by successive shortest paths with
//     Dijkstra on reduced costs, stopping at the first path of non-negative
//     cost. This is the best set of meetings ignoring slots and tables.
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
func BuildSchedule(scientists, enterprises []SchedParty, pairs []SchedPair, req ScheduleRequest) (ScheduleResult, error) {
	s, err := schedPrepare(scientists, enterprises, pairs, req)
	if err != nil {
		return ScheduleResult{}, err
	}
	flowValue := s.match()
	s.colour()
	s.improve()
	s.assignTables()
	return s.result(flowValue), nil
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
}

func schedPrepare(scientists, enterprises []SchedParty, pairs []SchedPair, req ScheduleRequest) (*schedState, error) {
	T, K := req.Slots, req.Tables
	switch {
	case T <= 0:
		return nil, data.Errorf(data.EINVALID, "沙龙时段数应大于 0，现为 %d", T)
	case K <= 0:
		return nil, data.Errorf(data.EINVALID, "沙龙桌数应大于 0，现为 %d", K)
	case req.MaxMeetings < 0:
		return nil, data.Errorf(data.EINVALID, "每人会谈上限不能为负数")
	}
	// Work in id order so that the schedule does not depend on input order.
	byID := func(a, b SchedParty) int { return cmp.Compare(a.ID, b.ID) }
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
	for _, parties := range [][]SchedParty{scientists, enterprises} {
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
		e.w = e.score + SchedRequestBonus*float64(e.asks)
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
				asks: a, w: sc + SchedRequestBonus*float64(a), prevSlot: -1, slot: -1})
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

// ---- Step 1: max-weight b-matching by min-cost flow ----

type schedFlow struct {
	adj  [][]int32
	to   []int32
	cap  []int32
	cost []float64
}

func (f *schedFlow) addArc(u, v int, c int, cost float64) int {
	k := len(f.to)
	f.to = append(f.to, int32(v), int32(u))
	f.cap = append(f.cap, int32(c), 0)
	f.cost = append(f.cost, cost, -cost)
	f.adj[u] = append(f.adj[u], int32(k))
	f.adj[v] = append(f.adj[v], int32(k+1))
	return k
}

// match chooses the meetings besides the locked ones and returns the value
// (weight with the previous-pair bonus) of the b-matching.
func (s *schedState) match() float64 {
	n := s.ns + s.ne
	src, sink := n, n+1
	f := &schedFlow{adj: make([][]int32, n+2)}
	for p := 0; p < n; p++ {
		r := max(0, s.cap[p]-s.deg[p])
		if r == 0 {
			continue
		}
		if p < s.ns {
			f.addArc(src, p, r, 0)
		} else {
			f.addArc(p, sink, r, 0)
		}
	}
	arcOf := make([]int, len(s.edges))
	for k := range s.edges {
		arcOf[k] = -1
		e := &s.edges[k]
		if e.locked || e.w <= 0 {
			continue
		}
		w := e.w
		if e.prev {
			w += schedPrevBonus
		}
		arcOf[k] = f.addArc(e.sci, e.ent, 1, -w)
	}
	limit := s.req.Slots*s.req.Tables - len(s.req.Locked)

	// Initial potentials: shortest distances in the acyclic graph
	// src → scientists → enterprises → sink.
	pot := make([]float64, n+2)
	for p := s.ns; p < n; p++ {
		pot[p] = 0
	}
	for k := 0; k < len(f.to); k += 2 {
		u, v := f.to[k+1], f.to[k]
		if u < int32(s.ns) && v >= int32(s.ns) && int(v) < n && f.cap[k] > 0 {
			pot[v] = min(pot[v], pot[u]+f.cost[k])
		}
	}
	for _, a := range f.adj[sink] {
		u := f.to[a]
		pot[sink] = min(pot[sink], pot[u])
	}

	dist := make([]float64, n+2)
	parent := make([]int32, n+2)
	done := make([]bool, n+2)
	var value float64
	h := &schedDistHeap{}
	for flow := 0; flow < limit; flow++ {
		for v := range dist {
			dist[v] = math.Inf(1)
			parent[v] = -1
			done[v] = false
		}
		dist[src] = 0
		h.items = h.items[:0]
		h.push(src, 0)
		for len(h.items) > 0 {
			u, du := h.pop()
			if done[u] || du > dist[u] {
				continue
			}
			done[u] = true
			for _, a := range f.adj[u] {
				if f.cap[a] <= 0 {
					continue
				}
				v := f.to[a]
				rc := f.cost[a] + pot[u] - pot[v]
				if rc < 0 {
					rc = 0 // rounding noise
				}
				if nd := du + rc; nd < dist[v] {
					dist[v] = nd
					parent[v] = a
					h.push(int(v), nd)
				}
			}
		}
		if math.IsInf(dist[sink], 1) {
			break
		}
		for v := range pot {
			if !math.IsInf(dist[v], 1) {
				pot[v] += dist[v]
			}
		}
		pathCost := pot[sink] - pot[src]
		if pathCost >= -1e-12 {
			break
		}
		value -= pathCost
		for v := sink; v != src; {
			a := parent[v]
			f.cap[a]--
			f.cap[a^1]++
			v = int(f.to[a^1])
		}
	}
	// Recompute the value from the chosen arcs to avoid drift.
	value = 0
	for k, a := range arcOf {
		if a >= 0 && f.cap[a] == 0 {
			e := &s.edges[k]
			e.chosen = true
			value += e.w
			if e.prev {
				value += schedPrevBonus
			}
		}
	}
	return value
}

type schedDistHeap struct {
	items []struct {
		v int
		d float64
	}
}

func (h *schedDistHeap) push(v int, d float64) {
	h.items = append(h.items, struct {
		v int
		d float64
	}{v, d})
	j := len(h.items) - 1
	for j > 0 {
		p := (j - 1) / 2
		if h.items[p].d <= h.items[j].d {
			break
		}
		h.items[p], h.items[j] = h.items[j], h.items[p]
		j = p
	}
}

func (h *schedDistHeap) pop() (int, float64) {
	top := h.items[0]
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	j := 0
	for {
		l := 2*j + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && h.items[r].d < h.items[l].d {
			m = r
		}
		if h.items[j].d <= h.items[m].d {
			break
		}
		h.items[j], h.items[m] = h.items[m], h.items[j]
		j = m
	}
	return top.v, top.d
}

// ---- Step 2: edge colouring ----

// schedOrder returns edge indices by descending weight (previous pairs first
// on ties), then by index, for deterministic processing.
func (s *schedState) schedOrder(keep func(*schedEdge) bool) []int {
	var ks []int
	for k := range s.edges {
		if keep(&s.edges[k]) {
			ks = append(ks, k)
		}
	}
	slices.SortStableFunc(ks, func(a, b int) int {
		ea, eb := &s.edges[a], &s.edges[b]
		if c := cmp.Compare(eb.w, ea.w); c != 0 {
			return c
		}
		if ea.prev != eb.prev {
			if ea.prev {
				return -1
			}
			return 1
		}
		return 0
	})
	return ks
}

func (s *schedState) free(p, t int) bool { return s.at[p][t] < 0 }

// fixed reports whether edge k may not be recoloured: locked always, previous
// meetings sitting in their previous slot while strict.
func (s *schedState) fixed(k int, strict bool) bool {
	e := &s.edges[k]
	return e.locked || strict && e.prev && e.slot == e.prevSlot
}

// chain returns the edges of the path that starts at party v with the edge
// of colour a and alternates colours a and b, or ok=false if a fixed edge is
// on it.
func (s *schedState) chain(v, a, b int, strict bool) (path []int, ok bool) {
	x, col := v, a
	for {
		k := s.at[x][col]
		if k < 0 {
			return path, true
		}
		if s.fixed(int(k), strict) {
			return nil, false
		}
		path = append(path, int(k))
		e := &s.edges[k]
		if x == e.sci {
			x = e.ent
		} else {
			x = e.sci
		}
		if col == a {
			col = b
		} else {
			col = a
		}
	}
}

// swap exchanges colours a and b on the given edges.
func (s *schedState) swap(path []int, a, b int) {
	slots := make([]int, len(path))
	for n, k := range path {
		slots[n] = s.edges[k].slot
		s.unplace(k)
	}
	for n, k := range path {
		if slots[n] == a {
			s.place(k, b)
		} else {
			s.place(k, a)
		}
	}
}

// kempe tries to colour edge k by flipping one alternating path. maxCount,
// if ≥ 0, rejects flips that leave slot a or b with more meetings than it.
func (s *schedState) kempe(k int, strict bool, maxCount int) bool {
	e := &s.edges[k]
	u, v := e.sci, e.ent
	T := s.req.Slots
	for _, a := range s.slotsByLoad(func(t int) bool { return s.free(u, t) }) {
		for b := 0; b < T; b++ {
			if b == a || !s.free(v, b) && !s.free(v, a) {
				continue
			}
			path, ok := s.chain(v, a, b, strict)
			if !ok {
				continue
			}
			if maxCount >= 0 {
				na, nb := 0, 0
				for _, p := range path {
					if s.edges[p].slot == a {
						na++
					} else {
						nb++
					}
				}
				if s.count[a]-na+nb+1 > maxCount || s.count[b]-nb+na > maxCount {
					continue
				}
			}
			s.swap(path, a, b)
			s.place(k, a)
			return true
		}
	}
	return false
}

// slotsByLoad returns the slots satisfying ok, least loaded first.
func (s *schedState) slotsByLoad(ok func(int) bool) []int {
	var ts []int
	for t := 0; t < s.req.Slots; t++ {
		if ok(t) {
			ts = append(ts, t)
		}
	}
	slices.SortStableFunc(ts, func(a, b int) int { return cmp.Compare(s.count[a], s.count[b]) })
	return ts
}

func (s *schedState) colour() {
	K := s.req.Tables
	chosen := s.schedOrder(func(e *schedEdge) bool { return e.chosen })
	// Previous meetings back into their previous slots where possible.
	for _, k := range chosen {
		e := &s.edges[k]
		if t := e.prevSlot; t >= 0 && s.free(e.sci, t) && s.free(e.ent, t) && s.count[t] < K {
			s.place(k, t)
		}
	}
	for _, k := range chosen {
		e := &s.edges[k]
		if e.slot >= 0 {
			continue
		}
		if ts := s.slotsByLoad(func(t int) bool { return s.free(e.sci, t) && s.free(e.ent, t) }); len(ts) > 0 {
			s.place(k, ts[0])
			continue
		}
		if !s.kempe(k, true, -1) {
			s.kempe(k, false, -1) // else left out; step 3 deals with it
		}
	}
	s.equalize()
}

// equalize evens out slots holding more than Tables meetings.
func (s *schedState) equalize() {
	K, T := s.req.Tables, s.req.Slots
	for {
		c := 0
		for t := 1; t < T; t++ {
			if s.count[t] > s.count[c] {
				c = t
			}
		}
		if s.count[c] <= K {
			return
		}
		moved := false
		for _, d := range s.slotsByLoad(func(t int) bool { return s.count[t] < K }) {
			if s.flipExcess(c, d, true) || s.flipExcess(c, d, false) {
				moved = true
				break
			}
		}
		if moved {
			continue
		}
		// Stuck (locks in the way): leave out the lightest movable meeting.
		drop := -1
		for p := range s.at {
			if k := s.at[p][c]; k >= 0 && !s.edges[k].locked {
				if drop < 0 || s.edges[k].w < s.edges[drop].w || s.edges[k].w == s.edges[drop].w && int(k) > drop {
					drop = int(k)
				}
			}
		}
		if drop < 0 {
			return // cannot happen: locked meetings fit the tables
		}
		s.unplace(drop)
	}
}

// flipExcess finds a path of the slot-c/slot-d subgraph with one more edge in
// c than in d and no fixed edge, and swaps its slots.
func (s *schedState) flipExcess(c, d int, strict bool) bool {
	seen := map[int]bool{}
	for p := 0; p < s.ns; p++ {
		k0 := int(s.at[p][c])
		if k0 < 0 || seen[k0] {
			continue
		}
		comp := []int{k0}
		seen[k0] = true
		e0 := &s.edges[k0]
		cycle := false
		for _, start := range []int{e0.sci, e0.ent} {
			x, col := start, d
			for !cycle {
				k := int(s.at[x][col])
				if k < 0 {
					break
				}
				if k == k0 {
					cycle = true
					break
				}
				seen[k] = true
				comp = append(comp, k)
				e := &s.edges[k]
				if x == e.sci {
					x = e.ent
				} else {
					x = e.sci
				}
				if col == c {
					col = d
				} else {
					col = c
				}
			}
		}
		if cycle {
			continue
		}
		nc, ok := 0, true
		for _, k := range comp {
			if s.fixed(k, strict) {
				ok = false
			}
			if s.edges[k].slot == c {
				nc++
			}
		}
		if ok && 2*nc == len(comp)+1 {
			s.swap(comp, c, d)
			return true
		}
	}
	return false
}

// ---- Step 3: improvement ----

func (s *schedState) improve() {
	K := s.req.Tables
	rest := s.schedOrder(func(e *schedEdge) bool { return e.slot < 0 && !e.locked && e.w > 0 })
	for _, k := range rest {
		e := &s.edges[k]
		if s.deg[e.sci] >= s.cap[e.sci] || s.deg[e.ent] >= s.cap[e.ent] {
			continue
		}
		if t := e.prevSlot; t >= 0 && s.free(e.sci, t) && s.free(e.ent, t) && s.count[t] < K {
			s.place(k, t)
			continue
		}
		if ts := s.slotsByLoad(func(t int) bool { return s.free(e.sci, t) && s.free(e.ent, t) && s.count[t] < K }); len(ts) > 0 {
			s.place(k, ts[0])
			continue
		}
		if !s.kempe(k, true, K) {
			s.kempe(k, false, K)
		}
	}
	for _, k := range rest {
		if e := &s.edges[k]; e.slot < 0 && e.chosen {
			s.warnings = append(s.warnings, fmt.Sprintf("%s 与 %s 的会谈因锁定安排无法排入时段，已以其他会谈尽量补足", s.ids[e.sci], s.ids[e.ent]))
		}
	}
}

// ---- Step 4: tables ----

func (s *schedState) assignTables() {
	T, K := s.req.Slots, s.req.Tables
	// Home tables: scientists with most meetings first; locked tables seed
	// them; each takes the table that clashes in the fewest slots with the
	// homes already given.
	home := make([]int, s.ns)
	homeOf := make([][]int, K+1) // table → scientists at home there
	sci := make([]int, s.ns)
	for i := range sci {
		sci[i] = i
	}
	slices.SortStableFunc(sci, func(a, b int) int { return cmp.Compare(s.deg[b], s.deg[a]) })
	for _, i := range sci {
		for t := 0; t < T; t++ {
			if k := s.at[i][t]; k >= 0 && s.edges[k].lockTable > 0 {
				home[i] = s.edges[k].lockTable
				break
			}
		}
		if home[i] == 0 {
			for t := 0; t < T; t++ {
				if k := s.at[i][t]; k >= 0 && s.edges[k].prevSlot == t && s.edges[k].prevTable > 0 {
					home[i] = s.edges[k].prevTable
					break
				}
			}
		}
		if home[i] == 0 && s.deg[i] > 0 {
			best, bestClash := 1, math.MaxInt
			for tb := 1; tb <= K; tb++ {
				clash := 0
				for _, o := range homeOf[tb] {
					for t := 0; t < T; t++ {
						if s.at[i][t] >= 0 && s.at[o][t] >= 0 {
							clash++
						}
					}
				}
				if clash < bestClash {
					best, bestClash = tb, clash
				}
			}
			home[i] = best
		}
		if home[i] > 0 {
			homeOf[home[i]] = append(homeOf[home[i]], i)
		}
	}
	rank := make([]int, s.ns)
	for r, i := range sci {
		rank[i] = r
	}
	used := make([]bool, K+1)
	for t := 0; t < T; t++ {
		clear(used)
		var ks []int
		for i := 0; i < s.ns; i++ {
			if k := s.at[i][t]; k >= 0 {
				s.edges[k].table = 0
				ks = append(ks, int(k))
			}
		}
		slices.SortStableFunc(ks, func(a, b int) int { return cmp.Compare(rank[s.edges[a].sci], rank[s.edges[b].sci]) })
		take := func(k, tb int) bool {
			if tb < 1 || tb > K || used[tb] || s.edges[k].table > 0 {
				return false
			}
			used[tb] = true
			s.edges[k].table = tb
			return true
		}
		for _, k := range ks {
			take(k, s.edges[k].lockTable)
		}
		for _, k := range ks {
			if e := &s.edges[k]; e.prevSlot == t {
				take(k, e.prevTable)
			}
		}
		for _, k := range ks {
			take(k, home[s.edges[k].sci])
		}
		// The rest: a free table that is nobody's home in this slot if any.
		for _, k := range ks {
			if s.edges[k].table > 0 {
				continue
			}
			best := 0
			for tb := 1; tb <= K; tb++ {
				if used[tb] {
					continue
				}
				homed := false
				for _, o := range homeOf[tb] {
					if s.at[o][t] >= 0 {
						homed = true
						break
					}
				}
				if !homed {
					best = tb
					break
				}
				if best == 0 {
					best = tb
				}
			}
			take(k, best)
		}
	}
}

func (s *schedState) result(flowValue float64) ScheduleResult {
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
	res.UpperBound += flowValue
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
