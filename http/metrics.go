package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"bayu/workflow"
)

// metrics are the server's Prometheus series, in a registry of its own so that
// two servers in one process (tests) do not collide.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	transitions *prometheus.CounterVec
	refused     *prometheus.CounterVec
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bayu_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "bayu_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bayu_transitions_total", Help: "Exhibit transitions that happened, by event.",
		}, []string{"event"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bayu_transitions_refused_total", Help: "Refused transition attempts, by event and reason code.",
		}, []string{"event", "reason"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.transitions, m.refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// transition counts a fired event or its refusal; unknown event names are pooled
// so that clients cannot grow the series without bound.
func (m *metrics) transition(ev workflow.Event, err error) {
	name := string(ev)
	if !workflow.KnownEvent(ev) && !workflow.IsAction(ev) {
		name = "unknown"
	}
	if err == nil {
		m.transitions.WithLabelValues(name).Inc()
		return
	}
	m.refused.WithLabelValues(name, string(workflow.ErrorCode(err))).Inc()
}
