package http

import (
	"encoding/json"
	"net/http"
	"net/url"

	"bayu/store"
	"bayu/workflow"
)

// auditView is the history across all exhibits for auditors: filters by unit,
// actor, event and time, one page of rows, the exports of the same selection,
// and, when asked for, the verdict on whether the history is intact.
type auditView struct {
	page
	Filter    auditFilter
	Units     []unitOption
	Events    []workflow.Event
	Rows      []auditRow
	NextURL   string
	FirstURL  string
	CSVURL    string
	XLSXURL   string
	VerifyURL string
	Verdict   *store.VerifyReport
	BadText   string // the first broken row, in the user's language
	Error     string // a filter the server refused, in the user's language
}

// auditFilter is the filter form, echoed back.
type auditFilter struct {
	District string
	Actor    string
	Event    string
	Since    string
	Until    string
}

// auditRow is one transition with its data shown as label–value pairs.
type auditRow struct {
	store.TransitionRow
	Details []fieldRow
}

func (f auditFilter) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"district": f.District, "actor": f.Actor, "event": f.Event, "since": f.Since, "until": f.Until} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func (s *uiServer) auditPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := auditFilter{District: q.Get("district"), Actor: q.Get("actor"), Event: q.Get("event"), Since: q.Get("since"), Until: q.Get("until")}
	fq := f.query()
	v := &auditView{page: page{Title: s.t(r, "audit.title"), Nav: "audit"}, Filter: f, Units: unitOptions(langOf(r)),
		Events: append([]workflow.Event{workflow.CreateEvent}, workflow.Events()...),
		CSVURL: withQuery("/api/v1/transitions.csv", fq), XLSXURL: withQuery("/api/v1/transitions.xlsx", fq)}
	vq := f.query()
	vq.Set("verify", "1")
	v.VerifyURL = withQuery("/audit", vq) + "#verdict"
	status := http.StatusOK
	// The API's reading of the filters, so the page and the exports select alike.
	tf, err := s.transitionFilter(r)
	if err == nil {
		tf.Limit = 50
		var page *store.TransitionPage
		if page, err = s.store.Transitions(r.Context(), actorOf(r), tf); err == nil {
			tfn := func(key string) string { return s.t(r, key) }
			label := func(k string) string {
				if s.ui.tr.has("data." + k) {
					return tfn("data." + k)
				}
				return k
			}
			for _, t := range page.Transitions {
				v.Rows = append(v.Rows, auditRow{TransitionRow: t, Details: dataRows(json.RawMessage(t.Data), label, tfn, langOf(r))})
			}
			if page.NextCursor != "" {
				nq := f.query()
				nq.Set("cursor", page.NextCursor)
				v.NextURL = withQuery("/audit", nq)
			}
			if q.Get("cursor") != "" {
				v.FirstURL = withQuery("/audit", fq)
			}
		}
	}
	if err != nil {
		v.Error, status = s.reason(r, err)
	}
	if q.Get("verify") != "" {
		rep, err := s.store.Verify(r.Context(), "")
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Verdict = rep
		if b := rep.FirstBad; b != nil {
			v.BadText = b.Message
			if langOf(r) == langEN && b.MessageEN != "" {
				v.BadText = b.MessageEN
			}
		}
	}
	s.render(w, r, status, "audit", v)
}
