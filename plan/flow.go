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

// match chooses the meetings besides the locked ones and returns the value
// (weight with the previous-pair bonus) of the b-matching.
func (s *schedState) match() float64 {
	n := s.ns + s.ne
	src, sink := n, n+1
	f := &flowNet{adj: make([][]int32, n+2)}
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
			w += prevBonus
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
				value += prevBonus
			}
		}
	}
	return value
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
