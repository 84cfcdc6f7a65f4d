package plan

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

// The flag has its own name so that it cannot clash with an -update flag of
// other tests in this package.
var eventUpdate = flag.Bool("update-events", false, "rewrite the lineup and schedule golden files in testdata/")

// lineupEventGolden compares got with testdata/name, or rewrites it with
// -update-events.
func lineupEventGolden(tb testing.TB, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *eventUpdate {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -run %s -update-events to create it)", err, tb.Name())
	}
	if got != string(want) {
		tb.Errorf("%s differs from %s (rerun with -update-events if the change is intended)\n--- got ---\n%s\n--- want ---\n%s", tb.Name(), path, got, want)
	}
}

func lineupCand(id, inst, field string, text float64, scores ...any) Candidate {
	c := Candidate{ID: id, Institution: inst, Field: field, TextScore: text, Scores: map[string]float64{}}
	for i := 0; i < len(scores); i += 2 {
		c.Scores[scores[i].(string)] = scores[i+1].(float64)
	}
	return c
}

func lineupMustBuild(tb testing.TB, cands []Candidate, req LineupRequest) LineupResult {
	tb.Helper()
	res, err := BuildLineup(cands, req)
	if err != nil {
		tb.Fatalf("BuildLineup: %v", err)
	}
	return res
}

// lineupF is the coverage objective, computed from scratch.
func lineupF(cands []Candidate, demands []string, picks []string) float64 {
	byID := map[string]Candidate{}
	for _, c := range cands {
		byID[c.ID] = c
	}
	var sum float64
	seen := map[string]bool{}
	for _, d := range demands {
		if seen[d] {
			continue
		}
		seen[d] = true
		best := 0.0
		for _, p := range picks {
			best = max(best, byID[p].Scores[d])
		}
		sum += best
	}
	return sum
}

func lineupSet(ids []string) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return strings.Join(s, ",")
}

