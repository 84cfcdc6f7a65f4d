package server

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// DefaultMatchWait is how long a match request waits for the matcher model
// while it is being built before answering 503 with Retry-After.
const DefaultMatchWait = 2 * time.Second

// warmer is what a matcher tells about its model (matcher.Matcher has it).
type warmer interface {
	Ready() bool
}

// modelAger tells when the model was built (for /metrics).
type modelAger interface {
	ModelBuilt() time.Time
}

// health is what the server knows about start-up.
type health struct {
	degraded atomic.Pointer[string] // why, once a start-up step failed
	caughtUp atomic.Bool            // the index was seen without lag
}

// Degraded marks the service degraded with a reason (for instance the
// index catch-up or the model build failed); /healthz shows it.
func (s *Server) Degraded(reason string) { s.health.degraded.Store(&reason) }

func (s *Server) matcherReady() bool {
	if s.Matcher == nil {
		return false
	}
	if w, ok := s.Matcher.(warmer); ok {
		return w.Ready()
	}
	return true
}

// indexLag is how many store changes the index has still to apply (0
// without an index).
func (s *Server) indexLag(ctx context.Context) (lag uint64, counts data.Counts, err error) {
	counts, err = s.Store.Counts(ctx)
	if err != nil || s.Index == nil {
		return 0, counts, err
	}
	seq := s.Index.Seq()
	lag = counts.Seq - min(seq, counts.Seq)
	if lag == 0 {
		s.health.caughtUp.Store(true)
	}
	return lag, counts, nil
}

// status is starting until the index has caught up once and the matcher
// model is loaded, degraded when a start-up step failed, ready otherwise.
func (s *Server) status(lag uint64) string {
	if s.health.degraded.Load() != nil {
		return "degraded"
	}
	if (s.Index != nil && !s.health.caughtUp.Load() && lag > 0) || (s.Matcher != nil && !s.matcherReady()) {
		return "starting"
	}
	return "ready"
}

func (s *Server) healthBody(c *gin.Context) (gin.H, string, bool) {
	lag, counts, err := s.indexLag(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return nil, "", false
	}
	st := s.status(lag)
	resp := gin.H{
		"status":       st,
		"achievements": counts.Achievements,
		"demands":      counts.Demands,
		"seq":          counts.Seq,
		"version":      s.Version,
	}
	if s.Index != nil {
		resp["index_seq"] = s.Index.Seq()
		resp["index_lag"] = lag
	} else {
		resp["index_lag"] = nil
	}
	switch {
	case s.Matcher == nil:
		resp["matcher"] = "none"
	case s.matcherReady():
		resp["matcher"] = "ready"
	default:
		resp["matcher"] = "building"
	}
	if r := s.health.degraded.Load(); r != nil {
		resp["reason"] = *r
	}
	return resp, st, true
}

// handleHealth is the liveness probe: 200 while the process answers, with
// the start-up state in the body.
func (s *Server) handleHealth(c *gin.Context) {
	if resp, _, ok := s.healthBody(c); ok {
		c.JSON(http.StatusOK, resp)
	}
}

// handleReady is the readiness probe: 503 until ready.
func (s *Server) handleReady(c *gin.Context) {
	resp, st, ok := s.healthBody(c)
	if !ok {
		return
	}
	if st != "ready" {
		c.Header("Retry-After", "2")
		c.JSON(http.StatusServiceUnavailable, resp)
		return
	}
	c.JSON(http.StatusOK, resp)
}

// waitMatcher waits up to MatchWait for the matcher model; it never builds
// the model itself. It answers 503 with Retry-After and returns false when
// the model is not ready in time.
func (s *Server) waitMatcher(c *gin.Context) bool {
	if s.Matcher == nil {
		s.fail(c, data.Errorf(data.EUNAVAILABLE, "本服务未启用匹配功能"))
		return false
	}
	if s.matcherReady() {
		return true
	}
	wait := s.MatchWait
	if wait == 0 {
		wait = DefaultMatchWait
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if s.matcherReady() {
				return true
			}
		case <-deadline.C:
			c.Header("Retry-After", strconv.Itoa(5))
			s.fail(c, data.Errorf(data.EUNAVAILABLE, "匹配模型正在启动构建中，请约 5 秒后重试（/healthz 的 matcher 为 ready 时即可匹配）"))
			return false
		case <-c.Request.Context().Done():
			s.fail(c, data.Errorf(data.EUNAVAILABLE, "请求已取消"))
			return false
		}
	}
}

// searchNote adds the index lag and a note to a search answer while the
// index is still catching up with the store.
func (s *Server) searchNote(ctx context.Context, resp gin.H) {
	if s.Index == nil {
		return
	}
	lag, _, err := s.indexLag(ctx)
	if err != nil || lag == 0 {
		return
	}
	resp["index_lag"] = lag
	resp["note"] = "索引正在追赶数据（还有 " + strconv.FormatUint(lag, 10) + " 处变更未编入），结果来自已编入的部分，可能不完整"
}
