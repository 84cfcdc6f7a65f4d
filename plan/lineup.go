package plan

// Roadshow lineups (科技成果路演): which achievements go on stage.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/techmatch/techmatch/data"
)

// Candidate is an achievement that may be presented at a roadshow, with
// its precomputed scores against the demands of the registered enterprises.
type Candidate struct {
	ID          string `json:"id"`
	Institution string `json:"institution,omitempty"`
	Field       string `json:"field,omitempty"`
	// Scores maps a demand id to how well this achievement serves it, in
	// [0,1]. Missing demands score 0; demands not in the request are ignored.
	Scores map[string]float64 `json:"scores,omitempty"`
	// TextScore is the relevance to the event's theme (any finite value ≥ 0).
	// It drives the lineup while nobody has registered, breaks ties, and
	// gives the TopByText reference.
	TextScore float64 `json:"text_score"`
}

// LineupRequest says how many achievements to put on stage and under which
// rules.
type LineupRequest struct {
	Slots int `json:"slots"`
	// MaxPerInstitution and MaxPerField cap the picks from one institution
	// (完成单位) and of one technology field; 0 means no cap. Candidates whose
	// institution or field is empty are not capped by it.
	MaxPerInstitution int `json:"max_per_institution,omitempty"`
	MaxPerField       int `json:"max_per_field,omitempty"`
	// Locked achievements are in the lineup whatever the scores say. Locks
	// fix membership, not position: slot order is recomputed (see
	// BuildLineup). Locked picks count towards the caps and are kept even
	// when they break them; the result then carries a warning.
	Locked []string `json:"locked,omitempty"`
	// Excluded achievements are never picked.
	Excluded []string `json:"excluded,omitempty"`
	// Recent marks achievements presented at recent events; they are skipped
	// unless AllowRecent is set or they are locked.
	Recent      map[string]bool `json:"recent,omitempty"`
	AllowRecent bool            `json:"allow_recent,omitempty"`
	// Previous is the lineup of the last run. A previous pick is kept
	// whenever its gain is within a small epsilon of the best gain, so that
	// re-running after a lock or an exclusion changes as little as possible.
	Previous []string `json:"previous,omitempty"`
	// Demands are the ids of the registered enterprises' demands. When there
	// are none, the lineup is chosen by TextScore (see BuildLineup).
	Demands []string `json:"demands,omitempty"`
}

// LineupResult is a roadshow lineup.
type LineupResult struct {
	// Picks are the chosen achievements in slot order.
	Picks []string `json:"picks"`
	// Objective is Σ over demands of the best score among the picks
	// (coverage); when there are no demands (ByText) it is Σ TextScore of
	// the picks.
	Objective float64 `json:"objective"`
	// TopByText is the same objective for the reference lineup that simply
	// takes candidates by descending TextScore under the same rules (locks
	// first, exclusions, recency, caps): what a plain search would give.
	TopByText float64 `json:"top_by_text"`
	// UpperBound is a valid upper bound on Objective for every lineup that
	// keeps the locks: Σ over demands of the best score among all locked and
	// eligible candidates (coverage), or Σ TextScore of the locked and of the
	// best remaining eligible candidates (ByText).
	UpperBound float64 `json:"upper_bound"`
	// Assign maps each demand to the pick that serves it best (ties go to
	// the earlier pick of the greedy order). Demands no pick scores above 0
	// are absent.
	Assign map[string]string `json:"assign,omitempty"`
	// Contribution is, per pick, Σ of the scores of the demands assigned to
	// it (coverage) or its TextScore (ByText).
	Contribution map[string]float64 `json:"contribution,omitempty"`
	// ByText reports that no demands were given and the lineup was chosen by
	// theme relevance.
	ByText bool `json:"by_text,omitempty"`
	// Warnings are notes for the organiser in Chinese: locked picks that
	// break caps or were presented recently, not enough candidates.
	Warnings []string `json:"warnings,omitempty"`
}

