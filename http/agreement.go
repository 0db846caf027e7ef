package http

import (
	"net/http"

	"bayu/store"
	"bayu/workflow"
)

func (s *Server) agreementRoutes() []route {
	return []route{
		{Method: "PATCH", Pattern: "/exhibits/{id}/agreement", Summary: "Change the return date of a held item (renewal); kept in its history, reminders rescheduled",
			Access: only(workflow.Coordinator), Handler: s.renewAgreement, Request: store.Renewal{}, Response: workflow.Exhibit{}},
	}
}

// renewAgreement changes the return date the exhibit's method has: return_due,
// original_return_due or term_end.
func (s *Server) renewAgreement(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	var in store.Renewal
	if err := decodeStrict(w, r, &in); err != nil {
		return err
	}
	a := actorOf(r)
	x, err := s.store.RenewAgreement(r.Context(), a, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, view(a, x))
	return nil
}
