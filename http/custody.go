package http

import (
	"net/http"

	"bayu/store"
	"bayu/workflow"
)

// custodyRoutes are what happens to an item once it is accepted: its numbered
// agreement with every due date, where it has been, and the consignment list.
// extend_deposit and move are fired through POST /exhibits/{id}/events.
func (s *Server) custodyRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/exhibits/{id}/agreement", Summary: "The exhibit's agreement: number, method, terms and every due date, oldest first",
			Access: signedIn, Handler: s.getAgreement, Response: store.AgreementRecord{}},
		{Method: "GET", Pattern: "/exhibits/{id}/locations", Summary: "Where the item has been: into store, moves, exhibitions, out",
			Access: signedIn, Handler: s.getLocations, Response: store.LocationHistory{}},
		{Method: "GET", Pattern: "/consignments", Summary: "Consignment items (寄售) with asking price, commission, term end and sale",
			Access: only(workflow.Coordinator, workflow.Auditor), Handler: s.listConsignments, Response: consignmentList{}},
	}
}

type consignmentList struct {
	Consignments []store.ConsignmentItem `json:"consignments"`
}

func (s *Server) getAgreement(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	rec, err := s.store.Agreement(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (s *Server) getLocations(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	h, err := s.store.Locations(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) listConsignments(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.Consignments(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, consignmentList{Consignments: list})
	return nil
}
