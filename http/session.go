package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"bayu/store"
	"bayu/workflow"
)

func (s *Server) sessionRoutes() []route {
	return []route{
		{Method: "POST", Pattern: "/login", Summary: "Sign in with name and password; sets the session cookie", Access: public,
			Handler: s.login, Request: loginBody{}, Response: meBody{}},
		{Method: "POST", Pattern: "/logout", Summary: "End the current session", Access: signedIn,
			Handler: s.logout, Response: statusBody{}},
		{Method: "GET", Pattern: "/me", Summary: "The signed-in user", Access: signedIn,
			Handler: s.me, Response: meBody{}},
	}
}

type loginBody struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

type meBody struct {
	Name     string        `json:"name"`
	Role     workflow.Role `json:"role"`
	District string        `json:"district"`
}

type statusBody struct {
	Status string `json:"status"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var in loginBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return workflow.Errorf(workflow.CodeBadRequest, "请求内容应为 {\"name\", \"password\"}", "the body must be {\"name\", \"password\"}")
	}
	token, u, err := s.store.Login(r.Context(), in.Name, in.Password)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token, store.SessionMax)
	a := u.Actor()
	writeJSON(w, http.StatusOK, meBody{Name: a.Name, Role: a.Role, District: a.District})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if sid := sessionOf(r); sid != "" {
		if err := s.store.Logout(r.Context(), sid); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, r, "", -1)
	writeJSON(w, http.StatusOK, statusBody{Status: "signed out"})
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	writeJSON(w, http.StatusOK, meBody{Name: a.Name, Role: a.Role, District: a.District})
	return nil
}

// setSessionCookie writes (or, with maxAge < 0, clears) the session cookie:
// HttpOnly so scripts cannot read it, SameSite=Lax against cross-site posts, and
// Secure whenever the request came over TLS or the server is told it sits behind TLS.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, value string, maxAge time.Duration) {
	c := &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || s.opts.SecureCookies,
	}
	if maxAge < 0 {
		c.MaxAge = -1
	} else {
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(w, c)
}