func TestBuildLineup(t *testing.T) {
	demands := []string{"d1", "d2", "d3"}
	tests := []struct {
		name      string
		cands     []Candidate
		req       LineupRequest
		picks     []string // in slot order
		objective float64
		topByText float64
		upper     float64
		byText    bool
		warnings  []string // substrings, in order
	}{
		{
			name: "coverage beats relevance",
			cands: []Candidate{
				lineupCand("A", "吉大", "新材料", 0.5, "d1", 0.9, "d2", 0.9),
				lineupCand("B", "长光所", "光电", 0.2, "d3", 0.8),
				lineupCand("C", "应化所", "新材料", 0.9, "d1", 0.95),
			},
			req:       LineupRequest{Slots: 2, Demands: demands},
			picks:     []string{"A", "B"},
			objective: 2.6,
			topByText: 0.95 + 0.9, // C and A
			upper:     0.95 + 0.9 + 0.8,
		},
		{
			name: "institution cap",
			cands: []Candidate{
				lineupCand("A", "吉大", "新材料", 0.5, "d1", 0.9, "d2", 0.9),
				lineupCand("B", "吉大", "光电", 0.2, "d3", 0.8),
				lineupCand("C", "应化所", "新材料", 0.9, "d3", 0.3),
			},
			req:       LineupRequest{Slots: 2, MaxPerInstitution: 1, Demands: demands},
			picks:     []string{"A", "C"},
			objective: 2.1,
			topByText: 2.1,
			upper:     2.6,
		},
		{
			name: "field cap",
			cands: []Candidate{
				lineupCand("A", "吉大", "新材料", 0.5, "d1", 0.9, "d2", 0.9),
				lineupCand("B", "长光所", "新材料", 0.2, "d3", 0.8),
				lineupCand("C", "应化所", "光电", 0.9, "d3", 0.3),
			},
			req:       LineupRequest{Slots: 2, MaxPerField: 1, Demands: demands},
			picks:     []string{"A", "C"},
			objective: 2.1,
			topByText: 2.1,
			upper:     2.6,
		},
		{
			name: "locked kept, excluded and recent skipped",
			cands: []Candidate{
				lineupCand("A", "吉大", "新材料", 0.5, "d1", 0.9, "d2", 0.9),
				lineupCand("B", "长光所", "光电", 0.2, "d3", 0.8),
				lineupCand("C", "应化所", "新材料", 0.9, "d1", 0.1),
				lineupCand("D", "东北师大", "光电", 0.1, "d3", 0.7, "d2", 0.2),
			},
			req: LineupRequest{Slots: 2, Locked: []string{"C"}, Excluded: []string{"A"},
				Recent: map[string]bool{"B": true}, Demands: demands},
			picks:     []string{"D", "C"},
			objective: 0.1 + 0.2 + 0.7,
			topByText: 1.0, // C, then D (A excluded, B recent)
			upper:     1.0,
		},
		{
			name: "recent allowed",
			cands: []Candidate{
				lineupCand("B", "长光所", "光电", 0.2, "d3", 0.8),
				lineupCand("D", "东北师大", "光电", 0.1, "d3", 0.7, "d2", 0.2),
			},
			req:       LineupRequest{Slots: 1, Recent: map[string]bool{"B": true}, AllowRecent: true, Demands: demands},
			picks:     []string{"D"}, // 0.9 > 0.8
			objective: 0.9,
			topByText: 0.8,
			upper:     1.0,
		},
		{
			name: "no demands: relevance with field diversity",
			cands: []Candidate{
				lineupCand("a1", "吉大", "新材料", 0.9),
				lineupCand("a2", "吉大", "新材料", 0.85),
				lineupCand("b1", "长光所", "光电", 0.5),
				lineupCand("c1", "应化所", "", 0.1),
			},
			req:       LineupRequest{Slots: 2},
			picks:     []string{"a1", "b1"}, // 0.85·0.5 < 0.5
			objective: 1.4,
			topByText: 1.75,
			upper:     1.75,
			byText:    true,
		},
		{
			name: "slot order groups fields, strongest first",
			cands: []Candidate{
				lineupCand("m1", "", "新材料", 0, "d1", 0.5),
				lineupCand("o1", "", "光电", 0, "d2", 0.9),
				lineupCand("m2", "", "新材料", 0, "d3", 0.8),
				lineupCand("o2", "", "光电", 0, "d4", 0.3),
			},
			req:       LineupRequest{Slots: 4, Demands: []string{"d1", "d2", "d3", "d4"}},
			picks:     []string{"o1", "o2", "m2", "m1"},
			objective: 2.5,
			topByText: 2.5,
			upper:     2.5,
		},
		{
			name: "locks beyond the cap are kept with a warning",
			cands: []Candidate{
				lineupCand("A", "吉大", "新材料", 0.5, "d1", 0.9),
				lineupCand("B", "吉大", "光电", 0.2, "d2", 0.8),
				lineupCand("C", "吉大", "光电", 0.9, "d3", 0.7),
				lineupCand("D", "应化所", "光电", 0.9, "d3", 0.1),
			},
			req:       LineupRequest{Slots: 3, MaxPerInstitution: 1, Locked: []string{"A", "B"}, Demands: demands},
			picks:     []string{"A", "B", "D"},
			objective: 1.8,
			topByText: 1.8,
			upper:     2.4,
			warnings:  []string{"完成单位“吉大”"},
		},
		{
			name: "not enough candidates",
			cands: []Candidate{
				lineupCand("A", "吉大", "新材料", 0.5, "d1", 0.9),
				lineupCand("B", "吉大", "光电", 0.2, "d2", 0.8),
			},
			req:       LineupRequest{Slots: 3, MaxPerInstitution: 1, Demands: demands},
			picks:     []string{"A"},
			objective: 0.9,
			topByText: 0.9,
			upper:     1.7,
			warnings:  []string{"只排出 1 项"},
		},
		{
			name: "zero gains fill by relevance",
			cands: []Candidate{
				lineupCand("A", "", "x", 0.1, "d1", 1.0),
				lineupCand("B", "", "y", 0.3),
				lineupCand("C", "", "x", 0.5),
			},
			req:       LineupRequest{Slots: 2, Demands: []string{"d1"}},
			picks:     []string{"A", "B"}, // B (0.3, new field) beats C (0.5 halved to 0.25)
			objective: 1,
			topByText: 0, // C and B serve no demand
			upper:     1,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := lineupMustBuild(t, tt.cands, tt.req)
			if !slices.Equal(res.Picks, tt.picks) {
				t.Errorf("picks = %v, want %v", res.Picks, tt.picks)
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"objective", res.Objective, tt.objective}, {"top by text", res.TopByText, tt.topByText}, {"upper bound", res.UpperBound, tt.upper}} {
				if math.Abs(c.got-c.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
			if res.ByText != tt.byText {
				t.Errorf("ByText = %v, want %v", res.ByText, tt.byText)
			}
			if len(res.Warnings) != len(tt.warnings) {
				t.Fatalf("warnings = %q, want %d matching %q", res.Warnings, len(tt.warnings), tt.warnings)
			}
			for i, w := range tt.warnings {
				if !strings.Contains(res.Warnings[i], w) {
					t.Errorf("warning %d = %q, want it to mention %q", i, res.Warnings[i], w)
				}
			}
			lineupCheck(t, tt.cands, tt.req, res)
		})
	}
}

