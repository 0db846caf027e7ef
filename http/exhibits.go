package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"bayu/store"
	"bayu/workflow"
)

func (s *Server) exhibitRoutes() []route {
	writers := only(workflow.Coordinator, workflow.District)
	return []route{
		{Method: "GET", Pattern: "/exhibits", Summary: "List exhibits, newest first, a page at a time", Access: signedIn,
			Handler: s.listExhibits, Query: []string{"state", "district", "method", "q", "limit", "cursor"}, Response: listBody{}},
		{Method: "POST", Pattern: "/exhibits", Summary: "Create an exhibit in state mobilized", Access: writers, Status: http.StatusCreated,
			Handler: s.createExhibit, Request: exhibitInput{}, Response: workflow.Exhibit{}},
		{Method: "GET", Pattern: "/exhibits/{id}", Summary: "One exhibit", Access: signedIn,
			Handler: s.getExhibit, Response: workflow.Exhibit{}},
		{Method: "PATCH", Pattern: "/exhibits/{id}", Summary: "Edit an exhibit's fields while mobilized or reported", Access: writers,
			Handler: s.patchExhibit, Request: exhibitPatch{}, Response: workflow.Exhibit{}},
		{Method: "POST", Pattern: "/exhibits/{id}/events", Summary: "Fire an event on an exhibit", Access: only(workflow.Coordinator, workflow.District, workflow.Evaluator),
			Handler: s.fireEvent, Request: fireBody{}, Response: workflow.Exhibit{}, ChecksTokenItself: true},
		{Method: "GET", Pattern: "/exhibits/{id}/events", Summary: "The events this user may fire now", Access: signedIn,
			Handler: s.availableEvents, Response: eventsBody{}},
		{Method: "GET", Pattern: "/exhibits/{id}/history", Summary: "An exhibit's history, oldest first", Access: signedIn,
			Handler: s.history, Response: historyBody{}},
	}
}

// exhibitInput documents the create body: the district and the form's fields.
type exhibitInput struct {
	District string `json:"district"`
	workflow.Fields
}

// exhibitPatch documents the PATCH body: the current version and any form fields.
type exhibitPatch struct {
	Version int64 `json:"version"`
	workflow.Fields
}

type eventsBody struct {
	State   workflow.State        `json:"state"`
	Version int64                 `json:"version"`
	Events  []workflow.EventNeeds `json:"events"`
	Actions []workflow.EventNeeds `json:"actions"` // extend_deposit, move: fired the same way, the state stays
}

type historyBody struct {
	Transitions []store.HistoryEntry `json:"transitions"`
}

// view is what the actor may see of an exhibit: the phone is masked for roles
// that do not need it.
func view(a workflow.Actor, x *workflow.Exhibit) *workflow.Exhibit {
	if a.CanSeePhone(x) || x.ContactPhone == "" {
		return x
	}
	c := *x
	c.ContactPhone = workflow.MaskedPhone(x.ContactPhone)
	return &c
}

