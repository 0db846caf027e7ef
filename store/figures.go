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
// reported), and as recommended while the district's recommendation stands:
// recommended or any state after it, withdrawn excepted.
const (
	reportedCond = `(x.state NOT IN ('mobilized', 'withdrawn') OR (x.state = 'withdrawn' AND EXISTS (
		SELECT 1 FROM exhibit_history h WHERE h.exhibit_id = x.id AND h.event = 'report')))`
	recommendedCond = `x.state IN ('district_recommended', 'evaluated', 'accepted', 'rejected',
		'agreement_signed', 'replicating', 'stored', 'on_display', 'returned', 'sold')`
	inCampaign = `x.district = u.code AND x.intake = 'campaign' AND x.created_at >= $1 AND x.created_at < $2`
)

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
	Code        string `db:"code"`
	Name        string `db:"name_zh"`
	Kind        string `db:"kind"`
	Quota       int    `db:"quota"`
	Reported    int    `db:"reported"`
	Recommended int    `db:"recommended"`
}

// unitFigures are every unit's figures in c, ordered by unit code.
func (s *Store) unitFigures(ctx context.Context, q sqlx.QueryerContext, c *campaign.Campaign) ([]campaign.UnitFigures, error) {
	from, until, err := s.campaignWindow(ctx, q, c)
	if err != nil {
		return nil, err
	}
	var rows []figureRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT u.code, u.name_zh, u.kind, u.quota,
		count(x.id) FILTER (WHERE `+reportedCond+`) AS reported,
		count(x.id) FILTER (WHERE `+recommendedCond+`) AS recommended
		FROM units u LEFT JOIN exhibits x ON `+inCampaign+`
		GROUP BY u.code ORDER BY u.code`, from, until); err != nil {
		return nil, err
	}
	out := make([]campaign.UnitFigures, len(rows))
	for i, r := range rows {
		out[i] = campaign.UnitFigures{District: r.Code, Name: bureauName(r.Name, r.Kind),
			Reported: r.Reported, Recommended: r.Recommended, Quota: r.Quota}
	}
	return out, nil
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
	figures, err := s.unitFigures(ctx, s.db, &c.Campaign)
	if err != nil {
		return nil, classify(err)
	}
	from, until, err := s.campaignWindow(ctx, s.db, &c.Campaign)
	if err != nil {
		return nil, classify(err)
	}
	var counts []struct {
		Code  string         `db:"code"`
		State workflow.State `db:"state"`
		N     int            `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &counts, `SELECT u.code, x.state, count(*) AS n
		FROM units u JOIN exhibits x ON `+inCampaign+` GROUP BY u.code, x.state`, from, until); err != nil {
		return nil, classify(err)
	}
	byUnit := map[string]map[workflow.State]int{}
	for _, r := range counts {
		if byUnit[r.Code] == nil {
			byUnit[r.Code] = map[workflow.State]int{}
		}
		byUnit[r.Code][r.State] = r.N
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
