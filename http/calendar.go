package http

import (
	"bytes"
	"net/http"
	"strings"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

func (s *Server) calendarRoutes() []route {
	// Public in the table because calendar applications cannot send a bearer
	// header: the handler checks the API token given as ?token= itself (or,
	// for scripts, the bearer header).
	return []route{
		{Method: "GET", Pattern: "/calendar.ics", Summary: "The user's phase deadlines and return dates as an iCalendar feed (?token=API token)",
			Access: public, Handler: s.calendarFeed, Query: []string{"token"}, Produces: "text/calendar"},
	}
}

// calendarFeed writes the campaign's dates and the return dates of the items
// the token's user may see. A district subscribes to its own unit's dates.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSpace(r.URL.Query().Get("token"))
	if scheme, bearer, ok := strings.Cut(r.Header.Get("Authorization"), " "); token == "" && ok && strings.EqualFold(scheme, "Bearer") {
		token = strings.TrimSpace(bearer)
	}
	if token == "" {
		return workflow.Errorf(workflow.CodeUnauthenticated, "请在订阅地址中提供 token 参数", "give the API token as ?token=")
	}
	u, err := s.store.Authenticate(r.Context(), token)
	if err != nil {
		return err
	}
	a := u.Actor()
	var entries []campaign.CalendarEntry
	c, err := s.store.CurrentCampaign(r.Context())
	switch {
	case err == nil:
		entries = campaign.PhaseEntries(&c.Campaign, c.UpdatedAt)
	case workflow.ErrorCode(err) != workflow.CodeNotFound:
		return err
	}
	items, err := s.store.TrackedReturns(r.Context(), a)
	if err != nil {
		return err
	}
	for _, x := range items {
		e, err := campaign.ReturnEntry(x, x.UpdatedAt)
		if err != nil {
			continue // settled meanwhile
		}
		entries = append(entries, e)
	}
	var b bytes.Buffer
	if err := campaign.WriteICS(&b, entries); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="bayu.ics"`)
	// The token is in the URL: keep the feed out of shared caches.
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write(b.Bytes())
	return err
}