// lineupTieEps is how close (relative to max(1, gain)) a previous pick's gain
// must come to the best gain to be kept on a re-run.
const lineupTieEps = 1e-6

// lineupDiversity is the factor applied to the theme relevance of a candidate
// for each pick of the same field already on stage (ByText mode and, in
// coverage mode, for filling slots once no demand gains any more).
const lineupDiversity = 0.5

// BuildLineup chooses req.Slots achievements for a roadshow so that the
// registered demands are served best. It maximises the coverage objective
//
//	f(S) = Σ_{d ∈ demands} max_{a ∈ S} score(d, a)
//
// (a facility-location function: monotone and submodular) with the lazy
// greedy algorithm. Greedy adds, one at a time, the candidate with the largest
// marginal gain f(S+a) − f(S). Because f is submodular the gain of a
// candidate can only shrink as S grows, so a gain computed in an earlier
// round is an upper bound on the current one: candidates sit in a priority
// queue keyed by their last computed gain, and only the top is recomputed
// until a candidate whose gain is current stays on top. That candidate is the
// exact greedy choice, usually after a handful of recomputations instead of a
// pass over every candidate per slot; the answer is the same as plain
// greedy's.
//
// Guarantees (Nemhauser, Wolsey and Fisher 1978; Fisher, Nemhauser and Wolsey
// 1978), for the gain f(S) − f(L) over the locked set L, against the best
// lineup that keeps the locks and obeys the same rules:
//   - slots only (no caps): at least (1 − 1/e) ≈ 0.632 of the optimum;
//   - slots and one kind of cap (per institution or per field): the feasible
//     sets form a laminar matroid, greedy gets at least 1/2 of the optimum;
//   - slots and both caps: the feasible sets are the intersection of two
//     matroids, greedy gets at least 1/3 of the optimum.
//
// Locks keep these bounds because f(· ∪ L) − f(L) is again monotone
// submodular and contracting L keeps a matroid a matroid. Preferring a
// previous pick within lineupTieEps of the best gain costs at most that much
// per slot. UpperBound is reported so that the organiser sees how far from
// ideal the lineup can at most be.
//
// Excluded candidates, and recent ones unless req.AllowRecent, are never
// chosen; locked ones always are. Once no candidate gains anything (every
// demand is served as well as it can be) the remaining slots are filled by
// theme relevance with field diversity, as below.
//
// When req.Demands is empty (nobody has registered yet) the lineup falls back
// to theme relevance: greedy maximises Σ TextScore·0.5^k, where k counts the
// picks of the same field chosen before (a monotone submodular function too,
// so the guarantees above hold for it), i.e. the most relevant achievements
// with diversity across fields. Objective is then Σ TextScore of the picks and
// ByText is set.
//
// Slot order groups picks by field; groups go in the order of their strongest
// pick and picks within a group by strength (contribution, then TextScore,
// then id), so the strongest field opens the show.
//
// Bad requests (Slots ≤ 0, more locks than slots, unknown, repeated or
// excluded locks, repeated or empty candidate ids, scores outside [0,1] or
// not a number) are *data.Error with code EINVALID.
func BuildLineup(cands []Candidate, req LineupRequest) (LineupResult, error) {
	st, err := lineupPrepare(cands, req)
	if err != nil {
		return LineupResult{}, err
	}
	st.greedy()
	return st.result(), nil
}

// lineupEntry is one (demand, score) entry of a candidate.
type lineupEntry struct {
	d int32
	s float64
}

type lineupState struct {
	cands []Candidate
	req   LineupRequest
	byID  map[string]int
	nd    int      // number of demands
	dIDs  []string // demand ids by index
	off   []int32  // candidate i's entries are ent[off[i]:off[i+1]], sorted by d
	ent   []lineupEntry

	locked   []int
	eligible []bool // may be picked by the greedy (not locked, excluded or recent)
	prev     []int  // previous picks that are eligible, in order

	cover      []float64 // best score per demand among chosen
	chosen     []bool
	order      []int // chosen, in greedy order (locks first)
	instCount  map[string]int
	fieldCount map[string]int
}