// lineupCheck asserts what must hold of every lineup: the independent
// validator finds nothing (except caps broken by locks, which must be
// warned about), the reported numbers match the picks, and the lineup is
// maximal.
func lineupCheck(tb testing.TB, cands []Candidate, req LineupRequest, res LineupResult) {
	tb.Helper()
	for _, v := range ValidateLineup(cands, req, res.Picks) {
		if (v.Rule == ViolationInstitutionCap || v.Rule == ViolationFieldCap) && len(res.Warnings) > 0 {
			continue
		}
		tb.Errorf("violation: %v", v)
	}
	if len(req.Demands) > 0 {
		if got := lineupF(cands, req.Demands, res.Picks); math.Abs(got-res.Objective) > 1e-9 {
			tb.Errorf("Objective = %v, recomputed %v", res.Objective, got)
		}
		byID := map[string]Candidate{}
		for _, c := range cands {
			byID[c.ID] = c
		}
		var sum float64
		for d, a := range res.Assign {
			if !slices.Contains(res.Picks, a) {
				tb.Errorf("Assign[%s] = %s, not a pick", d, a)
			}
			for _, p := range res.Picks {
				if byID[p].Scores[d] > byID[a].Scores[d] {
					tb.Errorf("Assign[%s] = %s (%v) but %s scores %v", d, a, byID[a].Scores[d], p, byID[p].Scores[d])
				}
			}
			sum += byID[a].Scores[d]
		}
		if math.Abs(sum-res.Objective) > 1e-9 {
			tb.Errorf("Σ assigned scores = %v, Objective %v", sum, res.Objective)
		}
	}
	var contrib float64
	for _, c := range res.Contribution {
		contrib += c
	}
	if math.Abs(contrib-res.Objective) > 1e-9 {
		tb.Errorf("Σ Contribution = %v, Objective %v", contrib, res.Objective)
	}
	if res.Objective > res.UpperBound+1e-9 {
		tb.Errorf("Objective %v above UpperBound %v", res.Objective, res.UpperBound)
	}
	// Maximal: if a slot is free, no eligible candidate fits the caps.
	if len(res.Picks) < req.Slots {
		for _, c := range cands {
			if slices.Contains(res.Picks, c.ID) {
				continue
			}
			if len(ValidateLineup(cands, req, append(slices.Clone(res.Picks), c.ID))) == 0 {
				tb.Errorf("slot left free but %s fits", c.ID)
			}
		}
	}
	// Slot order: each field's picks are contiguous.
	seen := map[string]bool{}
	field := map[string]string{}
	for _, c := range cands {
		field[c.ID] = c.Field
	}
	for i, p := range res.Picks {
		f := field[p]
		if seen[f] && field[res.Picks[i-1]] != f {
			tb.Errorf("field %q is split in slot order %v", f, res.Picks)
		}
		seen[f] = true
	}
}

