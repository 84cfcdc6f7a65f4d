package web

// The record pages' ranked matches and the buttons 相关 / 不相关 on each:
// the list is the API's (GET /api/v1/:kind/:id/matches, re-ranked by the
// record's verdicts and pairing outcomes), a verdict goes through the API's
// feedback service (server.Server.JudgeFor) with the API's rule: brokers,
// admins and the record's owner.

import (
	"context"
	"net/http"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

func (wb *Workbench) feedbackRoutes(mux *http.ServeMux) {
	wb.handle(mux, "POST /demands/{id}/feedback", wb.judge(data.KindDemand))
	wb.handle(mux, "POST /achievements/{id}/feedback", wb.judge(data.KindAchievement))
}

// rank returns the record's matches: through the API's service when the
// page has one (re-ranked by verdicts), else straight from the matcher;
// the matcher's own lists come from the cache while still valid.
func (wb *Workbench) rank(ctx context.Context, kind data.Kind, id string) ([]matcher.Result, error) {
	opt := matcher.Options{Limit: matchLimit}
	if wb.Matcher == nil {
		return nil, data.Errorf(data.EUNAVAILABLE, "匹配服务未启用")
	}
	m := cachedMatcher{Matcher: wb.Matcher, wb: wb}
	if wb.API != nil {
		return wb.API.MatchesFor(ctx, m, kind, id, opt)
	}
	if kind == data.KindDemand {
		return m.MatchDemand(ctx, id, opt)
	}
	return m.MatchAchievement(ctx, id, opt)
}

// recordMatches fills the record page's matches and what the caller may do
// with each (发起对接, 相关 / 不相关).
func (wb *Workbench) recordMatches(ctx context.Context, r *http.Request, p *recordPage, owner string) {
	res, err := wb.rank(ctx, p.Kind, p.ID)
	if err != nil {
		p.MatchError = wb.matchError(err)
		return
	}
	// The first matchLimit (the API's list), then the candidates judged
	// that the feedback ranked below them, with their ranks.
	var shown []match
	for _, m := range matches(res) {
		if m.Rank <= matchLimit || m.Verdict != "" {
			shown = append(shown, m)
		}
	}
	tok := user(r)
	wb.pairingActions(ctx, tok, p.Kind, p.ID, owner, shown)
	judge := wb.API.FeedbackEnabled() && server.MayJudge(tok, owner)
	for i := range shown {
		shown[i].CanJudge, shown[i].FeedbackURL, shown[i].CSRF = judge, "/"+string(p.Kind)+"/"+p.ID+"/feedback", csrfToken(r)
	}
	n := min(len(shown), matchLimit)
	p.Matches, p.Below = shown[:n], shown[n:]
}

// verdictLabel is a verdict in Chinese.
func verdictLabel(v string) string {
	switch data.Verdict(v) {
	case data.VerdictRelevant:
		return "相关"
	case data.VerdictNotRelevant:
		return "不相关"
	}
	return ""
}

// judge records a verdict on one candidate of the record and goes back to
// the record's page, re-ranked.
func (wb *Workbench) judge(kind data.Kind) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := wb.needRole(w, r, "评判匹配结果", data.Roles...)
		if !ok {
			return
		}
		id := r.PathValue("id")
		v, err := data.ParseVerdict(r.PostFormValue("verdict"))
		if err == nil {
			_, err = wb.API.JudgeFor(r.Context(), tok, kind, id, r.PostFormValue("candidate"), v, "")
		}
		if err != nil {
			wb.fail(w, r, err)
			return
		}
		redirect(w, r, "/"+string(kind)+"/"+id+"?judged=1#matches")
	})
}