func lineupPrepare(cands []Candidate, req LineupRequest) (*lineupState, error) {
	if req.Slots <= 0 {
		return nil, data.Errorf(data.EINVALID, "路演席位数应大于 0，现为 %d", req.Slots)
	}
	if req.MaxPerInstitution < 0 || req.MaxPerField < 0 {
		return nil, data.Errorf(data.EINVALID, "每单位、每领域的入选上限不能为负数")
	}
	st := &lineupState{
		cands:      cands,
		req:        req,
		byID:       make(map[string]int, len(cands)),
		instCount:  map[string]int{},
		fieldCount: map[string]int{},
	}
	for i, c := range cands {
		if c.ID == "" {
			return nil, data.Errorf(data.EINVALID, "第 %d 项候选成果缺少编号", i+1)
		}
		if _, dup := st.byID[c.ID]; dup {
			return nil, data.Errorf(data.EINVALID, "候选成果编号 %q 重复", c.ID)
		}
		if math.IsNaN(c.TextScore) || math.IsInf(c.TextScore, 0) || c.TextScore < 0 {
			return nil, data.Errorf(data.EINVALID, "候选成果 %q 的主题相关度 %v 无效：应为不小于 0 的数", c.ID, c.TextScore)
		}
		st.byID[c.ID] = i
	}

	dIdx := make(map[string]int32, len(req.Demands))
	for _, d := range req.Demands {
		if _, ok := dIdx[d]; !ok {
			dIdx[d] = int32(len(st.dIDs))
			st.dIDs = append(st.dIDs, d)
		}
	}
	st.nd = len(st.dIDs)
	st.cover = make([]float64, st.nd)

	st.off = make([]int32, len(cands)+1)
	if st.nd > 0 {
		for i, c := range cands {
			start := len(st.ent)
			for d, s := range c.Scores {
				k, ok := dIdx[d]
				if !ok {
					continue
				}
				s, ok = lineupClamp(s)
				if !ok {
					return nil, data.Errorf(data.EINVALID, "候选成果 %q 对需求 %q 的匹配分 %v 无效：应在 0 到 1 之间", c.ID, d, c.Scores[d])
				}
				if s > 0 {
					st.ent = append(st.ent, lineupEntry{k, s})
				}
			}
			seg := st.ent[start:]
			if len(seg) > 1 {
				slices.SortFunc(seg, func(a, b lineupEntry) int { return cmp.Compare(a.d, b.d) })
			}
			st.off[i+1] = int32(len(st.ent))
		}
	}

	excluded := map[string]bool{}
	for _, id := range req.Excluded {
		excluded[id] = true
	}
	if len(req.Locked) > req.Slots {
		return nil, data.Errorf(data.EINVALID, "锁定了 %d 项成果，超过了 %d 个路演席位", len(req.Locked), req.Slots)
	}
	st.chosen = make([]bool, len(cands))
	for _, id := range req.Locked {
		i, ok := st.byID[id]
		switch {
		case !ok:
			return nil, data.Errorf(data.EINVALID, "锁定的成果 %q 不在候选名单中", id)
		case excluded[id]:
			return nil, data.Errorf(data.EINVALID, "成果 %q 既被锁定又被排除，请只保留其一", id)
		case st.chosen[i]:
			return nil, data.Errorf(data.EINVALID, "成果 %q 被重复锁定", id)
		}
		st.chosen[i] = true
		st.locked = append(st.locked, i)
	}
	st.eligible = make([]bool, len(cands))
	for i, c := range cands {
		st.eligible[i] = !st.chosen[i] && !excluded[c.ID] && (req.AllowRecent || !req.Recent[c.ID])
	}
	seenPrev := map[int]bool{}
	for _, id := range req.Previous {
		if i, ok := st.byID[id]; ok && st.eligible[i] && !seenPrev[i] {
			seenPrev[i] = true
			st.prev = append(st.prev, i)
		}
	}
	// Locks go in first, in their given order.
	for _, i := range st.locked {
		st.chosen[i] = false
		st.add(i)
	}
	return st, nil
}