func TestBuildLineup_Errors(t *testing.T) {
	ok := []Candidate{lineupCand("A", "", "", 0.1, "d1", 0.5), lineupCand("B", "", "", 0.2)}
	tests := []struct {
		name  string
		cands []Candidate
		req   LineupRequest
		want  string
	}{
		{"no slots", ok, LineupRequest{}, "席位数"},
		{"negative cap", ok, LineupRequest{Slots: 1, MaxPerField: -1}, "上限"},
		{"too many locks", ok, LineupRequest{Slots: 1, Locked: []string{"A", "B"}}, "超过了 1 个"},
		{"unknown lock", ok, LineupRequest{Slots: 1, Locked: []string{"Z"}}, "不在候选名单"},
		{"lock twice", ok, LineupRequest{Slots: 2, Locked: []string{"A", "A"}}, "重复锁定"},
		{"locked and excluded", ok, LineupRequest{Slots: 2, Locked: []string{"A"}, Excluded: []string{"A"}}, "既被锁定又被排除"},
		{"repeated id", append(slices.Clone(ok), lineupCand("A", "", "", 0)), LineupRequest{Slots: 1}, "重复"},
		{"empty id", []Candidate{{}}, LineupRequest{Slots: 1}, "缺少编号"},
		{"score above 1", []Candidate{lineupCand("A", "", "", 0, "d1", 1.5)}, LineupRequest{Slots: 1, Demands: []string{"d1"}}, "匹配分"},
		{"score NaN", []Candidate{lineupCand("A", "", "", 0, "d1", math.NaN())}, LineupRequest{Slots: 1, Demands: []string{"d1"}}, "匹配分"},
		{"negative text", []Candidate{lineupCand("A", "", "", -1)}, LineupRequest{Slots: 1}, "主题相关度"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildLineup(tt.cands, tt.req)
			if data.ErrorCode(err) != data.EINVALID {
				t.Fatalf("err = %v, want code %s", err, data.EINVALID)
			}
			if msg := data.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not mention %q", msg, tt.want)
			}
		})
	}
	// Scores of demands that are not registered are not looked at, and a
	// hair above 1 is rounding noise.
	if _, err := BuildLineup([]Candidate{lineupCand("A", "", "", 0, "other", 7.0, "d1", 1+1e-12)},
		LineupRequest{Slots: 1, Demands: []string{"d1"}}); err != nil {
		t.Errorf("err = %v, want nil", err)
	}
}

// lineupRandom makes nc candidates over nInst institutions and nField
// fields; each of nd demands scores about perDemand random candidates, with
// scores rounded to 2 decimals so that ties happen.
func lineupRandom(rng *rand.Rand, nc, nd, perDemand, nInst, nField int) ([]Candidate, []string) {
	cands := make([]Candidate, nc)
	for i := range cands {
		cands[i] = Candidate{
			ID:          fmt.Sprintf("a%05d", i),
			Institution: fmt.Sprintf("inst%d", rng.IntN(nInst)),
			Field:       fmt.Sprintf("field%d", rng.IntN(nField)),
			TextScore:   math.Round(rng.Float64()*100) / 100,
		}
	}
	demands := make([]string, nd)
	for d := range demands {
		demands[d] = fmt.Sprintf("d%03d", d)
		for k := 0; k < perDemand; k++ {
			c := &cands[rng.IntN(nc)]
			if c.Scores == nil {
				c.Scores = map[string]float64{}
			}
			c.Scores[demands[d]] = math.Round(rng.Float64()*100) / 100
		}
	}
	return cands, demands
}

