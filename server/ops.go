package server

import "github.com/gin-gonic/gin"

// middleware is the chain every request passes, outermost first: the
// request id and the observers come before recovery so that they see the
// 500 of a panic.
func (s *Server) middleware() []gin.HandlerFunc {
	if s.metrics == nil {
		s.metrics = s.newMetrics()
	}
	return []gin.HandlerFunc{s.requestID, s.observe, s.requestLog, s.recovery, s.securityHeaders,
		s.limitBody, s.limitQuery, s.authenticate, s.rateLimit}
}

// opsRoutes registers the operator's endpoints: probes (and metrics).
func (s *Server) opsRoutes(r *gin.Engine) {
	// The client address is the connection's: X-Forwarded-For is not
	// trusted, so it cannot dodge the per-address rate limit.
	r.SetTrustedProxies(nil)
	r.GET("/healthz", s.handleHealth)
	r.GET("/readyz", s.handleReady)
	r.GET("/metrics", s.handleMetrics())
}
