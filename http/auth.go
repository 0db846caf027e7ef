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
	uncheckedTokenKey
)

// sessionCookie carries the UI's login session.
const sessionCookie = "bayu_session"

// authenticate accepts a bearer token (API clients) or a session cookie (the UI)
// and puts the user's actor in the context. When the route's handler checks the
// token in its own transaction (route.ChecksTokenItself), a token the store
// accepted lately, of a role the route allows, is taken without asking the
// database and handed on to that check; a request the handler refuses before its
// transaction has the token checked first (refusedBeforeTheTransaction).
func (s *Server) authenticate(rt route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.credentials(r, rt)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bayu"`)
			s.writeError(w, r, err)
			return
		}
		ctx := store.WithActor(context.WithValue(r.Context(), actorKey, c.user.Actor()), c.user.Actor())
		if c.session != "" {
			ctx = context.WithValue(ctx, sessionKey, c.session)
		}
		if c.unchecked != "" {
			ctx = context.WithValue(ctx, uncheckedTokenKey, c.unchecked)
		}
		if rec, ok := w.(*statusRecorder); ok {
			rec.actor = c.user.Name
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

var errNoCredentials = workflow.Errorf(workflow.CodeUnauthenticated, "请先登录或提供 API 令牌", "sign in or send an API token")

// credentials is who a request comes from and how that is known.
type credentials struct {
	user      *store.User
	session   string // the session id, when it came with a session cookie
	unchecked string // a remembered bearer token, still to be checked by the handler
}

func (s *Server) credentials(r *http.Request, rt route) (credentials, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return credentials{}, errNoCredentials
		}
		if rt.ChecksTokenItself {
			if u, ok := s.store.RememberedToken(token); ok && rt.Access.allows(u.Role) {
				return credentials{user: u, unchecked: token}, nil
			}
		}
		u, err := s.store.Authenticate(r.Context(), token)
		return credentials{user: u}, err
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		u, err := s.store.SessionUser(r.Context(), c.Value)
		return credentials{user: u, session: c.Value}, err
	}
	return credentials{}, errNoCredentials
}

// refusedBeforeTheTransaction answers a request refused before its transaction
// could check its remembered token: a token that no longer holds is told so
// first, as on every other route.
func (s *Server) refusedBeforeTheTransaction(r *http.Request, err error) error {
	if t := uncheckedToken(r); t != "" {
		if _, aerr := s.store.Authenticate(r.Context(), t); aerr != nil {
			return aerr
		}
	}
	return err
}

// uncheckedToken is the bearer token the handler must have the store check,
// empty when authenticate checked the request's credentials itself.
func uncheckedToken(r *http.Request) string {
	t, _ := r.Context().Value(uncheckedTokenKey).(string)
	return t
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
