package server

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

const tokenKey = "techmatch.token"

// recovery turns a panic into a 500 with the error JSON; the stack goes to
// the log, never to the client.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log(c).Error("panic", "path", c.Request.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.fail(c, fmt.Errorf("panic: %v", v))
		}
	}()
	c.Next()
}

func (s *Server) requestLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log(c).Info("request",
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"status", c.Writer.Status(),
		"ms", float64(time.Since(start).Microseconds())/1000,
		"bytes", c.Writer.Size(),
	)
}

func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil && s.MaxBodyBytes > 0 {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.MaxBodyBytes)
	}
	c.Next()
}

// authenticate resolves a bearer token, if one is sent; a wrong token is an
// error even on reads, so that a client never silently loses its rights.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	if h == "" {
		c.Next()
		return
	}
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(secret) == "" {
		s.fail(c, data.Errorf(data.EUNAUTHORIZED, "Authorization 头格式应为 “Bearer <令牌>”"))
		return
	}
	tok, err := s.Store.TokenBySecret(c.Request.Context(), strings.TrimSpace(secret))
	if err != nil {
		// Failed attempts count against the address's anonymous rate, so
		// that guessing tokens is as slow as any anonymous request.
		if !s.allowAnon(c) {
			return
		}
		s.fail(c, err)
		return
	}
	c.Set(tokenKey, tok)
	c.Next()
}

// require lets the request through only with a token of one of the roles.
func (s *Server) require(roles ...data.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		tok := token(c)
		if tok == nil {
			s.fail(c, data.Errorf(data.EUNAUTHORIZED, "此操作需要登录：请在 Authorization 头中提供 Bearer 令牌"))
			return
		}
		for _, r := range roles {
			if tok.Role == r {
				c.Next()
				return
			}
		}
		s.fail(c, data.Errorf(data.EFORBIDDEN, "当前令牌（角色 %s）无权执行此操作", tok.Role))
	}
}

func token(c *gin.Context) *data.Token {
	if v, ok := c.Get(tokenKey); ok {
		return v.(*data.Token)
	}
	return nil
}