// lineupBrute returns the best objective over all lineups that keep the
// locks and obey the rules (the validator decides), enumerating every set of
// at most req.Slots candidates.
func lineupBrute(tb testing.TB, cands []Candidate, req LineupRequest) float64 {
	tb.Helper()
	if len(cands) > 20 {
		tb.Fatalf("brute force over %d candidates", len(cands))
	}
	best := -1.0
	var picks []string
	var idx []int
	f := func() float64 {
		var sum float64
		for _, d := range req.Demands {
			m := 0.0
			for _, i := range idx {
				m = max(m, cands[i].Scores[d])
			}
			sum += m
		}
		return sum
	}
	var walk func(from int)
	walk = func(from int) {
		if v := f(); v > best && len(ValidateLineup(cands, req, picks)) == 0 {
			best = v
		}
		if len(picks) == req.Slots {
			return
		}
		for i := from; i < len(cands); i++ {
			picks, idx = append(picks, cands[i].ID), append(idx, i)
			walk(i + 1)
			picks, idx = picks[:len(picks)-1], idx[:len(idx)-1]
		}
	}
	walk(0)
	return best
}

// TestBuildLineup_Approximation checks greedy's guarantees against brute
// force on small random instances.
func TestBuildLineup_Approximation(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	tests := []struct {
		name         string
		inst, field  int
		lock         bool
		ratio        float64
		nInst, nFlds int
	}{
		{"slots only", 0, 0, false, 1 - 1/math.E, 3, 3},
		{"slots only, locked", 0, 0, true, 1 - 1/math.E, 3, 3},
		{"institution cap", 1, 0, false, 0.5, 4, 3},
		{"field cap", 0, 1, false, 0.5, 3, 4},
		{"both caps", 1, 2, false, 1.0 / 3, 4, 3},
		{"both caps, locked", 2, 2, true, 1.0 / 3, 4, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			worst, optimal, n := math.Inf(1), 0, 250
			for it := 0; it < n; it++ {
				cands, demands := lineupRandom(rng, 10+rng.IntN(4), 6, 4, tt.nInst, tt.nFlds)
				req := LineupRequest{Slots: 2 + rng.IntN(3), MaxPerInstitution: tt.inst, MaxPerField: tt.field, Demands: demands}
				if tt.lock {
					req.Locked = []string{cands[rng.IntN(len(cands))].ID}
				}
				res := lineupMustBuild(t, cands, req)
				lineupCheck(t, cands, req, res)
				opt := lineupBrute(t, cands, req)
				if res.Objective > opt+1e-9 {
					t.Fatalf("objective %v above brute-force optimum %v", res.Objective, opt)
				}
				if res.UpperBound < opt-1e-9 {
					t.Fatalf("upper bound %v below brute-force optimum %v", res.UpperBound, opt)
				}
				base := lineupF(cands, demands, req.Locked)
				if opt-base > 1e-12 {
					r := (res.Objective - base) / (opt - base)
					worst = min(worst, r)
					if r < tt.ratio-1e-9 {
						t.Errorf("greedy gain %v is %.3f of the optimum's %v, below the guarantee %.3f", res.Objective-base, r, opt-base, tt.ratio)
					}
				}
				if math.Abs(res.Objective-opt) < 1e-9 {
					optimal++
				}
			}
			t.Logf("%d/%d optimal, worst ratio %.3f (guarantee %.3f)", optimal, n, worst, tt.ratio)
		})
	}
}

