package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/techmatch/techmatch/data"
)

// Sizes of the demo pairing pipeline.
const (
	NumBrokers  = 60
	NumEvents   = 37
	NumPairings = 600
)

// PipelineAsOf is the day the demo pipeline stops: pairings are made
// through 2026 up to it, and whatever would happen later has not happened.
var PipelineAsOf = time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)

var pipelineStart = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

const seedPipeline = 0x70616972_696e6773 // "pairings"

// Pipeline is the demo's 技术经纪人人才库, the year's events (roadshows with
// their lineups, salons) and a year of pairings across every status, some
// signed with registered contracts. It is generated from the demo
// catalogue, the same on every call.
type Pipeline struct {
	Brokers  []data.Broker
	Events   []data.Event
	Pairings []data.Pairing
}

// brokerOrgs are where brokers work, by the level of the network.
var (
	provinceOrgs    = []string{"吉林省技术市场", "吉林省科技成果转化中心", "吉林大学技术转移中心", "长春理工大学技术转移中心", "中国科学院长春分院技术转移中心"}
	cityOrgSuffix   = []string{"科技成果转化中心", "技术转移服务中心", "生产力促进中心"}
	countyOrgSuffix = []string{"科技服务中心", "科技成果转化工作站"}
)

var fieldList = []string{"电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化", "现代农业"}

// GeneratePipeline builds the demo pipeline over the demo catalogue.
func GeneratePipeline() Pipeline {
	achs, achTopics := generateAchievements()
	dems, demTopics := generateDemands()
	r := rand.New(rand.NewPCG(seedPipeline, seedStream))
	g := gen{r: r}
	var p Pipeline
	p.Brokers = g.brokers()
	p.Events = g.events(achs)
	p.Pairings = g.pairings(achs, achTopics, dems, demTopics, p.Brokers, p.Events)
	return p
}

// brokers spreads 60 brokers over the 1+10+N network: a few provincial
// ones, about one city broker in three, the rest in counties, weighted by
// the cities' weights.
func (g gen) brokers() []data.Broker {
	var cum []float64
	for _, c := range jilinCities {
		cum = appendCum(cum, c.weight)
	}
	out := make([]data.Broker, NumBrokers)
	for i := range out {
		b := data.Broker{ID: fmt.Sprintf("demo-b-%02d", i+1), Name: g.person(false), Active: i%17 != 16}
		switch {
		case i < 6:
			b.Organisation = provinceOrgs[i%len(provinceOrgs)]
			b.Regions = []data.Region{{Province: provinceJilin}}
		default:
			c := jilinCities[g.weighted(cum)]
			if c.name == "延边朝鲜族自治州" {
				b.Name = g.person(g.chance(0.4))
			}
			if g.chance(0.35) {
				b.Organisation = c.short + g.pick(cityOrgSuffix)
				b.Regions = []data.Region{{Province: provinceJilin, City: c.name}}
			} else {
				county := g.pick(c.counties)
				b.Organisation = county + g.pick(countyOrgSuffix)
				b.Regions = []data.Region{{Province: provinceJilin, City: c.name, County: county}}
				if g.chance(0.3) {
					if other := g.pick(c.counties); other != county {
						b.Regions = append(b.Regions, data.Region{Province: provinceJilin, City: c.name, County: other})
					}
				}
			}
		}
		b.Level = data.BrokerLevels[g.weighted([]float64{40, 80, 100})]
		for _, k := range g.distinct(len(fieldList), 1+g.r.IntN(3)) {
			b.Fields = append(b.Fields, fieldList[k])
		}
		sort.Strings(b.Fields)
		b.Phone = g.mobile()
		b.Email = fmt.Sprintf("broker%02d@jltt.example.cn", i+1)
		out[i] = b
	}
	return out
}

// events makes the year's events: roadshows (each with a lineup of eight
// achievements of one field) and salons, over the cities.
func (g gen) events(achs []data.Achievement) []data.Event {
	byField := map[string][]int{}
	for i, a := range achs {
		byField[a.Field] = append(byField[a.Field], i)
	}
	var cum []float64
	for _, c := range jilinCities {
		cum = appendCum(cum, c.weight)
	}
	out := make([]data.Event, NumEvents)
	span := int(PipelineAsOf.Sub(pipelineStart).Hours() / 24)
	for i := range out {
		day := pipelineStart.AddDate(0, 0, (i*span)/NumEvents+g.r.IntN(5))
		c := jilinCities[g.weighted(cum)]
		field := g.pick(fieldList)
		e := data.Event{ID: fmt.Sprintf("demo-e-%02d", i+1), Date: day.Format(time.DateOnly), Start: "09:00", Fields: []string{field},
			Region: data.Region{Province: provinceJilin, City: c.name, County: c.counties[0]}, Venue: c.short + "科技大市场"}
		if i%3 == 2 {
			e.Type, e.Title = data.EventSalon, fmt.Sprintf("%s科学家企业家交流分享沙龙（%s）", c.short, field)
			e.TimeSlots, e.Tables, e.MeetingMinutes = 6, 8, 20
		} else {
			e.Type, e.Title = data.EventRoadshow, fmt.Sprintf("%s科技成果路演（%s专场）", c.short, field)
			e.Slots, e.SlotMinutes = 8, 15
			pool := byField[field]
			picks := []string{}
			for _, k := range g.distinct(len(pool), min(8, len(pool))) {
				picks = append(picks, achs[pool[k]].ID)
			}
			e.Lineup = &data.SavedLineup{Picks: picks, Built: day.Add(-7 * 24 * time.Hour), Slots: 8}
		}
		e.Theme = field + "领域成果转化对接"
		out[i] = e
	}
	return out
}

