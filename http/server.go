package http

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"bayu/store"
	"bayu/store/blob"
)

// Server is bayu's HTTP front: the API under /api/v1, health checks and metrics.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	opts    Options
	metrics *metrics
}

// Options configure a Server.
type Options struct {
	Logger *slog.Logger // discarded when nil
	// SecureCookies marks the session cookie Secure even on plain HTTP, for a
	// server behind a TLS-terminating proxy.
	SecureCookies bool
	// Media is the folder of uploaded files; uploads are refused without it.
	Media *blob.Store
	// MaxUpload bounds one uploaded file; DefaultMaxUpload when 0.
	MaxUpload int64
	// SubmitLimit bounds posts of the public form per client address and
	// hour; store.DefaultSubmitLimit when 0.
	SubmitLimit int
}

// NewServer builds a server over a store.
func NewServer(st *store.Store, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.Logger = slog.New(RedactingHandler(opts.Logger.Handler()))
	return &Server{store: st, log: opts.Logger, opts: opts, metrics: newMetrics()}
}

// Handler returns the routes with their middleware: request id, access log and
// metrics, security headers, refusal of cross-site form posts, panic recovery.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.observe, securityHeaders, s.crossOrigin, middleware.Recoverer)
	r.Use(auditMeta) // client address and request id for the audit trail
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Method("GET", "/metrics", s.metrics.handler())
	r.Get("/template.xlsx", s.template())
	r.Route("/api/v1", s.mountAPI)
	s.mountUI(r) // the web UI: pages, their static files and the login form
	return r
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, statusBody{Status: "ok"})
}

// readyz is ready when the database answers and no migration is pending.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, statusBody{Status: "database unreachable"})
		return
	}
	if n, err := s.store.Pending(ctx); err != nil || n > 0 {
		writeJSON(w, http.StatusServiceUnavailable, statusBody{Status: "migrations pending"})
		return
	}
	writeJSON(w, http.StatusOK, statusBody{Status: "ready"})
}
