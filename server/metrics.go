package server

import (
	"context"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// sizer is a store that knows its size in bytes (data/bolt).
type sizer interface {
	Size() int64
}

// metrics are the server's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func (s *Server) newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "techmatch_http_requests_total",
			Help: "HTTP requests answered, by route, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "techmatch_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route, method and status.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .04, .08, .16, .32, .64, 1.28, 2.56, 5, 10},
		}, []string{"route", "method", "status"}),
	}
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{s: s})
	return m
}

// observe counts every request and its latency under its route template,
// so that ids in paths do not make new series.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := strconv.Itoa(c.Writer.Status())
	s.metrics.requests.WithLabelValues(route, c.Request.Method, status).Inc()
	s.metrics.latency.WithLabelValues(route, c.Request.Method, status).Observe(time.Since(start).Seconds())
}

func (s *Server) handleMetrics() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}

// stateCollector reads the service's state at scrape time: catalogue sizes,
// index lag, matcher model age and store size.
type stateCollector struct{ s *Server }

var (
	descRecords  = prometheus.NewDesc("techmatch_catalogue_records", "Records in a catalogue.", []string{"kind"}, nil)
	descSeq      = prometheus.NewDesc("techmatch_store_seq", "The store's latest change sequence number.", nil, nil)
	descLag      = prometheus.NewDesc("techmatch_index_lag", "Store changes the full-text index has still to apply.", nil, nil)
	descModelAge = prometheus.NewDesc("techmatch_matcher_model_age_seconds", "Age of the matcher model in use (absent while none is built).", nil, nil)
	descReady    = prometheus.NewDesc("techmatch_ready", "1 when the service is ready, 0 while starting or degraded.", nil, nil)
	descStore    = prometheus.NewDesc("techmatch_store_bytes", "Size of the store's data.", nil, nil)
)

func (sc *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descRecords, descSeq, descLag, descModelAge, descReady, descStore} {
		ch <- d
	}
}

func (sc *stateCollector) Collect(ch chan<- prometheus.Metric) {
	s := sc.s
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	lag, counts, err := s.indexLag(ctx)
	if err == nil {
		ch <- prometheus.MustNewConstMetric(descRecords, prometheus.GaugeValue, float64(counts.Achievements), "achievements")
		ch <- prometheus.MustNewConstMetric(descRecords, prometheus.GaugeValue, float64(counts.Demands), "demands")
		ch <- prometheus.MustNewConstMetric(descSeq, prometheus.GaugeValue, float64(counts.Seq))
		if s.Index != nil {
			ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, float64(lag))
		}
		ready := 0.0
		if s.status(lag) == "ready" {
			ready = 1
		}
		ch <- prometheus.MustNewConstMetric(descReady, prometheus.GaugeValue, ready)
	}
	if a, ok := s.Matcher.(modelAger); ok {
		if built := a.ModelBuilt(); !built.IsZero() {
			ch <- prometheus.MustNewConstMetric(descModelAge, prometheus.GaugeValue, time.Since(built).Seconds())
		}
	}
	if z, ok := s.Store.(sizer); ok {
		ch <- prometheus.MustNewConstMetric(descStore, prometheus.GaugeValue, float64(z.Size()))
	}
}
