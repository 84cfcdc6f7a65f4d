// Package server is techmatch's JSON API on Gin. It is the only package that
// imports gin; everything it serves comes through the interfaces in data/.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// DefaultMaxBodyBytes limits request bodies (a demand with a long description
// is a few tens of kilobytes).
const DefaultMaxBodyBytes = 1 << 20

// Index is what the server needs of the full-text indexes: search, and
// catching up with the store after writes.
type Index interface {
	data.Searcher
	Sync(ctx context.Context) (int, error)
	Seq() uint64
}

// Server serves the API. Set the fields, then call Open.
type Server struct {
	Store   data.Store
	Index   Index           // nil: search is unavailable, listing still works
	Matcher Matcher         // nil: matching is unavailable
	Events  data.EventStore // nil: events are unavailable
	// Brokers, Pairings and Audit keep the pairing pipeline (nil: its
	// routes are unavailable); Clock is its clock (nil: time.Now).
	Brokers  data.BrokerStore
	Pairings data.PairingStore
	Audit    data.AuditLog
	Clock    func() time.Time
	// Challenges keeps 揭榜挂帅 lists (nil: their routes are unavailable).
	Challenges data.ChallengeStore
	// Applications keeps 揭榜申请 and awards (nil: their routes are unavailable).
	Applications data.ApplicationStore
	Reviews      data.ReviewStore
	Logger       *slog.Logger
	MaxBodyBytes int64
	Version      string
	// Web, when set, serves every path the API does not (the workbench).
	Web http.Handler
	// MatchWait bounds how long a match waits for the matcher model while
	// it builds (DefaultMatchWait when zero).
	MatchWait time.Duration
	// Limits are the request rate limits; the zero value limits nothing
	// (serve starts with DefaultRateLimits).
	Limits RateLimits

	health   health
	limiters limiters
	metrics  *metrics

	ln     net.Listener
	srv    *http.Server
	router *gin.Engine
}

func init() { gin.SetMode(gin.ReleaseMode) }

// NewServer returns a server with defaults; set Store before use.
func NewServer() *Server {
	return &Server{Logger: slog.Default(), MaxBodyBytes: DefaultMaxBodyBytes}
}

// Handler builds the router once and returns it.
func (s *Server) Handler() http.Handler {
	if s.router == nil {
		s.router = s.routes()
	}
	return s.router
}

// Open listens on addr and serves in the background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Logger.Error("serve", "err", err)
		}
	}()
	return nil
}

// Addr is the address the server listens on (useful with ":0").
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops accepting requests and waits for those in flight until ctx ends.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Shutdown(ctx)
}

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(s.middleware()...)
	r.NoRoute(func(c *gin.Context) {
		if s.Web != nil && !strings.HasPrefix(c.Request.URL.Path, "/api/") {
			c.Status(http.StatusOK) // gin presets 404 here; the workbench sets its own
			s.Web.ServeHTTP(c.Writer, c.Request)
			return
		}
		s.fail(c, data.Errorf(data.ENOTFOUND, "没有这个接口：%s %s", c.Request.Method, c.Request.URL.Path))
	})
	r.NoMethod(func(c *gin.Context) {
		s.fail(c, data.Errorf(EMETHOD, "接口 %s 不支持 %s 方法", c.Request.URL.Path, c.Request.Method))
	})

	s.opsRoutes(r)
	s.openapiRoutes(r)
	v1 := r.Group("/api/v1")
	for _, k := range []data.Kind{data.KindAchievement, data.KindDemand} {
		kind := k
		g := v1.Group("/" + string(kind))
		g.GET("", func(c *gin.Context) { s.handleList(c, kind) })
		g.POST("", s.require(data.RoleAdmin, data.RoleBroker, data.RoleEnterprise, data.RoleScientist), func(c *gin.Context) { s.handleCreate(c, kind) })
		g.GET("/:id", func(c *gin.Context) { s.handleGet(c, kind) })
		g.PUT("/:id", s.require(data.RoleAdmin, data.RoleBroker, data.RoleEnterprise, data.RoleScientist), func(c *gin.Context) { s.handlePut(c, kind) })
		g.DELETE("/:id", s.require(data.RoleAdmin, data.RoleBroker, data.RoleEnterprise, data.RoleScientist), func(c *gin.Context) { s.handleDelete(c, kind) })
		g.GET("/:id/matches", func(c *gin.Context) { s.handleMatches(c, kind) })
	}
	v1.GET("/demands/:id/matches/:achievement_id", s.handlePair)
	v1.POST("/match", s.handleMatchText)
	s.eventRoutes(v1)
	s.pairingRoutes(v1)
	s.challengeRoutes(v1)
	s.applicationRoutes(v1)
	s.feedbackRoutes(v1)
	return r
}
