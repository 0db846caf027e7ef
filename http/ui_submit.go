package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"

	"bayu/store"
	"bayu/workflow"
)

// The public submission form (在线报送): a holder offers an item in the
// official form's fields, choosing the unit it belongs to or 市外; it lands
// reported in that unit and the holder is shown a receipt number. Posts are
// counted per client address and hour (store.CountSubmitAttempt), and a field
// no person sees catches form-filling robots: a post that fills it is thanked
// and dropped.

// honeypot is the hidden field's name: plausible to a robot, not one a
// browser's autofill knows.
const honeypot = "homepage_url"

// submitView is the public form, as typed after a refusal.
type submitView struct {
	page
	Fields   []formField
	Units    []unitOption
	Unit     string
	Honeypot string
	Error    string
	Leftover []fieldLine
}

// submitDoneView thanks the holder and shows the receipt number.
type submitDoneView struct {
	page
	Receipt string
}

func (s *uiServer) submitForm(r *http.Request) *submitView {
	return &submitView{page: page{Title: s.t(r, "submit.title"), Nav: "submit"}, Fields: s.newExhibitForm(r).Fields,
		Units: unitOptions(langOf(r)), Honeypot: honeypot}
}

func (s *uiServer) submitPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "submit", s.submitForm(r))
}

// submitPost takes an offer: counted first, so that robots spend their own
// allowance too; then the honeypot; then the item, reported in its unit.
func (s *uiServer) submitPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	v := s.submitForm(r)
	addr, _ := store.RequestMeta(r.Context())
	err := s.store.CountSubmitAttempt(r.Context(), addr, s.opts.SubmitLimit)
	if err == nil && r.PostFormValue(honeypot) != "" {
		s.log.InfoContext(r.Context(), "public submission dropped: honeypot filled")
		http.Redirect(w, r, "/submit/thanks", http.StatusSeeOther)
		return
	}
	var receipt string
	if err == nil {
		body := postedFields(r, v.Fields)
		v.Unit = r.PostFormValue("district")
		body["district"] = v.Unit
		raw, _ := json.Marshal(body)
		var in workflow.CreateInput
		if in, err = workflow.DecodeCreate(raw); err == nil {
			receipt, err = s.store.SubmitPublic(r.Context(), in)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/submit/thanks?"+url.Values{"receipt": {receipt}}.Encode(), http.StatusSeeOther)
		return
	}
	var status int
	v.Error, status = s.reason(r, err)
	reasons := fieldReasons(r, err)
	shown := []string{}
	for i := range v.Fields {
		v.Fields[i].Error = reasons[v.Fields[i].Key]
		shown = append(shown, v.Fields[i].Key)
	}
	v.Leftover = leftover(reasons, shown)
	for i := range v.Leftover {
		v.Leftover[i].Field = fieldLabel(s, r, v.Leftover[i].Field)
	}
	s.render(w, r, status, "submit", v)
}

// receiptRE is the shape of a receipt number; the thanks page shows nothing else.
var receiptRE = regexp.MustCompile(`^GZ[0-9]{8}-[0-9]{6,}$`)

func (s *uiServer) submitThanks(w http.ResponseWriter, r *http.Request) {
	v := &submitDoneView{page: page{Title: s.t(r, "submit.title"), Nav: "submit"}}
	if rc := r.URL.Query().Get("receipt"); receiptRE.MatchString(rc) {
		v.Receipt = rc
	}
	s.render(w, r, http.StatusOK, "submit_done", v)
}
