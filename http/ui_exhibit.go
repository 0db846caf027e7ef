package http

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"bayu/store"
	"bayu/workflow"
)

// exhibitView is one exhibit: every field, the events this user may fire, the
// history as a timeline and the state diagram with the current state marked.
type exhibitView struct {
	page
	X          *workflow.Exhibit
	Sections   []fieldSection
	Forms      []*eventForm
	History    []historyRow
	DiagramURL string
	Back       string // where the list link goes: the queue for evaluators
	Custody    custodyView
}

// fieldSection is a titled group of label–value rows.
type fieldSection struct {
	Title string
	Rows  []fieldRow
}

// fieldRow is one field: its label and its value, both as shown.
type fieldRow struct {
	Label string
	Value string
	Wide  bool // long text: the row spans the grid
}

// historyRow is one transition as the timeline shows it.
type historyRow struct {
	store.HistoryEntry
	Details []fieldRow
}

// exhibitPage shows an exhibit, with a flash after an event was fired.
func (s *uiServer) exhibitPage(w http.ResponseWriter, r *http.Request) {
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
	if ev := workflow.Event(r.URL.Query().Get("fired")); workflow.KnownEvent(ev) {
		v.Flash = s.t(r, "exhibit.fired", "Event", ev.Label().In(apiLang(langOf(r))))
	}
	if r.URL.Query().Get("created") != "" {
		v.Flash = s.t(r, "exhibit.created")
	}
	s.render(w, r, http.StatusOK, "exhibit", v)
}

