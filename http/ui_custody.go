package http

import (
	"net/http"
	"strconv"

	"bayu/store"
	"bayu/workflow"
)

// custodyView is the exhibit page's part about an accepted item: the link to
// its printable agreement and where it has been.
type custodyView struct {
	AgreementURL string
	Moves        []store.Movement
}

// custody reads the custody part of x's page: nothing before an agreement.
func (s *uiServer) custody(r *http.Request, x *workflow.Exhibit) (custodyView, error) {
	var v custodyView
	if x.Agreement == nil {
		return v, nil
	}
	v.AgreementURL = "/exhibits/" + strconv.FormatInt(x.ID, 10) + "/agreement"
	h, err := s.store.Locations(r.Context(), actorOf(r), x.ID)
	if err != nil {
		return v, err
	}
	v.Moves = h.Movements
	return v, nil
}

// fillOptions gives the select inputs of the forms their choices: the
// donation's two forms, and the exhibitions that have not ended yet.
func (s *uiServer) fillOptions(r *http.Request, forms []*eventForm) error {
	l := apiLang(langOf(r))
	var shows []store.Exhibition
	loaded := false
	for _, f := range forms {
		for i := range f.Inputs {
			in := &f.Inputs[i]
			switch in.Kind {
			case "choice":
				for _, v := range []string{workflow.DonatedOriginal, workflow.DonatedCopy} {
					in.Options = append(in.Options, option{Value: v, Label: workflow.DonationFormLabel(v).In(l)})
				}
			case "exhibition":
				if !loaded {
					all, err := s.store.Exhibitions(r.Context())
					if err != nil {
						return err
					}
					today := workflow.DateOf(s.store.Now().In(s.store.Location()))
					for _, e := range all {
						if !e.EndsOn.Before(today) {
							shows = append(shows, e)
						}
					}
					loaded = true
				}
				for _, e := range shows {
					in.Options = append(in.Options, option{Value: strconv.FormatInt(e.ID, 10),
						Label: e.Title + "（" + venueName(e, l) + "，" + e.StartsOn.String() + " – " + e.EndsOn.String() + "）"})
				}
			}
		}
	}
	return nil
}

// venueName is the exhibition's venue in the language.
func venueName(e store.Exhibition, lang string) string {
	if lang == "en" && e.VenueEN != "" {
		return e.VenueEN
	}
	return e.Venue
}

// agreementRows are the agreement section's rows beyond the dates: the
// number, the donation's form and the consignment's commission.
func agreementRows(g *workflow.Agreement, lang string) []fieldRow {
	rows := []fieldRow{{Label: "data.number", Value: g.Number}}
	if g.DonationForm != "" {
		rows = append(rows, fieldRow{Label: "data.donation_form", Value: workflow.DonationFormLabel(g.DonationForm).In(apiLang(lang))})
	}
	if g.CommissionPct != nil {
		rows = append(rows, fieldRow{Label: "data.commission_pct", Value: strconv.FormatFloat(*g.CommissionPct, 'f', -1, 64) + "%"})
	}
	return rows
}
