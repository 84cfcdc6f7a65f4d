package server_test

// Events as organisers run them (issue 13): candidate pools, fair salons,
// printed programmes and agendas, and the lifecycle of events and
// registrations.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/tabular"
)

// putTwin stores a copy of fixture achievement i under another id: the
// fake matcher scores it exactly as the original (it reads the number
// after ev-a), so the two are of equal fit.
func (es *evServer) putTwin(i int, id string) {
	es.tb.Helper()
	a := evAchievement(i)
	a.ID, a.Institution = id, "吉林省农业科学院"
	if _, err := es.db.PutAchievements(context.Background(), []data.Achievement{a}); err != nil {
		es.tb.Fatal(err)
	}
}

func slotPools(l event.Lineup) map[string]string {
	out := map[string]string{}
	for _, s := range l.Slots {
		out[s.Achievement.ID] = s.Pool
	}
	return out
}

func TestLineupPools(t *testing.T) {
	es := newEvServerNoise(t, false)
	twin := "ev-a01x" // equal fit to ev-a01, registered to present
	es.putTwin(1, twin)
	id := es.newEvent(map[string]any{"type": "roadshow", "title": "成果路演", "theme": "复合材料", "slots": 3})
	es.registerDemands(id, 1, 2, 3)
	sci := es.register(id, map[string]any{"kind": "scientist", "achievement_ids": []string{twin}})
	es.register(id, map[string]any{"kind": "scientist", "achievement_ids": []string{evAchID(30)}}) // serves demand 10, not registered

	post := func(body map[string]any) event.Lineup {
		var l event.Lineup
		es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/lineup", "organiser", body, &l)
		return l
	}
	t.Run("registered_first", func(t *testing.T) {
		l := post(map[string]any{"pool": "registered_first"})
		pools := slotPools(l)
		if pools[twin] != event.PoolRegistered {
			t.Fatalf("the registered presenter is not on stage as registered: %v", pools)
		}
		if _, ok := pools[evAchID(1)]; ok {
			t.Fatalf("the unregistered achievement of equal fit was picked over the registered one: %v", pools)
		}
		if pools[evAchID(4)] != event.PoolCatalogue || pools[evAchID(7)] != event.PoolCatalogue {
			t.Fatalf("the catalogue did not fill the other slots: %v", pools)
		}
		if l.Rules.Pool != event.PoolRegisteredFirst {
			t.Fatalf("rules.pool = %q", l.Rules.Pool)
		}
		for _, s := range l.Slots {
			if s.Achievement.ID == twin && s.Presenter != "研究员01" {
				t.Errorf("presenter %q, want the registrant's name", s.Presenter)
			}
		}
	})
	t.Run("registered", func(t *testing.T) {
		l := post(map[string]any{"pool": "registered"})
		pools := slotPools(l)
		if len(pools) != 2 || pools[twin] != event.PoolRegistered || pools[evAchID(30)] != event.PoolRegistered {
			t.Fatalf("slots %v, want only the two registered presenters", pools)
		}
		// Left out, the pool stays; and registered is the default.
		if again := post(nil); again.Rules.Pool != event.PoolRegistered || len(again.Slots) != 2 {
			t.Fatalf("re-run: pool %q, %d slots", again.Rules.Pool, len(again.Slots))
		}
	})
	t.Run("catalogue", func(t *testing.T) {
		l := post(map[string]any{"pool": "catalogue"})
		for aid, p := range slotPools(l) {
			if p != event.PoolCatalogue {
				t.Fatalf("slot %s pool %q under catalogue", aid, p)
			}
		}
		if len(l.Slots) != 3 {
			t.Fatalf("%d slots", len(l.Slots))
		}
	})
	t.Run("default without presenters", func(t *testing.T) {
		bare := es.newEvent(map[string]any{"type": "roadshow", "title": "路演", "theme": "复合材料", "slots": 3})
		es.registerDemands(bare, 1)
		var e evErr
		if code, raw := es.do("POST", "/api/v1/events/"+bare+"/lineup", "organiser", nil, &e); code != http.StatusBadRequest || !strings.Contains(e.Error.Message, "pool") {
			t.Fatalf("status %d: %s", code, raw)
		}
		if code, raw := es.do("POST", "/api/v1/events/"+bare+"/lineup", "organiser", map[string]any{"pool": "all"}, &e); code != http.StatusBadRequest || e.Error.Fields[0].Field != "pool" {
			t.Fatalf("status %d: %s", code, raw)
		}
	})
	// Withdrawn presenters are left out of the next build.
	es.must(http.StatusOK, "DELETE", "/api/v1/events/"+id+"/registrations/"+sci, "organiser", nil, nil)
	l := post(map[string]any{"pool": "registered"})
	if pools := slotPools(l); len(pools) != 1 || pools[evAchID(30)] == "" {
		t.Fatalf("after withdrawal: %v", pools)
	}
}

