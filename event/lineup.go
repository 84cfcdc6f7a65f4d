package event

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/plan"
)

type lineupPool struct {
	cands  map[string]*plan.Candidate
	scores map[string]map[string]float64 // achievement → demand → score
	cutoff map[string]float64            // demand → lowest score that counts
	// only, when set, limits the candidates the lineup chooses from (the
	// registered pool: registered and locked achievements).
	only map[string]bool
}

// setScore records the score of a pair scored outside the demand's
// ranking, if it is high enough to count.
func (lp *lineupPool) setScore(c *plan.Candidate, demandID string, score float64) {
	if score > 0 && score >= lp.cutoff[demandID] {
		c.Scores[demandID] = min(score, 1)
	}
}

func (lp *lineupPool) add(a *data.Achievement) *plan.Candidate {
	c, ok := lp.cands[a.ID]
	if !ok {
		c = &plan.Candidate{ID: a.ID, Institution: a.Institution, Field: a.Field, Scores: map[string]float64{}}
		lp.cands[a.ID] = c
		lp.scores[a.ID] = c.Scores
	}
	return c
}

func (lp *lineupPool) list() []plan.Candidate {
	out := make([]plan.Candidate, 0, len(lp.cands))
	for _, c := range lp.cands {
		if lp.only == nil || lp.only[c.ID] {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b plan.Candidate) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// BuildLineup chooses the achievements for a roadshow, saves the lineup with
// the event and returns it.
//
// Candidates are, for every demand of the registered enterprises, the
// achievements the matcher ranks best for it (MatchDemand over 300 fetched
// candidates, keeping the best 200, with their scores), and the achievements
// most relevant to the event's theme and fields by full-text search (their
// relevance, normalised to [0,1] by the best hit, is the candidate's
// TextScore). Locked achievements join the candidates, and so do, scored
// against every demand, the achievements the top_by_text reference takes,
// so that the reference is measured like the lineup; such scores count
// only from the demand's lowest ranked match up, because the matcher gives
// unrelated pairs a floor of about 0.15–0.2.
//
// plan.BuildLineup then maximises the coverage of the registered demands
// (Σ over demands of the best score among the picks) with lazy greedy, which
// is within 1 − 1/e of the optimum for this monotone submodular objective
// (1/2 or 1/3 under the per-institution and per-field caps) and needs only
// a few gain evaluations per slot; see its documentation. With nobody
// registered the lineup serves the theme and fields instead.
func (p *Planner) BuildLineup(ctx context.Context, tok *data.Token, eventID string, in LineupParams) (*Lineup, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if err := p.mayBuild(tok, ev, in.Version); err != nil {
		return nil, err
	}
	rules, err := lineupRules(ev, in)
	if err != nil {
		return nil, err
	}
	regs = activeRegistrations(regs)
	var warnings []string

	// The registered presenters: achievements of registered scientists.
	var regAchIDs []string
	regOf := map[string]string{}
	for _, r := range regs {
		if r.Kind != data.RegScientist {
			continue
		}
		for _, a := range r.AchievementIDs {
			if _, dup := regOf[a]; !dup {
				regOf[a] = r.ID
				regAchIDs = append(regAchIDs, a)
			}
		}
	}
	if rules.Pool == PoolRegistered && len(regAchIDs) == 0 {
		return nil, data.Errorf(data.EINVALID, "还没有科研人员带成果报名本场路演：请等科研人员报名，或以 pool: catalogue（从成果库中选）或 registered_first（报名者优先，成果库补位）排议程")
	}

	// The registered demands that still exist.
	var demandIDs []string
	demandReg := map[string]string{}
	for _, r := range regs {
		if r.Kind != data.RegEnterprise {
			continue
		}
		for _, d := range r.DemandIDs {
			if _, dup := demandReg[d]; !dup {
				demandReg[d] = r.ID
				demandIDs = append(demandIDs, d)
			}
		}
	}
	ds, err := p.Store.Demands(ctx, demandIDs)
	if err != nil {
		return nil, err
	}
	var live []*data.Demand
	var liveIDs []string
	for i, d := range ds {
		if d == nil {
			warnings = append(warnings, fmt.Sprintf("报名 %s 所带的技术需求 %s 已不存在，未计入", demandReg[demandIDs[i]], demandIDs[i]))
			continue
		}
		live = append(live, d)
		liveIDs = append(liveIDs, d.ID)
	}
	if len(live) > 0 && p.Matcher == nil {
		return nil, errors.New("matcher is not configured")
	}

	pool := &lineupPool{cands: map[string]*plan.Candidate{}, scores: map[string]map[string]float64{}, cutoff: map[string]float64{}}
	if rules.Pool == PoolRegistered {
		pool.only = map[string]bool{}
		for _, id := range append(slices.Clone(regAchIDs), rules.Locked...) {
			pool.only[id] = true
		}
	}
	catalogueLive := live
	if rules.Pool == PoolRegistered {
		catalogueLive = nil // the catalogue's rankings are not needed
	}
	results := make([][]matcher.Result, len(catalogueLive))
	err = each(ctx, len(catalogueLive), func(ctx context.Context, i int) error {
		res, err := p.Matcher.MatchDemand(ctx, live[i].ID, matcher.Options{Limit: lineupPerDemand, Candidates: lineupCandidates})
		results[i] = res
		return err
	})
	if err != nil {
		return nil, err
	}
	// A demand counts as served by an achievement only if the achievement
	// is among the demand's matches: scores are compressed (unrelated pairs
	// still score about 0.15–0.2), so pairs scored outside the ranking below
	// count only from the demand's lowest ranked score up.
	cutoff := map[string]float64{}
	for _, d := range live {
		cutoff[d.ID] = math.Inf(1)
	}
	for i, res := range results {
		for _, r := range res {
			if r.Achievement == nil || r.Score <= 0 {
				continue
			}
			pool.add(r.Achievement).Scores[live[i].ID] = min(r.Score, 1)
			cutoff[live[i].ID] = min(cutoff[live[i].ID], r.Score)
		}
	}
	pool.cutoff = cutoff

	text := eventQueryText(ev)
	switch {
	case text != "" && p.Search != nil:
		if err := p.addThemeCandidates(ctx, pool, text); err != nil {
			return nil, err
		}
	case len(live) > 0 || rules.Pool == PoolRegistered:
		// Relevance only breaks ties and gives the reference.
	case text == "":
		return nil, data.Errorf(data.EINVALID, "还没有企业报名，活动也没有主题（theme）或技术领域（fields）：请先设置主题或领域，或等企业报名后再排路演议程")
	default:
		return nil, errors.New("search index is not configured")
	}

	// Registered presenters join the pool, scored against every registered
	// demand. Their scores count whatever the catalogue's rankings say: they
	// are the organiser's candidates, not a search's.
	if err := p.addRegistered(ctx, pool, regAchIDs, live, &warnings); err != nil {
		return nil, err
	}

	// Locked achievements outside the pool join it, scored against every
	// registered demand.
	var missing []data.FieldError
	for i, id := range rules.Locked {
		if _, ok := pool.cands[id]; ok {
			continue
		}
		a, err := p.Store.Achievement(ctx, id)
		if data.ErrorCode(err) == data.ENOTFOUND {
			missing = append(missing, data.FieldError{Field: fmt.Sprintf("locked[%d]", i), Message: fmt.Sprintf("锁定的科技成果 %q 不存在", id)})
			continue
		} else if err != nil {
			return nil, err
		}
		c := pool.add(a)
		if len(live) == 0 {
			continue
		}
		scores := make([]float64, len(live))
		err = each(ctx, len(live), func(ctx context.Context, j int) error {
			r, err := p.Matcher.ScorePair(ctx, live[j], a)
			scores[j] = r.Score
			return err
		})
		if err != nil {
			return nil, err
		}
		for j, sc := range scores {
			pool.setScore(c, live[j].ID, sc)
		}
	}
	if len(missing) > 0 {
		return nil, &data.Error{Code: data.EINVALID, Message: "锁定的科技成果有误，请按提示修改", Fields: missing}
	}

	req := plan.LineupRequest{
		Slots:             rules.Slots,
		MaxPerInstitution: rules.MaxPerInstitution,
		MaxPerField:       rules.MaxPerField,
		Locked:            rules.Locked,
		Excluded:          rules.Excluded,
		AllowRecent:       rules.AllowRecent,
		Demands:           liveIDs,
	}
	if !rules.AllowRecent && rules.RecentEvents > 0 {
		events, err := p.Events.ListEvents(ctx)
		if err != nil {
			return nil, err
		}
		req.Recent = map[string]bool{}
		for id := range data.RecentlyPresented(events, ev, rules.RecentEvents) {
			req.Recent[id] = true
		}
	}
	if ev.Lineup != nil {
		req.Previous = ev.Lineup.Picks
	}
	if err := p.scoreTextReference(ctx, pool, req, live); err != nil {
		return nil, err
	}
	var res plan.LineupResult
	if rules.Pool == PoolRegisteredFirst {
		res, err = registeredFirst(pool.list(), regOf, req)
	} else {
		res, err = plan.BuildLineup(pool.list(), req)
	}
	if err != nil {
		return nil, err
	}
	var fromCatalogue []string
	if rules.Pool != PoolCatalogue {
		for _, id := range res.Picks {
			if _, ok := regOf[id]; !ok {
				fromCatalogue = append(fromCatalogue, id)
			}
		}
	}

	// Front rows: each registered demand sits with the pick that serves it
	// best; an enterprise sits once per slot, with its best-served demand.
	rows := plan.FrontRows(res.Assign, pool.scores, 0)
	var invited []data.SavedInvite
	for _, a := range res.Picks {
		seen := map[string]bool{}
		for _, d := range rows[a] {
			r := demandReg[d]
			if seen[r] || rules.FrontRows > 0 && len(seen) >= rules.FrontRows {
				continue
			}
			seen[r] = true
			invited = append(invited, data.SavedInvite{AchievementID: a, RegistrationID: r, DemandID: d, Score: pool.scores[a][d]})
		}
	}

	ev.Lineup = &data.SavedLineup{
		Picks:             res.Picks,
		Pool:              rules.Pool,
		FromCatalogue:     fromCatalogue,
		Locked:            rules.Locked,
		Excluded:          rules.Excluded,
		Built:             p.now().UTC(),
		Slots:             rules.Slots,
		MaxPerInstitution: rules.MaxPerInstitution,
		MaxPerField:       rules.MaxPerField,
		AllowRecent:       rules.AllowRecent,
		RecentEvents:      rules.RecentEvents,
		FrontRows:         rules.FrontRows,
		Invited:           invited,
		Contribution:      res.Contribution,
		Objective:         round4(res.Objective),
		TopByText:         round4(res.TopByText),
		UpperBound:        round4(res.UpperBound),
		ByText:            res.ByText,
		Demands:           len(live),
		Warnings:          append(warnings, res.Warnings...),
	}
	if err := p.Events.PutEvent(ctx, ev); err != nil {
		return nil, err
	}
	all, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return p.renderLineup(ctx, ev, all)
}

// registeredFill is the share of an average catalogue slot's contribution
// a registered presenter must bring to keep its slot under
// registered_first; slots it cannot fill that well go to the catalogue. A
// judgement, not a tuned figure: half of what the catalogue would bring
// still serves the registered enterprises, less is a slot wasted.
const registeredFill = 0.5

// registeredFirst builds a lineup from registered presenters first: the
// best registered lineup under the rules, of which the picks that bring at
// least registeredFill of an average catalogue slot are kept (as locks);
// the catalogue then fills the remaining slots.
func registeredFirst(cands []plan.Candidate, regOf map[string]string, req plan.LineupRequest) (plan.LineupResult, error) {
	locked := map[string]bool{}
	for _, id := range req.Locked {
		locked[id] = true
	}
	var regCands []plan.Candidate
	for _, c := range cands {
		if _, ok := regOf[c.ID]; ok || locked[c.ID] {
			regCands = append(regCands, c)
		}
	}
	regRes, err := plan.BuildLineup(regCands, req)
	if err != nil {
		return plan.LineupResult{}, err
	}
	catRes, err := plan.BuildLineup(cands, req)
	if err != nil {
		return plan.LineupResult{}, err
	}
	avg := catRes.Objective / float64(max(1, len(catRes.Picks)))
	keep := slices.Clone(req.Locked)
	for _, id := range regRes.Picks {
		if _, ok := regOf[id]; ok && !locked[id] && regRes.Contribution[id] > 0 && regRes.Contribution[id] >= registeredFill*avg {
			keep = append(keep, id)
		}
	}
	req.Locked = keep
	return plan.BuildLineup(cands, req)
}

// addRegistered adds the registered presenters' achievements that still
// exist to the pool and scores them against every demand not yet scored.
func (p *Planner) addRegistered(ctx context.Context, pool *lineupPool, ids []string, demands []*data.Demand, warnings *[]string) error {
	achs, err := p.Store.Achievements(ctx, ids)
	if err != nil {
		return err
	}
	type job struct {
		a *data.Achievement
		c *plan.Candidate
		d *data.Demand
	}
	var jobs []job
	for i, a := range achs {
		if a == nil {
			*warnings = append(*warnings, fmt.Sprintf("报名路演的科技成果 %s 已不存在，未计入", ids[i]))
			continue
		}
		c := pool.add(a)
		for _, d := range demands {
			if _, ok := c.Scores[d.ID]; !ok {
				jobs = append(jobs, job{a, c, d})
			}
		}
	}
	scores := make([]float64, len(jobs))
	err = each(ctx, len(jobs), func(ctx context.Context, i int) error {
		r, err := p.Matcher.ScorePair(ctx, jobs[i].d, jobs[i].a)
		scores[i] = r.Score
		return err
	})
	if err != nil {
		return err
	}
	for i, j := range jobs {
		if scores[i] > 0 {
			j.c.Scores[j.d.ID] = min(scores[i], 1)
		}
	}
	return nil
}

// lineupRules resolves the rules of a run: the request, else the last run
// (for slots: else the event), else the defaults.
func lineupRules(ev *data.Event, in LineupParams) (LineupRules, error) {
	r := LineupRules{Slots: ev.Slots, RecentEvents: DefaultRecentEvents}
	if l := ev.Lineup; l != nil && l.Slots > 0 {
		r = LineupRules{Slots: l.Slots, MaxPerInstitution: l.MaxPerInstitution, MaxPerField: l.MaxPerField,
			Locked: l.Locked, Excluded: l.Excluded, AllowRecent: l.AllowRecent, RecentEvents: l.RecentEvents, FrontRows: l.FrontRows}
		if ev.Slots > 0 {
			r.Slots = ev.Slots // the event's own number comes first
		}
	}
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.Slots, in.Slots)
	set(&r.MaxPerInstitution, in.MaxPerInstitution)
	set(&r.MaxPerField, in.MaxPerField)
	set(&r.RecentEvents, in.RecentEvents)
	set(&r.FrontRows, in.FrontRows)
	if in.AllowRecent != nil {
		r.AllowRecent = *in.AllowRecent
	}
	if in.Locked != nil {
		r.Locked = in.Locked
	}
	if in.Excluded != nil {
		r.Excluded = in.Excluded
	}
	r.Locked = nonNilStrings(r.Locked)
	r.Excluded = nonNilStrings(r.Excluded)
	r.Pool = PoolRegistered
	if l := ev.Lineup; l != nil && l.Pool != "" {
		r.Pool = l.Pool
	}
	if in.Pool != nil {
		r.Pool = *in.Pool
	}

	var bad []data.FieldError
	check := func(field, label string, v, lo, hi int) {
		if v < lo || v > hi {
			bad = append(bad, data.FieldError{Field: field, Message: fmt.Sprintf("%s应在 %d 到 %d 之间，现为 %d", label, lo, hi, v)})
		}
	}
	if r.Slots == 0 {
		bad = append(bad, data.FieldError{Field: "slots", Message: "路演席位数未设置：请在请求中给出 slots，或在活动中设置 slots"})
	} else {
		check("slots", "路演席位数", r.Slots, 1, 200)
	}
	check("max_per_institution", "每单位入选上限", r.MaxPerInstitution, 0, 200)
	check("max_per_field", "每领域入选上限", r.MaxPerField, 0, 200)
	check("recent_events", "近期活动数", r.RecentEvents, 0, 100)
	check("front_rows", "每场邀请企业数", r.FrontRows, 0, 1000)
	if n := len(r.Locked) + len(r.Excluded); n > 2000 {
		bad = append(bad, data.FieldError{Field: "excluded", Message: "锁定与排除的成果过多：合计最多 2000 项"})
	}
	switch r.Pool {
	case PoolRegistered, PoolCatalogue, PoolRegisteredFirst:
	default:
		bad = append(bad, data.FieldError{Field: "pool", Message: fmt.Sprintf("候选范围“%s”无法识别：应为 registered（只排报名的科研人员，默认）、catalogue（整个成果库）或 registered_first（报名者优先，成果库补位）", r.Pool)})
	}
	if len(bad) > 0 {
		return r, &data.Error{Code: data.EINVALID, Message: "路演排期参数有误，请按提示修改", Fields: bad}
	}
	return r, nil
}

// the theme and the fields, within the index's query limit.
func eventQueryText(ev *data.Event) string {
	parts := []string{strings.TrimSpace(ev.Theme)}
	parts = append(parts, ev.Fields...)
	text := strings.TrimSpace(strings.Join(parts, " "))
	if r := []rune(text); len(r) > 1000 {
		text = string(r[:1000])
	}
	return text
}

// addThemeCandidates adds the achievements most relevant to text to the
// pool and sets every candidate's TextScore, normalised by the best hit.
func (p *Planner) addThemeCandidates(ctx context.Context, pool *lineupPool, text string) error {
	res, err := p.Search.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Text: text, Limit: lineupTextHits})
	if err != nil {
		return err
	}
	var best float64
	for _, h := range res.Hits {
		best = max(best, h.Score)
	}
	if best <= 0 {
		return nil
	}
	var fetch []string
	for _, h := range res.Hits {
		if _, ok := pool.cands[h.ID]; !ok && (pool.only == nil || pool.only[h.ID]) {
			fetch = append(fetch, h.ID)
		}
	}
	recs, err := p.Store.Achievements(ctx, fetch)
	if err != nil {
		return err
	}
	for _, a := range recs {
		if a != nil && a.Status != "草稿" && a.Status != "已下架" {
			pool.add(a)
		}
	}
	for _, h := range res.Hits {
		if c, ok := pool.cands[h.ID]; ok && h.Score > 0 {
			c.TextScore = h.Score / best
		}
	}
	return nil
}