// lineupNaive is plain greedy, recomputing every gain every round with the
// same order of preference as BuildLineup (gain, then diversified relevance,
// then relevance, then id). Lazy greedy must pick the same set.
func lineupNaive(cands []Candidate, req LineupRequest) []string {
	excluded := map[string]bool{}
	for _, id := range req.Excluded {
		excluded[id] = true
	}
	var demands []string
	for _, d := range req.Demands {
		if !slices.Contains(demands, d) {
			demands = append(demands, d)
		}
	}
	cover := map[string]float64{}
	inst, field := map[string]int{}, map[string]int{}
	var picks []string
	add := func(c Candidate) {
		picks = append(picks, c.ID)
		for _, d := range demands {
			cover[d] = max(cover[d], c.Scores[d])
		}
		if c.Institution != "" {
			inst[c.Institution]++
		}
		if c.Field != "" {
			field[c.Field]++
		}
	}
	for _, id := range req.Locked {
		for _, c := range cands {
			if c.ID == id {
				add(c)
			}
		}
	}
	for len(picks) < req.Slots {
		best := -1
		var b1, b2 float64
		for i, c := range cands {
			if slices.Contains(picks, c.ID) || excluded[c.ID] || req.Recent[c.ID] && !req.AllowRecent ||
				req.MaxPerInstitution > 0 && c.Institution != "" && inst[c.Institution] >= req.MaxPerInstitution ||
				req.MaxPerField > 0 && c.Field != "" && field[c.Field] >= req.MaxPerField {
				continue
			}
			div := c.TextScore
			if c.Field != "" {
				div *= math.Pow(0.5, float64(field[c.Field]))
			}
			g1, g2 := div, 0.0
			if len(demands) > 0 {
				g1, g2 = 0, div
				for _, d := range demands {
					if s := c.Scores[d]; s > cover[d] {
						g1 += s - cover[d]
					}
				}
			}
			if best < 0 || g1 > b1 || g1 == b1 && (g2 > b2 || g2 == b2 &&
				(c.TextScore > cands[best].TextScore || c.TextScore == cands[best].TextScore && c.ID < cands[best].ID)) {
				best, b1, b2 = i, g1, g2
			}
		}
		if best < 0 {
			break
		}
		add(cands[best])
	}
	return picks
}

// TestBuildLineup_Random runs random instances with every rule in play:
// the validator finds nothing, the numbers add up, and lazy greedy picks
// what plain greedy picks.
func TestBuildLineup_Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for it := 0; it < 200; it++ {
		nd := rng.IntN(25)
		cands, demands := lineupRandom(rng, 50+rng.IntN(300), max(nd, 1), 15, 2+rng.IntN(20), 2+rng.IntN(8))
		req := LineupRequest{
			Slots:             1 + rng.IntN(15),
			MaxPerInstitution: rng.IntN(4),
			MaxPerField:       rng.IntN(5),
			Demands:           demands[:nd],
			Recent:            map[string]bool{},
			AllowRecent:       rng.IntN(4) == 0,
		}
		for k := rng.IntN(20); k > 0; k-- {
			req.Excluded = append(req.Excluded, cands[rng.IntN(len(cands))].ID)
		}
		for k := rng.IntN(20); k > 0; k-- {
			req.Recent[cands[rng.IntN(len(cands))].ID] = true
		}
		// Locks that keep within the caps.
		for k := rng.IntN(3); k > 0 && len(req.Locked) < req.Slots; k-- {
			id := cands[rng.IntN(len(cands))].ID
			try := req
			try.Locked = append(slices.Clone(req.Locked), id)
			if !slices.Contains(req.Excluded, id) && len(ValidateLineup(cands, try, try.Locked)) == 0 {
				req.Locked = try.Locked
			}
		}
		res, err := BuildLineup(cands, req)
		if err != nil {
			t.Fatalf("instance %d: %v", it, err)
		}
		lineupCheck(t, cands, req, res)
		for _, w := range res.Warnings {
			if !strings.Contains(w, "近期已参加过路演") && len(res.Picks) == req.Slots {
				t.Errorf("instance %d: unexpected warning %q", it, w)
			}
		}
		if got, want := lineupSet(res.Picks), lineupSet(lineupNaive(cands, req)); got != want {
			t.Fatalf("instance %d: lazy greedy picked %s, plain greedy %s", it, got, want)
		}
		// Re-running with the result as Previous changes nothing.
		req.Previous = res.Picks
		again := lineupMustBuild(t, cands, req)
		if !slices.Equal(again.Picks, res.Picks) {
			t.Fatalf("instance %d: re-run gave %v, first run %v", it, again.Picks, res.Picks)
		}
		// Shuffling the input changes nothing.
		req.Previous = nil
		shuffled := slices.Clone(cands)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if s := lineupMustBuild(t, shuffled, req); !slices.Equal(s.Picks, res.Picks) {
			t.Fatalf("instance %d: shuffled input gave %v, want %v", it, s.Picks, res.Picks)
		}
	}
}

