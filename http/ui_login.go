package http

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
)

// uiRoutes are the pages. Each page that needs a user sits behind signedInPage,
// and behind rolePage when only some roles may open it; the store applies the
// exhibit-level rules (own district, evaluator's states) on top, as for the API.
func (s *uiServer) uiRoutes(r chi.Router) {
	r.Get("/login", s.loginPage)
	r.Post("/login", s.loginSubmit)
	r.Post("/logout", s.logoutSubmit)
	r.Get("/ui/diagram", s.diagramFrame)
	s.publicPages(r)

	writers := []workflow.Role{workflow.Coordinator, workflow.District}
	r.Group(func(r chi.Router) {
		r.Use(s.signedInPage)
		r.Get("/", s.home)
		r.Get("/exhibits", s.exhibitsPage)
		r.Get("/exhibits/{id}", s.exhibitPage)
		r.With(s.rolePage(workflow.Coordinator, workflow.District, workflow.Evaluator)).
			Post("/exhibits/{id}/events", s.fireSubmit)
		r.With(s.rolePage(writers...)).Get("/exhibits/new", s.newExhibitPage)
		r.With(s.rolePage(writers...)).Post("/exhibits/new", s.newExhibitSubmit)
		r.With(s.rolePage(workflow.Coordinator, workflow.Auditor)).Get("/dashboard", s.dashboardPage)
		r.With(s.rolePage(workflow.Coordinator)).Post("/dashboard/deliveries/{id}/retry", s.retrySubmit)
		r.With(s.rolePage(workflow.District)).Get("/workspace", s.workspacePage)
		r.With(s.rolePage(workflow.District)).Post("/workspace/recommend", s.recommendSubmit)
		r.With(s.rolePage(workflow.District)).Post("/workspace/import", s.importSubmit)
		r.With(s.rolePage(workflow.District)).Post("/workspace/calendar", s.calendarSubmit)
		r.With(s.rolePage(workflow.Coordinator, workflow.Auditor)).Get("/audit", s.auditPage)
		r.Post("/notifications/{id}/read", s.readSubmit)
		r.With(s.rolePage(workflow.Evaluator)).Get("/queue", s.queuePage)
		s.custodyPages(r)
	})
}

// signedInPage lets a request with a live session through with its actor in the
// context, and sends anyone else to the login page, coming back afterwards.
// Only the session cookie counts: API tokens are for machines, not pages.
func (s *uiServer) signedInPage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		var u *store.User
		if err == nil && c.Value != "" {
			u, err = s.store.SessionUser(r.Context(), c.Value)
		}
		if err != nil || u == nil {
			if workflow.ErrorCode(err) == workflow.CodeInternal && err != nil && c != nil {
				s.renderError(w, r, err)
				return
			}
			back := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				back = r.URL.Path
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(back), http.StatusSeeOther)
			return
		}
		ctx := context.WithValue(r.Context(), actorKey, u.Actor())
		ctx = context.WithValue(ctx, sessionKey, c.Value)
		if rec, ok := w.(*statusRecorder); ok {
			rec.actor = u.Name
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// rolePage refuses, with a page, a user whose role may not open it.
func (s *uiServer) rolePage(roles ...workflow.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !slices.Contains(roles, actorOf(r).Role) {
				s.renderError(w, r, workflow.Errorf(workflow.CodeForbidden, "当前角色无权打开此页面", "your role may not open this page"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// home sends each role to the page its work starts from.
func (s *uiServer) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, homeOf(actorOf(r).Role), http.StatusSeeOther)
}

func homeOf(role workflow.Role) string {
	switch role {
	case workflow.Coordinator:
		return "/dashboard"
	case workflow.District:
		return "/workspace"
	case workflow.Evaluator:
		return "/queue"
	case workflow.Auditor:
		return "/audit"
	}
	return "/exhibits"
}

// loginView is the login form, with what was typed when a login was refused.
type loginView struct {
	page
	Name  string
	Next  string
	Error string
}

func (s *uiServer) loginPage(w http.ResponseWriter, r *http.Request) {
	v := &loginView{page: page{Title: s.t(r, "login.title")}, Next: safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("bye") != "" {
		v.Flash = s.t(r, "login.signed_out")
	}
	s.render(w, r, http.StatusOK, "login", v)
}

func (s *uiServer) loginSubmit(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	v := &loginView{page: page{Title: s.t(r, "login.title")}, Name: name, Next: safeNext(r.PostFormValue("next"))}
	token, u, err := s.store.Login(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		var status int
		v.Error, status = s.reason(r, err)
		s.render(w, r, status, "login", v)
		return
	}
	s.setSessionCookie(w, r, token, store.SessionMax)
	dest := v.Next
	if dest == "" {
		dest = homeOf(u.Role)
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}

func (s *uiServer) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.store.Logout(r.Context(), c.Value); err != nil {
			s.renderError(w, r, err)
			return
		}
	}
	s.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/login?bye=1", http.StatusSeeOther)
}

// safeNext keeps a post-login destination only when it is a path on this site:
// an open redirect would let a phishing link borrow the login page.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	return next
}