// lineupClamp accepts a score in [0,1], forgiving rounding noise.
func lineupClamp(s float64) (float64, bool) {
	const tol = 1e-9
	if math.IsNaN(s) || s < -tol || s > 1+tol {
		return 0, false
	}
	return min(max(s, 0), 1), true
}

func (st *lineupState) byText() bool { return st.nd == 0 }

// gain returns the marginal gain of candidate i: the primary (coverage, or
// diversified relevance when there are no demands) and the secondary
// (diversified relevance, used to fill slots once coverage gains nothing).
func (st *lineupState) gain(i int) (g1, g2 float64) {
	c := &st.cands[i]
	div := c.TextScore
	if c.Field != "" {
		div *= math.Pow(lineupDiversity, float64(st.fieldCount[c.Field]))
	}
	if st.byText() {
		return div, 0
	}
	for _, e := range st.ent[st.off[i]:st.off[i+1]] {
		if d := e.s - st.cover[e.d]; d > 0 {
			g1 += d
		}
	}
	return g1, div
}

func (st *lineupState) feasible(i int) bool {
	c := &st.cands[i]
	if m := st.req.MaxPerInstitution; m > 0 && c.Institution != "" && st.instCount[c.Institution] >= m {
		return false
	}
	if m := st.req.MaxPerField; m > 0 && c.Field != "" && st.fieldCount[c.Field] >= m {
		return false
	}
	return true
}

func (st *lineupState) add(i int) {
	st.chosen[i] = true
	st.order = append(st.order, i)
	c := &st.cands[i]
	if c.Institution != "" {
		st.instCount[c.Institution]++
	}
	if c.Field != "" {
		st.fieldCount[c.Field]++
	}
	for _, e := range st.ent[st.off[i]:st.off[i+1]] {
		if e.s > st.cover[e.d] {
			st.cover[e.d] = e.s
		}
	}
}

// lineupItem is a priority queue entry: a candidate and its gain as of round.
type lineupItem struct {
	i      int32
	round  int32
	g1, g2 float64
}

// lineupBefore orders the queue: larger gain first, then larger TextScore,
// then smaller id, so that results never depend on input order.
func (st *lineupState) lineupBefore(a, b *lineupItem) bool {
	if a.g1 != b.g1 {
		return a.g1 > b.g1
	}
	if a.g2 != b.g2 {
		return a.g2 > b.g2
	}
	ca, cb := &st.cands[a.i], &st.cands[b.i]
	if ca.TextScore != cb.TextScore {
		return ca.TextScore > cb.TextScore
	}
	return ca.ID < cb.ID
}

type lineupHeap struct {
	st    *lineupState
	items []lineupItem
}

func (h *lineupHeap) down(j int) {
	n := len(h.items)
	for {
		l := 2*j + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.st.lineupBefore(&h.items[r], &h.items[l]) {
			m = r
		}
		if !h.st.lineupBefore(&h.items[m], &h.items[j]) {
			return
		}
		h.items[j], h.items[m] = h.items[m], h.items[j]
		j = m
	}
}

func (h *lineupHeap) pop() {
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	if n > 0 {
		h.down(0)
	}
}

