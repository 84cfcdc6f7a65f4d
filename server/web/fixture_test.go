package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/event"
	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
	"github.com/techmatch/techmatch/server/web"
)

// fixture is a server with the workbench over a small catalogue cut from
// the demo catalogue (every record about 秸秆 plus a spread of others), a
// real bolt store, index and matcher, one token per role, a demand owned by
// the enterprise token, and a roadshow and a salon with registrations.
type fixture struct {
	handler  http.Handler
	db       *bolt.DB
	wb       *web.Workbench
	tokens   map[string]string // role (or "owner") → secret
	tokenIDs map[string]string
	// ownDemand is the enterprise's own demand; otherDemand a demo demand
	// with contact data; achievement a demo achievement with inventors'
	// contacts.
	ownDemand, otherDemand, achievement string
	roadshow, salon                     string
	// contacts are every private contact value in the store.
	contacts []string
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
	fixDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fix != nil {
		fix.db.Close()
	}
	if fixDir != "" {
		os.RemoveAll(fixDir)
	}
	os.Exit(code)
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// sharedFixture builds the fixture once per test binary: building the
// index is the slow part.
func sharedFixture(tb testing.TB) *fixture {
	tb.Helper()
	fixOnce.Do(func() { fix, fixErr = buildFixture() })
	if fixErr != nil {
		tb.Fatal(fixErr)
	}
	return fix
}

func mentions(word string, texts ...string) bool {
	for _, t := range texts {
		if strings.Contains(t, word) {
			return true
		}
	}
	return false
}

func buildFixture() (*fixture, error) {
	ctx := context.Background()
	var err error
	if fixDir, err = os.MkdirTemp("", "techmatch-web-"); err != nil {
		return nil, err
	}
	db, err := bolt.Open(ctx, filepath.Join(fixDir, "techmatch.db"))
	if err != nil {
		return nil, err
	}
	f := &fixture{db: db, tokens: map[string]string{}, tokenIDs: map[string]string{}}

	var achs []data.Achievement
	straw := 0
	for i, a := range demo.Achievements() {
		hit := mentions("秸秆", a.Title, a.Abstract, strings.Join(a.Keywords, " "))
		if (hit && straw < 60) || i%150 == 0 {
			if hit {
				straw++
			}
			achs = append(achs, a)
		}
	}
	var dems []data.Demand
	straw = 0
	for i, d := range demo.Demands() {
		hit := mentions("秸秆", d.Title, d.Description, strings.Join(d.Keywords, " "))
		if (hit && straw < 40) || i%100 == 0 {
			if hit {
				straw++
			}
			dems = append(dems, d)
		}
	}
	if _, err := db.PutAchievements(ctx, achs); err != nil {
		return nil, err
	}
	if _, err := db.PutDemands(ctx, dems); err != nil {
		return nil, err
	}
	for _, a := range achs {
		for _, p := range a.Inventors {
			if p.Contact != "" {
				f.contacts = append(f.contacts, p.Contact)
				if f.achievement == "" && mentions("秸秆", a.Title) {
					f.achievement = a.ID
				}
			}
		}
	}
	for _, d := range dems {
		if d.Contact != nil {
			for _, v := range []string{d.Contact.Phone, d.Contact.Email} {
				if v != "" {
					f.contacts = append(f.contacts, v)
				}
			}
			if f.otherDemand == "" && mentions("秸秆", d.Title) {
				f.otherDemand = d.ID
			}
		}
	}
	if f.achievement == "" || f.otherDemand == "" {
		return nil, fmt.Errorf("the demo catalogue has no 秸秆 records with contact data")
	}

	for _, r := range []struct{ key, name string }{
		{"admin", "管理员"}, {"broker", "李经纪"}, {"organiser", "赵组织"}, {"enterprise", "长春秸秆饲料有限公司"}, {"other", "另一家企业"},
	} {
		role := data.Role(r.key)
		if r.key == "other" {
			role = data.RoleEnterprise
		}
		secret, tok, err := db.CreateToken(ctx, data.TokenSpec{Role: role, Name: r.name})
		if err != nil {
			return nil, err
		}
		f.tokens[r.key], f.tokenIDs[r.key] = secret, tok.ID
	}
	own := []data.Demand{{
		Title:       "秸秆青贮饲料的低成本打捆与发酵工艺",
		Description: "我公司年收储玉米秸秆 5 万吨，需要提高青贮饲料发酵品质、降低打捆与包膜成本的成套技术。",
		Keywords:    []string{"秸秆", "青贮饲料", "打捆"},
		Field:       dems[0].Field,
		Enterprise:  data.Enterprise{Name: "长春秸秆饲料有限公司", Size: "中型"},
		Region:      data.Region{Province: "吉林省", City: "长春市", County: "农安县"},
		Contact:     &data.Contact{Name: "王经理", Phone: "0431-88886666", Email: "wang.straw@example.cn"},
		Meta:        data.Meta{Owner: f.tokenIDs["enterprise"]},
	}}
	if _, err := db.PutDemands(ctx, own); err != nil {
		return nil, err
	}
	f.ownDemand = own[0].ID
	f.contacts = append(f.contacts, "0431-88886666", "wang.straw@example.cn")

	ix, err := index.Open(ctx, filepath.Join(fixDir, "index"), db, index.Options{Logger: discard()})
	if err != nil {
		return nil, err
	}
	if _, err := ix.Sync(ctx); err != nil {
		return nil, err
	}
	m := &matcher.Matcher{Store: db, Search: ix, Analyzer: ix}

	if err := f.events(ctx, db, achs, dems); err != nil {
		return nil, err
	}

	f.wb = &web.Workbench{Store: db, Index: ix, Matcher: m, Events: db, Logger: discard()}
	s := server.NewServer()
	s.Store, s.Index, s.Matcher, s.Events, s.Logger, s.Web = db, ix, m, db, discard(), f.wb
	f.handler = s.Handler()
	// Build the salon's schedule, so that its grid is on its page.
	p := &event.Planner{Store: db, Events: db, Matcher: m, Search: ix}
	if _, err := p.BuildSchedule(ctx, &data.Token{ID: "tok-fixture", Role: data.RoleAdmin}, f.salon, event.ScheduleParams{}); err != nil {
		return nil, fmt.Errorf("build salon schedule: %w", err)
	}
	return f, nil
}

// events adds a roadshow on 秸秆 with three registered enterprises, and a
// salon with three scientists and three enterprises.
func (f *fixture) events(ctx context.Context, db *bolt.DB, achs []data.Achievement, dems []data.Demand) error {
	var strawDems, strawAchs []string
	for _, d := range dems {
		if mentions("秸秆", d.Title, d.Description) && len(strawDems) < 6 {
			strawDems = append(strawDems, d.ID)
		}
	}
	for _, a := range achs {
		if mentions("秸秆", a.Title, a.Abstract) && len(strawAchs) < 3 {
			strawAchs = append(strawAchs, a.ID)
		}
	}
	rs := &data.Event{Type: data.EventRoadshow, Title: "秸秆综合利用科技成果路演", Theme: "秸秆综合利用 饲料化 肥料化 能源化",
		Date: "2026-12-18", Start: "09:00", Venue: "长春市科技大厦", Slots: 4, SlotMinutes: 20}
	if err := db.PutEvent(ctx, rs); err != nil {
		return fmt.Errorf("roadshow: %w", err)
	}
	f.roadshow = rs.ID
	names := []string{"长春秸秆饲料有限公司", "吉林黑土农业科技有限公司", "松原生物质能源有限公司"}
	for i, name := range names {
		r := &data.Registration{EventID: rs.ID, Kind: data.RegEnterprise, Name: name, DemandIDs: []string{strawDems[i]}}
		if i == 0 {
			r.DemandIDs = []string{f.ownDemand}
			r.Owner = f.tokenIDs["enterprise"]
		}
		if err := db.PutRegistration(ctx, r); err != nil {
			return fmt.Errorf("roadshow registration: %w", err)
		}
	}
	sa := &data.Event{Type: data.EventSalon, Title: "秸秆利用科学家企业家交流沙龙", Date: "2026-12-19", Start: "14:00",
		Venue: "吉林农业大学", TimeSlots: 3, Tables: 2, MeetingMinutes: 20}
	if err := db.PutEvent(ctx, sa); err != nil {
		return fmt.Errorf("salon: %w", err)
	}
	f.salon = sa.ID
	for i := 0; i < 3; i++ {
		for _, r := range []*data.Registration{
			{EventID: sa.ID, Kind: data.RegScientist, Name: fmt.Sprintf("科研团队%d", i+1), AchievementIDs: []string{strawAchs[i]}},
			{EventID: sa.ID, Kind: data.RegEnterprise, Name: fmt.Sprintf("沙龙企业%d", i+1), DemandIDs: []string{strawDems[3+i]}},
		} {
			if err := db.PutRegistration(ctx, r); err != nil {
				return fmt.Errorf("salon registration: %w", err)
			}
		}
	}
	return nil
}

func context0() context.Context { return context.Background() }
