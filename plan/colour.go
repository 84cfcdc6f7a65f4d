package plan

// When and where the chosen meetings of a salon take place: slots by
// bipartite edge colouring, an improvement pass, then tables.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

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
