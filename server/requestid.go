package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"

	"github.com/gin-gonic/gin"
)

const requestIDKey = "techmatch.request_id"

type ctxKey struct{}

// RequestID returns the id of the request ctx belongs to ("" outside one).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// validRequestID accepts a caller's id when it is short and plain.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// requestID takes the caller's X-Request-Id or makes one, answers with it
// and puts it in the request's context for every log line.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !validRequestID(id) {
		var b [8]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(requestIDKey, id)
	c.Header("X-Request-Id", id)
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), ctxKey{}, id))
	c.Next()
}

// log is the server's logger with the request's id.
func (s *Server) log(c *gin.Context) *slog.Logger {
	return s.Logger.With("request_id", c.GetString(requestIDKey))
}

// logCtx is the server's logger with the id of the request ctx belongs to.
func (s *Server) logCtx(ctx context.Context) *slog.Logger {
	if id := RequestID(ctx); id != "" {
		return s.Logger.With("request_id", id)
	}
	return s.Logger
}
