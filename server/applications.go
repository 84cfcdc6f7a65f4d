package server

// 揭榜挂帅 applications (揭榜申请), awards and the 军令状's milestones.

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

func (s *Server) applicationRoutes(v1 *gin.RouterGroup) {
	organiser := s.require(data.RoleOrganiser, data.RoleAdmin)
	applicant := s.require(data.RoleScientist, data.RoleOrganiser, data.RoleAdmin)
	g := v1.Group("/challenges", s.needChallenges, s.needApplications)
	g.POST("/:id/applications", applicant, serveEvent(s, "揭榜申请", s.apply))
	g.GET("/:id/applications", applicant, serveEvent(s, "", s.applications))
	g.POST("/:id/award", organiser, serveEvent(s, "揭榜授予", s.award))
	g.GET("/:id/milestones", applicant, serveEvent(s, "", s.milestones))
	g.POST("/:id/milestones", organiser, serveEvent(s, "里程碑", s.markMilestone))
	v1.PUT("/applications/:id", s.needChallenges, s.needApplications, applicant, serveEvent(s, "", s.putApplication))
	v1.POST("/applications/:id/reviews", s.needChallenges, s.needApplications, organiser, serveEvent(s, "评审", s.review))
}

// applicationRow is an application as a list shows it: the panel's score
// (mean of the reviewers' weighted scores, 0–10) and, beside it, never
// mixed in, the matcher's fit of its best supporting achievement (0–1).
type applicationRow struct {
	data.Application
	Reviews    int      `json:"reviews"`
	PanelScore *float64 `json:"panel_score"`
	Fit        *float64 `json:"matcher_fit"`
}

func (s *Server) applicationRow(ctx context.Context, tok *data.Token, ch *data.Challenge, a data.Application) (applicationRow, error) {
	row := applicationRow{Application: applicationView(tok, a)}
	if s.Reviews != nil {
		rs, err := s.Reviews.Reviews(ctx, a.ID)
		if err != nil {
			return row, err
		}
		row.Reviews = len(rs)
		if v, ok := data.PanelScore(rs); ok {
			row.PanelScore = &v
		}
	}
	if s.Matcher != nil {
		d, err := s.Store.Demand(ctx, ch.DemandID)
		if err != nil {
			return row, nil // the demand was deleted: no fit to show
		}
		achs, err := s.Store.Achievements(ctx, a.AchievementIDs)
		if err != nil {
			return row, err
		}
		for _, x := range achs {
			if x == nil {
				continue
			}
			if r, err := s.Matcher.ScorePair(ctx, d, x); err == nil && (row.Fit == nil || r.Score > *row.Fit) {
				v := r.Score
				row.Fit = &v
			}
		}
	}
	return row, nil
}

