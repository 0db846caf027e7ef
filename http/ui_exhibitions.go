package http

import (
	"net/http"
	"strconv"
	"strings"

	"bayu/store"
	"bayu/workflow"
)

// exhibitionsView lists the exhibitions and, for coordinators, the form to
// plan one at a venue of the notice.
type exhibitionsView struct {
	page
	Exhibitions []store.Exhibition
	Venues      []store.Venue
	CanCreate   bool
	Form        exhibitionForm
	Error       string
	Leftover    []fieldLine
}

// exhibitionForm is what was typed into the plan form, and its refusals.
type exhibitionForm struct {
	VenueID, Title, StartsOn, EndsOn, Description string
	Errors                                        map[string]string
}

// exhibitionView is one exhibition and its items.
type exhibitionView struct {
	page
	E     *store.Exhibition
	Items []store.ExhibitionItem
}

func (s *uiServer) exhibitionsView(r *http.Request) (*exhibitionsView, error) {
	v := &exhibitionsView{page: page{Title: s.t(r, "exhibitions.title"), Nav: "exhibitions"},
		CanCreate: actorOf(r).Role == workflow.Coordinator}
	var err error
	if v.Exhibitions, err = s.store.Exhibitions(r.Context()); err != nil {
		return nil, err
	}
	if v.Venues, err = s.store.Venues(r.Context()); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *uiServer) exhibitionsPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.exhibitionsView(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "exhibitions", v)
}

// exhibitionSubmit plans an exhibition; a refusal shows the list again with
// the form as it was typed and the reasons beside its inputs.
func (s *uiServer) exhibitionSubmit(w http.ResponseWriter, r *http.Request) {
	v, err := s.exhibitionsView(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	f := exhibitionForm{VenueID: r.PostFormValue("venue_id"), Title: r.PostFormValue("title"),
		StartsOn: r.PostFormValue("starts_on"), EndsOn: r.PostFormValue("ends_on"), Description: r.PostFormValue("description")}
	in := workflow.ExhibitionInput{Title: f.Title, Description: f.Description}
	in.VenueID, _ = strconv.ParseInt(f.VenueID, 10, 64)
	fe := workflow.FieldErrors{}
	for key, d := range map[string]*workflow.Date{"starts_on": &in.StartsOn, "ends_on": &in.EndsOn} {
		raw := strings.TrimSpace(map[string]string{"starts_on": f.StartsOn, "ends_on": f.EndsOn}[key])
		if raw == "" {
			continue // Validate says it is required
		}
		if *d, err = workflow.ParseDate(raw); err != nil {
			fe.Add(key, "日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD")
		}
	}
	err = fe.Err()
	if err == nil {
		var e *store.Exhibition
		if e, err = s.store.CreateExhibition(r.Context(), actorOf(r), in); err == nil {
			http.Redirect(w, r, "/exhibitions/"+strconv.FormatInt(e.ID, 10)+"?created=1", http.StatusSeeOther)
			return
		}
	}
	var status int
	v.Error, status = s.reason(r, err)
	f.Errors = fieldReasons(r, err)
	v.Leftover = leftover(f.Errors, []string{"venue_id", "title", "starts_on", "ends_on", "description"})
	v.Form = f
	s.render(w, r, status, "exhibitions", v)
}

func (s *uiServer) exhibitionPage(w http.ResponseWriter, r *http.Request) {
	id, err := exhibitionParam(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	e, err := s.store.Exhibition(r.Context(), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	items, err := s.store.ExhibitionItems(r.Context(), actorOf(r), id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := &exhibitionView{page: page{Title: e.Title, Nav: "exhibitions"}, E: e, Items: items}
	if r.URL.Query().Get("created") != "" {
		v.Flash = s.t(r, "exhibitions.created")
	}
	s.render(w, r, http.StatusOK, "exhibition", v)
}