func TestBuildLineup_Rerun(t *testing.T) {
	demands := []string{"d1", "d2", "d3", "d4"}
	cands := []Candidate{
		lineupCand("A", "", "x", 0.5, "d1", 0.9),
		lineupCand("B", "", "x", 0.5, "d1", 0.9), // twin of A
		lineupCand("C", "", "y", 0.5, "d2", 0.8),
		lineupCand("D", "", "y", 0.5, "d3", 0.7),
		lineupCand("E", "", "z", 0.5, "d4", 0.6, "d3", 0.05),
	}
	req := LineupRequest{Slots: 3, Demands: demands}
	first := lineupMustBuild(t, cands, req)
	if got := lineupSet(first.Picks); got != "A,C,D" {
		t.Fatalf("first run = %s, want A,C,D (A before its twin B by id)", got)
	}
	// With B in the previous lineup, the tie goes to B.
	req.Previous = []string{"B", "C", "D"}
	if got := lineupSet(lineupMustBuild(t, cands, req).Picks); got != "B,C,D" {
		t.Errorf("with previous B,C,D got %s, want B,C,D", got)
	}
	// Excluding C after the first run swaps C for the next best and keeps
	// the rest.
	req.Previous = first.Picks
	req.Excluded = []string{"C"}
	if got := lineupSet(lineupMustBuild(t, cands, req).Picks); got != "A,D,E" {
		t.Errorf("after excluding C got %s, want A,D,E", got)
	}
	// Locking E keeps A and D from the previous run.
	req.Excluded = nil
	req.Locked = []string{"E"}
	if got := lineupSet(lineupMustBuild(t, cands, req).Picks); got != "A,C,E" {
		t.Errorf("after locking E got %s, want A,C,E", got)
	}
	// A previous pick clearly worse than the best is not kept.
	req.Locked = nil
	req.Previous = []string{"E"}
	if got := lineupSet(lineupMustBuild(t, cands, req).Picks); got != "A,C,D" {
		t.Errorf("with previous E got %s, want A,C,D", got)
	}
}

func TestFrontRows(t *testing.T) {
	scores := map[string]map[string]float64{
		"A": {"d1": 0.9, "d2": 0.5, "d3": 0.5, "d4": 0.7},
		"B": {"d5": 0.4},
	}
	assign := map[string]string{"d1": "A", "d2": "A", "d3": "A", "d4": "B", "d5": "B"}
	tests := []struct {
		k    int
		want map[string][]string
	}{
		{2, map[string][]string{"A": {"d1", "d2"}, "B": {"d5", "d4"}}},
		{1, map[string][]string{"A": {"d1"}, "B": {"d5"}}},
		{0, map[string][]string{"A": {"d1", "d2", "d3"}, "B": {"d5", "d4"}}},
	}
	for _, tt := range tests {
		got := FrontRows(assign, scores, tt.k)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("FrontRows(k=%d) = %v, want %v", tt.k, got, tt.want)
		}
	}
}

