package http

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"bayu/workflow"
)

// statusRecorder remembers what a handler answered, for the access log and metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	actor  string
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flushing streams).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe writes one access line per request, with its request id, and counts it.
// The query string is left out of the line: searches may carry phone numbers.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		pattern := chi.RouteContext(r.Context()).RoutePattern()
		if pattern == "" {
			pattern = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.observe(r.Method, pattern, rec.status, elapsed)
		s.log.InfoContext(r.Context(), "request",
			"request_id", middleware.GetReqID(r.Context()), "method", r.Method, "path", r.URL.Path,
			"route", pattern, "status", rec.status, "bytes", rec.bytes, "ms", elapsed.Milliseconds(),
			"actor", rec.actor, "remote", r.RemoteAddr)
	})
}

// contentSecurityPolicy allows only the server's own scripts, styles and images,
// and no framing: the UI needs nothing else, and offline machines have nothing else.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Calendar feeds carry their token in the URL: never send it on as a referrer.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses unsafe requests a browser marks as coming from another site,
// so a page elsewhere cannot post forms with the user's session cookie. API
// clients send no such headers and pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, workflow.Errorf(workflow.CodeForbidden, "拒绝来自其他网站的请求", "cross-site request refused"))
	}))
	return p.Handler(next)
}
