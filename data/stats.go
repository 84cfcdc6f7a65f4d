package data

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Funnel groupings.
var FunnelGroups = []string{"month", "field", "city", "county", "broker", "event", "source"}

// FunnelRow is one group of the pairing funnel: how many pairings reached
// each stage, what was signed, the conversion rates between stages and the
// median days from recommendation to signature.
type FunnelRow struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	// Reached counts pairings per stage reached (recommended … signed).
	Reached map[PairingStatus]int `json:"reached"`
	// Current counts pairings per current status.
	Current           map[PairingStatus]int `json:"current"`
	Signed            int                   `json:"signed"`
	ContractAmountWan float64               `json:"contract_amount_wan"`
	// Conversion maps "requested/recommended" etc. to a rate in [0, 1].
	Conversion map[string]float64 `json:"conversion"`
	// MedianDaysToSign is null when nothing was signed.
	MedianDaysToSign *float64 `json:"median_days_to_sign"`
}

// FunnelOptions selects and groups pairings for the funnel. From and To
// bound the pairings' creation time (To exclusive); zero means open.
type FunnelOptions struct {
	GroupBy string
	From    time.Time
	To      time.Time
	// BrokerName names broker ids in labels; nil leaves the id.
	BrokerName func(id string) string
}

// ParseFunnelGroup accepts a group_by value.
func ParseFunnelGroup(s string) (string, error) {
	if s == "" {
		return "month", nil
	}
	if !slices.Contains(FunnelGroups, s) {
		return "", Errorf(EINVALID, "group_by“%s”无法识别：应为 %s", s, strings.Join(FunnelGroups, "、"))
	}
	return s, nil
}

// ConversionSteps are the rates a funnel row reports.
var ConversionSteps = [][2]PairingStatus{
	{StatusRecommended, StatusRequested},
	{StatusRequested, StatusAccepted},
	{StatusAccepted, StatusNegotiating},
	{StatusAccepted, StatusSigned},
	{StatusRecommended, StatusSigned},
}

func stepKey(s [2]PairingStatus) string { return string(s[1]) + "/" + string(s[0]) }

