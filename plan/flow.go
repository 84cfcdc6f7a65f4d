package plan

// The b-matching of a salon schedule: which pairs meet, exactly, as a
// min-cost flow.

import "math"

// ---- Step 1: max-weight b-matching by min-cost flow ----

type flowNet struct {
	adj  [][]int32
	to   []int32
	cap  []int32
	cost []float64
}

func (f *flowNet) addArc(u, v int, c int, cost float64) int {
	k := len(f.to)
	f.to = append(f.to, int32(v), int32(u))
	f.cap = append(f.cap, int32(c), 0)
	f.cost = append(f.cost, cost, -cost)
	f.adj[u] = append(f.adj[u], int32(k))
	f.adj[v] = append(f.adj[v], int32(k+1))
	return k
}

// match chooses the meetings besides the locked ones: it sets the chosen
// flag of the edges of an optimal b-matching and returns its value (weight
// with the previous-pair bonus). With fair set, every party's first
// lowerBound(p) units of capacity carry a reward M larger than the weight of
// any set of meetings, so the flow first maximises Σ_p min(meetings_p,
// lowerBound(p)) — everyone's minimum where capacity allows — and then the
// weight.
func (s *schedState) match(fair bool) float64 {
	chosen := s.flow(fair)
	value := 0.0
	for k := range s.edges {
		e := &s.edges[k]
		e.chosen = chosen[k]
		if chosen[k] {
			value += e.w
			if e.prev {
				value += prevBonus
			}
		}
	}
	return value
}

// freeValue is the value of the b-matching without lower bounds: the
// upper bound of every schedule that keeps the locks.
func (s *schedState) freeValue() float64 {
	value := 0.0
	for k, c := range s.flow(false) {
		if c {
			e := &s.edges[k]
			value += e.w
			if e.prev {
				value += prevBonus
			}
		}
	}
	return value
}

// lowerBound is how many meetings (besides its locked ones) party p should
// get at least: the request's MinMeetings within its cap.
func (s *schedState) lowerBound(p int) int {
	return max(0, min(s.req.MinMeetings, s.cap[p])-s.deg[p])
}

// flow solves the b-matching as a min-cost flow (successive shortest paths
// with Dijkstra on reduced costs) and returns which edges it takes.
func (s *schedState) flow(fair bool) []bool {
	n := s.ns + s.ne
	src, sink := n, n+1
	limit := s.req.Slots*s.req.Tables - len(s.req.Locked)
	// reward outweighs any set of meetings: each weighs at most
	// 1 + 2×RequestBonus (+ prevBonus) and there are at most limit of them.
	reward := (2+2*RequestBonus)*float64(max(limit, 0)) + 1
	f := &flowNet{adj: make([][]int32, n+2)}
	for p := 0; p < n; p++ {
		r := max(0, s.cap[p]-s.deg[p])
		if r == 0 {
			continue
		}
		lb := 0
		if fair {
			lb = min(s.lowerBound(p), r)
		}
		u, v := src, p
		if p >= s.ns {
			u, v = p, sink
		}
		if lb > 0 {
			f.addArc(u, v, lb, -reward)
		}
		if r > lb {
			f.addArc(u, v, r-lb, 0)
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
			w += prevBonus
		}
		arcOf[k] = f.addArc(e.sci, e.ent, 1, -w)
	}

	// Initial potentials: shortest distances (capped at 0) in the acyclic
	// graph src → scientists → enterprises → sink, relaxed layer by layer.
	pot := make([]float64, n+2)
	relax := func(u int) {
		for _, a := range f.adj[u] {
			if a%2 == 0 && f.cap[a] > 0 {
				v := f.to[a]
				pot[v] = min(pot[v], pot[u]+f.cost[a])
			}
		}
	}
	relax(src)
	for p := 0; p < n; p++ {
		relax(p) // scientists come before enterprises
	}

	dist := make([]float64, n+2)
	parent := make([]int32, n+2)
	done := make([]bool, n+2)
	h := &distHeap{}
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
		for v := sink; v != src; {
			a := parent[v]
			f.cap[a]--
			f.cap[a^1]++
			v = int(f.to[a^1])
		}
	}
	chosen := make([]bool, len(s.edges))
	for k, a := range arcOf {
		chosen[k] = a >= 0 && f.cap[a] == 0
	}
	return chosen
}

type distHeap struct {
	items []struct {
		v int
		d float64
	}
}

func (h *distHeap) push(v int, d float64) {
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

func (h *distHeap) pop() (int, float64) {
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