// starSalon registers the salon of issue 13: 8 scientists and 8
// enterprises, three scientists matching everyone far better than the
// others, who each match one enterprise.
func starSalon(es *evServer, id string) (sci, ent []string) {
	for k := 1; k <= 8; k++ {
		ent = append(ent, es.register(id, map[string]any{"kind": "enterprise", "demand_ids": []string{evDemID(k)}}))
	}
	for i := 1; i <= 8; i++ {
		var achs []string
		switch {
		case i <= 2:
			for k := 1; k <= 8; k++ {
				achs = append(achs, evAchID(3*k-3+i)) // 0.9 or 0.6 with every enterprise
			}
		case i == 3:
			for k := 1; k <= 8; k++ {
				achs = append(achs, evAchID(3*k-2))
			}
		default:
			achs = []string{evAchID(3 * i)} // 0.3 with enterprise i only
		}
		sci = append(sci, es.register(id, map[string]any{"kind": "scientist", "achievement_ids": achs}))
	}
	return sci, ent
}

func TestFairSalon(t *testing.T) {
	es := newEvServer(t)
	id := es.newEvent(map[string]any{"type": "salon", "title": "科学家企业家沙龙", "time_slots": 4, "tables": 3})
	sci, ent := starSalon(es, id)

	var free event.Schedule
	es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "organiser", map[string]any{"min_meetings": 0}, &free)
	if free.Fairness.Min != 0 {
		t.Fatalf("the case does not bite: without a lower bound fairness is %+v", free.Fairness)
	}
	for _, maxMeet := range []int{0, 2} {
		var sc event.Schedule
		es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "organiser", map[string]any{"min_meetings": 1, "max_meetings": maxMeet}, &sc)
		for _, p := range sc.Parties {
			if p.Meetings < 1 {
				t.Errorf("max_meetings %d: %s (%s) has no meeting", maxMeet, p.ID, p.Name)
			}
		}
		if sc.Fairness.Min < 1 || len(sc.Unplaced) != 0 || sc.MinMeetings != 1 || len(sc.Parties) != 16 {
			t.Errorf("max_meetings %d: fairness %+v, unplaced %v, min %d", maxMeet, sc.Fairness, sc.Unplaced, sc.MinMeetings)
		}
		if sc.FairBound > sc.UpperBound+1e-9 || sc.Total > sc.FairBound+1e-3 || sc.Total < sc.FairBound-1e-3 {
			t.Errorf("total %v, fair bound %v, upper bound %v", sc.Total, sc.FairBound, sc.UpperBound)
		}
	}
	// Left out, min_meetings defaults to 1 on a new event.
	other := es.newEvent(map[string]any{"type": "salon", "title": "沙龙二", "time_slots": 4, "tables": 3})
	starSalon(es, other)
	var def event.Schedule
	es.must(http.StatusOK, "POST", "/api/v1/events/"+other+"/schedule", "organiser", nil, &def)
	if def.MinMeetings != 1 || def.Fairness.Min < 1 {
		t.Errorf("default: min %d, fairness %+v", def.MinMeetings, def.Fairness)
	}

	// Impossible: one more scientist who avoids every enterprise, and too
	// few tables for everyone.
	avoider := es.register(id, map[string]any{"kind": "scientist", "achievement_ids": []string{evAchID(2)}, "avoid": ent})
	var sc event.Schedule
	es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "organiser", map[string]any{"slots": 1, "tables": 4, "max_meetings": 0}, &sc)
	why := map[string]event.UnplacedParty{}
	for _, u := range sc.Unplaced {
		why[u.ID] = u
	}
	if u := why[avoider]; u.Reason != "avoided" || !strings.Contains(u.Message, "回避") || !strings.Contains(u.Message, "研究员02") {
		t.Errorf("the avoider: %+v", u)
	}
	capacity := 0
	for _, u := range why {
		if u.Reason == "capacity" {
			capacity++
			if !strings.Contains(u.Message, "1 个时段 × 4 张桌") || u.Name == "" {
				t.Errorf("capacity message %+v", u)
			}
		}
	}
	if capacity != 16-8 || len(sc.Meetings) != 4 {
		t.Errorf("%d unplaced for capacity, %d meetings; want 8 and 4", capacity, len(sc.Meetings))
	}
	if len(sc.Warnings) == 0 {
		t.Errorf("no warning although people were left without a meeting")
	}
	_ = sci
}

