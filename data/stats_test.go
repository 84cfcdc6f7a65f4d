package data

import (
	"reflect"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

// fixturePairing makes a pairing created on created that went through path
// (each step on the given day); signing needs amount and signedOn.
func fixturePairing(id, demand, city, county, field, source, event, broker, created string, path [][2]string, amount float64) Pairing {
	p := Pairing{ID: id, DemandID: demand, AchievementID: "a-" + id, Source: source, EventID: event, BrokerID: broker,
		Field: field, Region: Region{Province: "吉林省", City: city, County: county}, Created: day(created),
		Status: StatusRecommended, History: []HistoryEntry{{To: StatusRecommended, At: day(created)}}}
	for _, st := range path {
		to := PairingStatus(st[0])
		p.History = append(p.History, HistoryEntry{From: p.Status, To: to, At: day(st[1])})
		p.Status = to
		if to == StatusSigned {
			p.Contract = &Contract{Number: "C" + id, Type: "技术转让", AmountWan: amount, SignedOn: st[1]}
		}
	}
	return p
}

// statsFixture: seven pairings and four events whose funnel and report
// figures are worked out by hand in the tests below.
func statsFixture() ([]Pairing, []Event) {
	ps := []Pairing{
		fixturePairing("p1", "d1", "长春市", "朝阳区", "新材料", SourceMatch, "", "b1", "2026-01-10",
			[][2]string{{"requested", "2026-01-12"}, {"accepted", "2026-01-15"}, {"negotiating", "2026-01-20"}, {"signed", "2026-02-09"}}, 100),
		fixturePairing("p2", "d2", "长春市", "南关区", "新材料", SourceRoadshow, "e1", "b1", "2026-01-20",
			[][2]string{{"requested", "2026-01-21"}, {"accepted", "2026-01-22"}, {"signed", "2026-01-30"}}, 50.5),
		fixturePairing("p3", "d1", "长春市", "朝阳区", "电子信息", SourceSalon, "e2", "b2", "2026-02-01",
			[][2]string{{"requested", "2026-02-02"}, {"declined", "2026-02-03"}}, 0),
		fixturePairing("p4", "d3", "吉林市", "昌邑区", "电子信息", SourceMatch, "", "", "2026-02-05",
			[][2]string{{"requested", "2026-02-06"}, {"expired", "2026-02-20"}}, 0),
		fixturePairing("p5", "d4", "吉林市", "昌邑区", "新材料", SourceMatch, "", "b2", "2026-02-10",
			[][2]string{{"requested", "2026-02-11"}, {"accepted", "2026-02-12"}, {"negotiating", "2026-02-20"}, {"signed", "2026-03-12"}}, 20),
		fixturePairing("p6", "d5", "长春市", "朝阳区", "新材料", SourceMatch, "", "", "2025-12-20", nil, 0),
		fixturePairing("p7", "d6", "长春市", "朝阳区", "新材料", SourceManual, "", "b1", "2025-11-01",
			[][2]string{{"requested", "2025-11-02"}, {"accepted", "2025-11-03"}, {"signed", "2026-01-05"}}, 30),
	}
	cc := func(county string) Region { return Region{Province: "吉林省", City: "长春市", County: county} }
	events := []Event{
		{ID: "e1", Type: EventRoadshow, Date: "2026-01-15", Region: cc("朝阳区"), Lineup: &SavedLineup{Picks: []string{"a1", "a2", "a3"}}},
		{ID: "e2", Type: EventSalon, Date: "2026-02-20", Region: Region{Province: "吉林省", City: "吉林市", County: "昌邑区"}},
		{ID: "e3", Type: EventRoadshow, Date: "2026-05-01", Region: cc("南关区"), Lineup: &SavedLineup{Picks: []string{"a2", "a4"}}},
		{ID: "e4", Type: EventRoadshow, Date: "2025-06-01", Region: cc("朝阳区"), Lineup: &SavedLineup{Picks: []string{"a9"}}},
	}
	return ps, events
}

func fp(x float64) *float64 { return &x }

func TestFunnelByCity(t *testing.T) {
	ps, _ := statsFixture()
	rows, total := Funnel(ps, FunnelOptions{GroupBy: "city", From: day("2026-01-01").Add(-9 * time.Hour), To: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)})
	reached := func(rec, req, acc, neg, sig int) map[PairingStatus]int {
		m := map[PairingStatus]int{}
		for st, n := range map[PairingStatus]int{StatusRecommended: rec, StatusRequested: req, StatusAccepted: acc, StatusNegotiating: neg, StatusSigned: sig} {
			if n > 0 {
				m[st] = n
			}
		}
		return m
	}
	want := []FunnelRow{
		{Key: "吉林市", Label: "吉林市", Reached: reached(2, 2, 1, 1, 1),
			Current: map[PairingStatus]int{StatusExpired: 1, StatusSigned: 1}, Signed: 1, ContractAmountWan: 20,
			Conversion:       map[string]float64{"requested/recommended": 1, "accepted/requested": 0.5, "negotiating/accepted": 1, "signed/accepted": 1, "signed/recommended": 0.5},
			MedianDaysToSign: fp(30)},
		{Key: "长春市", Label: "长春市", Reached: reached(3, 3, 2, 1, 2),
			Current: map[PairingStatus]int{StatusSigned: 2, StatusDeclined: 1}, Signed: 2, ContractAmountWan: 150.5,
			Conversion:       map[string]float64{"requested/recommended": 1, "accepted/requested": 0.6667, "negotiating/accepted": 0.5, "signed/accepted": 1, "signed/recommended": 0.6667},
			MedianDaysToSign: fp(20)},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, want)
	}
	wantTotal := FunnelRow{Key: "total", Label: "合计", Reached: reached(5, 5, 3, 2, 3),
		Current: map[PairingStatus]int{StatusSigned: 3, StatusDeclined: 1, StatusExpired: 1}, Signed: 3, ContractAmountWan: 170.5,
		Conversion:       map[string]float64{"requested/recommended": 1, "accepted/requested": 0.6, "negotiating/accepted": 0.6667, "signed/accepted": 1, "signed/recommended": 0.6},
		MedianDaysToSign: fp(30)}
	if !reflect.DeepEqual(total, wantTotal) {
		t.Errorf("total:\n got %+v\nwant %+v", total, wantTotal)
	}
}