// exhibitView reads the exhibit and its history as the actor may see them.
func (s *uiServer) exhibitView(r *http.Request, id int64) (*exhibitView, error) {
	a := actorOf(r)
	x, err := s.store.Exhibit(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	h, err := s.store.History(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	x = view(a, x)
	lang := langOf(r)
	tf := func(key string) string { return s.t(r, key) }
	label := func(k string) string { // a data key this UI does not know is shown by its name
		if s.ui.tr.has("data." + k) {
			return tf("data." + k)
		}
		return k
	}
	v := &exhibitView{page: page{Title: x.Name, Nav: "exhibits"}, X: x, Sections: sections(x, lang, tf), Back: "/exhibits",
		DiagramURL: "/ui/diagram?" + url.Values{"state": {string(x.State)}, "lang": {lang}}.Encode()}
	if a.Role == workflow.Evaluator {
		v.Back, v.Nav = "/queue", "queue"
	}
	for _, n := range append(workflow.Available(a, x), workflow.AvailableActions(a, x)...) {
		v.Forms = append(v.Forms, newEventForm(x, n))
	}
	if err := s.fillOptions(r, v.Forms); err != nil {
		return nil, err
	}
	if v.Custody, err = s.custody(r, x); err != nil {
		return nil, err
	}
	for i := len(h) - 1; i >= 0; i-- { // newest first: what happened last is what people look for
		v.History = append(v.History, historyRow{HistoryEntry: h[i], Details: dataRows(h[i].Data, label, tf, lang)})
	}
	return v, nil
}

// sections lays out every field of the exhibit: the form's sixteen columns, then
// what the centre added (evaluation, agreement, custody) once there is any.
func sections(x *workflow.Exhibit, lang string, tf func(string) string) []fieldSection {
	l := apiLang(lang)
	form := fieldSection{Title: "exhibit.section.form", Rows: []fieldRow{
		{Label: "field.district", Value: unitName(x.District, lang)},
		{Label: "field.name", Value: x.Name},
		{Label: "field.category", Value: x.Category},
		{Label: "field.content_type", Value: x.ContentType.Label().In(l)},
		{Label: "field.region", Value: x.Region},
		{Label: "field.valuation", Value: valuation(x)},
		{Label: "field.era_type", Value: x.EraType},
		{Label: "field.era", Value: x.Era},
		{Label: "field.size_cm", Value: x.SizeCM},
		{Label: "field.weight_kg", Value: formatFloat(x.WeightKG)},
		{Label: "field.quantity", Value: strconv.Itoa(x.Quantity)},
		{Label: "field.method", Value: x.Method.Label().In(l)},
		{Label: "field.source_unit", Value: x.SourceUnit},
		{Label: "field.contact_name", Value: x.ContactName},
		{Label: "field.contact_phone", Value: x.ContactPhone},
		{Label: "field.storage_conditions", Value: x.StorageConditions},
		{Label: "field.intake", Value: intakeLabel(x.Intake, tf)},
		{Label: "field.description", Value: x.Description, Wide: true},
	}}
	out := []fieldSection{form}
	if e := x.Evaluation; e != nil {
		out = append(out, fieldSection{Title: "exhibit.section.evaluation", Rows: []fieldRow{
			{Label: "data.score", Value: strconv.Itoa(e.Score)},
			{Label: "data.authentic", Value: yesNo(e.Authentic, tf)},
			{Label: "data.no_classified", Value: yesNo(e.NoClassified, tf)},
			{Label: "data.no_infringement", Value: yesNo(e.NoInfringement, tf)},
			{Label: "exhibit.evaluated_by", Value: e.By + " · " + formatTime(e.At)},
			{Label: "data.comment", Value: e.Comment, Wide: true},
		}})
	}
	if g := x.Agreement; g != nil {
		out = append(out, fieldSection{Title: "exhibit.section.agreement", Rows: nonEmpty(append(agreementRows(g, lang), []fieldRow{
			{Label: "data.signed_on", Value: dateOrEmpty(g.SignedOn)},
			{Label: "data.parties", Value: g.Parties},
			{Label: "data.return_due", Value: dateOrEmpty(g.ReturnDue)},
			{Label: "data.original_return_due", Value: dateOrEmpty(g.OriginalReturnDue)},
			{Label: "data.asking_price_cny", Value: yuanOrEmpty(g.AskingPriceCNY)},
			{Label: "data.term_end", Value: dateOrEmpty(g.TermEnd)},
		}...))})
	}
	c := x.Custody
	if rows := nonEmpty([]fieldRow{
		{Label: "data.location", Value: c.Location},
		{Label: "data.original_returned_on", Value: dateOrEmpty(c.OriginalReturnedOn)},
		{Label: "data.venue", Value: c.DisplayVenue},
		{Label: "data.from", Value: dateOrEmpty(c.DisplayFrom)},
		{Label: "data.until", Value: dateOrEmpty(c.DisplayUntil)},
		{Label: "data.returned_on", Value: dateOrEmpty(c.ReturnedOn)},
		{Label: "data.receipt", Value: c.Receipt},
		{Label: "data.price_cny", Value: yuanOrEmpty(c.SoldPriceCNY)},
		{Label: "data.sold_on", Value: dateOrEmpty(c.SoldOn)},
	}); len(rows) > 0 {
		out = append(out, fieldSection{Title: "exhibit.section.custody", Rows: rows})
	}
	for i := range out {
		out[i].Title = tf(out[i].Title)
		for j := range out[i].Rows {
			out[i].Rows[j].Label = tf(out[i].Rows[j].Label)
		}
	}
	return out
}

func intakeLabel(in workflow.Intake, tf func(string) string) string {
	if in == "" {
		return ""
	}
	return tf("intake." + string(in))
}

// valuation shows the amount and, when it differs, the text as the district wrote it.
func valuation(x *workflow.Exhibit) string {
	v := formatYuan(x.ValuationCNY)
	if x.ValuationText != "" && x.ValuationText != v {
		v += "（" + x.ValuationText + "）"
	}
	return v
}

func yesNo(b bool, tf func(string) string) string {
	if b {
		return tf("common.yes")
	}
	return tf("common.no")
}

func dateOrEmpty(d workflow.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func yuanOrEmpty(v *int64) string {
	if v == nil {
		return ""
	}
	return formatYuan(v)
}

func nonEmpty(rows []fieldRow) []fieldRow {
	return slices.DeleteFunc(rows, func(r fieldRow) bool { return r.Value == "" })
}

// dataRows shows a transition's data: each key with its label, booleans as
// yes/no, everything else as the text it was given.
func dataRows(raw json.RawMessage, label, tf func(string) string, lang string) []fieldRow {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []fieldRow
	for _, k := range keys {
		var val string
		switch x := m[k].(type) {
		case bool:
			val = yesNo(x, tf)
		case float64:
			val = strconv.FormatFloat(x, 'f', -1, 64)
		case string:
			val = x
			if k == "district" {
				val = unitName(x, lang)
			}
		default:
			b, _ := json.Marshal(x)
			val = string(b)
		}
		out = append(out, fieldRow{Label: label(k), Value: val, Wide: len(val) > 60})
	}
	return out
}