func (s *Server) review(ctx context.Context, c *gin.Context, r *data.Review) (reply, error) {
	if s.Reviews == nil {
		return reply{}, data.Errorf(data.EINTERNAL, "review store is not configured")
	}
	tok := token(c)
	app, err := s.Applications.Application(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	r.ApplicationID, r.Reviewer = app.ID, tok.ID
	if err := s.Reviews.PutReview(ctx, r, data.ActorOf(tok)); err != nil {
		return reply{}, err
	}
	rs, err := s.Reviews.Reviews(ctx, app.ID)
	if err != nil {
		return reply{}, err
	}
	panel, _ := data.PanelScore(rs)
	return reply{status: http.StatusCreated, body: gin.H{"review": r, "weighted": r.Weighted(), "panel_score": panel, "reviews": len(rs)}}, nil
}

func (s *Server) needApplications(c *gin.Context) {
	if s.Applications == nil || s.Pairings == nil {
		s.fail(c, data.Errorf(data.EINTERNAL, "application store is not configured"))
		return
	}
	c.Next()
}

// applicationView shows the leader's contact to admins and the owner only.
func applicationView(tok *data.Token, a data.Application) data.Application {
	if tok != nil && (tok.Role == data.RoleAdmin || a.Owner == tok.ID) {
		return a
	}
	return a.Public()
}

// openList returns the challenge and its list when the list takes
// applications: published, and not past its closing day.
func (s *Server) openList(ctx context.Context, challengeID string) (*data.Challenge, error) {
	ch, err := s.Challenges.Challenge(ctx, challengeID)
	if err != nil {
		return nil, err
	}
	l, err := s.Challenges.ChallengeList(ctx, ch.ListID)
	if err != nil {
		return nil, err
	}
	today := s.clock().Format("2006-01-02")
	if l.Status != data.ListPublished || today > l.ClosesOn {
		return nil, data.Errorf(data.ECONFLICT, "榜单“%s”%s，不再接受或修改揭榜申请（截止日期 %s）", l.Title, l.Status.Label(), l.ClosesOn)
	}
	if today < l.OpensOn {
		return nil, data.Errorf(data.ECONFLICT, "榜单“%s”%s开榜，之前不接受申请", l.Title, l.OpensOn)
	}
	return ch, nil
}

// checkApplication binds a scientist's application to its institution
// and checks the supporting achievements exist.
func (s *Server) checkApplication(ctx context.Context, tok *data.Token, a *data.Application) error {
	if tok.Role == data.RoleScientist {
		switch strings.TrimSpace(a.Team.Institution) {
		case "":
			a.Team.Institution = tok.Institution
		case tok.Institution:
		default:
			return data.Errorf(data.EFORBIDDEN, "成果方账号只能为本单位（%s）申请揭榜", tok.Institution)
		}
	}
	achs, err := s.Store.Achievements(ctx, a.AchievementIDs)
	if err != nil {
		return err
	}
	for i, x := range achs {
		if x == nil {
			return data.Errorf(data.ENOTFOUND, "支撑成果 %q 不存在", a.AchievementIDs[i])
		}
	}
	return nil
}

func (s *Server) apply(ctx context.Context, c *gin.Context, a *data.Application) (reply, error) {
	tok := token(c)
	ch, err := s.openList(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	a.ID, a.ChallengeID, a.Owner, a.Awarded = "", ch.ID, tok.ID, false
	return s.saveApplication(ctx, tok, a, http.StatusCreated)
}

// saveApplication checks and stores an application and answers with it.
func (s *Server) saveApplication(ctx context.Context, tok *data.Token, a *data.Application, status int) (reply, error) {
	if err := s.checkApplication(ctx, tok, a); err != nil {
		return reply{}, err
	}
	if _, err := s.Applications.PutApplication(ctx, a, data.ActorOf(tok)); err != nil {
		return reply{}, err
	}
	return reply{status: status, body: applicationView(tok, *a), location: "/api/v1/applications/" + a.ID}, nil
}

// putApplication edits an application: its owner's (or an admin's), while
// the list is open. The owner is checked before the body is read.
func (s *Server) putApplication(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	tok := token(c)
	old, err := s.Applications.Application(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	if tok.Role != data.RoleAdmin && old.Owner != tok.ID {
		return reply{}, data.Errorf(data.EFORBIDDEN, "只能修改自己提交的揭榜申请")
	}
	var a data.Application
	if err := decodeBody(c, "揭榜申请", &a); err != nil {
		return reply{}, err
	}
	if _, err := s.openList(ctx, old.ChallengeID); err != nil {
		return reply{}, err
	}
	a.ID, a.ChallengeID, a.Owner = old.ID, old.ChallengeID, old.Owner
	return s.saveApplication(ctx, tok, &a, http.StatusOK)
}

func (s *Server) applications(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	tok := token(c)
	ch, err := s.Challenges.Challenge(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	apps, err := s.Applications.Applications(ctx, ch.ID)
	if err != nil {
		return reply{}, err
	}
	items := []applicationRow{}
	for _, a := range apps {
		if !mayPlan(tok) && a.Owner != tok.ID {
			continue
		}
		row, err := s.applicationRow(ctx, tok, ch, a)
		if err != nil {
			return reply{}, err
		}
		items = append(items, row)
	}
	return listReply(items), nil
}

// award makes an application a winner of its challenge (the store checks
// that the list is closed and the list's awards per challenge).
func (s *Server) award(ctx context.Context, c *gin.Context, req *struct {
	ApplicationID string `json:"application_id"`
}) (reply, error) {
	tok := token(c)
	ch, err := s.Challenges.Challenge(ctx, c.Param("id"))
	if err != nil {
		return reply{}, err
	}
	app, err := s.Applications.Application(ctx, req.ApplicationID)
	if err != nil {
		return reply{}, err
	}
	if app.ChallengeID != ch.ID {
		return reply{}, data.Errorf(data.EINVALID, "申请 %s 不是这个揭榜项目的申请", app.ID)
	}
	p, err := s.newPairing(ctx, tok, data.NewPairingRequest{DemandID: ch.DemandID, AchievementID: app.AchievementIDs[0], Source: data.SourceChallenge})
	if err != nil {
		return reply{}, err
	}
	pledge, err := s.Applications.Award(ctx, app.ID, p, data.ActorOf(tok))
	if err != nil {
		return reply{}, err
	}
	return ok(gin.H{"pairing_id": pledge.PairingID, "challenge_id": ch.ID, "application_id": app.ID, "pledge": s.pledgeView(pledge)}), nil
}

type milestoneView struct {
	Index int `json:"index"`
	data.Milestone
	Overdue bool `json:"overdue"`
}

func (s *Server) pledgeView(p *data.Pledge) gin.H {
	today := s.clock().Format("2006-01-02")
	ms := []milestoneView{}
	overdue := 0
	for i, m := range p.Milestones {
		o := m.Overdue(today)
		if o {
			overdue++
		}
		ms = append(ms, milestoneView{i, m, o})
	}
	return gin.H{"challenge_id": p.ChallengeID, "application_id": p.ApplicationID, "pairing_id": p.PairingID,
		"milestones": ms, "overdue": overdue, "created": p.Created}
}

// pledgeFor picks the pledge of a challenge that tok asks for: the one of
// applicationID, else the only one; a team sees only its own.
func (s *Server) pledgeFor(ctx context.Context, tok *data.Token, challengeID, applicationID string) (*data.Pledge, error) {
	all, err := s.Applications.Pledges(ctx, challengeID)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, data.Errorf(data.ENOTFOUND, "揭榜项目 %q 还没有军令状：请先揭榜授予", challengeID)
	}
	var ps []data.Pledge
	for _, p := range all {
		if applicationID != "" && p.ApplicationID != applicationID {
			continue
		}
		if !mayPlan(tok) {
			app, err := s.Applications.Application(ctx, p.ApplicationID)
			if err != nil || app.Owner != tok.ID {
				continue
			}
		}
		ps = append(ps, p)
	}
	switch {
	case len(ps) == 1:
		return &ps[0], nil
	case len(ps) > 1:
		ids := make([]string, len(ps))
		for i, p := range ps {
			ids[i] = p.ApplicationID
		}
		return nil, data.Errorf(data.EINVALID, "揭榜项目 %s 授予了 %d 个团队：请用 application_id 指明哪一份军令状（%s）", challengeID, len(ps), strings.Join(ids, "、"))
	case !mayPlan(tok):
		return nil, data.Errorf(data.EFORBIDDEN, "只有组织者、管理员和揭榜团队可以查看军令状")
	}
	return nil, data.Errorf(data.ENOTFOUND, "揭榜项目 %q 没有授予申请 %q 的军令状", challengeID, applicationID)
}

func (s *Server) milestones(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	p, err := s.pledgeFor(ctx, token(c), c.Param("id"), c.Query("application_id"))
	if err != nil {
		return reply{}, err
	}
	return ok(s.pledgeView(p)), nil
}

func (s *Server) markMilestone(ctx context.Context, c *gin.Context, req *struct {
	ApplicationID string `json:"application_id"`
	Index         int    `json:"index"`
	Status        string `json:"status"`
	On            string `json:"on"`
	Note          string `json:"note"`
}) (reply, error) {
	if !contains(data.MilestoneStatuses, req.Status) {
		return reply{}, data.Errorf(data.EINVALID, "里程碑状态应为 %s", strings.Join(data.MilestoneStatuses, "、"))
	}
	if _, err := data.ParseDate(req.On); err != nil || len(req.On) != len("2006-01-02") {
		return reply{}, data.Errorf(data.EINVALID, "日期“%s”应写成 2026-03-01 的格式", req.On)
	}
	tok := token(c)
	cur, err := s.pledgeFor(ctx, tok, c.Param("id"), req.ApplicationID)
	if err != nil {
		return reply{}, err
	}
	p, err := s.Applications.UpdatePledge(ctx, cur.ChallengeID, cur.ApplicationID, data.ActorOf(tok), func(p *data.Pledge) error {
		if req.Index < 0 || req.Index >= len(p.Milestones) {
			return data.Errorf(data.EINVALID, "里程碑序号应在 0 到 %d 之间", len(p.Milestones)-1)
		}
		m := &p.Milestones[req.Index]
		m.Status, m.On, m.Note = req.Status, req.On, strings.TrimSpace(req.Note)
		return nil
	})
	if err != nil {
		return reply{}, err
	}
	return ok(s.pledgeView(p)), nil
}