// TestBuildLineup_Golden pins down a realistic lineup so that changes of
// behaviour show up in review.
func TestBuildLineup_Golden(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 11))
	fields := []string{"新材料", "光电信息", "生物医药", "现代农业", "汽车零部件"}
	insts := []string{"吉林大学", "长春光机所", "长春应化所", "东北师范大学", "吉林农业大学", "长春理工大学"}
	var cands []Candidate
	for i := 0; i < 40; i++ {
		cands = append(cands, Candidate{
			ID: fmt.Sprintf("CG%03d", i), Institution: insts[rng.IntN(len(insts))], Field: fields[rng.IntN(len(fields))],
			TextScore: math.Round(rng.Float64()*100) / 100, Scores: map[string]float64{},
		})
	}
	var demands []string
	for d := 0; d < 15; d++ {
		id := fmt.Sprintf("XQ%03d", d)
		demands = append(demands, id)
		for k := 0; k < 6; k++ {
			cands[rng.IntN(len(cands))].Scores[id] = math.Round(rng.Float64()*100) / 100
		}
	}
	req := LineupRequest{Slots: 6, MaxPerInstitution: 2, MaxPerField: 2, Locked: []string{"CG007"},
		Excluded: []string{"CG001"}, Recent: map[string]bool{"CG002": true}, Demands: demands}
	res := lineupMustBuild(t, cands, req)
	lineupCheck(t, cands, req, res)

	var b strings.Builder
	byID := map[string]Candidate{}
	scores := map[string]map[string]float64{}
	for _, c := range cands {
		byID[c.ID] = c
		scores[c.ID] = c.Scores
	}
	rows := FrontRows(res.Assign, scores, 3)
	fmt.Fprintf(&b, "objective %.2f  top-by-text %.2f  upper bound %.2f\n", res.Objective, res.TopByText, res.UpperBound)
	for i, p := range res.Picks {
		c := byID[p]
		fmt.Fprintf(&b, "%2d %s %-6s %-8s contribution %.2f front rows %v\n", i+1, p, c.Field, c.Institution, res.Contribution[p], rows[p])
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	lineupEventGolden(t, "lineup_roadshow.golden", b.String())
}

// lineupBenchInstance: 60 demands, 30,000 candidates, each demand scored
// against ~300 random candidates.
func lineupBenchInstance() ([]Candidate, []string) {
	rng := rand.New(rand.NewPCG(1, 2))
	cands := make([]Candidate, 30000)
	for i := range cands {
		cands[i] = Candidate{
			ID:          fmt.Sprintf("CG%06d", i),
			Institution: fmt.Sprintf("inst%03d", rng.IntN(200)),
			Field:       fmt.Sprintf("field%02d", rng.IntN(20)),
			TextScore:   rng.Float64(),
		}
	}
	demands := make([]string, 60)
	for d := range demands {
		demands[d] = fmt.Sprintf("XQ%03d", d)
		for k := 0; k < 300; k++ {
			c := &cands[rng.IntN(len(cands))]
			if c.Scores == nil {
				c.Scores = map[string]float64{}
			}
			c.Scores[demands[d]] = rng.Float64()
		}
	}
	return cands, demands
}

func BenchmarkLineup(b *testing.B) {
	cands, demands := lineupBenchInstance()
	for _, bc := range []struct {
		name string
		req  LineupRequest
	}{
		{"free", LineupRequest{Slots: 12, Demands: demands}},
		{"caps", LineupRequest{Slots: 12, MaxPerInstitution: 1, MaxPerField: 2, Demands: demands,
			Locked: []string{cands[0].ID}, Excluded: []string{cands[1].ID}, Previous: []string{cands[2].ID, cands[3].ID}}},
		{"bytext", LineupRequest{Slots: 12, MaxPerField: 2}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var res LineupResult
			for b.Loop() {
				var err error
				if res, err = BuildLineup(cands, bc.req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(res.Objective/res.UpperBound, "obj/bound")
		})
	}
}
