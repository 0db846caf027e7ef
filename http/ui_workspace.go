package http

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
)

// workspaceView is a district's own page: its figures against the quota, its
// items by state, the reported items waiting for its recommendation, its inbox.
type workspaceView struct {
	page
	UnitName string
	Line     *unitLine // nil when no campaign is in force
	Phase    string    // the running phase's label
	DaysLeft int
	ByState  []stateCount
	Total    int
	Waiting  []*workflow.Exhibit // reported, to be recommended or declined
	Checked  map[int64]bool      // kept ticked after a refused recommendation
	Refused  []fieldLine         // item name → the server's reason
	Notes    []store.Notification
	Unread   int
	FeedURL  string // the calendar feed with a new token, shown once after it was asked for
}

// stateCount is how many of the unit's items are in one state.
type stateCount struct {
	State workflow.State
	N     int
}

// workspaceItems bounds how many items the workspace reads to count them; a
// unit recommends some tens, so this is far above any real unit.
const workspaceItems = 2000

func (s *uiServer) workspacePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.workspaceView(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	q := r.URL.Query()
	if q.Has("recommended") {
		v.Flash = s.t(r, "workspace.recommended_n", "Count", atoi(q.Get("recommended")))
	}
	if q.Has("created") {
		v.Flash = s.t(r, "import.done", "Created", atoi(q.Get("created")), "Updated", atoi(q.Get("updated")),
			"Unchanged", atoi(q.Get("unchanged")))
	}
	s.render(w, r, http.StatusOK, "workspace", v)
}

func (s *uiServer) workspaceView(r *http.Request) (*workspaceView, error) {
	a := actorOf(r)
	lang := langOf(r)
	v := &workspaceView{page: page{Title: s.t(r, "workspace.title"), Nav: "workspace"}, UnitName: unitName(a.District, lang),
		Checked: map[int64]bool{}}
	c, err := s.store.CurrentCampaign(r.Context())
	switch {
	case workflow.ErrorCode(err) == workflow.CodeNotFound:
	case err != nil:
		return nil, err
	default:
		p, err := s.store.CampaignProgress(r.Context(), a, c.ID)
		if err != nil {
			return nil, err
		}
		for _, u := range p.Units {
			if u.District == a.District {
				v.Line = &unitLine{Code: u.District, Quota: u.Quota, Reported: u.Reported, Recommended: u.Recommended, ShortBy: u.ShortBy}
			}
		}
		if p.Phase != "" {
			v.Phase, v.DaysLeft = p.Phase.Label().In(apiLang(lang)), p.DaysLeft
		}
	}
	counts := map[workflow.State]int{}
	f := store.ExhibitFilter{Limit: store.MaxPageSize}
	for v.Total < workspaceItems {
		page, err := s.store.ListExhibits(r.Context(), a, f)
		if err != nil {
			return nil, err
		}
		for _, x := range page.Exhibits {
			counts[x.State]++
			v.Total++
			if x.State == workflow.Reported {
				v.Waiting = append(v.Waiting, x)
			}
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	for _, st := range stateOrder {
		if counts[st] > 0 {
			v.ByState = append(v.ByState, stateCount{State: st, N: counts[st]})
		}
	}
	if v.Notes, err = s.store.Inbox(r.Context(), a.UserID, store.InboxQuery{Limit: 20}); err != nil {
		return nil, err
	}
	unread, err := s.store.Inbox(r.Context(), a.UserID, store.InboxQuery{Unread: true, Limit: 200})
	if err != nil {
		return nil, err
	}
	v.Unread = len(unread)
	return v, nil
}

// recommendSubmit recommends the ticked items, each in its own transition. The
// ones refused stay ticked, with the server's reason beside their names.
func (s *uiServer) recommendSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, workflow.Errorf(workflow.CodeBadRequest, "表单无法读取", "the form cannot be read"))
		return
	}
	a := actorOf(r)
	var done int
	var refused []fieldLine
	var keep []int64
	for _, raw := range r.PostForm["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			continue
		}
		_, err = s.store.Fire(r.Context(), a, store.FireRequest{ExhibitID: id, Event: workflow.Recommend})
		s.metrics.transition(workflow.Recommend, err)
		if err == nil {
			done++
			continue
		}
		name := "#" + raw
		if x, xerr := s.store.Exhibit(r.Context(), a, id); xerr == nil {
			name = x.Name
		}
		msg, _ := s.reason(r, err)
		refused = append(refused, fieldLine{Field: name, Message: msg})
		keep = append(keep, id)
	}
	if len(refused) == 0 {
		http.Redirect(w, r, "/workspace?recommended="+strconv.Itoa(done), http.StatusSeeOther)
		return
	}
	v, err := s.workspaceView(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v.Refused = refused
	for _, id := range keep {
		v.Checked[id] = true
	}
	v.Flash, v.FlashBad = s.t(r, "workspace.recommended_n", "Count", done), true
	s.render(w, r, http.StatusUnprocessableEntity, "workspace", v)
}

// readSubmit marks one of the user's notifications read and goes back.
func (s *uiServer) readSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		err = workflow.Errorf(workflow.CodeNotFound, "提醒不存在", "no such notification")
	} else {
		_, err = s.store.MarkRead(r.Context(), actorOf(r).UserID, id)
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	back := safeNext(r.PostFormValue("back"))
	if back == "" {
		back = homeOf(actorOf(r).Role)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// IsChecked reports whether an item's box stays ticked; templates call it.
func (v *workspaceView) IsChecked(id int64) bool { return v.Checked[id] }
