package web

// 揭榜挂帅 pages: the challenge lists with their challenges and the solver
// teams suggested for each, read-only (applications, review and awards
// have no API on this branch yet).

import (
	"net/http"
	"net/url"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// solverLimit is the number of solver suggestions per challenge.
const solverLimit = 5

func (wb *Workbench) challengeRoutes(mux *http.ServeMux) {
	wb.handle(mux, "GET /challenges", http.HandlerFunc(wb.challengeLists))
	wb.handle(mux, "GET /challenges/{id}", http.HandlerFunc(wb.challengeList))
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
}

func (wb *Workbench) challengeLists(w http.ResponseWriter, r *http.Request) {
	if !wb.challengesOn(w, r) {
		return
	}
	items, err := wb.API.ChallengeListsFor(r.Context(), user(r))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	wb.render(w, r, http.StatusOK, "challenges.html", "揭榜挂帅", "challenges", challengeListsPage{Items: items})
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
}

func (wb *Workbench) challengeList(w http.ResponseWriter, r *http.Request) {
	if !wb.challengesOn(w, r) {
		return
	}
	ctx := r.Context()
	l, err := wb.API.ChallengeListFor(ctx, user(r), r.PathValue("id"))
	if err != nil {
		wb.fail(w, r, err)
		return
	}
	p := challengeListPage{List: l}
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
	wb.render(w, r, http.StatusOK, "challenge.html", l.Title, "challenges", p)
}
