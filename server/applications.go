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
	g.POST("/:id/applications", applicant, s.handleApply)
	g.GET("/:id/applications", applicant, s.handleApplications)
	g.POST("/:id/award", organiser, s.handleAward)
	g.GET("/:id/milestones", applicant, s.handleMilestones)
	g.POST("/:id/milestones", organiser, s.handleMarkMilestone)
	v1.PUT("/applications/:id", s.needChallenges, s.needApplications, applicant, s.handlePutApplication)
	v1.POST("/applications/:id/reviews", s.needChallenges, s.needApplications, organiser, s.handleReview)
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

func (s *Server) handleReview(c *gin.Context) {
	ctx := c.Request.Context()
	if s.Reviews == nil {
		s.fail(c, data.Errorf(data.EINTERNAL, "review store is not configured"))
		return
	}
	tok := token(c)
	var r data.Review
	if err := decodeBody(c, "评审", &r); err != nil {
		s.fail(c, err)
		return
	}
	app, err := s.Applications.Application(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	r.ApplicationID, r.Reviewer = app.ID, tok.ID
	if err := s.Reviews.PutReview(ctx, &r, data.ActorOf(tok)); err != nil {
		s.fail(c, err)
		return
	}
	rs, err := s.Reviews.Reviews(ctx, app.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	panel, _ := data.PanelScore(rs)
	c.JSON(http.StatusCreated, gin.H{"review": r, "weighted": r.Weighted(), "panel_score": panel, "reviews": len(rs)})
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

func (s *Server) handleApply(c *gin.Context) {
	ctx := c.Request.Context()
	tok := token(c)
	var a data.Application
	if err := decodeBody(c, "揭榜申请", &a); err != nil {
		s.fail(c, err)
		return
	}
	ch, err := s.openList(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	a.ID, a.ChallengeID, a.Owner, a.Awarded = "", ch.ID, tok.ID, false
	if err := s.checkApplication(ctx, tok, &a); err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.Applications.PutApplication(ctx, &a, data.ActorOf(tok)); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/applications/"+a.ID)
	c.JSON(http.StatusCreated, applicationView(tok, a))
}

func (s *Server) handlePutApplication(c *gin.Context) {
	ctx := c.Request.Context()
	tok := token(c)
	old, err := s.Applications.Application(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if tok.Role != data.RoleAdmin && old.Owner != tok.ID {
		s.fail(c, data.Errorf(data.EFORBIDDEN, "只能修改自己提交的揭榜申请"))
		return
	}
	var a data.Application
	if err := decodeBody(c, "揭榜申请", &a); err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.openList(ctx, old.ChallengeID); err != nil {
		s.fail(c, err)
		return
	}
	a.ID, a.ChallengeID, a.Owner = old.ID, old.ChallengeID, old.Owner
	if err := s.checkApplication(ctx, tok, &a); err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.Applications.PutApplication(ctx, &a, data.ActorOf(tok)); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, applicationView(tok, a))
}

func (s *Server) handleApplications(c *gin.Context) {
	ctx := c.Request.Context()
	tok := token(c)
	ch, err := s.Challenges.Challenge(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	apps, err := s.Applications.Applications(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	items := []applicationRow{}
	for _, a := range apps {
		if !mayPlan(tok) && a.Owner != tok.ID {
			continue
		}
		row, err := s.applicationRow(ctx, tok, ch, a)
		if err != nil {
			s.fail(c, err)
			return
		}
		items = append(items, row)
	}
	c.JSON(http.StatusOK, gin.H{"total": len(items), "items": items})
}

func (s *Server) handleAward(c *gin.Context) {
	ctx := c.Request.Context()
	tok := token(c)
	var req struct {
		ApplicationID string `json:"application_id"`
	}
	if err := decodeBody(c, "揭榜授予", &req); err != nil {
		s.fail(c, err)
		return
	}
	ch, err := s.Challenges.Challenge(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	l, err := s.Challenges.ChallengeList(ctx, ch.ListID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if l.Status != data.ListClosed {
		s.fail(c, data.Errorf(data.ECONFLICT, "榜单“%s”%s：只有已截止的榜单可以揭榜授予", l.Title, l.Status.Label()))
		return
	}
	app, err := s.Applications.Application(ctx, req.ApplicationID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if app.ChallengeID != ch.ID {
		s.fail(c, data.Errorf(data.EINVALID, "申请 %s 不是这个揭榜项目的申请", app.ID))
		return
	}
	p, err := s.newPairing(ctx, tok, data.NewPairingRequest{DemandID: ch.DemandID, AchievementID: app.AchievementIDs[0], Source: data.SourceChallenge})
	if err != nil {
		s.fail(c, err)
		return
	}
	pledge, err := s.Applications.Award(ctx, app.ID, p, data.ActorOf(tok))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"pairing_id": pledge.PairingID, "challenge_id": ch.ID, "application_id": app.ID, "pledge": s.pledgeView(pledge)})
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

func (s *Server) handleMilestones(c *gin.Context) {
	ctx := c.Request.Context()
	tok := token(c)
	p, err := s.Applications.Pledge(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !mayPlan(tok) {
		app, err := s.Applications.Application(ctx, p.ApplicationID)
		if err != nil || app.Owner != tok.ID {
			s.fail(c, data.Errorf(data.EFORBIDDEN, "只有组织者、管理员和揭榜团队可以查看军令状"))
			return
		}
	}
	c.JSON(http.StatusOK, s.pledgeView(p))
}

func (s *Server) handleMarkMilestone(c *gin.Context) {
	var req struct {
		Index  int    `json:"index"`
		Status string `json:"status"`
		On     string `json:"on"`
		Note   string `json:"note"`
	}
	if err := decodeBody(c, "里程碑", &req); err != nil {
		s.fail(c, err)
		return
	}
	if !contains(data.MilestoneStatuses, req.Status) {
		s.fail(c, data.Errorf(data.EINVALID, "里程碑状态应为 %s", strings.Join(data.MilestoneStatuses, "、")))
		return
	}
	if _, err := data.ParseDate(req.On); err != nil || len(req.On) != len("2006-01-02") {
		s.fail(c, data.Errorf(data.EINVALID, "日期“%s”应写成 2026-03-01 的格式", req.On))
		return
	}
	p, err := s.Applications.UpdatePledge(c.Request.Context(), c.Param("id"), data.ActorOf(token(c)), func(p *data.Pledge) error {
		if req.Index < 0 || req.Index >= len(p.Milestones) {
			return data.Errorf(data.EINVALID, "里程碑序号应在 0 到 %d 之间", len(p.Milestones)-1)
		}
		m := &p.Milestones[req.Index]
		m.Status, m.On, m.Note = req.Status, req.On, strings.TrimSpace(req.Note)
		return nil
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.pledgeView(p))
}