// greedy fills the free slots with lazy greedy.
func (st *lineupState) greedy() {
	h := &lineupHeap{st: st}
	for i := range st.cands {
		if st.eligible[i] && st.feasible(i) {
			g1, g2 := st.gain(i)
			h.items = append(h.items, lineupItem{i: int32(i), g1: g1, g2: g2})
		}
	}
	for j := len(h.items)/2 - 1; j >= 0; j-- {
		h.down(j)
	}
	for round := int32(1); len(st.order) < st.req.Slots; round++ {
		// Gains in the queue were computed before round; refresh the top
		// until a refreshed candidate stays on top.
		best := -1
		var bg1 float64
		for len(h.items) > 0 {
			top := &h.items[0]
			i := int(top.i)
			if st.chosen[i] || !st.feasible(i) {
				h.pop() // caps only fill up: never feasible again
				continue
			}
			if top.round == round {
				best, bg1 = i, top.g1
				break
			}
			top.g1, top.g2 = st.gain(i)
			top.round = round
			h.down(0)
		}
		if best < 0 {
			return
		}
		// A previous pick whose gain is within epsilon of the best stays.
		eps := lineupTieEps * max(1, math.Abs(bg1))
		keep, kg := -1, math.Inf(-1)
		for _, i := range st.prev {
			if st.chosen[i] || !st.feasible(i) {
				continue
			}
			if g1, _ := st.gain(i); g1 >= bg1-eps && g1 > kg {
				keep, kg = i, g1
			}
		}
		if keep >= 0 {
			best = keep
		}
		st.add(best)
	}
}

func (st *lineupState) objective(set []int) float64 {
	if st.byText() {
		var sum float64
		for _, i := range set {
			sum += st.cands[i].TextScore
		}
		return sum
	}
	best := make([]float64, st.nd)
	for _, i := range set {
		for _, e := range st.ent[st.off[i]:st.off[i+1]] {
			best[e.d] = max(best[e.d], e.s)
		}
	}
	var sum float64
	for _, s := range best {
		sum += s
	}
	return sum
}

func (st *lineupState) result() LineupResult {
	res := LineupResult{ByText: st.byText(), Contribution: map[string]float64{}}
	strength := make(map[int]float64, len(st.order))
	if st.byText() {
		for _, i := range st.order {
			strength[i] = st.cands[i].TextScore
		}
	} else {
		res.Assign = map[string]string{}
		bestS := make([]float64, st.nd)
		bestA := make([]int, st.nd)
		for _, i := range st.order {
			strength[i] = 0
			for _, e := range st.ent[st.off[i]:st.off[i+1]] {
				if e.s > bestS[e.d] {
					bestS[e.d], bestA[e.d] = e.s, i
				}
			}
		}
		for d, s := range bestS {
			if s > 0 {
				res.Assign[st.dIDs[d]] = st.cands[bestA[d]].ID
				strength[bestA[d]] += s
			}
		}
	}
	res.Objective = st.objective(st.order)
	for i, s := range strength {
		res.Contribution[st.cands[i].ID] = s
	}
	res.Picks = st.slotOrder(strength)
	res.TopByText, res.UpperBound = st.references()
	res.Warnings = st.warnings()
	return res
}

// slotOrder groups the picks by field, strongest group and pick first.
func (st *lineupState) slotOrder(strength map[int]float64) []string {
	picks := slices.Clone(st.order)
	stronger := func(a, b int) int {
		if c := cmp.Compare(strength[b], strength[a]); c != 0 {
			return c
		}
		if c := cmp.Compare(st.cands[b].TextScore, st.cands[a].TextScore); c != 0 {
			return c
		}
		return cmp.Compare(st.cands[a].ID, st.cands[b].ID)
	}
	slices.SortFunc(picks, stronger)
	rank := map[string]int{} // field → rank of its strongest pick
	for r, i := range picks {
		if _, ok := rank[st.cands[i].Field]; !ok {
			rank[st.cands[i].Field] = r
		}
	}
	slices.SortStableFunc(picks, func(a, b int) int {
		return cmp.Compare(rank[st.cands[a].Field], rank[st.cands[b].Field])
	})
	ids := make([]string, len(picks))
	for k, i := range picks {
		ids[k] = st.cands[i].ID
	}
	return ids
}