func TestFunnelGroups(t *testing.T) {
	ps, _ := statsFixture()
	keys := func(group string) []string {
		rows, _ := Funnel(ps, FunnelOptions{GroupBy: group, BrokerName: func(id string) string { return "经纪人" + id }})
		var out []string
		for _, r := range rows {
			out = append(out, r.Label)
		}
		return out
	}
	for group, want := range map[string][]string{
		"month":  {"2025年11月", "2025年12月", "2026年01月", "2026年02月"},
		"source": {"人工推荐", "智能匹配", "路演", "沙龙"}, // keys manual, match, roadshow, salon
		"broker": {"（未指派经纪人）", "经纪人b1", "经纪人b2"},
		"event":  {"（非活动来源）", "e1", "e2"},
		"county": {"吉林市昌邑区", "长春市南关区", "长春市朝阳区"},
		"field":  {"新材料", "电子信息"},
	} {
		if got := keys(group); !reflect.DeepEqual(got, want) {
			t.Errorf("group_by %s: %v, want %v", group, got, want)
		}
	}
}

func TestYearReport(t *testing.T) {
	ps, events := statsFixture()
	got := Report(2026, ps, events)
	fig := func(ev, pres, signed, solved int, amount float64) ReportFigures {
		return ReportFigures{EventsHeld: ev, AchievementsPresented: pres, PairingsSigned: signed, DemandsSolved: solved, ContractAmountWan: amount}
	}
	want := YearReport{Year: 2026, ReportFigures: fig(3, 4, 4, 4, 200.5), Cities: []RegionFigures{
		{City: "吉林市", ReportFigures: fig(1, 0, 1, 1, 20), Counties: []RegionFigures{
			{City: "吉林市", County: "昌邑区", ReportFigures: fig(1, 0, 1, 1, 20)}}},
		{City: "长春市", ReportFigures: fig(2, 4, 3, 3, 180.5), Counties: []RegionFigures{
			{City: "长春市", County: "南关区", ReportFigures: fig(1, 2, 1, 1, 50.5)},
			{City: "长春市", County: "朝阳区", ReportFigures: fig(1, 3, 2, 2, 130)}}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report:\n got %+v\nwant %+v", got, want)
	}
	if r := Report(2025, ps, events); r.EventsHeld != 1 || r.PairingsSigned != 0 || r.AchievementsPresented != 1 {
		t.Errorf("2025: %+v", r.ReportFigures)
	}
}

func TestBrokerPerformance(t *testing.T) {
	ps, _ := statsFixture()
	got := BrokerPerformance("b1", ps)
	// b1: p1 (signed 100, 30 days), p2 (signed 50.5, 10 days), p7 (signed 30, 65 days).
	want := BrokerStats{BrokerID: "b1", Assigned: 3, Open: 0, Accepted: 3, Signed: 3, ContractAmountWan: 180.5, MedianDaysToSign: fp(30)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestSuggestBrokers(t *testing.T) {
	p := &Pairing{Field: "新材料", Region: Region{Province: "吉林省", City: "长春市", County: "朝阳区"}}
	cc := Region{Province: "吉林省", City: "长春市"}
	brokers := []Broker{
		{ID: "b-busy", Active: true, Fields: []string{"新材料"}, Regions: []Region{{Province: "吉林省", City: "长春市", County: "朝阳区"}}},
		{ID: "b-free", Active: true, Fields: []string{"新材料"}, Regions: []Region{{Province: "吉林省", City: "长春市", County: "朝阳区"}}},
		{ID: "b-city", Active: true, Fields: []string{"新材料"}, Regions: []Region{cc}},
		{ID: "b-other-field", Active: true, Fields: []string{"现代农业"}, Regions: []Region{{Province: "吉林省", City: "长春市", County: "朝阳区"}}},
		{ID: "b-province", Active: true, Fields: []string{"新材料"}, Regions: []Region{{Province: "吉林省"}}},
		{ID: "b-inactive", Active: false, Fields: []string{"新材料"}, Regions: []Region{{Province: "吉林省", City: "长春市", County: "朝阳区"}}, Phone: "13800000000"},
	}
	got := SuggestBrokers(p, brokers, map[string]int{"b-busy": 12}, 0)
	var ids []string
	for _, s := range got {
		ids = append(ids, s.Broker.ID)
	}
	// b-free 0.5+0.35+0.15 = 1; b-city 0.5+0.35·0.8+0.15 = 0.93; b-busy
	// 0.5+0.35+0.15·10/22 = 0.918; b-province 0.5+0.35·0.3+0.15 = 0.755;
	// b-other-field 0.35+0.15 = 0.5; b-inactive left out.
	want := []string{"b-free", "b-city", "b-busy", "b-province", "b-other-field"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}
	if got[1].Score != 0.93 || got[2].Score != 0.9182 {
		t.Errorf("scores %v %v", got[1].Score, got[2].Score)
	}
	if len(SuggestBrokers(p, brokers, nil, 2)) != 2 {
		t.Error("limit ignored")
	}
}

// benchPairings repeats the fixture to n pairings with distinct ids.
func benchPairings(n int) ([]Pairing, []Event) {
	base, events := statsFixture()
	out := make([]Pairing, 0, n)
	for i := 0; len(out) < n; i++ {
		p := base[i%len(base)]
		p.ID = p.ID + "-" + string(rune('a'+i%26))
		out = append(out, p)
	}
	return out, events
}

func BenchmarkFunnel10k(b *testing.B) {
	ps, _ := benchPairings(10000)
	for b.Loop() {
		Funnel(ps, FunnelOptions{GroupBy: "county"})
	}
}

func BenchmarkReport10k(b *testing.B) {
	ps, events := benchPairings(10000)
	for b.Loop() {
		Report(2026, ps, events)
	}
}
