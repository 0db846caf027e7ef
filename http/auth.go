package http

import (
	"context"
	"net/http"
	"strings"

	"bayu/store"
	"bayu/workflow"
)

type ctxKey int

const (
	actorKey ctxKey = iota
	sessionKey
)

// sessionCookie carries the UI's login session.
const sessionCookie = "bayu_session"

// authenticate accepts a bearer token (API clients) or a session cookie (the UI)
// and puts the user's actor in the context.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, session, err := s.credentials(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bayu"`)
			s.writeError(w, r, err)
			return
		}
		ctx := store.WithActor(context.WithValue(r.Context(), actorKey, u.Actor()), u.Actor())
		if session != "" {
			ctx = context.WithValue(ctx, sessionKey, session)
		}
		if rec, ok := w.(*statusRecorder); ok {
			rec.actor = u.Name
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

var errNoCredentials = workflow.Errorf(workflow.CodeUnauthenticated, "请先登录或提供 API 令牌", "sign in or send an API token")

func (s *Server) credentials(r *http.Request) (*store.User, string, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return nil, "", errNoCredentials
		}
		u, err := s.store.Authenticate(r.Context(), strings.TrimSpace(token))
		return u, "", err
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		u, err := s.store.SessionUser(r.Context(), c.Value)
		return u, c.Value, err
	}
	return nil, "", errNoCredentials
}

// actorOf returns the authenticated actor of the request.
func actorOf(r *http.Request) workflow.Actor {
	a, _ := r.Context().Value(actorKey).(workflow.Actor)
	return a
}

// sessionOf returns the request's session id when it came with a session cookie.
func sessionOf(r *http.Request) string {
	s, _ := r.Context().Value(sessionKey).(string)
	return s
}
