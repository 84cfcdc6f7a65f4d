package server

import (
	"context"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

// Feedback on candidates: a broker, an admin or the record's owner marks a
// candidate of a demand (or a demand of an achievement) as relevant or not,
// and the next match list of that record is re-ranked by it at once
// (matcher.ApplyFeedback). Pairing outcomes count too: accepted or signed
// is relevant, closed as 方向不符 is not. Verdicts live in the store when it
// is a data.FeedbackStore (the bolt store is).

func (s *Server) feedbackRoutes(v1 *gin.RouterGroup) {
	s.weightsRoutes(v1)
	for _, k := range []data.Kind{data.KindAchievement, data.KindDemand} {
		kind := k
		g := v1.Group("/"+string(kind)+"/:id/feedback", s.needFeedback, s.require(data.Roles...))
		g.GET("", func(c *gin.Context) { s.handleListFeedback(c, kind) })
		g.POST("", func(c *gin.Context) { s.handlePostFeedback(c, kind) })
	}
}

func (s *Server) feedbackStore() data.FeedbackStore {
	fs, _ := s.Store.(data.FeedbackStore)
	return fs
}

func (s *Server) needFeedback(c *gin.Context) {
	if s.feedbackStore() == nil {
		s.fail(c, data.Errorf(data.EUNAVAILABLE, "此服务未启用匹配反馈"))
		return
	}
	c.Next()
}

// mayJudge loads the record and reports whether the token may give and
// read its verdicts: brokers and admins always, others when they own it.
func (s *Server) mayJudge(ctx context.Context, tok *data.Token, kind data.Kind, id string) (owner string, err error) {
	if kind == data.KindDemand {
		d, err := s.Store.Demand(ctx, id)
		if err != nil {
			return "", err
		}
		owner = d.Owner
	} else {
		a, err := s.Store.Achievement(ctx, id)
		if err != nil {
			return "", err
		}
		owner = a.Owner
	}
	if MayJudge(tok, owner) {
		return owner, nil
	}
	return owner, data.Errorf(data.EFORBIDDEN, "只有技术经纪人、管理员或该%s的发布者可以评判其匹配结果", kind.Label())
}

type feedbackBody struct {
	AchievementID string `json:"achievement_id"`
	DemandID      string `json:"demand_id"`
	Verdict       string `json:"verdict"`
	Note          string `json:"note"`
}

func (s *Server) handlePostFeedback(c *gin.Context, kind data.Kind) {
	ctx := c.Request.Context()
	tok := token(c)
	id := c.Param("id")
	if _, err := s.mayJudge(ctx, tok, kind, id); err != nil {
		s.fail(c, err)
		return
	}
	var body feedbackBody
	if err := decodeBody(c, "反馈", &body); err != nil {
		s.fail(c, err)
		return
	}
	fb := data.Feedback{Verdict: data.Verdict(body.Verdict), Note: body.Note, By: data.ActorOf(tok)}
	if kind == data.KindDemand {
		fb.DemandID, fb.AchievementID, fb.Side = id, body.AchievementID, data.SideDemand
		if body.AchievementID == "" {
			s.fail(c, &data.Error{Code: data.EINVALID, Message: "请用 achievement_id 指明评判的成果",
				Fields: []data.FieldError{{Field: "achievement_id", Message: "必填"}}})
			return
		}
		if _, err := s.Store.Achievement(ctx, body.AchievementID); err != nil {
			s.fail(c, err)
			return
		}
	} else {
		fb.DemandID, fb.AchievementID, fb.Side = body.DemandID, id, data.SideAchievement
		if body.DemandID == "" {
			s.fail(c, &data.Error{Code: data.EINVALID, Message: "请用 demand_id 指明评判的需求",
				Fields: []data.FieldError{{Field: "demand_id", Message: "必填"}}})
			return
		}
		if _, err := s.Store.Demand(ctx, body.DemandID); err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := s.feedbackStore().PutFeedback(ctx, &fb); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, fb)
}

func (s *Server) handleListFeedback(c *gin.Context, kind data.Kind) {
	ctx := c.Request.Context()
	id := c.Param("id")
	if _, err := s.mayJudge(ctx, token(c), kind, id); err != nil {
		s.fail(c, err)
		return
	}
	fbs, ps, err := s.verdictSources(ctx, kind, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	outcomes := []data.Feedback{}
	for _, p := range ps {
		if v, ok := data.PairingVerdict(&p); ok {
			outcomes = append(outcomes, data.Feedback{DemandID: p.DemandID, AchievementID: p.AchievementID,
				Verdict: v, Source: "pairing", At: p.Updated, Note: "对接 " + p.ID + "：" + p.Status.Label()})
		}
	}
	c.JSON(http.StatusOK, gin.H{"feedback": fbs, "outcomes": outcomes})
}

// verdictSources returns the stored verdicts and the pairings of a record.
func (s *Server) verdictSources(ctx context.Context, kind data.Kind, id string) ([]data.Feedback, []data.Pairing, error) {
	var ff data.FeedbackFilter
	var pf data.PairingFilter
	if kind == data.KindDemand {
		ff.DemandID, pf.DemandID = id, id
	} else {
		ff.AchievementID, pf.AchievementID = id, id
	}
	var fbs []data.Feedback
	if fs := s.feedbackStore(); fs != nil {
		var err error
		if fbs, err = fs.ListFeedback(ctx, ff); err != nil {
			return nil, nil, err
		}
	}
	var ps []data.Pairing
	if s.Pairings != nil {
		var err error
		if ps, err = s.Pairings.ListPairings(ctx, pf); err != nil {
			return nil, nil, err
		}
	}
	return fbs, ps, nil
}

// judged returns the query text of a record and the records judged for it,
// with their texts (records deleted since are left out).
func (s *Server) judged(ctx context.Context, kind data.Kind, id string) (matcher.Doc, []matcher.Judged, error) {
	var q matcher.Doc
	fbs, ps, err := s.verdictSources(ctx, kind, id)
	if err != nil || (len(fbs) == 0 && len(ps) == 0) {
		return q, nil, err
	}
	side := data.SideDemand
	if kind == data.KindAchievement {
		side = data.SideAchievement
	}
	verdicts := data.Verdicts(fbs, ps, side)
	if len(verdicts) == 0 {
		return q, nil, nil
	}
	ids := make([]string, 0, len(verdicts))
	for other := range verdicts {
		ids = append(ids, other)
	}
	slices.Sort(ids)
	var out []matcher.Judged
	if kind == data.KindDemand {
		d, err := s.Store.Demand(ctx, id)
		if err != nil {
			return q, nil, err
		}
		q = matcher.Doc{ID: d.ID, Title: d.Title, Keywords: d.Keywords, Body: d.Description}
		achs, err := s.Store.Achievements(ctx, ids)
		if err != nil {
			return q, nil, err
		}
		for _, a := range achs {
			if a != nil {
				out = append(out, matcher.Judged{Doc: matcher.Doc{ID: a.ID, Title: a.Title, Keywords: a.Keywords, Body: a.Abstract},
					Relevant: verdicts[a.ID] == data.VerdictRelevant})
			}
		}
	} else {
		a, err := s.Store.Achievement(ctx, id)
		if err != nil {
			return q, nil, err
		}
		q = matcher.Doc{ID: a.ID, Title: a.Title, Keywords: a.Keywords, Body: a.Abstract}
		dems, err := s.Store.Demands(ctx, ids)
		if err != nil {
			return q, nil, err
		}
		for _, d := range dems {
			if d != nil {
				out = append(out, matcher.Judged{Doc: matcher.Doc{ID: d.ID, Title: d.Title, Keywords: d.Keywords, Body: d.Description},
					Relevant: verdicts[d.ID] == data.VerdictRelevant})
			}
		}
	}
	return q, out, nil
}

// judgedMode reads judged=mark|exclude (mark by default): whether judged
// candidates stay in the list with their verdict or are left out.
func judgedMode(c *gin.Context) (exclude bool, err error) {
	switch v := c.Query("judged"); v {
	case "", "mark":
		return false, nil
	case "exclude":
		return true, nil
	}
	return false, &data.Error{Code: data.EINVALID, Message: "参数 judged 应为 mark（标出已评判的）或 exclude（略去已评判的）",
		Fields: []data.FieldError{{Field: "judged", Message: "应为 mark 或 exclude"}}}
}

// matchWithFeedback runs a match and re-ranks it by the record's verdicts:
// with verdicts the matcher returns its longest list, which the feedback
// re-orders before it is cut to the limit asked for.
func (s *Server) matchWithFeedback(c *gin.Context, kind data.Kind, opt matcher.Options,
	match func(ctx context.Context, id string, opt matcher.Options) ([]matcher.Result, error)) ([]matcher.Result, error) {
	ctx := c.Request.Context()
	id := c.Param("id")
	exclude, err := judgedMode(c)
	if err != nil {
		return nil, err
	}
	return s.rerank(ctx, kind, id, opt, exclude, false, match)
}
