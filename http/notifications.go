package http

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
)

func (s *Server) notificationRoutes() []route {
	return []route{
		{Method: "GET", Pattern: "/notifications", Summary: "The signed-in user's reminders, newest first (unread=1: only unread)",
			Access: signedIn, Handler: s.listNotifications, Query: []string{"unread", "before", "limit"}, Response: notificationsBody{}},
		{Method: "POST", Pattern: "/notifications/{id}/read", Summary: "Mark one of the user's reminders read",
			Access: signedIn, Handler: s.readNotification, Response: notificationJSON{}},
		{Method: "GET", Pattern: "/notifications/contact", Summary: "Where the user's reminders go besides the inbox",
			Access: signedIn, Handler: s.getContact, Response: store.Contact{}},
		{Method: "PUT", Pattern: "/notifications/contact", Summary: "Set the user's email address and webhook URL (empty: none)",
			Access: signedIn, Handler: s.putContact, Request: store.Contact{}, Response: store.Contact{}},
		{Method: "GET", Pattern: "/deliveries", Summary: "Outbox rows, newest first (dead=1: the dead letters only)",
			Access: only(workflow.Coordinator), Handler: s.listDeliveries, Query: []string{"dead", "limit"}, Response: deliveriesBody{}},
		{Method: "POST", Pattern: "/deliveries/{id}/retry", Summary: "Give a dead letter a fresh set of attempts",
			Access: only(workflow.Coordinator), Handler: s.retryDelivery, Status: http.StatusNoContent},
	}
}

// notificationJSON is one reminder as the API shows it, in the request's language.
type notificationJSON struct {
	ID        int64         `json:"id"`
	Kind      string        `json:"kind"`
	Subject   string        `json:"subject"`
	Body      string        `json:"body"`
	DueOn     workflow.Date `json:"due_on"`
	ExhibitID *int64        `json:"exhibit_id"`
	CreatedAt time.Time     `json:"created_at"`
	ReadAt    *time.Time    `json:"read_at"`
}

type notificationsBody struct {
	Notifications []notificationJSON `json:"notifications"`
	NextCursor    string             `json:"next_cursor"` // pass as before= for older ones; empty at the end
}

type deliveriesBody struct {
	Deliveries []store.DeliveryRow `json:"deliveries"`
}

func toNotificationJSON(n *store.Notification, l string) notificationJSON {
	return notificationJSON{ID: n.ID, Kind: n.Kind, Subject: n.Subject.In(l), Body: n.Body.In(l), DueOn: n.DueOn,
		ExhibitID: n.ExhibitID, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

// queryInt reads an optional non-negative integer parameter.
func queryInt(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, &workflow.Error{Code: workflow.CodeBadRequest, Message: workflow.T("参数有误", "bad parameter"),
			Fields: map[string]workflow.Text{name: workflow.T("应为非负整数", "must be a non-negative integer")}}
	}
	return n, nil
}

// boolParam reads a boolean parameter written 1/true or 0/false.
func boolParam(r *http.Request, name string) bool {
	v, _ := strconv.ParseBool(r.URL.Query().Get(name))
	return v
}

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) error {
	before, err := queryInt(r, "before")
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	if limit == 0 || limit > 200 {
		limit = 50
	}
	q := store.InboxQuery{Unread: boolParam(r, "unread"), Before: before, Limit: int(limit)}
	ns, err := s.store.Inbox(r.Context(), actorOf(r).UserID, q)
	if err != nil {
		return err
	}
	body := notificationsBody{Notifications: make([]notificationJSON, len(ns))}
	for i := range ns {
		body.Notifications[i] = toNotificationJSON(&ns[i], lang(r))
	}
	if len(ns) == q.Limit {
		body.NextCursor = strconv.FormatInt(ns[len(ns)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// pathID reads the {id} of a route, naming what is not found otherwise.
func pathID(r *http.Request, zh, en string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return 0, workflow.Errorf(workflow.CodeNotFound, zh, en)
	}
	return id, nil
}

func (s *Server) readNotification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "提醒不存在", "no such notification")
	if err != nil {
		return err
	}
	n, err := s.store.MarkRead(r.Context(), actorOf(r).UserID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toNotificationJSON(n, lang(r)))
	return nil
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.ContactOf(r.Context(), actorOf(r).UserID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) putContact(w http.ResponseWriter, r *http.Request) error {
	var c store.Contact
	if err := decodeStrict(w, r, &c); err != nil {
		return err
	}
	c, err := s.store.SetContact(r.Context(), actorOf(r).UserID, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	rows, err := s.store.Deliveries(r.Context(), boolParam(r, "dead"), int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, deliveriesBody{Deliveries: rows})
	return nil
}

func (s *Server) retryDelivery(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "没有这条失败投递", "no such dead letter")
	if err != nil {
		return err
	}
	if err := s.store.RetryDelivery(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
