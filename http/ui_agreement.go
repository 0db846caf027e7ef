package http

import (
	"net/http"
	"strconv"

	"bayu/store"
	"bayu/workflow"
)

// agreementView is the printable agreement of one exhibit: the document the
// centre and the holder sign, in the words of the notice's method (六、征集方式),
// with the parties, the item and the terms filled in.
type agreementView struct {
	page
	X        *workflow.Exhibit
	A        *store.AgreementRecord
	Heading  string     // the document's title for the method
	Item     []fieldRow // the item as the list form describes it
	Clauses  []string   // numbered terms, translated, the values filled in
	DueDates []dueRow   // every return date agreed, when there was more than one
	Holder   []fieldRow // the holder's contact (the phone as the role may see it)
	Back     string     // the exhibit page
}

// dueRow is one return date of the agreement and when it was agreed.
type dueRow struct {
	Due, Agreed, How, Reason string
}

// agreementPage shows the agreement of an exhibit that has one.
func (s *uiServer) agreementPage(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	a := actorOf(r)
	rec, err := s.store.Agreement(r.Context(), a, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	x, err := s.store.Exhibit(r.Context(), a, id)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	x = view(a, x)
	lang := langOf(r)
	tf := func(key string, kv ...any) string { return s.t(r, key, kv...) }
	v := &agreementView{page: page{Title: rec.Number, Nav: "exhibits"}, X: x, A: rec,
		Heading: tf("agreement.title." + string(x.Method)), Back: "/exhibits/" + strconv.FormatInt(x.ID, 10)}
	v.Item = translateLabels(nonEmpty([]fieldRow{
		{Label: "field.name", Value: x.Name}, {Label: "field.category", Value: x.Category},
		{Label: "field.content_type", Value: x.ContentType.Label().In(apiLang(lang))}, {Label: "field.region", Value: x.Region},
		{Label: "field.era", Value: x.Era}, {Label: "field.size_cm", Value: x.SizeCM},
		{Label: "field.weight_kg", Value: weightOrEmpty(x.WeightKG)}, {Label: "field.quantity", Value: strconv.Itoa(x.Quantity)},
		{Label: "field.valuation", Value: valuation(x)}, {Label: "field.storage_conditions", Value: x.StorageConditions},
		{Label: "field.district", Value: unitName(x.District, lang)},
		{Label: "field.description", Value: x.Description, Wide: true},
	}), tf)
	v.Holder = translateLabels(nonEmpty([]fieldRow{
		{Label: "field.contact_name", Value: x.ContactName}, {Label: "field.contact_phone", Value: x.ContactPhone},
	}), tf)
	v.Clauses = clauses(rec, tf, lang)
	if len(rec.DueDates) > 1 {
		for i, d := range rec.DueDates {
			how := tf("agreement.due_signed")
			if i > 0 {
				how = d.Event.Label().In(apiLang(lang))
				if d.Event == store.RenewEvent {
					how = tf("agreement.due_renewed")
				}
			}
			v.DueDates = append(v.DueDates, dueRow{Due: d.Due.String(), Agreed: formatTime(d.At), How: how, Reason: d.Reason})
		}
	}
	s.render(w, r, http.StatusOK, "agreement", v)
}

// clauses are the agreement's terms for its method, values filled in.
func clauses(rec *store.AgreementRecord, tf func(string, ...any) string, lang string) []string {
	g := rec.Agreement
	var out []string
	switch rec.Method {
	case workflow.Donation:
		out = append(out, tf("agreement.donation.give", "Form", workflow.DonationFormLabel(g.DonationForm).In(apiLang(lang))),
			tf("agreement.donation.use"))
	case workflow.Deposit:
		out = append(out, tf("agreement.deposit.keep", "Due", g.ReturnDue.String()), tf("agreement.deposit.care"),
			tf("agreement.deposit.extend"))
	case workflow.Replication:
		out = append(out, tf("agreement.replication.copy"), tf("agreement.replication.return", "Due", g.OriginalReturnDue.String()))
	case workflow.Consignment:
		out = append(out, tf("agreement.consignment.sell", "Price", formatYuan(g.AskingPriceCNY)))
		if g.CommissionPct != nil && *g.CommissionPct > 0 {
			out = append(out, tf("agreement.consignment.commission", "Pct", strconv.FormatFloat(*g.CommissionPct, 'f', -1, 64)))
		} else {
			out = append(out, tf("agreement.consignment.no_commission"))
		}
		out = append(out, tf("agreement.consignment.term", "Due", g.TermEnd.String()))
	}
	return append(out, tf("agreement.warranty"), tf("agreement.copies"))
}

func translateLabels(rows []fieldRow, tf func(string, ...any) string) []fieldRow {
	for i := range rows {
		rows[i].Label = tf(rows[i].Label)
	}
	return rows
}

func weightOrEmpty(v *float64) string {
	if v == nil {
		return ""
	}
	return formatFloat(v)
}
