package server

import "github.com/gin-gonic/gin"

// opsRoutes registers the operator's endpoints: probes (and metrics).
func (s *Server) opsRoutes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealth)
	r.GET("/readyz", s.handleReady)
}
