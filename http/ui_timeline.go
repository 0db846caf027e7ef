package http

import (
	"time"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

// campaignTimeline is the campaign's calendar drawn as a bar: one segment per
// phase on a scale of 1000 units (the SVG's viewBox width), with today marked.
// The geometry is computed here and written as SVG attributes, because the
// pages' policy allows no inline styles to position anything.
type campaignTimeline struct {
	Name     string
	Year     int
	OpensOn  workflow.Date
	Today    workflow.Date
	Ends     workflow.Date // the last day of the last phase
	Phases   []phaseBar
	TodayX   float64
	Phase    campaign.PhaseKey // the phase running today; empty between and outside phases
	DaysLeft int               // in that phase, counting today
	Before   bool              // today is before the first phase
	After    bool              // today is after the last phase
}

// phaseBar is one phase of the timeline.
type phaseBar struct {
	Key     campaign.PhaseKey
	Label   workflow.Text
	Starts  workflow.Date
	Ends    workflow.Date
	X, W    float64
	LabelX  float64 // the middle of the segment
	Current bool
	Past    bool
}

// timelineWidth is the SVG's drawing width.
const timelineWidth = 1000.0

func timeline(c *store.Campaign, p *store.Progress, now time.Time, loc *time.Location) *campaignTimeline {
	t := &campaignTimeline{Name: c.Name, Year: c.Year, OpensOn: c.OpensOn, Today: campaign.Today(now, loc),
		Phase: p.Phase, DaysLeft: p.DaysLeft}
	if len(c.Phases) == 0 {
		return t
	}
	first, last := c.Phases[0].StartsOn, c.Phases[len(c.Phases)-1].EndsOn
	t.Ends = last
	days := float64(campaign.DaysBetween(first, last) + 1)
	x := func(d workflow.Date) float64 {
		v := float64(campaign.DaysBetween(first, d)) / days * timelineWidth
		return min(max(v, 0), timelineWidth)
	}
	for _, ph := range c.Phases {
		b := phaseBar{Key: ph.Key, Label: ph.Key.Label(), Starts: ph.StartsOn, Ends: ph.EndsOn,
			X: x(ph.StartsOn), Current: ph.Key == p.Phase, Past: ph.EndsOn.Before(t.Today)}
		b.W = x(ph.EndsOn.AddDays(1)) - b.X
		b.LabelX = b.X + b.W/2
		t.Phases = append(t.Phases, b)
	}
	// Today's marker sits in the middle of its day.
	t.TodayX = min(max(x(t.Today)+timelineWidth/days/2, 0), timelineWidth)
	t.Before, t.After = t.Today.Before(first), t.Today.After(last)
	return t
}