// references computes TopByText and UpperBound.
func (st *lineupState) references() (topByText, upper float64) {
	byText := make([]int, 0, len(st.cands))
	for i := range st.cands {
		if st.eligible[i] {
			byText = append(byText, i)
		}
	}
	slices.SortFunc(byText, func(a, b int) int {
		if c := cmp.Compare(st.cands[b].TextScore, st.cands[a].TextScore); c != 0 {
			return c
		}
		return cmp.Compare(st.cands[a].ID, st.cands[b].ID)
	})

	inst, field := map[string]int{}, map[string]int{}
	set := slices.Clone(st.locked)
	for _, i := range set {
		inst[st.cands[i].Institution]++
		field[st.cands[i].Field]++
	}
	for _, i := range byText {
		if len(set) >= st.req.Slots {
			break
		}
		c := &st.cands[i]
		if m := st.req.MaxPerInstitution; m > 0 && c.Institution != "" && inst[c.Institution] >= m {
			continue
		}
		if m := st.req.MaxPerField; m > 0 && c.Field != "" && field[c.Field] >= m {
			continue
		}
		inst[c.Institution]++
		field[c.Field]++
		set = append(set, i)
	}
	topByText = st.objective(set)

	if st.byText() {
		upper = st.objective(st.locked)
		for k := 0; k < st.req.Slots-len(st.locked) && k < len(byText); k++ {
			upper += st.cands[byText[k]].TextScore
		}
		return topByText, upper
	}
	all := append(slices.Clone(st.locked), byText...)
	return topByText, st.objective(all)
}

func (st *lineupState) warnings() []string {
	var ws []string
	inst, field := map[string]int{}, map[string]int{}
	for _, i := range st.locked {
		c := &st.cands[i]
		if c.Institution != "" {
			inst[c.Institution]++
		}
		if c.Field != "" {
			field[c.Field]++
		}
		if st.req.Recent[c.ID] && !st.req.AllowRecent {
			ws = append(ws, fmt.Sprintf("锁定的成果 %s 近期已参加过路演", c.ID))
		}
	}
	for _, k := range sortedKeys(inst) {
		if m := st.req.MaxPerInstitution; m > 0 && inst[k] > m {
			ws = append(ws, fmt.Sprintf("锁定的成果中有 %d 项来自完成单位“%s”，超过每单位上限 %d 项", inst[k], k, m))
		}
	}
	for _, k := range sortedKeys(field) {
		if m := st.req.MaxPerField; m > 0 && field[k] > m {
			ws = append(ws, fmt.Sprintf("锁定的成果中有 %d 项属于技术领域“%s”，超过每领域上限 %d 项", field[k], k, m))
		}
	}
	if len(st.order) < st.req.Slots {
		ws = append(ws, fmt.Sprintf("符合条件的候选成果不足：只排出 %d 项，少于 %d 个路演席位", len(st.order), st.req.Slots))
	}
	return ws
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// FrontRows returns, for each achievement in assign's values, the at most k
// demands assigned to it (the demands it serves best, see LineupResult.Assign)
// sorted by descending score, ties by demand id: the enterprises to seat in
// the front rows during its presentation. scores maps achievement id →
// demand id → score, as in Candidate.Scores. k ≤ 0 means no limit.
func FrontRows(assign map[string]string, scores map[string]map[string]float64, k int) map[string][]string {
	rows := map[string][]string{}
	for d, a := range assign {
		rows[a] = append(rows[a], d)
	}
	for a, ds := range rows {
		sc := scores[a]
		slices.SortFunc(ds, func(x, y string) int {
			if c := cmp.Compare(sc[y], sc[x]); c != 0 {
				return c
			}
			return cmp.Compare(x, y)
		})
		if k > 0 && len(ds) > k {
			ds = ds[:k:k]
		}
		rows[a] = ds
	}
	return rows
}