// pairings makes a year of pairings: each a demand (of an enterprise in
// Jilin) and an achievement of the same topic, from a match, an event or a
// broker, moved along the status machine with plausible delays; steps that
// would fall after PipelineAsOf have not happened yet.
func (g gen) pairings(achs []data.Achievement, achTopics []int, dems []data.Demand, demTopics []int,
	brokers []data.Broker, events []data.Event) []data.Pairing {
	byTopic := map[int][]int{}
	for i, t := range achTopics {
		byTopic[t] = append(byTopic[t], i)
	}
	achIndex := map[string]int{}
	for i, a := range achs {
		achIndex[a.ID] = i
	}
	var jilin []int
	demByTopic := map[int][]int{}
	for i, d := range dems {
		if d.Region.Province == provinceJilin && len(byTopic[demTopics[i]]) > 0 {
			jilin = append(jilin, i)
			demByTopic[demTopics[i]] = append(demByTopic[demTopics[i]], i)
		}
	}
	span := PipelineAsOf.Sub(pipelineStart)
	out := make([]data.Pairing, 0, NumPairings)
	used := map[string]bool{}
	for len(out) < NumPairings {
		created := pipelineStart.Add(time.Duration(g.r.Int64N(int64(span - 24*time.Hour))))
		created = created.Truncate(time.Hour)
		// match 45%, roadshow 25%, salon 20%, challenge 3%, manual 7%.
		source := data.PairingSources[g.weighted([]float64{45, 70, 90, 93, 100})]
		var di, ai int
		var eventID string
		if source == data.SourceRoadshow || source == data.SourceSalon {
			ev := g.eventBefore(events, source, created)
			if ev == nil {
				source = data.SourceMatch
			} else {
				eventID = ev.ID
				if ev.Lineup != nil {
					ai = achIndex[g.pick(ev.Lineup.Picks)]
				} else {
					ai = g.achievementInField(achs, ev.Fields[0])
				}
				cands := demByTopic[achTopics[ai]]
				if len(cands) == 0 {
					continue
				}
				di = cands[g.r.IntN(len(cands))]
				created = maxTime(created, eventDay(ev).Add(9*time.Hour))
			}
		}
		if eventID == "" {
			di = jilin[g.r.IntN(len(jilin))]
			pool := byTopic[demTopics[di]]
			ai = pool[g.r.IntN(len(pool))]
		}
		d, a := &dems[di], &achs[ai]
		key := d.ID + "/" + a.ID
		if used[key] || !created.Before(PipelineAsOf) {
			continue
		}
		used[key] = true
		p := data.Pairing{ID: fmt.Sprintf("demo-p-%04d", len(out)+1), DemandID: d.ID, AchievementID: a.ID, Source: source, EventID: eventID,
			Field: d.Field, Region: d.Region, DemandTitle: d.Title, AchievementTitle: a.Title, Created: created,
			Status: data.StatusRecommended}
		if p.Field == "" {
			p.Field = a.Field
		}
		if g.chance(0.85) {
			p.BrokerID = g.brokerFor(brokers, d.Region)
		}
		p.History = []data.HistoryEntry{{To: data.StatusRecommended, By: demoActor(p.BrokerID), At: created}}
		g.advance(&p)
		out = append(out, p)
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func eventDay(e *data.Event) time.Time {
	t, _ := time.Parse(time.DateOnly, e.Date)
	return t
}

// eventBefore picks an event of the source's type held before t (the
// latest few are likeliest).
func (g gen) eventBefore(events []data.Event, source string, t time.Time) *data.Event {
	want := data.EventRoadshow
	if source == data.SourceSalon {
		want = data.EventSalon
	}
	var cands []*data.Event
	for i := range events {
		if events[i].Type == want && eventDay(&events[i]).Before(t) {
			cands = append(cands, &events[i])
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[len(cands)-1-g.skewed(len(cands), 2)]
}

func (g gen) achievementInField(achs []data.Achievement, field string) int {
	for {
		i := g.r.IntN(len(achs))
		if achs[i].Field == field {
			return i
		}
	}
}

// brokerFor picks an active broker serving the demand's county, else its
// city, else the province.
func (g gen) brokerFor(brokers []data.Broker, r data.Region) string {
	var county, city, province []string
	for _, b := range brokers {
		if !b.Active {
			continue
		}
		for _, br := range b.Regions {
			switch {
			case br.County != "" && br.County == r.County && br.City == r.City:
				county = append(county, b.ID)
			case br.County == "" && br.City != "" && br.City == r.City:
				city = append(city, b.ID)
			case br.City == "":
				province = append(province, b.ID)
			}
		}
	}
	for _, pool := range [][]string{county, city, province} {
		if len(pool) > 0 && g.chance(0.8) {
			return g.pick(pool)
		}
	}
	return g.pick(province)
}

func demoActor(brokerID string) data.Actor {
	if brokerID != "" {
		return data.Actor{TokenID: "demo-" + brokerID, Role: data.RoleBroker}
	}
	return data.Actor{TokenID: "demo-matcher", Role: data.RoleAdmin}
}

var demoClosedReasons = []float64{25, 45, 65, 85, 93, 100} // 成熟度不足 价格不符 方向不符 企业无回应 成果已转让 其他

// advance moves a pairing along the status machine with plausible delays.
func (g gen) advance(p *data.Pairing) {
	at := p.Created
	step := func(to data.PairingStatus, days float64, by data.Actor, side data.Side, note string) bool {
		next := at.Add(time.Duration(days * 24 * float64(time.Hour))).Truncate(time.Minute)
		if !next.Before(PipelineAsOf) {
			return false
		}
		at = next
		p.History = append(p.History, data.HistoryEntry{From: p.Status, To: to, By: by, Side: side, At: at, Note: note})
		p.Status = to
		p.Updated = at
		return true
	}
	ent := data.Actor{TokenID: "demo-enterprise", Role: data.RoleEnterprise}
	sci := data.Actor{TokenID: "demo-scientist", Role: data.RoleScientist}
	broker := demoActor(p.BrokerID)
	p.Updated = p.Created
	close := func() {
		reason := data.ClosedReasons[g.weighted(demoClosedReasons)]
		note := ""
		if reason == "其他" {
			note = "企业调整研发方向，暂缓合作"
		}
		if step(data.StatusClosed, 3+g.r.Float64()*30, broker, "", note) {
			p.ClosedReason = reason
		}
	}
	if !g.chance(0.78) {
		if g.chance(0.3) {
			close()
		}
		return
	}
	side, by, other := data.SideDemand, ent, sci
	if g.chance(0.4) {
		side, by, other = data.SideAchievement, sci, ent
	}
	if p.BrokerID != "" && g.chance(0.3) {
		by = broker
	}
	if !step(data.StatusRequested, 1+g.r.Float64()*12, by, side, "希望安排面谈") {
		return
	}
	requested := at
	p.RequestedBy = side
	setConsent(p, side, requested)
	exp := requested.Add(data.DefaultRequestDays * 24 * time.Hour)
	p.ExpiresAt = &exp
	switch u := g.r.Float64(); {
	case u < 0.17:
		// Unanswered: it expires (or is still waiting).
		if exp.Before(PipelineAsOf) {
			p.Expire(exp)
		}
		return
	case u < 0.35:
		if step(data.StatusDeclined, 1+g.r.Float64()*11, other, side.Other(), "暂无合作需求") {
			p.ExpiresAt = nil
		}
		return
	}
	if !step(data.StatusAccepted, 0.5+g.r.Float64()*12, other, side.Other(), "同意面谈") {
		return
	}
	p.ExpiresAt = nil
	setConsent(p, side.Other(), at)
	if g.chance(0.12) {
		close()
		return
	}
	if !step(data.StatusNegotiating, 2+g.r.Float64()*15, broker, "", "已完成首次面谈，进入商务洽谈") {
		return
	}
	if !g.chance(0.2) {
		if g.chance(0.55) {
			close()
		}
		return
	}
	signAt := at.Add(time.Duration((15 + g.r.Float64()*100) * 24 * float64(time.Hour)))
	if !signAt.Before(PipelineAsOf) {
		return
	}
	k := &data.Contract{Type: data.ContractTypes[g.weighted([]float64{30, 55, 70, 85, 100})],
		AmountWan: contractAmount(g), SignedOn: signAt.Format(time.DateOnly), Office: "吉林省技术市场管理办公室"}
	k.Number = fmt.Sprintf("%s2201%06d", signAt.Format("2006"), 100000+g.r.IntN(900000))
	if reg := signAt.AddDate(0, 0, 3+g.r.IntN(20)); reg.Before(PipelineAsOf) {
		k.RegisteredOn = reg.Format(time.DateOnly)
	}
	p.Contract = k
	p.History = append(p.History, data.HistoryEntry{From: p.Status, To: data.StatusSigned, By: broker, At: signAt, Note: "技术合同已签订"})
	p.Status, p.Updated = data.StatusSigned, signAt
}

func setConsent(p *data.Pairing, side data.Side, at time.Time) {
	t := at
	if side == data.SideDemand {
		p.Consent.Demand = &t
	} else {
		p.Consent.Achievement = &t
	}
}

// contractAmount draws a contract amount in 万元: log-normal around 80
// 万元, a few large ones, rounded like real contracts.
func contractAmount(g gen) float64 {
	x := math.Exp(math.Log(80) + 1.1*g.r.NormFloat64())
	x = math.Max(5, math.Min(x, 3000))
	return roundAmount(x)
}
