package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// pageSize is the number of hits on a search page.
const pageSize = 10

// maxPage is the last search page: the index serves hits up to offset
// 10,000 (index.MaxWindow).
const maxPage = 10000 / pageSize

// matchLimit is the number of matches a record page shows.
const matchLimit = 10

// ---- Home ----

type homePage struct {
	Latest      []listItem   // the newest demands (brokers and admins)
	Events      []data.Event // organisers and admins
	CanSubmit   bool
	CanOrganise bool
	// Pairings counts the user's open pairings by status (nil: none or
	// pairings unavailable).
	Pairings []statusCount
}

type statusCount struct {
	Status data.PairingStatus
	Label  string
	Count  int
}

// listItem is one record in a list, with what the caller may see.
type listItem struct {
	Kind       data.Kind
	ID         string
	Title      string
	Org        string // institution or enterprise
	Field      string
	Maturity   string
	Region     string
	Published  string
	Summary    string
	Highlights map[string][]string
	Score      float64
}

func (wb *Workbench) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tok := user(r)
	var p homePage
	p.CanSubmit = hasRole(tok, data.RoleAdmin, data.RoleBroker, data.RoleEnterprise)
	p.CanOrganise = hasRole(tok, data.RoleAdmin, data.RoleOrganiser)
	if hasRole(tok, data.RoleAdmin, data.RoleBroker) && wb.Index != nil {
		res, err := wb.Index.Search(ctx, data.SearchQuery{Kind: data.KindDemand, Sort: data.SortDate, Limit: 8})
		if err == nil {
			p.Latest, err = wb.items(ctx, data.KindDemand, res.Hits)
		}
		if err != nil {
			wb.logger().Error("home: latest demands", "err", err)
		}
	}
	if p.CanOrganise && wb.Events != nil {
		evs, err := wb.Events.ListEvents(ctx)
		if err != nil {
			wb.logger().Error("home: events", "err", err)
		}
		p.Events = evs
	}
	if tok != nil && wb.API.PairingsEnabled() {
		var f data.PairingFilter
		if tok.Role == data.RoleBroker {
			f.BrokerID = tok.BrokerID // a broker counts its own
		}
		ps, err := wb.API.ListPairingsFor(ctx, tok, f)
		if err != nil {
			wb.logger().Error("home: pairings", "err", err)
		}
		for _, st := range data.PairingStatuses {
			n := 0
			for _, q := range ps {
				if q.Status == st && (tok.Role != data.RoleBroker || q.BrokerID == tok.BrokerID) {
					n++
				}
			}
			if n > 0 && st.Open() {
				p.Pairings = append(p.Pairings, statusCount{st, st.Label(), n})
			}
		}
	}
	wb.render(w, r, http.StatusOK, "home.html", "工作台", "home", p)
}

