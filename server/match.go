package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

// Matcher is what the server needs of the matcher.
type Matcher interface {
	MatchDemand(ctx context.Context, demandID string, opt matcher.Options) ([]matcher.Result, error)
	MatchAchievement(ctx context.Context, achievementID string, opt matcher.Options) ([]matcher.Result, error)
	MatchText(ctx context.Context, d data.Demand, opt matcher.Options) ([]matcher.Result, error)
	ScorePair(ctx context.Context, d *data.Demand, a *data.Achievement) (matcher.Result, error)
}

// matchOptions reads limit and the filters that apply to the matched
// catalogue (target).
func matchOptions(c *gin.Context, target data.Kind) (matcher.Options, error) {
	var opt matcher.Options
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > matcher.MaxLimit {
			return opt, &data.Error{Code: data.EINVALID, Message: "参数 limit 应为 1 到 200 之间的整数",
				Fields: []data.FieldError{{Field: "limit", Message: "应为 1 到 200 之间的整数"}}}
		}
		opt.Limit = n
	}
	q, _, err := searchParams(c, target)
	if err != nil {
		return opt, err
	}
	opt.Filter = q.Filter
	return opt, nil
}

func (s *Server) handleMatches(c *gin.Context, kind data.Kind) {
	if !s.waitMatcher(c) {
		return
	}
	target := data.KindAchievement
	if kind == data.KindAchievement {
		target = data.KindDemand
	}
	opt, err := matchOptions(c, target)
	if err != nil {
		s.fail(c, err)
		return
	}
	match := s.Matcher.MatchAchievement
	if kind == data.KindDemand {
		match = s.Matcher.MatchDemand
	}
	res, err := s.matchWithFeedback(c, kind, opt, match)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, matchList(res, kind == data.KindAchievement))
}

// matchList is the JSON of a match list: the matches and, when none is
// 高, a note saying so.
func matchList(res []matcher.Result, demands bool) gin.H {
	out := gin.H{"matches": nonNil(res)}
	if note := matcher.ListNote(res, demands); note != "" {
		out["note"] = note
	}
	return out
}

func nonNil(res []matcher.Result) []matcher.Result {
	if res == nil {
		return []matcher.Result{}
	}
	return res
}

// handlePair scores one given demand–achievement pair with its explanation.
func (s *Server) handlePair(c *gin.Context) {
	ctx := c.Request.Context()
	if !s.waitMatcher(c) {
		return
	}
	d, err := s.Store.Demand(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.Store.Achievement(ctx, c.Param("achievement_id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.Matcher.ScorePair(ctx, d, a)
	if err != nil {
		s.fail(c, err)
		return
	}
	pd := d.Public()
	res.Demand = &pd
	c.JSON(http.StatusOK, res)
}

// handleMatchText matches free text (an enterprise describing a need before
// registering): the body is a demand, of which only the title or the
// description is required.
func (s *Server) handleMatchText(c *gin.Context) {
	if !s.waitMatcher(c) {
		return
	}
	rec, err := decodeRecord(c, data.KindDemand)
	if err != nil {
		s.fail(c, err)
		return
	}
	d := rec.(*data.Demand)
	if d.Title == "" && d.Description != "" {
		d.Title = truncateRunes(d.Description, 60)
	}
	d.ID = ""
	d.Normalize()
	if err := d.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	opt, err := matchOptions(c, data.KindAchievement)
	if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.Matcher.MatchText(c.Request.Context(), *d, opt)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, matchList(res, false))
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// withMatches adds the demand's top matches to its JSON, so that an
// enterprise sees likely solvers at once. A matcher failure is logged and
// the demand is returned without them: it is stored either way.
func (s *Server) withMatches(ctx context.Context, rec any, d *data.Demand) any {
	if s.Matcher == nil || !s.matcherReady() {
		return rec
	}
	res, err := s.Matcher.MatchText(ctx, *d, matcher.Options{Limit: 10})
	if err != nil {
		s.logCtx(ctx).Error("matches for a new demand", "id", d.ID, "err", err)
		return rec
	}
	buf, err := json.Marshal(rec)
	if err != nil {
		return rec
	}
	var m map[string]any
	if err := json.Unmarshal(buf, &m); err != nil {
		return rec
	}
	for k, v := range matchList(res, false) {
		m[k] = v // matches, and the note when none is 高
	}
	return m
}
