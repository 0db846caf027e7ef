package http

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"

	"bayu/store"
	"bayu/workflow"
)

// dataKinds says how the form asks for each event datum (CONTRACT.md "Event data
// keys"): a date picker for dates, a checkbox for the three checks, a number for
// amounts and the score. A test checks that every key the workflow can ask for
// is here, so a new datum cannot reach the page without an input.
var dataKinds = map[string]string{
	"score": "number", "authentic": "check", "no_classified": "check", "no_infringement": "check",
	"comment": "textarea", "signed_on": "date", "parties": "text", "return_due": "date",
	"original_return_due": "date", "asking_price_cny": "number", "term_end": "date", "location": "text",
	"original_returned_on": "date", "venue": "text", "from": "date", "until": "date",
	"returned_on": "date", "receipt": "text", "price_cny": "number", "sold_on": "date",
	"donation_form": "choice", "commission_pct": "decimal", "exhibition": "exhibition",
}

// numberRange bounds the number inputs as the workflow does.
var numberRange = map[string][2]string{
	"score": {"0", "100"}, "asking_price_cny": {"0", ""}, "price_cny": {"0", ""}, "commission_pct": {"0", "100"},
}

// eventForm is the form of one event the user may fire.
type eventForm struct {
	Event    workflow.Event
	Inputs   []formInput
	Version  int64
	Key      string // idempotency key: a double click fires once
	Open     bool   // shown unfolded: it was just refused
	Error    string // the server's reason, in the user's language
	Leftover []fieldLine
	Danger   bool // the event ends or turns back the item's way
}

// formInput is one input of an event form, with what the user typed.
type formInput struct {
	Key      string // data key, or "reason"
	Name     string // the form field: data.<key> or reason
	Kind     string // number, check, date, text, textarea
	Min, Max string
	Value    string
	Checked  bool
	Error    string
	Options  []option // choice and exhibition: what may be picked (ui_custody.go fills them)
}

// dangerous events end the item's way or send it back: their button looks different.
var dangerous = map[workflow.Event]bool{
	workflow.Decline: true, workflow.Reject: true, workflow.Withdraw: true,
}

// newEventForm builds the empty form of an event for x.
func newEventForm(x *workflow.Exhibit, n workflow.EventNeeds) *eventForm {
	f := &eventForm{Event: n.Event, Version: x.Version, Key: newKey(), Danger: dangerous[n.Event]}
	if n.Reason {
		f.Inputs = append(f.Inputs, formInput{Key: "reason", Name: "reason", Kind: "textarea"})
	}
	for _, k := range n.Data {
		in := formInput{Key: k, Name: "data." + k, Kind: dataKinds[k]}
		if in.Kind == "" {
			in.Kind = "text"
		}
		if rg, ok := numberRange[k]; ok {
			in.Min, in.Max = rg[0], rg[1]
		}
		f.Inputs = append(f.Inputs, in)
	}
	return f
}

func newKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "ui-" + hex.EncodeToString(b)
}

// fill copies what the user typed into the form, so a refusal keeps it.
func (f *eventForm) fill(r *http.Request) {
	for i := range f.Inputs {
		in := &f.Inputs[i]
		in.Value = r.PostFormValue(in.Name)
		in.Checked = in.Value != ""
	}
	f.Key = r.PostFormValue("key")
}

// request turns the posted form into the event request the API would get. A
// value that is not what its input should give (a score of "abc") is passed on
// as text, so the workflow refuses it with its own reason; an empty input is
// left out, so the workflow says it is required.
func (f *eventForm) request(r *http.Request) (reason string, data map[string]json.RawMessage) {
	data = map[string]json.RawMessage{}
	for _, in := range f.Inputs {
		v := strings.TrimSpace(r.PostFormValue(in.Name))
		switch {
		case in.Key == "reason":
			reason = v
		case in.Kind == "check":
			data[in.Key] = json.RawMessage(strconv.FormatBool(v != ""))
		case v == "":
		case in.Kind == "number" || in.Kind == "exhibition":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				data[in.Key] = json.RawMessage(strconv.FormatInt(n, 10))
				continue
			}
			fallthrough
		case in.Kind == "decimal":
			if n, err := strconv.ParseFloat(v, 64); err == nil && !math.IsInf(n, 0) && !math.IsNaN(n) {
				data[in.Key] = json.RawMessage(strconv.FormatFloat(n, 'f', -1, 64))
				continue
			}
			b, _ := json.Marshal(v)
			data[in.Key] = b
		default:
			b, _ := json.Marshal(v)
			data[in.Key] = b
		}
	}
	return reason, data
}

// fireSubmit fires the event of a posted form. A refusal shows the exhibit page
// again with that form open, what was typed kept, and the server's reasons
// beside the inputs they concern.
func (s *uiServer) fireSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v, err := s.exhibitView(r, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	ev := workflow.Event(r.PostFormValue("event"))
	f := v.form(ev)
	if f == nil {
		// The event is not open to this user now (someone else moved the item):
		// build its form anyway so the refusal has a place to be shown.
		f = newEventForm(v.X, workflow.Needs(v.X, ev))
		v.Forms = append(v.Forms, f)
	}
	reason, data := f.request(r)
	req := store.FireRequest{ExhibitID: id, Event: ev, Reason: reason, Data: data, IdempotencyKey: r.PostFormValue("key")}
	if n, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64); err == nil {
		req.Version = &n
	}
	_, err = s.store.Fire(r.Context(), actorOf(r), req)
	s.metrics.transition(ev, err)
	if err == nil {
		dest := "/exhibits/" + strconv.FormatInt(id, 10) + "?fired=" + string(ev)
		if r.PostFormValue("back") == "queue" {
			dest = "/queue?fired=" + strconv.FormatInt(id, 10)
		}
		http.Redirect(w, r, dest, http.StatusSeeOther)
		return
	}
	f.fill(r)
	s.refused(w, r, v, f, err)
}

// refused shows the exhibit page with form f open and the server's reasons for
// refusing it: the message above the form, each field's beside its input, and
// those about fields the form does not have listed under the message.
func (s *uiServer) refused(w http.ResponseWriter, r *http.Request, v *exhibitView, f *eventForm, err error) {
	f.Open = true
	var status int
	f.Error, status = s.reason(r, err)
	reasons := fieldReasons(r, err)
	var shown []string
	for i := range f.Inputs {
		in := &f.Inputs[i]
		in.Error = reasons[in.Name]
		shown = append(shown, in.Name)
	}
	f.Leftover = leftover(reasons, shown)
	for i := range f.Leftover {
		f.Leftover[i].Field = fieldLabel(s, r, f.Leftover[i].Field)
	}
	if workflow.ErrorCode(err) == workflow.CodeVersionConflict {
		f.Version = v.X.Version // the page now shows the current exhibit: let the user try again on it
	}
	s.render(w, r, status, "exhibit", v)
}

// form is the exhibit page's form of ev, nil when the user may not fire it.
func (v *exhibitView) form(ev workflow.Event) *eventForm {
	for _, f := range v.Forms {
		if f.Event == ev {
			return f
		}
	}
	return nil
}

// fieldLabel names a field the server complained about: data.x and
// evaluation.x by their labels, exhibit fields by the form's column names.
func fieldLabel(s *uiServer, r *http.Request, field string) string {
	key := field
	switch {
	case strings.HasPrefix(field, "data."):
	case strings.HasPrefix(field, "evaluation."):
		key = "data." + strings.TrimPrefix(field, "evaluation.")
	default:
		key = "field." + field
	}
	if !s.ui.tr.has(key) {
		return field
	}
	return s.t(r, key)
}
