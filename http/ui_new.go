package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"bayu/store"
	"bayu/workflow"
)

// newExhibitView is the form for one item, in the order of the official list
// form's columns, with the unit to file it under for coordinators.
type newExhibitView struct {
	page
	Fields     []formField
	ChooseUnit bool
	Unit       string
	Units      []unitOption
	Error      string
	Leftover   []fieldLine
}

// formField is one input of the exhibit form.
type formField struct {
	Key      string // the exhibit JSON name, also the form field
	Kind     string // text, textarea, number, select
	Required bool   // the notice's form asks for it before an item can be reported
	Value    string
	Error    string
	Options  []option
}

// option is one choice of a select.
type option struct {
	Value string
	Label string
}

// exhibitFormFields are the inputs of the form, in the official form's order.
var exhibitFormFields = []formField{
	{Key: "name", Kind: "text", Required: true}, {Key: "category", Kind: "text", Required: true},
	{Key: "content_type", Kind: "select"}, {Key: "region", Kind: "text"},
	{Key: "valuation_text", Kind: "text"}, {Key: "era_type", Kind: "text"}, {Key: "era", Kind: "text"},
	{Key: "size_cm", Kind: "text"}, {Key: "weight_kg", Kind: "text"}, {Key: "quantity", Kind: "number", Required: true},
	{Key: "method", Kind: "select", Required: true}, {Key: "source_unit", Kind: "text", Required: true},
	{Key: "contact_name", Kind: "text", Required: true}, {Key: "contact_phone", Kind: "text", Required: true},
	{Key: "storage_conditions", Kind: "text"}, {Key: "description", Kind: "textarea", Required: true},
}

func (s *uiServer) newExhibitForm(r *http.Request) *newExhibitView {
	a := actorOf(r)
	l := apiLang(langOf(r))
	v := &newExhibitView{page: page{Title: s.t(r, "new.title"), Nav: "new"}, ChooseUnit: a.Role == workflow.Coordinator}
	if v.ChooseUnit {
		v.Units = unitOptions(langOf(r))
	}
	for _, f := range exhibitFormFields {
		switch f.Key {
		case "method":
			for _, m := range workflow.Methods {
				f.Options = append(f.Options, option{Value: string(m), Label: m.Label().In(l)})
			}
		case "content_type":
			for _, c := range []workflow.ContentType{workflow.CraftWork, workflow.Historical, workflow.ProductionEquipment, workflow.Competition} {
				f.Options = append(f.Options, option{Value: string(c), Label: c.Label().In(l)})
			}
		case "quantity":
			f.Value = "1"
		}
		v.Fields = append(v.Fields, f)
	}
	return v
}

func (s *uiServer) newExhibitPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "exhibit_new", s.newExhibitForm(r))
}

// newExhibitSubmit creates the exhibit, as the API's POST /exhibits would, and,
// when the user chose "save and report", reports it at once. A refused report
// leaves the item saved (mobilized) and shows its page with the report's reasons.
func (s *uiServer) newExhibitSubmit(w http.ResponseWriter, r *http.Request) {
	v := s.newExhibitForm(r)
	a := actorOf(r)
	body := postedFields(r, v.Fields)
	v.Unit = r.PostFormValue("district")
	if a.Role == workflow.District {
		v.Unit = a.District
	}
	body["district"] = v.Unit
	raw, _ := json.Marshal(body)
	in, err := workflow.DecodeCreate(raw)
	if err == nil {
		var x *workflow.Exhibit
		if x, err = s.store.CreateExhibit(r.Context(), a, in); err == nil {
			s.afterCreate(w, r, x)
			return
		}
	}
	var status int
	v.Error, status = s.reason(r, err)
	reasons := fieldReasons(r, err)
	shown := []string{"district"}
	for i := range v.Fields {
		v.Fields[i].Error = reasons[v.Fields[i].Key]
		shown = append(shown, v.Fields[i].Key)
	}
	if msg, ok := reasons["valuation_cny"]; ok { // the amount is read from the text the user typed
		v.Fields[fieldIndex("valuation_text")].Error = msg
		shown = append(shown, "valuation_cny")
	}
	v.Leftover = leftover(reasons, shown)
	if msg := reasons["district"]; msg != "" {
		v.Leftover = append(v.Leftover, fieldLine{Field: s.t(r, "field.district"), Message: msg})
	}
	s.render(w, r, status, "exhibit_new", v)
}

// postedFields reads the exhibit form's fields from a posted form: into
// fields, kept to show again after a refusal, and into the body the API's
// create would get (numbers as numbers when they parse).
func postedFields(r *http.Request, fields []formField) map[string]any {
	body := map[string]any{}
	for i := range fields {
		f := &fields[i]
		f.Value = strings.TrimSpace(r.PostFormValue(f.Key))
		if f.Value == "" {
			continue
		}
		body[f.Key] = f.Value
		switch f.Key {
		case "quantity":
			if n, err := strconv.Atoi(f.Value); err == nil {
				body[f.Key] = n
			}
		case "weight_kg":
			if kg, err := workflow.ParseWeight(f.Value); err == nil {
				body[f.Key] = kg
			}
		}
	}
	return body
}

func fieldIndex(key string) int {
	for i, f := range exhibitFormFields {
		if f.Key == key {
			return i
		}
	}
	return 0
}

// afterCreate goes to the new exhibit's page, reporting it first when asked.
func (s *uiServer) afterCreate(w http.ResponseWriter, r *http.Request, x *workflow.Exhibit) {
	id := strconv.FormatInt(x.ID, 10)
	if r.PostFormValue("then") != "report" {
		http.Redirect(w, r, "/exhibits/"+id+"?created=1", http.StatusSeeOther)
		return
	}
	_, err := s.store.Fire(r.Context(), actorOf(r), store.FireRequest{ExhibitID: x.ID, Event: workflow.Report, Version: &x.Version})
	s.metrics.transition(workflow.Report, err)
	if err == nil {
		http.Redirect(w, r, "/exhibits/"+id+"?fired=report", http.StatusSeeOther)
		return
	}
	v, verr := s.exhibitView(r, x.ID)
	if verr != nil {
		s.renderError(w, r, verr)
		return
	}
	f := v.form(workflow.Report)
	if f == nil {
		s.renderError(w, r, err)
		return
	}
	s.refused(w, r, v, f, err)
}
