package http

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

// dashboardView is the coordinators' overview of the campaign in force.
type dashboardView struct {
	page
	Campaign  *campaignTimeline // nil when no campaign is in force
	States    []workflow.State  // the count columns: states some unit has items in
	Units     []unitLine
	Totals    unitLine
	ChartData string // JSON for the chart script, in a data attribute
	Overdue   []overdueLine
	Dead      []store.DeliveryRow
	CanRetry  bool
}

// unitLine is one unit's row of the progress table.
type unitLine struct {
	Code        string
	Name        string
	Quota       int
	Reported    int
	Recommended int
	ShortBy     int
	Counts      []int // aligned with dashboardView.States
}

// overdueLine is an item whose return date has passed and that is still held.
type overdueLine struct {
	ID       int64
	Name     string
	District string
	Method   workflow.Method
	Due      workflow.Date
	DaysOver int
}

// chartData is what dashboard.js draws: recommended per unit against the quota.
type chartData struct {
	Units       []string `json:"units"`
	Recommended []int    `json:"recommended"`
	Short       []int    `json:"short"`
	Quota       []int    `json:"quota"`
	Labels      struct {
		Recommended string `json:"recommended"`
		Short       string `json:"short"`
		Quota       string `json:"quota"`
	} `json:"labels"`
}

func (s *uiServer) dashboardPage(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	lang := langOf(r)
	v := &dashboardView{page: page{Title: s.t(r, "dashboard.title"), Nav: "dashboard"}, CanRetry: a.Role == workflow.Coordinator}
	if r.URL.Query().Get("retried") != "" {
		v.Flash = s.t(r, "dashboard.retried")
	}
	now := s.store.Now()
	c, err := s.store.CurrentCampaign(r.Context())
	switch {
	case workflow.ErrorCode(err) == workflow.CodeNotFound:
	case err != nil:
		s.renderError(w, r, err)
		return
	default:
		p, err := s.store.CampaignProgress(r.Context(), a, c.ID)
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		v.Campaign = timeline(c, p, now, s.store.Location())
		v.progress(p, lang)
		v.ChartData = s.chartJSON(r, v.Units)
	}
	if v.Overdue, err = s.overdue(r); err != nil {
		s.renderError(w, r, err)
		return
	}
	if v.Dead, err = s.store.Deliveries(r.Context(), true, 50); err != nil {
		s.renderError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dashboard", v)
}

// progress fills the unit table, with a column for each state that has items.
func (v *dashboardView) progress(p *store.Progress, lang string) {
	for _, st := range stateOrder {
		for _, u := range p.Units {
			if u.Counts[st] > 0 {
				v.States = append(v.States, st)
				break
			}
		}
	}
	v.Totals = unitLine{Counts: make([]int, len(v.States))}
	for _, u := range p.Units {
		line := unitLine{Code: u.District, Name: unitName(u.District, lang), Quota: u.Quota, Reported: u.Reported,
			Recommended: u.Recommended, ShortBy: u.ShortBy}
		for i, st := range v.States {
			line.Counts = append(line.Counts, u.Counts[st])
			v.Totals.Counts[i] += u.Counts[st]
		}
		v.Totals.Quota += u.Quota
		v.Totals.Reported += u.Reported
		v.Totals.Recommended += u.Recommended
		v.Totals.ShortBy += u.ShortBy
		v.Units = append(v.Units, line)
	}
}

func (s *uiServer) chartJSON(r *http.Request, lines []unitLine) string {
	var d chartData
	for _, u := range lines {
		d.Units = append(d.Units, u.Name)
		d.Recommended = append(d.Recommended, u.Recommended)
		d.Short = append(d.Short, u.ShortBy)
		d.Quota = append(d.Quota, u.Quota)
	}
	d.Labels.Recommended = s.t(r, "dashboard.recommended")
	d.Labels.Short = s.t(r, "dashboard.short_by")
	d.Labels.Quota = s.t(r, "dashboard.quota")
	b, _ := json.Marshal(d)
	return string(b)
}

// overdue lists the held items whose return date (deposit return, original
// return of a replication, consignment term end) lies before today, most
// overdue first. The pending return reminders name exactly the items whose
// claim is not settled yet, so they are the list to read.
func (s *uiServer) overdue(r *http.Request) ([]overdueLine, error) {
	pending, err := s.store.PendingReturns(r.Context())
	if err != nil {
		return nil, err
	}
	today := campaign.Today(s.store.Now(), s.store.Location())
	var out []overdueLine
	for _, p := range pending {
		if !p.Due.Before(today) {
			continue
		}
		x, err := s.store.Exhibit(r.Context(), actorOf(r), p.ExhibitID)
		if err != nil {
			return nil, err
		}
		out = append(out, overdueLine{ID: x.ID, Name: x.Name, District: x.District, Method: x.Method, Due: p.Due,
			DaysOver: campaign.DaysBetween(p.Due, today)})
	}
	slices.SortStableFunc(out, func(a, b overdueLine) int { return b.DaysOver - a.DaysOver })
	return out, nil
}

// retrySubmit gives a dead letter another set of attempts.
func (s *uiServer) retrySubmit(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err == nil {
		err = s.store.RetryDelivery(r.Context(), id)
	} else {
		err = workflow.Errorf(workflow.CodeNotFound, "没有这条失败投递", "no such dead letter")
	}
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/dashboard?retried=1#dead", http.StatusSeeOther)
}
