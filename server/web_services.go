package server

// Feedback on candidates as Go calls for the workbench (server/web): the
// same checks, writes and re-ranking as POST /api/v1/:kind/:id/feedback and
// GET /api/v1/:kind/:id/matches, without gin.

import (
	"context"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

// FeedbackEnabled reports whether verdicts can be stored.
func (s *Server) FeedbackEnabled() bool { return s != nil && s.feedbackStore() != nil }

// MayJudge reports whether tok may give and read the verdicts on the
// candidates of a record owned by owner (mayJudge without the store).
func MayJudge(tok *data.Token, owner string) bool {
	if tok == nil {
		return false
	}
	return tok.Role == data.RoleAdmin || tok.Role == data.RoleBroker || (owner != "" && owner == tok.ID)
}

// JudgeFor stores tok's verdict on a candidate (other) of the record kind/id
// as POST /api/v1/:kind/:id/feedback does.
func (s *Server) JudgeFor(ctx context.Context, tok *data.Token, kind data.Kind, id, other string, v data.Verdict, note string) (*data.Feedback, error) {
	if tok == nil {
		return nil, data.Errorf(data.EUNAUTHORIZED, "评判匹配结果需要先登录")
	}
	if !s.FeedbackEnabled() {
		return nil, data.Errorf(data.EUNAVAILABLE, "此服务未启用匹配反馈")
	}
	if _, err := s.mayJudge(ctx, tok, kind, id); err != nil {
		return nil, err
	}
	fb := data.Feedback{Verdict: v, Note: note, By: data.ActorOf(tok)}
	field := "achievement_id"
	if kind == data.KindDemand {
		fb.DemandID, fb.AchievementID, fb.Side = id, other, data.SideDemand
	} else {
		fb.DemandID, fb.AchievementID, fb.Side, field = other, id, data.SideAchievement, "demand_id"
	}
	if other == "" {
		return nil, &data.Error{Code: data.EINVALID, Message: "请指明评判的候选", Fields: []data.FieldError{{Field: field, Message: "必填"}}}
	}
	var err error
	if kind == data.KindDemand {
		_, err = s.Store.Achievement(ctx, other)
	} else {
		_, err = s.Store.Demand(ctx, other)
	}
	if err != nil {
		return nil, err
	}
	if err := s.feedbackStore().PutFeedback(ctx, &fb); err != nil {
		return nil, err
	}
	return &fb, nil
}

// MatchesFor ranks the candidates of the record kind/id as GET
// /api/v1/:kind/:id/matches does: re-ranked by its verdicts (each judged
// candidate carries its verdict). Without verdicts it returns at most
// opt.Limit matches; with them the whole re-ranked list (the API's list is
// its first opt.Limit), so that a page can show every verdict given, also
// on candidates the feedback moved below the limit.
// m is the matcher to rank with (the API's when nil; the workbench passes
// its cached one).
func (s *Server) MatchesFor(ctx context.Context, m Matcher, kind data.Kind, id string, opt matcher.Options) ([]matcher.Result, error) {
	if m == nil && s != nil {
		m = s.Matcher
	}
	if m == nil {
		return nil, data.Errorf(data.EUNAVAILABLE, "匹配服务未启用")
	}
	match := m.MatchAchievement
	if kind == data.KindDemand {
		match = m.MatchDemand
	}
	return s.rerank(ctx, kind, id, opt, false, true, match)
}

// rerank runs match and re-ranks it by the record's verdicts: with verdicts
// the matcher returns its longest list, which the feedback re-orders before
// it is cut to the limit asked for unless all (exclude leaves judged
// candidates out).
func (s *Server) rerank(ctx context.Context, kind data.Kind, id string, opt matcher.Options, exclude, all bool,
	match func(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error)) ([]matcher.Result, error) {
	q, judged, err := s.judged(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	if len(judged) == 0 {
		return match(ctx, id, opt)
	}
	limit := opt.Limit
	if limit == 0 {
		limit = matcher.DefaultLimit
	}
	if all {
		limit = 0
	}
	opt.Limit = matcher.MaxLimit
	res, err := match(ctx, id, opt)
	if err != nil {
		return nil, err
	}
	return matcher.ApplyFeedback(q, res, judged, exclude, limit), nil
}

// StatsFor computes, from one reading of the pairings, the funnel of opt
// grouped by each of groups (as GET /api/v1/stats/funnel) and the yearly
// report of year (as GET /api/v1/stats/report): the statistics page needs
// them all, and each reading decodes every pairing.
func (s *Server) StatsFor(ctx context.Context, opt data.FunnelOptions, groups []string, year int) (rows [][]data.FunnelRow, total data.FunnelRow, rep data.YearReport, err error) {
	if err = s.expire(ctx); err != nil {
		return
	}
	ps, err := s.Pairings.ListPairings(ctx, data.PairingFilter{})
	if err != nil {
		return
	}
	if opt.BrokerName, err = s.brokerNames(ctx); err != nil {
		return
	}
	for _, g := range groups {
		opt.GroupBy = g
		r, t := data.Funnel(ps, opt)
		rows, total = append(rows, r), t
	}
	var events []data.Event
	if s.Events != nil {
		if events, err = s.Events.ListEvents(ctx); err != nil {
			return
		}
	}
	return rows, total, data.Report(year, ps, events), nil
}

// ---- 揭榜挂帅 lists, as the organisers' routes of the API ----

func needPlanner(tok *data.Token) error {
	if tok == nil {
		return data.Errorf(data.EUNAUTHORIZED, "管理揭榜挂帅榜单需要先登录")
	}
	if !mayPlan(tok) {
		return data.Errorf(data.EFORBIDDEN, "只有活动组织方和管理员可以管理揭榜挂帅榜单")
	}
	return nil
}

// CreateChallengeListFor stores l as a new draft list of tok, as POST
// /api/v1/challenge-lists does (field errors from data's validation).
func (s *Server) CreateChallengeListFor(ctx context.Context, tok *data.Token, l *data.ChallengeList) error {
	if err := needPlanner(tok); err != nil {
		return err
	}
	l.ID, l.Status, l.Owner = "", data.ListDraft, tok.ID
	_, err := s.Challenges.PutChallengeList(ctx, l, data.ActorOf(tok))
	return err
}

// SetChallengeListStatusFor moves a list to its next status, as POST
// /api/v1/challenge-lists/:id/status does.
func (s *Server) SetChallengeListStatusFor(ctx context.Context, tok *data.Token, id string, to data.ListStatus) (*data.ChallengeList, error) {
	if err := needPlanner(tok); err != nil {
		return nil, err
	}
	return s.Challenges.UpdateChallengeList(ctx, id, data.ActorOf(tok), func(l *data.ChallengeList) error { return l.SetStatus(to) })
}

// AddChallengeFor adds a challenge on a demand to a draft or published
// list for POST /api/v1/challenge-lists/:id/challenges and the workbench
// (the title and reward default to the demand's).
func (s *Server) AddChallengeFor(ctx context.Context, tok *data.Token, listID string, ch *data.Challenge) error {
	if err := needPlanner(tok); err != nil {
		return err
	}
	l, err := s.Challenges.ChallengeList(ctx, listID)
	if err != nil {
		return err
	}
	if l.Status != data.ListDraft && l.Status != data.ListPublished {
		return data.Errorf(data.ECONFLICT, "榜单已“%s”，不能再添加揭榜项目", l.Status.Label())
	}
	ch.ListID, ch.Owner = l.ID, tok.ID
	ch.DemandID = strings.TrimSpace(ch.DemandID)
	if ch.DemandID == "" {
		return &data.Error{Code: data.EINVALID, Message: "请填写技术需求编号", Fields: []data.FieldError{{Field: "demand_id", Message: "必填"}}}
	}
	d, err := s.Store.Demand(ctx, ch.DemandID)
	if data.ErrorCode(err) == data.ENOTFOUND {
		return &data.Error{Code: data.EINVALID, Message: data.ErrorMessage(err), Fields: []data.FieldError{{Field: "demand_id", Message: "没有这条技术需求"}}}
	}
	if err != nil {
		return err
	}
	if ch.Title == "" {
		ch.Title = d.Title
	}
	if ch.RewardWan == 0 {
		ch.RewardWan = d.RewardWan
	}
	return s.Challenges.PutChallenge(ctx, ch, data.ActorOf(tok))
}