// Funnel computes the funnel rows of ps, sorted by key, and a total row.
func Funnel(ps []Pairing, opt FunnelOptions) (rows []FunnelRow, total FunnelRow) {
	type acc struct {
		row  FunnelRow
		days []float64
	}
	groups := map[string]*acc{}
	all := &acc{row: newFunnelRow("total", "合计")}
	for i := range ps {
		p := &ps[i]
		if !opt.From.IsZero() && p.Created.Before(opt.From) || !opt.To.IsZero() && !p.Created.Before(opt.To) {
			continue
		}
		key, label := funnelKey(p, opt)
		g := groups[key]
		if g == nil {
			g = &acc{row: newFunnelRow(key, label)}
			groups[key] = g
		}
		reached := p.Reached()
		for _, a := range []*acc{g, all} {
			for _, st := range FunnelStatuses {
				if reached[st] {
					a.row.Reached[st]++
				}
			}
			a.row.Current[p.Status]++
			if p.Status == StatusSigned {
				a.row.Signed++
				if p.Contract != nil {
					a.row.ContractAmountWan += p.Contract.AmountWan
				}
				if at := p.SignedAt(); !at.IsZero() {
					a.days = append(a.days, at.Sub(p.Created).Hours()/24)
				}
			}
		}
	}
	finish := func(a *acc) FunnelRow {
		r := a.row
		r.ContractAmountWan = round2(r.ContractAmountWan)
		for _, s := range ConversionSteps {
			if n := r.Reached[s[0]]; n > 0 {
				r.Conversion[stepKey(s)] = round4(float64(r.Reached[s[1]]) / float64(n))
			}
		}
		if m, ok := Median(a.days); ok {
			m = round2(m)
			r.MedianDaysToSign = &m
		}
		return r
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rows = []FunnelRow{}
	for _, k := range keys {
		rows = append(rows, finish(groups[k]))
	}
	return rows, finish(all)
}

func newFunnelRow(key, label string) FunnelRow {
	return FunnelRow{Key: key, Label: label, Reached: map[PairingStatus]int{}, Current: map[PairingStatus]int{}, Conversion: map[string]float64{}}
}

func funnelKey(p *Pairing, opt FunnelOptions) (key, label string) {
	orNone := func(s, none string) (string, string) {
		if s == "" {
			return "", none
		}
		return s, s
	}
	switch opt.GroupBy {
	case "field":
		return orNone(p.Field, "（未填领域）")
	case "city":
		return orNone(p.Region.City, "（未填城市）")
	case "county":
		if p.Region.County == "" {
			return "", "（未填区县）"
		}
		return p.Region.City + "/" + p.Region.County, p.Region.City + p.Region.County
	case "broker":
		if p.BrokerID == "" {
			return "", "（未指派经纪人）"
		}
		if opt.BrokerName != nil {
			return p.BrokerID, opt.BrokerName(p.BrokerID)
		}
		return p.BrokerID, p.BrokerID
	case "event":
		return orNone(p.EventID, "（非活动来源）")
	case "source":
		return p.Source, SourceLabel(p.Source)
	}
	m := p.Created.UTC().Format("2006-01")
	return m, p.Created.UTC().Format("2006年01月")
}

// Median returns the median of xs.
func Median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// YearReport is the centre's yearly figures.
type YearReport struct {
	Year int `json:"year"`
	ReportFigures
	Cities []RegionFigures `json:"cities"`
}

// ReportFigures are the figures the centre reports.
type ReportFigures struct {
	// EventsHeld counts events dated in the year.
	EventsHeld int `json:"events_held"`
	// AchievementsPresented counts distinct achievements in the lineups of
	// the year's roadshows.
	AchievementsPresented int `json:"achievements_presented"`
	// PairingsSigned counts pairings signed (contract signed_on) in the year.
	PairingsSigned int `json:"pairings_signed"`
	// DemandsSolved counts distinct demands with a pairing signed in the year.
	DemandsSolved     int     `json:"demands_solved"`
	ContractAmountWan float64 `json:"contract_amount_wan"`
}

// RegionFigures are a city's (or a county's) figures.
type RegionFigures struct {
	City   string `json:"city"`
	County string `json:"county,omitempty"`
	ReportFigures
	Counties []RegionFigures `json:"counties,omitempty"`
}

// Report computes the yearly report from the pairings and events. A
// pairing counts where its demand is; an event where it was held.
func Report(year int, ps []Pairing, events []Event) YearReport {
	rep := YearReport{Year: year}
	type fig struct {
		ReportFigures
		demands map[string]bool
		ach     map[string]bool
	}
	newFig := func() *fig { return &fig{demands: map[string]bool{}, ach: map[string]bool{}} }
	total := newFig()
	cities := map[string]*fig{}
	counties := map[string]map[string]*fig{}
	at := func(r Region) []*fig {
		out := []*fig{total}
		if r.City == "" {
			return out
		}
		if cities[r.City] == nil {
			cities[r.City] = newFig()
			counties[r.City] = map[string]*fig{}
		}
		out = append(out, cities[r.City])
		if r.County != "" {
			if counties[r.City][r.County] == nil {
				counties[r.City][r.County] = newFig()
			}
			out = append(out, counties[r.City][r.County])
		}
		return out
	}
	prefix := fmt.Sprintf("%04d-", year)
	for i := range events {
		e := &events[i]
		if !strings.HasPrefix(e.Date, prefix) {
			continue
		}
		for _, f := range at(e.Region) {
			f.EventsHeld++
			if e.Type == EventRoadshow && e.Lineup != nil {
				for _, id := range e.Lineup.Picks {
					f.ach[id] = true
				}
			}
		}
	}
	for i := range ps {
		p := &ps[i]
		if p.Status != StatusSigned || p.Contract == nil || !strings.HasPrefix(p.Contract.SignedOn, prefix) {
			continue
		}
		for _, f := range at(p.Region) {
			f.PairingsSigned++
			f.demands[p.DemandID] = true
			f.ContractAmountWan += p.Contract.AmountWan
		}
	}
	done := func(f *fig) ReportFigures {
		r := f.ReportFigures
		r.DemandsSolved = len(f.demands)
		r.AchievementsPresented = len(f.ach)
		r.ContractAmountWan = round2(r.ContractAmountWan)
		return r
	}
	rep.ReportFigures = done(total)
	rep.Cities = []RegionFigures{}
	for _, c := range sortedKeys(cities) {
		rf := RegionFigures{City: c, ReportFigures: done(cities[c])}
		for _, k := range sortedKeys(counties[c]) {
			rf.Counties = append(rf.Counties, RegionFigures{City: c, County: k, ReportFigures: done(counties[c][k])})
		}
		rep.Cities = append(rep.Cities, rf)
	}
	return rep
}

// BrokerStats is one broker's performance.
type BrokerStats struct {
	BrokerID          string   `json:"broker_id"`
	Assigned          int      `json:"assigned"`
	Open              int      `json:"open"`
	Accepted          int      `json:"accepted"`
	Signed            int      `json:"signed"`
	ContractAmountWan float64  `json:"contract_amount_wan"`
	MedianDaysToSign  *float64 `json:"median_days_to_sign"`
}

// BrokerPerformance computes a broker's stats from its pairings.
func BrokerPerformance(id string, ps []Pairing) BrokerStats {
	st := BrokerStats{BrokerID: id}
	var days []float64
	for i := range ps {
		p := &ps[i]
		if p.BrokerID != id {
			continue
		}
		st.Assigned++
		if p.Status.Open() {
			st.Open++
		}
		if p.Reached()[StatusAccepted] {
			st.Accepted++
		}
		if p.Status == StatusSigned {
			st.Signed++
			if p.Contract != nil {
				st.ContractAmountWan += p.Contract.AmountWan
			}
			if at := p.SignedAt(); !at.IsZero() {
				days = append(days, at.Sub(p.Created).Hours()/24)
			}
		}
	}
	st.ContractAmountWan = round2(st.ContractAmountWan)
	if m, ok := Median(days); ok {
		m = round2(m)
		st.MedianDaysToSign = &m
	}
	return st
}

// BrokerSuggestion is a broker ranked for a pairing.
type BrokerSuggestion struct {
	Broker      Broker  `json:"broker"`
	Score       float64 `json:"score"`
	FieldFit    float64 `json:"field_fit"`
	RegionFit   float64 `json:"region_fit"`
	Load        int     `json:"load"`
	Explanation string  `json:"explanation"`
}

// Weights of the broker suggestion score. They are a plain ordering (field
// before region before load), not tuned: no judged data exists.
const (
	brokerFieldWeight  = 0.5
	brokerRegionWeight = 0.35
	brokerLoadWeight   = 0.15
	// brokerLoadScale is the open-pairing load at which the load term halves.
	brokerLoadScale = 10.0
)

// SuggestBrokers ranks active brokers for pairing p by field fit, region
// fit (county, city, province) and current load (open pairings).
func SuggestBrokers(p *Pairing, brokers []Broker, load map[string]int, limit int) []BrokerSuggestion {
	out := []BrokerSuggestion{}
	for _, b := range brokers {
		if !b.Active {
			continue
		}
		s := BrokerSuggestion{Broker: b.Public(), Load: load[b.ID]}
		var why []string
		if p.Field != "" && slices.Contains(b.Fields, p.Field) {
			s.FieldFit = 1
			why = append(why, "擅长“"+p.Field+"”领域")
		}
		for _, r := range b.Regions {
			fit := 0.0
			switch {
			case r.County != "" && r.County == p.Region.County && r.City == p.Region.City:
				fit = 1
			case r.County == "" && r.City != "" && r.City == p.Region.City:
				fit = 0.8
			case r.County != "" && r.City == p.Region.City:
				fit = 0.6
			case r.City == "" && r.Province != "" && r.Province == p.Region.Province:
				fit = 0.3
			}
			s.RegionFit = max(s.RegionFit, fit)
		}
		switch {
		case s.RegionFit >= 1:
			why = append(why, "服务区县为"+p.Region.County)
		case s.RegionFit >= 0.6:
			why = append(why, "服务城市为"+p.Region.City)
		case s.RegionFit > 0:
			why = append(why, "服务全省")
		}
		loadTerm := brokerLoadScale / (brokerLoadScale + float64(s.Load))
		why = append(why, fmt.Sprintf("当前在办对接 %d 项", s.Load))
		s.Score = round4(brokerFieldWeight*s.FieldFit + brokerRegionWeight*s.RegionFit + brokerLoadWeight*loadTerm)
		s.Explanation = strings.Join(why, "；")
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Broker.ID < out[j].Broker.ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
