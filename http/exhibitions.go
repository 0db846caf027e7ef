package http

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
)

// exhibitionRoutes are the venues of the notice (七、展示展览) and the
// exhibitions planned there; display names an exhibition by its id.
func (s *Server) exhibitionRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/venues", Summary: "The venues items are shown at", Access: signedIn,
			Handler: s.listVenues, Response: venueList{}},
		{Method: "GET", Pattern: "/exhibitions", Summary: "Every exhibition, the latest ending first", Access: signedIn,
			Handler: s.listExhibitions, Response: exhibitionList{}},
		{Method: "POST", Pattern: "/exhibitions", Summary: "Plan an exhibition at a venue", Access: only(workflow.Coordinator),
			Handler: s.createExhibition, Request: workflow.ExhibitionInput{}, Response: store.Exhibition{}, Status: http.StatusCreated},
		{Method: "GET", Pattern: "/exhibitions/{id}", Summary: "One exhibition and the items it shows and has shown (as far as the caller may see them)",
			Access: signedIn, Handler: s.getExhibition, Response: exhibitionBody{}},
	}
}

type venueList struct {
	Venues []store.Venue `json:"venues"`
}

type exhibitionList struct {
	Exhibitions []store.Exhibition `json:"exhibitions"`
}

type exhibitionBody struct {
	store.Exhibition
	Items []store.ExhibitionItem `json:"items"`
}

func (s *Server) listVenues(w http.ResponseWriter, r *http.Request) error {
	v, err := s.store.Venues(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, venueList{Venues: v})
	return nil
}

func (s *Server) listExhibitions(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.Exhibitions(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, exhibitionList{Exhibitions: list})
	return nil
}

func (s *Server) createExhibition(w http.ResponseWriter, r *http.Request) error {
	var in workflow.ExhibitionInput
	if err := decodeStrict(w, r, &in); err != nil {
		return err
	}
	e, err := s.store.CreateExhibition(r.Context(), actorOf(r), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/exhibitions/"+strconv.FormatInt(e.ID, 10))
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) getExhibition(w http.ResponseWriter, r *http.Request) error {
	id, err := exhibitionParam(r)
	if err != nil {
		return err
	}
	e, err := s.store.Exhibition(r.Context(), id)
	if err != nil {
		return err
	}
	items, err := s.store.ExhibitionItems(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, exhibitionBody{Exhibition: *e, Items: items})
	return nil
}

// exhibitionParam reads the {id} of an exhibition route.
func exhibitionParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return 0, workflow.Errorf(workflow.CodeNotFound, "展览不存在", "no such exhibition")
	}
	return id, nil
}