// items reads the records of hits, in order, as list items (public fields
// only: lists never show contact data).
func (wb *Workbench) items(ctx context.Context, kind data.Kind, hits []data.Hit) ([]listItem, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	var out []listItem
	if kind == data.KindDemand {
		recs, err := wb.Store.Demands(ctx, ids)
		if err != nil {
			return nil, err
		}
		for i, d := range recs {
			if d != nil {
				out = append(out, demandItem(d, hits[i]))
			}
		}
		return out, nil
	}
	recs, err := wb.Store.Achievements(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, a := range recs {
		if a != nil {
			out = append(out, achievementItem(a, hits[i]))
		}
	}
	return out, nil
}

func demandItem(d *data.Demand, h data.Hit) listItem {
	return listItem{Kind: data.KindDemand, ID: d.ID, Title: d.Title, Org: d.Enterprise.Name, Field: d.Field,
		Maturity: d.Maturity, Region: d.Region.String(), Published: d.Published, Summary: clip(d.Description, 120), Highlights: h.Highlights, Score: h.Score}
}

func achievementItem(a *data.Achievement, h data.Hit) listItem {
	return listItem{Kind: data.KindAchievement, ID: a.ID, Title: a.Title, Org: a.Institution, Field: a.Field,
		Maturity: a.Maturity, Region: a.Region.String(), Published: a.Published, Summary: clip(a.Abstract, 120), Highlights: h.Highlights, Score: h.Score}
}

// ---- Search ----

type facet struct {
	Param  string // the query parameter it filters
	Label  string
	Values []facetValue
}

type facetValue struct {
	Value    string
	Count    int
	URL      string
	Selected bool
}

type filterChip struct {
	Param, Label, Value, RemoveURL string
}

type searchPage struct {
	Query     string
	Kind      data.Kind
	Kinds     []data.Kind
	Sort      string
	Items     []listItem
	Total     uint64
	Page      int
	Pages     int
	PrevURL   string
	NextURL   string
	Facets    []facet
	Filters   []filterChip
	Maturity  []string
	Available bool
	Error     string
}

// searchFilters are the filters the search page passes on, in the API's
// parameter names.
var searchFilters = []struct{ param, label string }{
	{"field", "技术领域"}, {"maturity", "成熟度"}, {"province", "省份"}, {"city", "城市"},
	{"county", "区县"}, {"industry", "行业"}, {"discipline", "学科"},
}

func (wb *Workbench) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	qv := r.URL.Query()
	p := searchPage{Query: strings.TrimSpace(qv.Get("q")), Kind: data.KindAchievement, Sort: qv.Get("sort"),
		Kinds: []data.Kind{data.KindAchievement, data.KindDemand}, Maturity: data.MaturityStages, Available: wb.Index != nil}
	if k := qv.Get("kind"); k != "" {
		kind, err := data.ParseKind(k)
		if err != nil {
			wb.fail(w, r, err)
			return
		}
		p.Kind = kind
	}
	if p.Sort != data.SortDate {
		p.Sort = data.SortRelevance
	}
	p.Page, _ = strconv.Atoi(qv.Get("page"))
	p.Page = max(1, min(p.Page, maxPage))
	q := data.SearchQuery{Kind: p.Kind, Text: p.Query, Sort: p.Sort, Offset: (p.Page - 1) * pageSize, Limit: pageSize,
		Facets: true, Highlight: p.Query != ""}
	f := &q.Filter
	set := map[string]*string{"field": &f.Field, "maturity": &f.Maturity, "province": &f.Province, "city": &f.City,
		"county": &f.County, "industry": &f.Industry, "discipline": &f.Discipline}
	for _, sf := range searchFilters {
		v := strings.TrimSpace(qv.Get(sf.param))
		if v == "" {
			continue
		}
		*set[sf.param] = v
		p.Filters = append(p.Filters, filterChip{Param: sf.param, Label: sf.label, Value: v, RemoveURL: searchURL(qv, sf.param, "")})
	}
	if !p.Available {
		wb.render(w, r, http.StatusOK, "search.html", "检索", "search", p)
		return
	}
	res, err := wb.Index.Search(ctx, q)
	if err != nil {
		if data.ErrorCode(err) != data.EINVALID {
			wb.fail(w, r, err)
			return
		}
		p.Error = data.ErrorMessage(err)
		wb.render(w, r, http.StatusBadRequest, "search.html", "检索", "search", p)
		return
	}
	if p.Items, err = wb.items(ctx, p.Kind, res.Hits); err != nil {
		wb.fail(w, r, err)
		return
	}
	p.Total = res.Total
	p.Pages = int((res.Total + pageSize - 1) / pageSize)
	p.Pages = min(p.Pages, maxPage)
	if p.Page > 1 {
		p.PrevURL = searchURL(qv, "page", strconv.Itoa(p.Page-1))
	}
	if p.Page < p.Pages {
		p.NextURL = searchURL(qv, "page", strconv.Itoa(p.Page+1))
	}
	for _, sf := range searchFilters {
		counts, ok := res.Facets[sf.param]
		if !ok || len(counts) == 0 {
			continue
		}
		fc := facet{Param: sf.param, Label: sf.label}
		for _, c := range counts {
			sel := qv.Get(sf.param) == c.Value
			u := searchURL(qv, sf.param, c.Value)
			if sel {
				u = searchURL(qv, sf.param, "")
			}
			fc.Values = append(fc.Values, facetValue{Value: c.Value, Count: c.Count, URL: u, Selected: sel})
		}
		p.Facets = append(p.Facets, fc)
	}
	title := "检索"
	if p.Query != "" {
		title = "检索：" + p.Query
	}
	wb.render(w, r, http.StatusOK, "search.html", title, "search", p)
}

// searchURL is the search page's URL with one parameter set (or removed
// when v is ""); changing anything but the page goes back to page 1.
func searchURL(qv url.Values, param, v string) string {
	n := url.Values{}
	for k, vs := range qv {
		n[k] = append([]string(nil), vs...)
	}
	if param != "page" {
		n.Del("page")
	}
	if v == "" {
		n.Del(param)
	} else {
		n.Set(param, v)
	}
	return "/search?" + n.Encode()
}

