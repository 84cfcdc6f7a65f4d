package server

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
	"golang.org/x/time/rate"
)

// RateLimits bound request rates (per second) with token buckets. A zero
// rate turns that limit off; admin tokens are never limited.
type RateLimits struct {
	// Anon limits requests without a token, per client address.
	Anon      float64
	AnonBurst int
	// Read and Write limit each token's reads (GET, HEAD) and writes.
	Read       float64
	ReadBurst  int
	Write      float64
	WriteBurst int
}

// DefaultRateLimits are the limits `serve` starts with.
func DefaultRateLimits() RateLimits {
	return RateLimits{Anon: 30, AnonBurst: 60, Read: 300, ReadBurst: 300, Write: 20, WriteBurst: 100}
}

// MaxQueryBytes bounds a request's query string.
const MaxQueryBytes = 4 << 10

// limiterIdle is how long an unused limiter is kept.
const limiterIdle = 10 * time.Minute

type limiterEntry struct {
	lim  *rate.Limiter
	used time.Time
}

// limiters holds one token bucket per client address or token; idle
// buckets are dropped on the way (no goroutine of its own).
type limiters struct {
	mu    sync.Mutex
	m     map[string]*limiterEntry
	swept time.Time
}

func (l *limiters) get(key string, r float64, burst int, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]*limiterEntry{}
	}
	if now.Sub(l.swept) > time.Minute {
		for k, e := range l.m {
			if now.Sub(e.used) > limiterIdle {
				delete(l.m, k)
			}
		}
		l.swept = now
	}
	e := l.m[key]
	if e == nil {
		e = &limiterEntry{lim: rate.NewLimiter(rate.Limit(r), max(burst, 1))}
		l.m[key] = e
	}
	e.used = now
	return e.lim
}

// exempt paths are probes and metrics: a platform polls them.
func exempt(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/metrics"
}

// rateLimit answers 429 with Retry-After when the caller is over its rate.
func (s *Server) rateLimit(c *gin.Context) {
	if exempt(c.Request.URL.Path) {
		c.Next()
		return
	}
	lim := s.Limits
	tok := token(c)
	var key string
	var r float64
	var burst int
	switch {
	case tok == nil:
		key, r, burst = "ip:"+c.ClientIP(), lim.Anon, lim.AnonBurst
	case tok.Role == data.RoleAdmin:
		c.Next()
		return
	case c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead:
		key, r, burst = "r:"+tok.ID, lim.Read, lim.ReadBurst
	default:
		key, r, burst = "w:"+tok.ID, lim.Write, lim.WriteBurst
	}
	if s.allow(c, key, r, burst, tok != nil) {
		c.Next()
	}
}

// allowAnon counts a request against the client address's anonymous rate.
func (s *Server) allowAnon(c *gin.Context) bool {
	return s.allow(c, "ip:"+c.ClientIP(), s.Limits.Anon, s.Limits.AnonBurst, false)
}

// allow takes one request from key's bucket, or answers 429 with
// Retry-After and returns false. A rate of 0 allows everything.
func (s *Server) allow(c *gin.Context, key string, r float64, burst int, byToken bool) bool {
	if r <= 0 {
		return true
	}
	now := time.Now()
	res := s.limiters.get(key, r, burst, now).ReserveN(now, 1)
	d := res.DelayFrom(now)
	if d <= 0 {
		return true
	}
	res.CancelAt(now)
	secs := max(1, int(math.Ceil(d.Seconds())))
	c.Header("Retry-After", strconv.Itoa(secs))
	who := "本地址"
	if byToken {
		who = "此令牌"
	}
	s.fail(c, data.Errorf(data.ERATELIMIT, "%s的请求过于频繁（每秒最多 %g 次），请 %d 秒后重试", who, r, secs))
	return false
}

// securityHeaders go on every response: the API serves JSON and files,
// never pages to frame or scripts to run.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Next()
}

// limitQuery refuses overlong query strings before anything parses them.
func (s *Server) limitQuery(c *gin.Context) {
	if len(c.Request.URL.RawQuery) > MaxQueryBytes {
		s.fail(c, data.Errorf(data.ETOOLARGE, "查询参数过长：最多 %d 字节", MaxQueryBytes))
		return
	}
	c.Next()
}
