package http

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"bayu/store"
	"bayu/workflow"
)

// exhibitsView is the exhibit list: filters, one page of rows, a link to the next.
type exhibitsView struct {
	page
	Filter       listFilter
	States       []workflow.State
	Methods      []workflow.Method
	Units        []unitOption
	Rows         []*workflow.Exhibit
	NextURL      string // empty on the last page
	FirstURL     string // set when this is not the first page
	ShowDistrict bool   // district users see only their own unit: no column, no filter
	CanCreate    bool
}

// listFilter is what the filter form sends, echoed back into it.
type listFilter struct {
	State    string
	District string
	Method   string
	Q        string
}

// unitOption is one unit in a select.
type unitOption struct {
	Code string
	Name string
}

// unitOptions lists every unit with its name in the language.
func unitOptions(lang string) []unitOption {
	var out []unitOption
	for _, u := range units() {
		out = append(out, unitOption{Code: u.Code, Name: unitName(u.Code, lang)})
	}
	return out
}

// listPageSize keeps a page readable on a phone and quick to render.
const listPageSize = 30

func (s *uiServer) exhibitsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a := actorOf(r)
	f := listFilter{State: q.Get("state"), District: q.Get("district"), Method: q.Get("method"), Q: strings.TrimSpace(q.Get("q"))}
	// Unknown values would be refused by the store as bad parameters; in a form
	// they can only come from an edited URL, so they are dropped, not reported.
	if !slices.Contains(workflow.States(), workflow.State(f.State)) {
		f.State = ""
	}
	if !workflow.Method(f.Method).Valid() {
		f.Method = ""
	}
	if a.Role == workflow.District {
		f.District = ""
	}
	v := &exhibitsView{
		page:   page{Title: s.t(r, "exhibits.title"), Nav: "exhibits"},
		Filter: f, States: stateOrder, Methods: workflow.Methods, Units: unitOptions(langOf(r)),
		ShowDistrict: a.Role != workflow.District,
		CanCreate:    a.Role == workflow.Coordinator || a.Role == workflow.District,
	}
	page, err := s.store.ListExhibits(r.Context(), a, store.ExhibitFilter{
		State: workflow.State(f.State), District: f.District, Method: workflow.Method(f.Method), Query: f.Q,
		Limit: listPageSize, Cursor: q.Get("cursor"),
	})
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	for _, x := range page.Exhibits {
		v.Rows = append(v.Rows, view(a, x))
	}
	if page.NextCursor != "" {
		v.NextURL = f.url(page.NextCursor)
	}
	if q.Get("cursor") != "" {
		v.FirstURL = f.url("")
	}
	s.render(w, r, http.StatusOK, "exhibits", v)
}

// url is the list with this filter, from the page after cursor.
func (f listFilter) url(cursor string) string {
	q := url.Values{}
	for k, v := range map[string]string{"state": f.State, "district": f.District, "method": f.Method, "q": f.Q, "cursor": cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return "/exhibits"
	}
	return "/exhibits?" + q.Encode()
}