// ---- Records ----

type recordPage struct {
	Kind        data.Kind
	ID          string
	Demand      *data.Demand      // public copy unless the caller may see contact data
	Achievement *data.Achievement // likewise
	Contact     bool              // the caller may see contact data
	Matches     []match
	// Below are the judged candidates the feedback ranked below Matches.
	Below      []match
	MatchError string
	New        bool // just submitted
	// Judged: a verdict was just recorded (the list is re-ranked by it).
	Judged bool
}

// match is one ranked record of the other catalogue, public fields only.
type match struct {
	Rank     int
	Kind     data.Kind
	ID       string
	Title    string
	Org      string
	Field    string
	Maturity string
	Region   string
	Summary  string
	Score    float64
	Signals  []matcher.SignalValue
	Reasons  []string
	Terms    []string
	// CanPair: the caller may create a pairing of the record and this
	// match (发起对接); Pairing is their open pairing, if any.
	CanPair       bool
	DemandID      string
	AchievementID string
	Pairing       *existing
	// CanJudge: the caller may mark the match 相关 / 不相关 (the API's
	// rule); Verdict is the verdict it carries (relevant, not_relevant).
	// FeedbackURL is where the buttons post, with the form's CSRF token.
	CanJudge    bool
	Verdict     string
	FeedbackURL string
	CSRF        string
	owner       string
}

func (wb *Workbench) demand(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := wb.Store.Demand(ctx, r.PathValue("id"))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	owner := d.Owner
	p := recordPage{Kind: data.KindDemand, Contact: server.CanSeeContact(user(r), &d.Meta), New: r.URL.Query().Get("new") == "1",
		Judged: r.URL.Query().Get("judged") == "1"}
	if !p.Contact {
		pub := d.Public()
		d = &pub
	}
	p.Demand, p.ID = d, d.ID
	wb.recordMatches(ctx, r, &p, owner)
	wb.render(w, r, http.StatusOK, "record.html", d.Title, "search", p)
}

func (wb *Workbench) achievement(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := wb.Store.Achievement(ctx, r.PathValue("id"))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	owner := a.Owner
	p := recordPage{Kind: data.KindAchievement, Contact: server.CanSeeContact(user(r), &a.Meta), Judged: r.URL.Query().Get("judged") == "1"}
	if !p.Contact {
		pub := a.Public()
		a = &pub
	}
	p.Achievement, p.ID = a, a.ID
	wb.recordMatches(ctx, r, &p, owner)
	wb.render(w, r, http.StatusOK, "record.html", a.Title, "search", p)
}

func (wb *Workbench) matchError(err error) string {
	if data.ErrorCode(err) == data.EINTERNAL {
		wb.logger().Error("matches", "err", err)
	}
	return "暂时无法给出匹配结果：" + data.ErrorMessage(err)
}

// matches turns matcher results into what a page shows: public fields only,
// whatever the matcher returned.
func matches(res []matcher.Result) []match {
	out := make([]match, 0, len(res))
	for i, m := range res {
		x := match{Rank: i + 1, Score: m.Score, Signals: m.Explanation.Signals, Reasons: m.Explanation.Sentences, Verdict: m.Verdict}
		for _, t := range m.Explanation.Terms {
			if utf8.RuneCountInString(t.Text) > 1 { // a single character marks noise
				x.Terms = append(x.Terms, t.Text)
			}
		}
		switch {
		case m.Achievement != nil:
			a := m.Achievement
			x.Kind, x.ID, x.Title, x.Org, x.Field, x.Maturity, x.Region = data.KindAchievement, a.ID, a.Title, a.Institution, a.Field, a.Maturity, a.Region.String()
			x.Summary, x.owner = clip(a.Abstract, 160), a.Owner
		case m.Demand != nil:
			d := m.Demand
			x.Kind, x.ID, x.Title, x.Org, x.Field, x.Maturity, x.Region = data.KindDemand, d.ID, d.Title, d.Enterprise.Name, d.Field, d.Maturity, d.Region.String()
			x.Summary, x.owner = clip(d.Description, 160), d.Owner
		default:
			continue
		}
		out = append(out, x)
	}
	return out
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// ---- Not yet available ----

type pendingPage struct {
	What      string
	Missing   string
	Meanwhile []pendingLink
}

type pendingLink struct{ URL, Label string }
