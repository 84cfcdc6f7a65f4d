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
	"time"

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
	// consented is a pairing of ownDemand × achievement both sides agreed
	// to (assigned to the broker token's broker); requested one the
	// enterprise asked for (no broker yet) with requestedAch.
	consented, requested, requestedAch string
	// brokerLi is the broker token's broker, brokerZhou another.
	brokerLi, brokerZhou string
	// challengeList is a published 揭榜挂帅 list with otherDemand on it.
	challengeList string
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

	if err := f.brokers(ctx, db); err != nil {
		return nil, err
	}
	for _, r := range []struct{ key, name string }{
		{"admin", "管理员"}, {"broker", "李经纪"}, {"organiser", "赵组织"}, {"enterprise", "长春秸秆饲料有限公司"}, {"other", "另一家企业"},
	} {
		role := data.Role(r.key)
		if r.key == "other" {
			role = data.RoleEnterprise
		}
		spec := data.TokenSpec{Role: role, Name: r.name}
		if role == data.RoleBroker {
			spec.BrokerID = f.brokerLi
		}
		secret, tok, err := db.CreateToken(ctx, spec)
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

	if err := f.pairings(ctx, db, achs, dems); err != nil {
		return nil, err
	}
	if err := f.challenges(ctx, db); err != nil {
		return nil, err
	}

	s := server.NewServer()
	f.wb = &web.Workbench{Store: db, Index: ix, Matcher: m, Events: db, Logger: discard(), API: s}
	s.Store, s.Index, s.Matcher, s.Events, s.Logger, s.Web = db, ix, m, db, discard(), f.wb
	s.Brokers, s.Pairings, s.Audit, s.Challenges, s.Applications = db, db, db, db, db
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

// brokers adds two brokers with private phone and e-mail.
func (f *fixture) brokers(ctx context.Context, db *bolt.DB) error {
	admin := data.Actor{TokenID: "tok-fixture", Role: data.RoleAdmin}
	for _, b := range []*data.Broker{
		{Name: "李经纪", Organisation: "吉林省技术转移中心", Level: "高级", Fields: []string{"现代农业"},
			Regions: []data.Region{{Province: "吉林省", City: "长春市"}}, Phone: "13800001111", Email: "li.broker@example.cn", Active: true},
		{Name: "周经纪", Organisation: "吉林市科技创新服务中心", Level: "中级", Fields: []string{"新能源"},
			Regions: []data.Region{{Province: "吉林省", City: "吉林市"}}, Phone: "13900002222", Email: "zhou.broker@example.cn", Active: true},
	} {
		if _, err := db.PutBroker(ctx, b, admin); err != nil {
			return fmt.Errorf("broker %s: %w", b.Name, err)
		}
		f.contacts = append(f.contacts, b.Phone, b.Email)
		if f.brokerLi == "" {
			f.brokerLi = b.ID
		} else {
			f.brokerZhou = b.ID
		}
	}
	return nil
}

// at is a time of 2025, the statistics' year.
func at(month time.Month, day int) time.Time {
	return time.Date(2025, month, day, 10, 0, 0, 0, time.UTC)
}

// hist is a pairing's history through statuses, one step every 5 days
// from its creation.
func hist(created time.Time, by data.Actor, steps ...data.PairingStatus) []data.HistoryEntry {
	var out []data.HistoryEntry
	from := data.StatusRecommended
	for i, to := range steps {
		out = append(out, data.HistoryEntry{From: from, To: to, By: by, At: created.AddDate(0, 0, 5*(i+1))})
		from = to
	}
	return out
}

// pairings imports the pairings of 2025 the statistics journey checks by
// hand (see TestJourneyStatistics), among them the two of the enterprise's
// own demand the route × role test reads.
func (f *fixture) pairings(ctx context.Context, db *bolt.DB, achs []data.Achievement, dems []data.Demand) error {
	by := data.Actor{TokenID: "tok-fixture", Role: data.RoleAdmin}
	both := at(11, 10)
	changchun := data.Region{Province: "吉林省", City: "长春市", County: "农安县"}
	jilin := data.Region{Province: "吉林省", City: "吉林市", County: "蛟河市"}
	var withContact []string
	for _, a := range achs {
		if a.ID != f.achievement && len(a.Inventors) > 0 && a.Inventors[0].Contact != "" {
			withContact = append(withContact, a.ID)
		}
	}
	if len(withContact) == 0 {
		return fmt.Errorf("no second achievement with an inventor's contact")
	}
	f.requestedAch = withContact[0]
	ps := []data.Pairing{
		// S1: signed in March, 120.5 万元, 长春市农安县, 李经纪, 现代农业.
		{DemandID: dems[1].ID, AchievementID: achs[1].ID, Source: data.SourceMatch, BrokerID: f.brokerLi, Field: "现代农业", Region: changchun,
			Status: data.StatusSigned, Created: at(2, 10), History: hist(at(2, 10), by, data.StatusRequested, data.StatusAccepted, data.StatusSigned),
			Contract: &data.Contract{Number: "2025220101000017", Type: "技术转让", AmountWan: 120.5, SignedOn: "2025-03-20"}},
		// S2: signed in June, 80 万元, 吉林市蛟河市, 周经纪, 新能源.
		{DemandID: dems[2].ID, AchievementID: achs[2].ID, Source: data.SourceRoadshow, BrokerID: f.brokerZhou, Field: "新能源", Region: jilin,
			Status: data.StatusSigned, Created: at(5, 5), History: hist(at(5, 5), by, data.StatusRequested, data.StatusAccepted, data.StatusNegotiating, data.StatusSigned),
			Contract: &data.Contract{Number: "2025220201000042", Type: "技术开发", AmountWan: 80, SignedOn: "2025-06-15"}},
		// S3: requested in May, 李经纪, 现代农业.
		{DemandID: dems[3].ID, AchievementID: achs[3].ID, Source: data.SourceMatch, BrokerID: f.brokerLi, Field: "现代农业", Region: changchun,
			Status: data.StatusRequested, RequestedBy: data.SideDemand, Created: at(5, 20), History: hist(at(5, 20), by, data.StatusRequested)},
		// S4: closed in June (价格不符), no broker, 新能源.
		{DemandID: dems[4].ID, AchievementID: achs[4].ID, Source: data.SourceManual, Field: "新能源", Region: jilin,
			Status: data.StatusClosed, ClosedReason: "价格不符", Created: at(6, 1), History: hist(at(6, 1), by, data.StatusRequested, data.StatusClosed)},
		// The enterprise's demand × the 秸秆 achievement: both agreed,
		// negotiating, 李经纪 (November).
		{DemandID: f.ownDemand, AchievementID: f.achievement, Source: data.SourceMatch, BrokerID: f.brokerLi, Field: "现代农业", Region: changchun,
			Status: data.StatusNegotiating, RequestedBy: data.SideDemand, Consent: data.Consent{Demand: &both, Achievement: &both},
			Created: at(11, 3), History: hist(at(11, 3), by, data.StatusRequested, data.StatusAccepted, data.StatusNegotiating)},
		// The enterprise's demand × another achievement: requested by the
		// enterprise, not yet answered (November), no broker.
		{DemandID: f.ownDemand, AchievementID: f.requestedAch, Source: data.SourceMatch, Field: "现代农业", Region: changchun,
			Status: data.StatusRequested, RequestedBy: data.SideDemand, Consent: data.Consent{Demand: &both},
			Created: at(11, 10), History: hist(at(11, 10), by, data.StatusRequested)},
	}
	titles := map[string]string{f.ownDemand: "秸秆青贮饲料的低成本打捆与发酵工艺"}
	for _, d := range dems {
		titles[d.ID] = d.Title
	}
	for _, a := range achs {
		titles[a.ID] = a.Title
	}
	for i := range ps {
		ps[i].DemandTitle, ps[i].AchievementTitle = titles[ps[i].DemandID], titles[ps[i].AchievementID]
	}
	if err := db.ImportPairings(ctx, ps, by); err != nil {
		return fmt.Errorf("import pairings: %w", err)
	}
	f.consented, f.requested = ps[4].ID, ps[5].ID
	return nil
}

// challenges publishes a list with the demand otherDemand on it.
func (f *fixture) challenges(ctx context.Context, db *bolt.DB) error {
	by := data.Actor{TokenID: "tok-fixture", Role: data.RoleAdmin}
	l := &data.ChallengeList{Title: "2026年秸秆综合利用揭榜挂帅榜单", Kind: "enterprise", Batch: "2026年第一批",
		OpensOn: "2026-11-01", ClosesOn: "2027-01-31"}
	if _, err := db.PutChallengeList(ctx, l, by); err != nil {
		return fmt.Errorf("challenge list: %w", err)
	}
	if _, err := db.UpdateChallengeList(ctx, l.ID, by, func(l *data.ChallengeList) error { return l.SetStatus(data.ListPublished) }); err != nil {
		return fmt.Errorf("publish the challenge list: %w", err)
	}
	ch := &data.Challenge{ListID: l.ID, DemandID: f.otherDemand, Title: "秸秆高值化利用关键技术", RewardWan: 300, DurationMonths: 24,
		Requirements: data.Requirements{Text: "具备中试条件", MinMaturity: data.MaturityStages[len(data.MaturityStages)/2]},
		Milestones:   []data.MilestoneTerm{{Title: "完成中试", Due: "2027-12-31", Deliverable: "中试报告"}}}
	if err := db.PutChallenge(ctx, ch, by); err != nil {
		return fmt.Errorf("challenge: %w", err)
	}
	f.challengeList = l.ID
	return nil
}

func context0() context.Context { return context.Background() }