func TestProgrammes(t *testing.T) {
	es := newEvServer(t)
	id := es.newEvent(map[string]any{"type": "salon", "title": "沙龙", "date": "2025-07-01", "venue": "长春", "time_slots": 4, "tables": 3,
		"host": "吉林省科学技术厅", "organizer": "吉林省技术转移中心"})
	sci, _, _ := salonFixture(es, id)
	var sc event.Schedule
	es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "organiser", nil, &sc)

	code, raw := es.do("GET", "/api/v1/events/"+id+"/schedule.html", "organiser", nil, nil)
	html := string(raw)
	if code != http.StatusOK || !strings.Contains(html, "第 3 桌") || !strings.Contains(html, "A4 landscape") || !strings.Contains(html, "主办：吉林省科学技术厅") {
		t.Fatalf("schedule.html: %d %s", code, html)
	}
	for _, m := range sc.Meetings {
		if !strings.Contains(html, m.ScientistName) || !strings.Contains(html, m.EnterpriseName) {
			t.Fatalf("schedule.html lacks the meeting %+v", m)
		}
	}

	agenda := sc.Agendas[sci[0]]
	code, raw = es.do("GET", "/api/v1/events/"+id+"/agenda/"+sci[0]+".html", "organiser", nil, nil)
	html = string(raw)
	if code != http.StatusOK || len(agenda) == 0 {
		t.Fatalf("agenda: %d %s", code, html)
	}
	for _, m := range agenda {
		for _, want := range []string{m.EnterpriseName, m.Start + "–" + m.End, fmt.Sprintf("第 %d 桌", m.Table), "测试理由：" + m.DemandID + "×" + m.AchievementID} {
			if !strings.Contains(html, want) {
				t.Errorf("agenda lacks %q", want)
			}
		}
	}
	if code, _ := es.do("GET", "/api/v1/events/"+id+"/agenda/r-9999.html", "organiser", nil, nil); code != http.StatusNotFound {
		t.Errorf("unknown registration: %d", code)
	}

	code, raw = es.do("GET", "/api/v1/events/"+id+"/agenda.xlsx", "organiser", nil, nil)
	if code != http.StatusOK {
		t.Fatalf("agenda.xlsx: %d %s", code, raw)
	}
	sheets, err := tabular.ReadXLSXSheets(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) != len(sc.Parties) {
		t.Fatalf("%d sheets for %d registrants", len(sheets), len(sc.Parties))
	}
	for _, p := range sc.Parties {
		rows := sheets[event.AgendaSheetName(p.ID, p.Name)]
		if len(rows) != 1+p.Meetings || !slices.Equal(rows[0], event.AgendaHeader) {
			t.Errorf("sheet of %s: %v, want %d meetings", p.ID, rows, p.Meetings)
		}
	}
}