// scoreTextReference scores against every registered demand the
// achievements that the top_by_text reference will take (the most relevant
// to the theme under the same rules, as plan.BuildLineup chooses them).
// Most of them the matcher did not rank for any demand; without this the
// reference would count them as serving nobody and look worse than it is.
func (p *Planner) scoreTextReference(ctx context.Context, pool *lineupPool, req plan.LineupRequest, demands []*data.Demand) error {
	if len(demands) == 0 {
		return nil
	}
	cands := pool.list()
	locked, excluded := map[string]bool{}, map[string]bool{}
	for _, id := range req.Locked {
		locked[id] = true
	}
	for _, id := range req.Excluded {
		excluded[id] = true
	}
	var eligible []plan.Candidate
	for _, c := range cands {
		if !locked[c.ID] && !excluded[c.ID] && (req.AllowRecent || !req.Recent[c.ID]) {
			eligible = append(eligible, c)
		}
	}
	slices.SortStableFunc(eligible, func(a, b plan.Candidate) int {
		if a.TextScore != b.TextScore {
			if a.TextScore > b.TextScore {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	inst, field := map[string]int{}, map[string]int{}
	taken := len(req.Locked)
	for _, id := range req.Locked {
		if c, ok := pool.cands[id]; ok {
			inst[c.Institution]++
			field[c.Field]++
		}
	}
	var ref []string
	for _, c := range eligible {
		if taken >= req.Slots {
			break
		}
		if m := req.MaxPerInstitution; m > 0 && c.Institution != "" && inst[c.Institution] >= m {
			continue
		}
		if m := req.MaxPerField; m > 0 && c.Field != "" && field[c.Field] >= m {
			continue
		}
		inst[c.Institution]++
		field[c.Field]++
		taken++
		ref = append(ref, c.ID)
	}
	type job struct {
		a *plan.Candidate
		d *data.Demand
	}
	var jobs []job
	var ids []string
	for _, id := range ref {
		c := pool.cands[id]
		for _, d := range demands {
			if _, ok := c.Scores[d.ID]; !ok {
				jobs = append(jobs, job{c, d})
				ids = append(ids, id)
			}
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	achs, err := p.Store.Achievements(ctx, uniqueStrings(ids))
	if err != nil {
		return err
	}
	byID := map[string]*data.Achievement{}
	for _, a := range achs {
		if a != nil {
			byID[a.ID] = a
		}
	}
	scores := make([]float64, len(jobs))
	err = each(ctx, len(jobs), func(ctx context.Context, i int) error {
		a := byID[jobs[i].a.ID]
		if a == nil {
			return nil
		}
		r, err := p.Matcher.ScorePair(ctx, jobs[i].d, a)
		scores[i] = r.Score
		return err
	})
	if err != nil {
		return err
	}
	for i, j := range jobs {
		pool.setScore(j.a, j.d.ID, scores[i])
	}
	return nil
}

// Lineup returns the event's saved lineup.
func (p *Planner) Lineup(ctx context.Context, tok *data.Token, eventID string) (*Lineup, error) {
	ev, err := p.Events.Event(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if err := mayRead(tok, ev, "路演议程"); err != nil {
		return nil, err
	}
	if ev.Lineup == nil {
		return nil, data.Errorf(data.ENOTFOUND, "活动 %s 还没有路演议程：请先 POST /api/v1/events/%s/lineup 排出议程", eventID, eventID)
	}
	regs, err := p.Events.Registrations(ctx, eventID)
	if err != nil {
		return nil, err
	}
	return p.renderLineup(ctx, ev, regs)
}

func (p *Planner) renderLineup(ctx context.Context, ev *data.Event, regs []data.Registration) (*Lineup, error) {
	sl := ev.Lineup
	achs, err := p.Store.Achievements(ctx, sl.Picks)
	if err != nil {
		return nil, err
	}
	var dIDs []string
	for _, inv := range sl.Invited {
		dIDs = append(dIDs, inv.DemandID)
	}
	dems, err := p.Store.Demands(ctx, dIDs)
	if err != nil {
		return nil, err
	}
	achByID := map[string]*data.Achievement{}
	for _, a := range achs {
		if a != nil {
			achByID[a.ID] = a
		}
	}
	names := map[string]string{}
	for _, r := range regs {
		names[r.ID] = r.Name
	}

	// Explanations of the invited pairs, scored afresh.
	expl := make([]*matcher.Explanation, len(sl.Invited))
	if p.Matcher != nil {
		err := each(ctx, len(sl.Invited), func(ctx context.Context, i int) error {
			a, d := achByID[sl.Invited[i].AchievementID], dems[i]
			if a == nil || d == nil {
				return nil
			}
			r, err := p.Matcher.ScorePair(ctx, d, a)
			if err != nil {
				return err
			}
			expl[i] = &r.Explanation
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	minutes := ev.SlotMinutes
	if minutes <= 0 {
		minutes = DefaultSlotMinutes
	}
	locked := map[string]bool{}
	for _, id := range sl.Locked {
		locked[id] = true
	}
	l := &Lineup{
		Event:     summarize(ev),
		Slots:     make([]LineupSlot, 0, len(sl.Picks)),
		Objective: sl.Objective,
		Reference: LineupReference{TopByText: sl.TopByText, UpperBound: sl.UpperBound},
		ByText:    sl.ByText,
		Demands:   sl.Demands,
		Rules: LineupRules{Slots: sl.Slots, MaxPerInstitution: sl.MaxPerInstitution, MaxPerField: sl.MaxPerField,
			Locked: nonNilStrings(sl.Locked), Excluded: nonNilStrings(sl.Excluded), AllowRecent: sl.AllowRecent,
			RecentEvents: sl.RecentEvents, FrontRows: sl.FrontRows, Pool: cmp.Or(sl.Pool, PoolCatalogue)},
		Warnings: nonNilStrings(sl.Warnings),
		Built:    sl.Built,
	}
	// The registered presenter of each registered pick.
	presenterOf := map[string]string{}
	for _, r := range regs {
		if r.Kind == data.RegScientist && r.Active() {
			for _, a := range r.AchievementIDs {
				if _, ok := presenterOf[a]; !ok {
					presenterOf[a] = r.Name
				}
			}
		}
	}
	for i, id := range sl.Picks {
		start, end := slotTimes(ev.Start, i, minutes)
		slot := LineupSlot{Position: i + 1, Start: start, End: end, Locked: locked[id], Pool: PoolCatalogue,
			Contribution: round4(sl.Contribution[id]), Invited: []Invitee{}}
		if sl.Pool != "" && sl.Pool != PoolCatalogue && !slices.Contains(sl.FromCatalogue, id) {
			slot.Pool = PoolRegistered
		}
		if a := achByID[id]; a != nil {
			slot.Achievement = LineupAchievement{ID: a.ID, Title: a.Title, Institution: a.Institution, Field: a.Field,
				Maturity: a.Maturity, Keywords: a.Keywords, Summary: a.Abstract}
			if len(a.Inventors) > 0 {
				slot.Presenter, slot.PresenterTitle = a.Inventors[0].Name, a.Inventors[0].Title
			}
			if name := presenterOf[id]; slot.Pool == PoolRegistered && name != "" && name != slot.Presenter {
				slot.Presenter, slot.PresenterTitle = name, ""
			}
		} else {
			slot.Achievement = LineupAchievement{ID: id, Missing: true}
			l.Warnings = append(l.Warnings, fmt.Sprintf("第 %d 场的科技成果 %s 已不存在，请重新排议程", i+1, id))
		}
		for j, inv := range sl.Invited {
			if inv.AchievementID != id {
				continue
			}
			v := Invitee{RegistrationID: inv.RegistrationID, Enterprise: names[inv.RegistrationID],
				DemandID: inv.DemandID, Score: inv.Score, Explanation: expl[j]}
			if d := dems[j]; d != nil {
				v.DemandTitle = d.Title
				if v.Enterprise == "" {
					v.Enterprise = d.Enterprise.Name
				}
			}
			slot.Invited = append(slot.Invited, v)
		}
		l.Slots = append(l.Slots, slot)
	}
	return l, nil
}

// slotTimes returns the start and end (15:04) of the i-th (0-based) slot of
// the given length from start (DefaultEventStart if empty or invalid).
