package http

import (
	"context"
	"net/http"
	"strings"

	"bayu/store"
	"bayu/workflow"
)

type ctxKey int

const actorKey ctxKey = iota

// authenticate accepts a bearer token and puts its user's actor in the context.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bayu"`)
			s.writeError(w, r, workflow.Errorf(workflow.CodeUnauthenticated, "请先登录或提供 API 令牌", "sign in or send an API token"))
			return
		}
		u, err := s.store.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bayu", error="invalid_token"`)
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(withUser(r.Context(), u)))
	})
}

func withUser(ctx context.Context, u *store.User) context.Context {
	return context.WithValue(ctx, actorKey, u.Actor())
}

// actorOf returns the authenticated actor of the request.
func actorOf(r *http.Request) workflow.Actor {
	a, _ := r.Context().Value(actorKey).(workflow.Actor)
	return a
}
