package http

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"bayu/workflow"
)

// errorView is a page saying what went wrong, in the user's language.
type errorView struct {
	page
	Status  int
	Message string
}

// reason is what the user is told about err, in the request's language, and the
// status that goes with it. Errors bayu did not classify are logged in full and
// shown as a plain sentence: their text may carry internals.
func (s *uiServer) reason(r *http.Request, err error) (string, int) {
	var e *workflow.Error
	if !errors.As(err, &e) {
		s.log.ErrorContext(r.Context(), "internal error", "err", err, "path", r.URL.Path)
		return s.t(r, "error.internal"), http.StatusInternalServerError
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return e.Message.In(apiLang(langOf(r))), status
}

// fieldReasons are err's per-field messages in the request's language, keyed
// as the server names the fields (data.score, reason, evaluation.authentic).
func fieldReasons(r *http.Request, err error) map[string]string {
	var e *workflow.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		out[k] = v.In(apiLang(langOf(r)))
	}
	return out
}

// fieldLine is one field problem that no input on the form shows.
type fieldLine struct {
	Field   string
	Message string
}

// leftover lists the field reasons whose field is not among shown, sorted, so
// that a refusal about something the form does not ask for is still said.
func leftover(reasons map[string]string, shown []string) []fieldLine {
	var out []fieldLine
	for k, v := range reasons {
		if !slices.Contains(shown, k) {
			out = append(out, fieldLine{Field: k, Message: v})
		}
	}
	slices.SortFunc(out, func(a, b fieldLine) int {
		if a.Field < b.Field {
			return -1
		}
		if a.Field > b.Field {
			return 1
		}
		return 0
	})
	return out
}

// renderError shows err as a page. A lapsed session goes back to the login page
// instead, so the user can sign in and come back.
func (s *uiServer) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if workflow.ErrorCode(err) == workflow.CodeUnauthenticated {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
		return
	}
	msg, status := s.reason(r, err)
	s.render(w, r, status, "error", &errorView{page: page{Title: s.t(r, "error.title")}, Status: status, Message: msg})
}
