package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
)

// Versioned matcher weights: GET /api/v1/matcher shows the active version
// (the embedded default when none is), when and from what it was fitted
// and its check figures, with every stored version; PUT (admin)
// {"version": …} activates a stored version or, with "default", goes back
// to the embedded weights. The store is data.WeightsStore (the bolt store
// is); the matcher takes the weights at once.

// weightsSetter is what a matcher needs to change weights while serving.
type weightsSetter interface {
	SetWeights(w matcher.Weights)
	ActiveWeights() matcher.Weights
}

func (s *Server) weightsRoutes(v1 *gin.RouterGroup) {
	v1.GET("/matcher", s.needWeights, s.handleGetWeights)
	v1.PUT("/matcher", s.needWeights, s.require(data.RoleAdmin), s.handlePutWeights)
}

func (s *Server) weightsStore() data.WeightsStore {
	ws, _ := s.Store.(data.WeightsStore)
	return ws
}

func (s *Server) needWeights(c *gin.Context) {
	if s.weightsStore() == nil {
		s.fail(c, data.Errorf(data.EUNAVAILABLE, "此服务未启用权重版本管理"))
		return
	}
	c.Next()
}

func (s *Server) handleGetWeights(c *gin.Context) {
	ctx := c.Request.Context()
	ws := s.weightsStore()
	active, err := ws.ActiveWeights(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	versions, err := ws.WeightsVersions(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := gin.H{"versions": versions}
	if active != nil {
		out["active"] = active
	} else {
		def := matcher.DefaultWeights()
		out["active"] = gin.H{"version": def.Version, "source": "内置默认权重", "default": true, "note": def.Note}
	}
	if m, ok := s.Matcher.(weightsSetter); ok {
		out["in_use"] = m.ActiveWeights().Version
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) handlePutWeights(c *gin.Context) {
	ctx := c.Request.Context()
	var body struct {
		Version string `json:"version"`
	}
	if err := decodeBody(c, "权重版本", &body); err != nil {
		s.fail(c, err)
		return
	}
	if body.Version == "" {
		s.fail(c, &data.Error{Code: data.EINVALID, Message: "请用 version 指明要启用的权重版本（default 为内置默认权重）",
			Fields: []data.FieldError{{Field: "version", Message: "必填"}}})
		return
	}
	ws := s.weightsStore()
	w := matcher.DefaultWeights()
	name := ""
	if body.Version != "default" {
		name = body.Version
		versions, err := ws.WeightsVersions(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		found := false
		for _, v := range versions {
			if v.Version == name {
				if w, err = matcher.ParseWeights(v.Weights); err != nil {
					s.fail(c, err)
					return
				}
				found = true
			}
		}
		if !found {
			s.fail(c, data.Errorf(data.ENOTFOUND, "没有权重版本 %s", name))
			return
		}
	}
	if err := ws.ActivateWeights(ctx, name, data.ActorOf(token(c))); err != nil {
		s.fail(c, err)
		return
	}
	if m, ok := s.Matcher.(weightsSetter); ok {
		m.SetWeights(w)
	}
	s.handleGetWeights(c)
}
