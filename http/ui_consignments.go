package http

import (
	"net/http"
	"strconv"

	"bayu/store"
)

// consignmentsView is the list of items the centre sells for their holders.
type consignmentsView struct {
	page
	Items []consignmentRow
}

// consignmentRow is one consignment item as the list shows it.
type consignmentRow struct {
	store.ConsignmentItem
	Commission string // "12.5%", empty when none was agreed
}

func (s *uiServer) consignmentsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Consignments(r.Context(), actorOf(r))
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	v := &consignmentsView{page: page{Title: s.t(r, "consignments.title"), Nav: "consignments"}}
	for _, it := range list {
		row := consignmentRow{ConsignmentItem: it}
		if it.CommissionPct != nil {
			row.Commission = strconv.FormatFloat(*it.CommissionPct, 'f', -1, 64) + "%"
		}
		v.Items = append(v.Items, row)
	}
	s.render(w, r, http.StatusOK, "consignments", v)
}
