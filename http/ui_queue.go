package http

import (
	"net/http"
	"strconv"

	"bayu/store"
	"bayu/workflow"
)

// queueView is the evaluators' work list: the items districts recommended, newest
// first as every list, each opening its page with the evaluation form.
type queueView struct {
	page
	Rows    []*workflow.Exhibit
	NextURL string
}

// queuePageSize is one screen of work.
const queuePageSize = 50

func (s *uiServer) queuePage(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	v := &queueView{page: page{Title: s.t(r, "queue.title"), Nav: "queue"}}
	if id, err := strconv.ParseInt(r.URL.Query().Get("fired"), 10, 64); err == nil {
		if x, err := s.store.Exhibit(r.Context(), a, id); err == nil {
			v.Flash = s.t(r, "queue.evaluated", "Name", x.Name)
		}
	}
	page, err := s.store.ListExhibits(r.Context(), a, store.ExhibitFilter{State: workflow.DistrictRecommended,
		Limit: queuePageSize, Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, x := range page.Exhibits {
		v.Rows = append(v.Rows, view(a, x))
	}
	if page.NextCursor != "" {
		v.NextURL = "/queue?cursor=" + page.NextCursor
	}
	s.render(w, r, http.StatusOK, "queue", v)
}
