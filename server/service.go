package server

// The pairing pipeline's and the challenge lists' services as Go calls: the
// JSON handlers and the workbench (server/web) share them, so that a page
// checks, writes and reveals exactly what the API does.

import (
	"context"
	"fmt"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

// PairingCreators are the roles that may create pairings.
var PairingCreators = []data.Role{data.RoleAdmin, data.RoleBroker, data.RoleOrganiser, data.RoleEnterprise, data.RoleScientist}

// PairingsEnabled reports whether the pairing stores are configured.
func (s *Server) PairingsEnabled() bool {
	return s != nil && s.Pairings != nil && s.Brokers != nil && s.Audit != nil
}

// ChallengesEnabled reports whether the challenge store is configured.
func (s *Server) ChallengesEnabled() bool { return s != nil && s.Challenges != nil }

func roleIn(tok *data.Token, roles []data.Role) bool {
	if tok == nil {
		return false
	}
	for _, r := range roles {
		if tok.Role == r {
			return true
		}
	}
	return false
}

// MayCreatePairing reports whether tok may pair a demand owned by
// demandOwner with an achievement owned by achievementOwner (the checks of
// CreatePairing that need no store).
func MayCreatePairing(tok *data.Token, demandOwner, achievementOwner string) bool {
	if !roleIn(tok, PairingCreators) {
		return false
	}
	switch tok.Role {
	case data.RoleEnterprise:
		return demandOwner == tok.ID
	case data.RoleScientist:
		return achievementOwner == tok.ID
	}
	return true
}

// CreatePairing creates a pairing for tok as POST /api/v1/pairings does
// (an empty source is manual); an open pairing of the same demand ×
// achievement is returned with created false.
func (s *Server) CreatePairing(ctx context.Context, tok *data.Token, req data.NewPairingRequest) (*data.Pairing, bool, error) {
	if tok == nil {
		return nil, false, data.Errorf(data.EUNAUTHORIZED, "发起对接需要先登录")
	}
	if !roleIn(tok, PairingCreators) {
		return nil, false, data.Errorf(data.EFORBIDDEN, "当前令牌（角色 %s）无权发起对接", tok.Role)
	}
	if req.Source == "" {
		req.Source = data.SourceManual
	}
	p, err := s.newPairing(ctx, tok, req)
	if err != nil {
		return nil, false, err
	}
	return s.Pairings.CreatePairing(ctx, p, data.AuditEntry{Actor: data.ActorOf(tok), Action: data.AuditPairingCreate,
		Detail: fmt.Sprintf("%s × %s（%s）", p.DemandID, p.AchievementID, data.SourceLabel(p.Source))})
}

// ListPairingsFor returns the pairings f selects that tok may see (an
// enterprise or scientist its own), after expiring requests due.
func (s *Server) ListPairingsFor(ctx context.Context, tok *data.Token, f data.PairingFilter) ([]data.Pairing, error) {
	if tok == nil {
		return nil, data.Errorf(data.EUNAUTHORIZED, "查看对接需要先登录")
	}
	if err := s.expire(ctx); err != nil {
		return nil, err
	}
	ps, err := s.Pairings.ListPairings(ctx, f)
	if err != nil {
		return nil, err
	}
	if tok.Role == data.RoleEnterprise || tok.Role == data.RoleScientist {
		return s.ownPairings(ctx, tok, ps)
	}
	return ps, nil
}

// PairingView is a pairing with its sides as a caller may see them.
type PairingView struct {
	Pairing     *data.Pairing
	Demand      PairingDemand
	Achievement PairingAchievement
	// Next are the statuses the status machine allows next.
	Next  []data.PairingStatus
	Party data.Party
}

// PairingFor reads a pairing for tok as GET /api/v1/pairings/:id does:
// contact data only as the consent rules allow, each reveal audited.
func (s *Server) PairingFor(ctx context.Context, tok *data.Token, id string) (*PairingView, error) {
	if tok == nil {
		return nil, data.Errorf(data.EUNAUTHORIZED, "查看对接需要先登录")
	}
	p, sd, err := s.loadPairing(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayRead(tok, partyOf(tok, p, sd)) {
		return nil, data.Errorf(data.EFORBIDDEN, "只有对接双方、技术经纪人、活动组织者和管理员可以查看对接")
	}
	return s.pairingView(ctx, tok, p, sd, true)
}

// TransitionPairing moves a pairing for tok as POST
// /api/v1/pairings/:id/transitions does, with its audit entry.
func (s *Server) TransitionPairing(ctx context.Context, tok *data.Token, id string, t data.Transition) (*data.Pairing, error) {
	p, _, err := s.transition(ctx, tok, id, t)
	return p, err
}

func (s *Server) transition(ctx context.Context, tok *data.Token, id string, t data.Transition) (*data.Pairing, sides, error) {
	if tok == nil {
		return nil, sides{}, data.Errorf(data.EUNAUTHORIZED, "变更对接状态需要先登录")
	}
	if t.To == "" {
		return nil, sides{}, &data.Error{Code: data.EINVALID, Message: "请用 to 说明要变为的状态", Fields: []data.FieldError{{Field: "to", Message: "必填"}}}
	}
	if st, err := data.ParsePairingStatus(string(t.To)); err == nil {
		t.To = st
	}
	p, sd, err := s.loadPairing(ctx, id)
	if err != nil {
		return nil, sd, err
	}
	pt := partyOf(tok, p, sd)
	now := s.clock()
	stored, err := s.Pairings.UpdatePairing(ctx, p.ID, func(q *data.Pairing) ([]data.AuditEntry, error) {
		from := q.Status
		if err := q.Apply(t, pt, now); err != nil {
			return nil, err
		}
		detail := fmt.Sprintf("%s → %s（%s → %s）", from, q.Status, from.Label(), q.Status.Label())
		if q.Contract != nil && q.Status == data.StatusSigned {
			detail += fmt.Sprintf("；合同 %s，%g 万元", q.Contract.Number, q.Contract.AmountWan)
		}
		if q.ClosedReason != "" && q.Status == data.StatusClosed {
			detail += "；原因：" + q.ClosedReason
		}
		return []data.AuditEntry{{Actor: pt.Actor, Action: data.AuditPairingTransfer, Detail: detail}}, nil
	})
	return stored, sd, err
}

// PairingAudit returns a pairing's audit trail (admins only, as GET
// /api/v1/audit).
func (s *Server) PairingAudit(ctx context.Context, tok *data.Token, id string) ([]data.AuditEntry, error) {
	if tok == nil || tok.Role != data.RoleAdmin {
		return nil, data.Errorf(data.EFORBIDDEN, "只有管理员可以查看审计记录")
	}
	return s.Audit.Audit(ctx, data.AuditQuery{Object: "pairings/" + id, Limit: 200})
}

// FunnelFor computes the funnel as GET /api/v1/stats/funnel does.
func (s *Server) FunnelFor(ctx context.Context, opt data.FunnelOptions) ([]data.FunnelRow, data.FunnelRow, error) {
	if err := s.expire(ctx); err != nil {
		return nil, data.FunnelRow{}, err
	}
	ps, err := s.Pairings.ListPairings(ctx, data.PairingFilter{})
	if err != nil {
		return nil, data.FunnelRow{}, err
	}
	if opt.BrokerName, err = s.brokerNames(ctx); err != nil {
		return nil, data.FunnelRow{}, err
	}
	rows, total := data.Funnel(ps, opt)
	return rows, total, nil
}

// ReportFor computes the yearly report as GET /api/v1/stats/report does.
func (s *Server) ReportFor(ctx context.Context, year int) (data.YearReport, error) {
	if err := s.expire(ctx); err != nil {
		return data.YearReport{}, err
	}
	ps, err := s.Pairings.ListPairings(ctx, data.PairingFilter{})
	if err != nil {
		return data.YearReport{}, err
	}
	var events []data.Event
	if s.Events != nil {
		if events, err = s.Events.ListEvents(ctx); err != nil {
			return data.YearReport{}, err
		}
	}
	return data.Report(year, ps, events), nil
}

// Year is the current year of the pipeline's clock.
func (s *Server) Year() int { return s.clock().Year() }

// BrokersFor lists the brokers, contact data only for admins and the
// broker's own token.
func (s *Server) BrokersFor(ctx context.Context, tok *data.Token) ([]data.Broker, error) {
	list, err := s.Brokers.ListBrokers(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]data.Broker, len(list))
	for i, b := range list {
		out[i] = brokerView(tok, b)
	}
	return out, nil
}

// BrokerStatsFor is a broker's performance (staff only, as GET
// /api/v1/brokers/:id/stats).
func (s *Server) BrokerStatsFor(ctx context.Context, id string) (data.BrokerStats, error) {
	if err := s.expire(ctx); err != nil {
		return data.BrokerStats{}, err
	}
	ps, err := s.Pairings.ListPairings(ctx, data.PairingFilter{BrokerID: id})
	if err != nil {
		return data.BrokerStats{}, err
	}
	return data.BrokerPerformance(id, ps), nil
}

// ChallengeListView is a challenge list with its labels and challenges.
type ChallengeListView = challengeListView

// ChallengeListsFor lists the challenge lists tok may see (drafts only
// for organisers and admins).
func (s *Server) ChallengeListsFor(ctx context.Context, tok *data.Token) ([]ChallengeListView, error) {
	lists, err := s.Challenges.ListChallengeLists(ctx)
	if err != nil {
		return nil, err
	}
	items := []challengeListView{}
	for _, l := range lists {
		if l.Status == data.ListDraft && !mayPlan(tok) {
			continue
		}
		items = append(items, listView(tok, l))
	}
	return items, nil
}

// ChallengeListFor reads a list with its challenges as tok may see it.
func (s *Server) ChallengeListFor(ctx context.Context, tok *data.Token, id string) (*ChallengeListView, error) {
	l, err := s.Challenges.ChallengeList(ctx, id)
	if err == nil && l.Status == data.ListDraft && !mayPlan(tok) {
		err = data.Errorf(data.ENOTFOUND, "榜单 %q 不存在", id)
	}
	if err != nil {
		return nil, err
	}
	chs, err := s.Challenges.Challenges(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	v := listView(tok, *l)
	for _, ch := range chs {
		if !mayPlan(tok) {
			ch.Owner = ""
		}
		v.Challenges = append(v.Challenges, ch)
	}
	return &v, nil
}

// Solvers suggests solver institutions or teams for a demand.
func (s *Server) Solvers(ctx context.Context, demandID, by string, limit int) ([]matcher.Solver, error) {
	if s.Matcher == nil {
		return nil, data.Errorf(data.EINTERNAL, "matcher is not configured")
	}
	res, err := s.Matcher.MatchDemand(ctx, demandID, matcher.Options{Limit: matcher.MaxLimit})
	if err != nil {
		return nil, err
	}
	return matcher.RankSolvers(res, by, limit)
}
