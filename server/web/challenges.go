package web

// 揭榜挂帅 pages: the challenge lists with their challenges and the solver
// teams suggested for each; organisers create lists, add challenges and
// publish / close them through the API's rules (server.Server's
// CreateChallengeListFor, AddChallengeFor, SetChallengeListStatusFor).
// Applications, reviews, awards and milestones are not on the pages yet.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// solverLimit is the number of solver suggestions per challenge.
const solverLimit = 5

func (wb *Workbench) challengeRoutes(mux *http.ServeMux) {
	wb.handle(mux, "GET /challenges", http.HandlerFunc(wb.challengeLists))
	wb.handle(mux, "GET /challenges/{id}", http.HandlerFunc(wb.challengeList))
	wb.handle(mux, "POST /challenges", http.HandlerFunc(wb.createChallengeList))
	wb.handle(mux, "POST /challenges/{id}/status", http.HandlerFunc(wb.challengeListStatus))
	wb.handle(mux, "POST /challenges/{id}/challenges", http.HandlerFunc(wb.addChallenge))
}

// form is what a small form typed and the Chinese problems at its fields.
type form struct {
	Values  map[string]string
	Errors  map[string]string
	Message string // a problem no field shows
}

// formOf reads fields from the request and, after err, the field errors
// (a form for a new GET has neither).
func formOf(r *http.Request, err error, fields ...string) *form {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, name := range fields {
		f.Values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	for _, fe := range data.ErrorFields(err) {
		if !slices.Contains(fields, fe.Field) {
			f.Message += fe.Message + "；"
			continue
		}
		if f.Errors[fe.Field] != "" {
			f.Errors[fe.Field] += "；"
		}
		f.Errors[fe.Field] += fe.Message
	}
	if err != nil && len(f.Errors) == 0 {
		f.Message = data.ErrorMessage(err)
	}
	return f
}

var listFields = []string{"title", "kind", "batch", "opens_on", "closes_on"}
var challengeFields = []string{"demand_id", "reward_wan", "duration_months", "requirements.text"}

func (wb *Workbench) createChallengeList(w http.ResponseWriter, r *http.Request) {
	tok, ok := wb.needRole(w, r, "创建揭榜挂帅榜单", data.RoleOrganiser, data.RoleAdmin)
	if !ok || !wb.challengesOn(w, r) {
		return
	}
	l := data.ChallengeList{Title: strings.TrimSpace(r.PostFormValue("title")), Kind: r.PostFormValue("kind"),
		Batch: strings.TrimSpace(r.PostFormValue("batch")), OpensOn: r.PostFormValue("opens_on"), ClosesOn: r.PostFormValue("closes_on")}
	err := wb.API.CreateChallengeListFor(r.Context(), tok, &l)
	if err == nil {
		redirect(w, r, "/challenges/"+l.ID+"?created=1")
		return
	}
	if data.ErrorCode(err) != data.EINVALID {
		wb.fail(w, r, err)
		return
	}
	f := formOf(r, err, listFields...)
	for field, label := range map[string]string{"opens_on": "开榜日期", "closes_on": "截止日期"} {
		if f.Errors[field] != "" && f.Values[field] == "" {
			f.Errors[field] = "请填写" + label // not "“”应写成 2026-03-01 的格式"
		}
	}
	wb.renderLists(w, r, http.StatusBadRequest, f)
}

func (wb *Workbench) challengeListStatus(w http.ResponseWriter, r *http.Request) {
	tok, ok := wb.needRole(w, r, "变更榜单状态", data.RoleOrganiser, data.RoleAdmin)
	if !ok || !wb.challengesOn(w, r) {
		return
	}
	l, err := wb.API.SetChallengeListStatusFor(r.Context(), tok, r.PathValue("id"), data.ListStatus(r.PostFormValue("to")))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	redirect(w, r, "/challenges/"+l.ID+"?status=1")
}

func (wb *Workbench) addChallenge(w http.ResponseWriter, r *http.Request) {
	tok, ok := wb.needRole(w, r, "添加揭榜项目", data.RoleOrganiser, data.RoleAdmin)
	if !ok || !wb.challengesOn(w, r) {
		return
	}
	id := r.PathValue("id")
	ch := data.Challenge{DemandID: r.PostFormValue("demand_id"), Requirements: data.Requirements{Text: strings.TrimSpace(r.PostFormValue("requirements.text"))}}
	var err error
	var bad []data.FieldError
	if v := strings.TrimSpace(r.PostFormValue("reward_wan")); v != "" {
		if ch.RewardWan, err = strconv.ParseFloat(v, 64); err != nil {
			bad = append(bad, data.FieldError{Field: "reward_wan", Message: "揭榜奖励应填写数字（万元）"})
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("duration_months")); v != "" {
		if ch.DurationMonths, err = strconv.Atoi(v); err != nil {
			bad = append(bad, data.FieldError{Field: "duration_months", Message: "实施周期应填写整数（月）"})
		}
	}
	if len(bad) > 0 {
		err = &data.Error{Code: data.EINVALID, Message: "揭榜项目有需要修改的地方", Fields: bad}
	} else {
		err = wb.API.AddChallengeFor(r.Context(), tok, id, &ch)
	}
	if err == nil {
		redirect(w, r, "/challenges/"+id+"?added=1#ch-"+ch.ID)
		return
	}
	if data.ErrorCode(err) != data.EINVALID {
		wb.fail(w, r, err)
		return
	}
	wb.renderList(w, r, http.StatusBadRequest, formOf(r, err, challengeFields...))
}

func (wb *Workbench) challengesOn(w http.ResponseWriter, r *http.Request) bool {
	if wb.API.ChallengesEnabled() {
		return true
	}
	wb.render(w, r, http.StatusOK, "pending.html", "揭榜挂帅", "challenges", pendingPage{
		What:      "揭榜挂帅",
		Missing:   "本服务未配置揭榜挂帅榜单存储，因此这里还没有可显示的榜单。",
		Meanwhile: []pendingLink{{"/search?kind=demands", "检索技术需求（揭榜挂帅需求在详情页标有奖励）"}},
	})
	return false
}

type challengeListsPage struct {
	Items []server.ChallengeListView
	// Form is the new list's form, for organisers and admins.
	Form  *form
	Kinds []string
}

func (wb *Workbench) challengeLists(w http.ResponseWriter, r *http.Request) {
	if !wb.challengesOn(w, r) {
		return
	}
	wb.renderLists(w, r, http.StatusOK, formOf(r, nil))
}

func (wb *Workbench) renderLists(w http.ResponseWriter, r *http.Request, status int, f *form) {
	items, err := wb.API.ChallengeListsFor(r.Context(), user(r))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	p := challengeListsPage{Items: items, Kinds: data.ChallengeListKinds}
	if hasRole(user(r), data.RoleOrganiser, data.RoleAdmin) {
		p.Form = f
	}
	wb.render(w, r, status, "challenges.html", "揭榜挂帅", "challenges", p)
}

// challengeItem is a challenge with its demand's public fields and the
// suggested solvers.
type challengeItem struct {
	data.Challenge
	Demand *data.Demand
	// Shown: the solvers were asked for (?solvers=<challenge id>); each
	// costs a ranking over the whole catalogue, so the list computes them
	// for one challenge at a time.
	Shown       bool
	SolversURL  string
	Solvers     []matcher.Solver
	SolverError string
}

type challengeListPage struct {
	List  *server.ChallengeListView
	Items []challengeItem
	// Organiser: the caller may add challenges and change the status
	// (Next); Form is the new challenge's form.
	Organiser bool
	Next      []data.ListStatus
	Form      *form
	Done      string // what the last write did
}

func (wb *Workbench) challengeList(w http.ResponseWriter, r *http.Request) {
	if !wb.challengesOn(w, r) {
		return
	}
	wb.renderList(w, r, http.StatusOK, formOf(r, nil))
}

func (wb *Workbench) renderList(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	l, err := wb.API.ChallengeListFor(ctx, user(r), r.PathValue("id"))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	p := challengeListPage{List: l, Organiser: hasRole(user(r), data.RoleOrganiser, data.RoleAdmin), Form: f}
	if p.Organiser { // 发布 and 截止 here; 已揭榜 follows the awards
		switch l.Status {
		case data.ListDraft:
			p.Next = []data.ListStatus{data.ListPublished}
		case data.ListPublished:
			p.Next = []data.ListStatus{data.ListClosed}
		}
	}
	switch q := r.URL.Query(); {
	case q.Get("created") == "1":
		p.Done = "榜单已创建（草稿）。添加揭榜项目后即可发布。"
	case q.Get("added") == "1":
		p.Done = "揭榜项目已添加。"
	case q.Get("status") == "1":
		p.Done = "榜单状态已变更为“" + l.StatusLabel + "”。"
	}
	for _, ch := range l.Challenges {
		it := challengeItem{Challenge: ch}
		if d, err := wb.Store.Demand(ctx, ch.DemandID); err == nil {
			pub := d.Public() // lists never show contact data
			it.Demand = &pub
		}
		it.SolversURL = "/challenges/" + l.ID + "?solvers=" + url.QueryEscape(ch.ID) + "#solvers-" + ch.ID
		if it.Shown = r.URL.Query().Get("solvers") == ch.ID; it.Shown {
			if it.Solvers, err = wb.API.Solvers(ctx, ch.DemandID, matcher.SolversByInstitution, solverLimit); err != nil {
				it.SolverError = wb.matchError(err)
			}
		}
		p.Items = append(p.Items, it)
	}
	wb.render(w, r, status, "challenge.html", l.Title, "challenges", p)
}