func TestEventLifecycle(t *testing.T) {
	es := newEvServer(t)
	id := es.newEvent(map[string]any{"type": "salon", "title": "沙龙", "time_slots": 3, "tables": 3})
	sci, ent, _ := salonFixture(es, id)

	t.Run("owned by its organiser", func(t *testing.T) {
		for _, tt := range []struct {
			method, path string
			body         any
		}{
			{"PUT", "/api/v1/events/" + id, map[string]any{"type": "salon", "title": "改名"}},
			{"POST", "/api/v1/events/" + id + "/schedule", nil},
			{"POST", "/api/v1/events/" + id + "/registrations", map[string]any{"kind": "enterprise", "demand_ids": []string{evDemID(1)}}},
			{"DELETE", "/api/v1/events/" + id + "/registrations/" + sci[0], nil},
			{"DELETE", "/api/v1/events/" + id, nil},
		} {
			body := tt.body
			var e evErr
			if code, raw := es.do(tt.method, tt.path, "organiser-b", body, &e); code != http.StatusForbidden || !strings.Contains(e.Error.Message, "其他组织者") {
				t.Errorf("%s %s as another organiser: %d %s", tt.method, tt.path, code, raw)
			}
		}
		var sc event.Schedule
		es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "admin", nil, &sc)
	})

	t.Run("stale build", func(t *testing.T) {
		var ev data.Event
		es.must(http.StatusOK, "GET", "/api/v1/events/"+id, "organiser", nil, &ev)
		stale := ev.Version
		es.must(http.StatusOK, "PUT", "/api/v1/events/"+id, "organiser", map[string]any{"type": "salon", "title": "沙龙（改期）", "time_slots": 3, "tables": 3, "version": stale}, &ev)
		if ev.Version <= stale {
			t.Fatalf("version %d after a write, was %d", ev.Version, stale)
		}
		var e evErr
		if code, raw := es.do("POST", "/api/v1/events/"+id+"/schedule", "organiser", map[string]any{"version": stale}, &e); code != http.StatusConflict || e.Error.Code != data.ECONFLICT || !strings.Contains(e.Error.Message, "已被修改") {
			t.Fatalf("stale build: %d %s", code, raw)
		}
		if code, raw := es.do("PUT", "/api/v1/events/"+id, "organiser", map[string]any{"type": "salon", "title": "旧", "version": stale}, &e); code != http.StatusConflict {
			t.Fatalf("stale PUT: %d %s", code, raw)
		}
		var sc event.Schedule
		es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "organiser", map[string]any{"version": ev.Version}, &sc)
		if sc.Event.Version != ev.Version+1 || sc.Event.Title != "沙龙（改期）" {
			t.Fatalf("after the build: %+v", sc.Event)
		}
	})

	t.Run("withdraw", func(t *testing.T) {
		var sc event.Schedule
		es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "organiser", nil, &sc)
		if len(sc.Agendas[ent[0]]) == 0 {
			t.Fatalf("%s has no meeting before withdrawing", ent[0])
		}
		var e evErr
		if code, _ := es.do("DELETE", "/api/v1/events/"+id+"/registrations/"+ent[0], "enterprise-b", nil, &e); code != http.StatusForbidden {
			t.Fatalf("another enterprise withdrew it: %d", code)
		}
		var r data.Registration
		es.must(http.StatusOK, "DELETE", "/api/v1/events/"+id+"/registrations/"+ent[0], "organiser", nil, &r)
		if r.Status != data.RegWithdrawn {
			t.Fatalf("status %q", r.Status)
		}
		var list struct{ Items []data.Registration }
		es.must(http.StatusOK, "GET", "/api/v1/events/"+id+"/registrations", "", nil, &list)
		kept := slices.IndexFunc(list.Items, func(o data.Registration) bool { return o.ID == ent[0] })
		if kept < 0 || list.Items[kept].Status != "已退出" {
			t.Fatalf("withdrawn registration not kept as 已退出: %+v", list.Items)
		}
		es.must(http.StatusOK, "POST", "/api/v1/events/"+id+"/schedule", "organiser", map[string]any{"locked": []any{}}, &sc)
		for _, m := range sc.Meetings {
			if m.Enterprise == ent[0] {
				t.Fatalf("the withdrawn enterprise still meets %s", m.Scientist)
			}
		}
		for _, u := range sc.Unplaced {
			if u.ID == ent[0] {
				t.Fatalf("the withdrawn enterprise is reported as unplaced")
			}
		}
	})

	t.Run("unpublished hidden, published public without contact data", func(t *testing.T) {
		for _, path := range []string{"/schedule", "/schedule.xlsx", "/schedule.csv", "/schedule.html", "/agenda.xlsx", "/agenda/" + sci[0] + ".html"} {
			if code, raw := es.do("GET", "/api/v1/events/"+id+path, "", nil, nil); code != http.StatusUnauthorized {
				t.Errorf("%s without a token: %d %s", path, code, raw)
			}
		}
		var ev data.Event
		es.must(http.StatusOK, "GET", "/api/v1/events/"+id, "", nil, &ev)
		if ev.Schedule != nil || ev.Lineup != nil {
			t.Fatalf("the unpublished schedule shows in the event")
		}
		es.must(http.StatusOK, "GET", "/api/v1/events/"+id, "organiser", nil, &ev)
		es.must(http.StatusOK, "PUT", "/api/v1/events/"+id, "organiser", map[string]any{"type": "salon", "title": ev.Title, "time_slots": 3, "tables": 3, "published": true}, nil)
		for _, path := range []string{"", "/schedule", "/schedule.csv", "/schedule.html", "/agenda/" + sci[0] + ".html"} {
			code, raw := es.do("GET", "/api/v1/events/"+id+path, "", nil, nil)
			if code != http.StatusOK {
				t.Errorf("published %s without a token: %d %s", path, code, raw)
			}
			if bytes.Contains(raw, []byte("13900000000")) || bytes.Contains(raw, []byte("owner")) {
				t.Errorf("public %s shows contact or owner data", path)
			}
		}
	})

	t.Run("delete", func(t *testing.T) {
		es.must(http.StatusOK, "DELETE", "/api/v1/events/"+id, "organiser", nil, nil)
		if code, _ := es.do("GET", "/api/v1/events/"+id, "organiser", nil, nil); code != http.StatusNotFound {
			t.Fatalf("deleted event: %d", code)
		}
	})
}