func (s *Server) createExhibit(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	in, err := workflow.DecodeCreate(body)
	if err != nil {
		return err
	}
	a := actorOf(r)
	if in.District == "" && a.Role == workflow.District {
		in.District = a.District
	}
	x, err := s.store.CreateExhibit(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/exhibits/"+strconv.FormatInt(x.ID, 10))
	writeJSON(w, http.StatusCreated, view(a, x))
	return nil
}

func (s *Server) getExhibit(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	x, err := s.store.Exhibit(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, view(a, x))
	return nil
}

func (s *Server) patchExhibit(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	p, err := workflow.DecodePatch(body)
	if err != nil {
		return err
	}
	a := actorOf(r)
	x, err := s.store.UpdateExhibit(r.Context(), a, id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, view(a, x))
	return nil
}

type listBody struct {
	Exhibits   []*workflow.Exhibit `json:"exhibits"`
	NextCursor string              `json:"next_cursor"`
}

func (s *Server) listExhibits(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.ExhibitFilter{
		State: workflow.State(q.Get("state")), District: q.Get("district"),
		Method: workflow.Method(q.Get("method")), Query: q.Get("q"), Cursor: q.Get("cursor"),
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("查询参数有误", "bad query parameters"),
				Fields: map[string]workflow.Text{"limit": workflow.T("必须是整数", "must be a whole number")}}
		}
		f.Limit = n
	}
	if err := checkFilter(f); err != nil {
		return err
	}
	a := actorOf(r)
	page, err := s.store.ListExhibits(r.Context(), a, f)
	if err != nil {
		return err
	}
	out := listBody{Exhibits: make([]*workflow.Exhibit, len(page.Exhibits)), NextCursor: page.NextCursor}
	for i, x := range page.Exhibits {
		out.Exhibits[i] = view(a, x)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

var unitCode = regexp.MustCompile(`^[A-Z0-9]{2,12}$`)

// checkFilter refuses filter values that cannot match anything, naming the parameter,
// rather than answering an empty list for a typo.
func checkFilter(f store.ExhibitFilter) error {
	fe := workflow.FieldErrors{}
	if f.State != "" && !slices.Contains(workflow.States(), f.State) {
		fe.Add("state", "未知状态", "unknown state")
	}
	if f.Method != "" && !f.Method.Valid() {
		fe.Add("method", "征集方式必须是 donation、deposit、replication、consignment 之一", "must be donation, deposit, replication or consignment")
	}
	if f.District != "" && !unitCode.MatchString(f.District) {
		fe.Add("district", "不是单位代码", "is not a unit code")
	}
	if utf8.RuneCountInString(f.Query) > 200 || strings.ContainsRune(f.Query, 0) {
		fe.Add("q", "搜索内容过长", "is too long")
	}
	if err, ok := fe.Err().(*workflow.Error); ok {
		err.Code = workflow.CodeBadRequest
		return err
	}
	return nil
}

// fireBody is the request of POST /exhibits/{id}/events.
type fireBody struct {
	Event   workflow.Event             `json:"event"`
	Reason  string                     `json:"reason"`
	Data    map[string]json.RawMessage `json:"data"`
	Version *int64                     `json:"version"`
}

func (s *Server) fireEvent(w http.ResponseWriter, r *http.Request) error {
	a := actorOf(r)
	x, err := s.fire(w, r, a)
	if workflow.ErrorCode(err) == workflow.CodeUnauthenticated { // a remembered token failed its check
		w.Header().Set("WWW-Authenticate", `Bearer realm="bayu"`)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, view(a, x))
	return nil
}

func (s *Server) fire(w http.ResponseWriter, r *http.Request, a workflow.Actor) (*workflow.Exhibit, error) {
	req, err := fireRequest(w, r)
	if err != nil {
		return nil, s.refusedBeforeTheTransaction(r, err)
	}
	x, err := s.store.Fire(r.Context(), a, req)
	s.metrics.transition(req.Event, err)
	return x, err
}

// fireRequest reads an event request: the exhibit from the path, the body, the
// Idempotency-Key, and the remembered token the transaction is to check.
func fireRequest(w http.ResponseWriter, r *http.Request) (store.FireRequest, error) {
	id, err := idParam(r)
	if err != nil {
		return store.FireRequest{}, err
	}
	body, err := readBody(w, r)
	if err != nil {
		return store.FireRequest{}, err
	}
	var in fireBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || dec.More() {
		return store.FireRequest{}, workflow.Errorf(workflow.CodeBadRequest,
			"请求内容应为 {\"event\", \"reason\", \"data\", \"version\"} 形式的 JSON："+jsonProblem(err),
			"the body must be JSON {\"event\", \"reason\", \"data\", \"version\"}: "+jsonProblem(err))
	}
	if in.Event == "" {
		return store.FireRequest{}, &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("必须指定事件", "event is required"),
			Fields: map[string]workflow.Text{"event": workflow.T("必须填写", "is required")}}
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if len(key) > 200 {
		return store.FireRequest{}, &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("幂等键过长", "Idempotency-Key is too long"),
			Fields: map[string]workflow.Text{"Idempotency-Key": workflow.T("最多 200 个字符", "at most 200 characters")}}
	}
	return store.FireRequest{ExhibitID: id, Event: in.Event, Reason: in.Reason, Data: in.Data, Version: in.Version,
		IdempotencyKey: key, Token: uncheckedToken(r)}, nil
}

func jsonProblem(err error) string {
	if err == nil {
		return "unexpected data after the object"
	}
	return err.Error()
}

func (s *Server) availableEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	a := actorOf(r)
	x, err := s.store.Exhibit(r.Context(), a, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, eventsBody{State: x.State, Version: x.Version, Events: workflow.Available(a, x),
		Actions: workflow.AvailableActions(a, x)})
	return nil
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r)
	if err != nil {
		return err
	}
	h, err := s.store.History(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, historyBody{Transitions: h})
	return nil
}
