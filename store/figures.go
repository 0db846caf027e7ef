package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// A unit's campaign figures count the exhibits of its campaign: tagged intake
// campaign and created in the campaign's window, which runs from the previous
// campaign's list close (or the beginning) to this campaign's. An item counts
// as reported once it left mobilized (a withdrawn one only if it had been
// reported: exhibits.ever_reported), and as recommended while the district's
// recommendation stands: recommended or any state after it, withdrawn excepted.
var recommendedStates = map[workflow.State]bool{
	workflow.DistrictRecommended: true, workflow.Evaluated: true, workflow.Accepted: true, workflow.Rejected: true,
	workflow.AgreementSigned: true, workflow.Replicating: true, workflow.Stored: true, workflow.OnDisplay: true,
	workflow.Returned: true, workflow.Sold: true,
}

func isReported(state workflow.State, ever bool) bool {
	return (state != workflow.Mobilized && state != workflow.Withdrawn) || (state == workflow.Withdrawn && ever)
}

// campaignWindow is the span of creation times whose exhibits belong to c.
func (s *Store) campaignWindow(ctx context.Context, q sqlx.QueryerContext, c *campaign.Campaign) (from, until time.Time, err error) {
	rec, _ := c.Phase(campaign.PhaseRecommend)
	until = rec.End(s.loc)
	var prev workflow.Date
	err = sqlx.GetContext(ctx, q, &prev, `SELECT max(recommend_ends_on) FROM campaigns WHERE year < $1`, c.Year)
	if err != nil {
		return
	}
	if prev.IsZero() {
		return time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), until, nil
	}
	return prev.AddDays(1).In(s.loc), until, nil
}

type figureRow struct {
	Code  string `db:"code"`
	Name  string `db:"name_zh"`
	Kind  string `db:"kind"`
	Quota int    `db:"quota"`
}

// unitFigures are every unit's figures in c, ordered by unit code, with the
// counts by state they come from.
func (s *Store) unitFigures(ctx context.Context, q sqlx.QueryerContext, c *campaign.Campaign) ([]campaign.UnitFigures, error) {
	figures, _, err := s.figuresAndCounts(ctx, q, c)
	return figures, err
}

func (s *Store) figuresAndCounts(ctx context.Context, q sqlx.QueryerContext, c *campaign.Campaign) ([]campaign.UnitFigures, map[string]map[workflow.State]int, error) {
	from, until, err := s.campaignWindow(ctx, q, c)
	if err != nil {
		return nil, nil, err
	}
	var units []figureRow
	if err := sqlx.SelectContext(ctx, q, &units, `SELECT code, name_zh, kind, quota FROM units ORDER BY code`); err != nil {
		return nil, nil, err
	}
	counts, err := campaignCounts(ctx, q, from, until)
	if err != nil {
		return nil, nil, err
	}
	byUnit := map[string]map[workflow.State]int{}
	reported, recommended := map[string]int{}, map[string]int{}
	for _, r := range counts {
		st := workflow.State(r.State)
		if byUnit[r.District] == nil {
			byUnit[r.District] = map[workflow.State]int{}
		}
		byUnit[r.District][st] += r.N
		if isReported(st, r.Reported) {
			reported[r.District] += r.N
		}
		if recommendedStates[st] {
			recommended[r.District] += r.N
		}
	}
	out := make([]campaign.UnitFigures, len(units))
	for i, u := range units {
		out[i] = campaign.UnitFigures{District: u.Code, Name: bureauName(u.Name, u.Kind),
			Reported: reported[u.Code], Recommended: recommended[u.Code], Quota: u.Quota}
	}
	return out, byUnit, nil
}

// bureauName is how a notice addresses a unit: its human resources bureau
// (万州区人力社保局), or the unit's own name for those outside Chongqing.
func bureauName(name, kind string) string {
	if kind == "outside" {
		return name
	}
	return name + "人力社保局"
}

// UnitProgress is one unit's line of a campaign's progress.
type UnitProgress struct {
	District    string                 `json:"district"`
	Name        string                 `json:"name"`
	Quota       int                    `json:"quota"`
	Counts      map[workflow.State]int `json:"counts"`
	Reported    int                    `json:"reported"`
	Recommended int                    `json:"recommended"`
	ShortBy     int                    `json:"short_by"`
}

// Progress is where a campaign stands: its current phase (empty between and
// outside phases) and every unit's figures.
type Progress struct {
	CampaignID int64             `json:"campaign_id"`
	Phase      campaign.PhaseKey `json:"phase"`
	DaysLeft   int               `json:"days_left"` // in the current phase, counting today
	Units      []UnitProgress    `json:"units"`
}

// CampaignProgress returns the campaign's progress per unit. A district user
// sees its own unit's line only.
func (s *Store) CampaignProgress(ctx context.Context, a workflow.Actor, id int64) (*Progress, error) {
	c, err := s.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	figures, byUnit, err := s.figuresAndCounts(ctx, s.db, &c.Campaign)
	if err != nil {
		return nil, classify(err)
	}
	p := &Progress{CampaignID: c.ID, Units: []UnitProgress{}}
	now := s.Now()
	if ph, ok := c.PhaseAt(now, s.loc); ok {
		p.Phase, p.DaysLeft = ph.Key, ph.DaysLeft(now, s.loc)
	}
	for _, f := range figures {
		if a.Role == workflow.District && a.District != f.District {
			continue
		}
		cs := byUnit[f.District]
		if cs == nil {
			cs = map[workflow.State]int{}
		}
		p.Units = append(p.Units, UnitProgress{District: f.District, Name: f.Name, Quota: f.Quota, Counts: cs,
			Reported: f.Reported, Recommended: f.Recommended, ShortBy: f.ShortBy()})
	}
	return p, nil
}
