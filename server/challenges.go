package server

// 揭榜挂帅 challenge lists (榜单) and their challenges.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

func (s *Server) challengeRoutes(v1 *gin.RouterGroup) {
	organiser := s.require(data.RoleOrganiser, data.RoleAdmin)
	g := v1.Group("/challenge-lists", s.needChallenges)
	g.GET("", s.handleListChallengeLists)
	g.POST("", organiser, s.handleCreateChallengeList)
	g.GET("/:id", s.handleGetChallengeList)
	g.POST("/:id/status", organiser, s.handleChallengeListStatus)
	g.POST("/:id/challenges", organiser, s.handleCreateChallenge)
	g.GET("/:id/list.xlsx", s.handleChallengeListXLSX)
	g.GET("/:id/list.html", s.handleChallengeListHTML)
	v1.GET("/challenges/:id/reviews.xlsx", s.needChallenges, s.needApplications, organiser, s.handleReviewSheetXLSX)
	v1.GET("/challenges/:id/solvers", s.needChallenges, s.handleSolvers(true))
	v1.GET("/demands/:id/solvers", s.handleSolvers(false))
}

// handleSolvers suggests solver institutions or teams for a challenge's
// demand (or any demand) from their whole body of work.
func (s *Server) handleSolvers(challenge bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if s.Matcher == nil {
			s.fail(c, data.Errorf(data.EINTERNAL, "matcher is not configured"))
			return
		}
		demandID := c.Param("id")
		if challenge {
			ch, err := s.Challenges.Challenge(ctx, demandID)
			if err != nil {
				s.fail(c, err)
				return
			}
			demandID = ch.DemandID
		}
		by := c.DefaultQuery("by", matcher.SolversByInstitution)
		if by != matcher.SolversByInstitution && by != matcher.SolversByTeam {
			s.fail(c, data.Errorf(data.EINVALID, "参数 by 应为 institution（按单位）或 team（按团队）"))
			return
		}
		limit := 20
		if v := c.Query("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxPageSize {
				s.fail(c, data.Errorf(data.EINVALID, "参数 limit 应为 1 到 100 之间的整数"))
				return
			}
			limit = n
		}
		res, err := s.Matcher.MatchDemand(ctx, demandID, matcher.Options{Limit: matcher.MaxLimit})
		if err != nil {
			s.fail(c, err)
			return
		}
		solvers, err := matcher.RankSolvers(res, by, limit)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"demand_id": demandID, "by": by, "solvers": solvers})
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

func (s *Server) handleListChallengeLists(c *gin.Context) {
	items, err := s.ChallengeListsFor(c.Request.Context(), token(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"total": len(items), "items": items})
}

func (s *Server) handleCreateChallengeList(c *gin.Context) {
	var l data.ChallengeList
	if err := decodeBody(c, "榜单", &l); err != nil {
		s.fail(c, err)
		return
	}
	if l.Status != "" && l.Status != data.ListDraft {
		s.fail(c, data.Errorf(data.EINVALID, "新榜单总是草稿：发布请用 POST /api/v1/challenge-lists/:id/status"))
		return
	}
	tok := token(c)
	l.Owner = tok.ID
	if l.ID != "" {
		if _, err := s.Challenges.ChallengeList(c.Request.Context(), l.ID); err == nil {
			s.fail(c, data.Errorf(data.ECONFLICT, "榜单编号 %q 已被占用", l.ID))
			return
		}
	}
	if _, err := s.Challenges.PutChallengeList(c.Request.Context(), &l, data.ActorOf(tok)); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/challenge-lists/"+l.ID)
	c.JSON(http.StatusCreated, listView(tok, l))
}

func (s *Server) handleGetChallengeList(c *gin.Context) {
	v, err := s.ChallengeListFor(c.Request.Context(), token(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) handleChallengeListStatus(c *gin.Context) {
	var req struct {
		To data.ListStatus `json:"to"`
	}
	if err := decodeBody(c, "榜单状态", &req); err != nil {
		s.fail(c, err)
		return
	}
	tok := token(c)
	l, err := s.Challenges.UpdateChallengeList(c.Request.Context(), c.Param("id"), data.ActorOf(tok), func(l *data.ChallengeList) error {
		return l.SetStatus(req.To)
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listView(tok, *l))
}

func (s *Server) handleCreateChallenge(c *gin.Context) {
	ctx := c.Request.Context()
	var ch data.Challenge
	if err := decodeBody(c, "揭榜项目", &ch); err != nil {
		s.fail(c, err)
		return
	}
	l, err := s.Challenges.ChallengeList(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if l.Status != data.ListDraft && l.Status != data.ListPublished {
		s.fail(c, data.Errorf(data.ECONFLICT, "榜单已“%s”，不能再添加揭榜项目", l.Status.Label()))
		return
	}
	if ch.ListID != "" && ch.ListID != l.ID {
		s.fail(c, data.Errorf(data.EINVALID, "请求体中的榜单编号 %q 与地址中的 %q 不一致", ch.ListID, l.ID))
		return
	}
	ch.ListID = l.ID
	d, err := s.Store.Demand(ctx, strings.TrimSpace(ch.DemandID))
	if err != nil {
		s.fail(c, err)
		return
	}
	if ch.Title == "" {
		ch.Title = d.Title
	}
	if ch.RewardWan == 0 {
		ch.RewardWan = d.RewardWan
	}
	tok := token(c)
	ch.Owner = tok.ID
	if err := s.Challenges.PutChallenge(ctx, &ch, data.ActorOf(tok)); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/challenge-lists/"+l.ID)
	c.JSON(http.StatusCreated, ch)
}
