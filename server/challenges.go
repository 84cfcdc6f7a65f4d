package server

// 揭榜挂帅 challenge lists (榜单) and their challenges.

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

func (s *Server) challengeRoutes(v1 *gin.RouterGroup) {
	organiser := s.require(data.RoleOrganiser, data.RoleAdmin)
	g := v1.Group("/challenge-lists", s.needChallenges)
	g.GET("", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		items, err := s.ChallengeListsFor(ctx, token(c))
		return listReply(items), err
	}))
	g.POST("", organiser, serveEvent(s, "榜单", s.createChallengeList))
	g.GET("/:id", serveEvent(s, "", func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		v, err := s.ChallengeListFor(ctx, token(c), c.Param("id"))
		return ok(v), err
	}))
	g.POST("/:id/status", organiser, serveEvent(s, "榜单状态", s.challengeListStatus))
	g.POST("/:id/challenges", organiser, serveEvent(s, "揭榜项目", s.createChallenge))
	g.GET("/:id/list.xlsx", serveEvent(s, "", s.challengeListXLSX))
	g.GET("/:id/list.html", serveEvent(s, "", s.challengeListHTML))
	v1.GET("/challenges/:id/reviews.xlsx", s.needChallenges, s.needApplications, organiser, serveEvent(s, "", s.reviewSheetXLSX))
	v1.GET("/challenges/:id/solvers", s.needChallenges, serveEvent(s, "", s.solvers(true)))
	v1.GET("/demands/:id/solvers", serveEvent(s, "", s.solvers(false)))
}

// solvers suggests solver institutions or teams for a challenge's demand
// (or any demand) from their whole body of work.
func (s *Server) solvers(challenge bool) func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
	return func(ctx context.Context, c *gin.Context, _ *struct{}) (reply, error) {
		demandID := c.Param("id")
		if challenge {
			ch, err := s.Challenges.Challenge(ctx, demandID)
			if err != nil {
				return reply{}, err
			}
			demandID = ch.DemandID
		}
		by := c.DefaultQuery("by", matcher.SolversByInstitution)
		if by != matcher.SolversByInstitution && by != matcher.SolversByTeam {
			return reply{}, data.Errorf(data.EINVALID, "参数 by 应为 institution（按单位）或 team（按团队）")
		}
		limit := 20
		if v := c.Query("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxPageSize {
				return reply{}, data.Errorf(data.EINVALID, "参数 limit 应为 1 到 100 之间的整数")
			}
			limit = n
		}
		solvers, err := s.Solvers(ctx, demandID, by, limit)
		return ok(gin.H{"demand_id": demandID, "by": by, "solvers": solvers}), err
	}
}

func (s *Server) needChallenges(c *gin.Context) {
	if s.Challenges == nil {
		s.fail(c, errors.New("challenge store is not configured"))
		return
	}
	c.Next()
}

// mayPlan reports whether the token organises challenges (and so sees
// draft lists).
func mayPlan(tok *data.Token) bool {
	return tok != nil && (tok.Role == data.RoleOrganiser || tok.Role == data.RoleAdmin)
}

type challengeListView struct {
	data.ChallengeList
	KindLabel   string           `json:"kind_label"`
	StatusLabel string           `json:"status_label"`
	Challenges  []data.Challenge `json:"challenges,omitempty"`
}

func listView(tok *data.Token, l data.ChallengeList) challengeListView {
	if !mayPlan(tok) {
		l.Owner = ""
	}
	return challengeListView{ChallengeList: l, KindLabel: data.ListKindLabel(l.Kind), StatusLabel: l.Status.Label()}
}

func (s *Server) createChallengeList(ctx context.Context, c *gin.Context, l *data.ChallengeList) (reply, error) {
	if l.Status != "" && l.Status != data.ListDraft {
		return reply{}, data.Errorf(data.EINVALID, "新榜单总是草稿：发布请用 POST /api/v1/challenge-lists/:id/status")
	}
	tok := token(c)
	l.Owner = tok.ID
	if l.ID != "" {
		if _, err := s.Challenges.ChallengeList(ctx, l.ID); err == nil {
			return reply{}, data.Errorf(data.ECONFLICT, "榜单编号 %q 已被占用", l.ID)
		}
	}
	if _, err := s.Challenges.PutChallengeList(ctx, l, data.ActorOf(tok)); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: listView(tok, *l), location: "/api/v1/challenge-lists/" + l.ID}, nil
}

func (s *Server) challengeListStatus(ctx context.Context, c *gin.Context, req *struct {
	To data.ListStatus `json:"to"`
}) (reply, error) {
	tok := token(c)
	l, err := s.Challenges.UpdateChallengeList(ctx, c.Param("id"), data.ActorOf(tok), func(l *data.ChallengeList) error {
		return l.SetStatus(req.To)
	})
	if err != nil {
		return reply{}, err
	}
	return ok(listView(tok, *l)), nil
}

func (s *Server) createChallenge(ctx context.Context, c *gin.Context, ch *data.Challenge) (reply, error) {
	id := c.Param("id")
	if ch.ListID != "" && ch.ListID != id {
		return reply{}, data.Errorf(data.EINVALID, "请求体中的榜单编号 %q 与地址中的 %q 不一致", ch.ListID, id)
	}
	if err := s.AddChallengeFor(ctx, token(c), id, ch); err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated, body: ch, location: "/api/v1/challenge-lists/" + id}, nil
}
