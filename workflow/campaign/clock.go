package campaign

import (
	"time"

	"bayu/workflow"
)

// DefaultZone is the time zone whose calendar days the campaign counts in.
const DefaultZone = "Asia/Shanghai"

// Location loads the named zone (DefaultZone when name is empty). Asia/Shanghai
// has been UTC+8 without daylight saving since 1991, so when the machine has no
// zone database it stands in as a fixed zone rather than stopping the server;
// any other unknown name is an error.
func Location(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil && name == DefaultZone {
		return time.FixedZone("CST", 8*60*60), nil
	}
	return loc, err
}

// Start is the instant the phase begins: 00:00 of its first day in loc.
func (p Phase) Start(loc *time.Location) time.Time { return p.StartsOn.In(loc) }

// End is the instant the phase has ended: the end of its last day in loc, that
// is 00:00 of the day after. Work "due by 07-31" is on time all of 07-31.
func (p Phase) End(loc *time.Location) time.Time { return p.EndsOn.AddDays(1).In(loc) }

// Contains reports whether t falls inside the phase.
func (p Phase) Contains(t time.Time, loc *time.Location) bool {
	return !t.Before(p.Start(loc)) && t.Before(p.End(loc))
}

// DaysLeft counts the calendar days from t's day in loc through the phase's last
// day, both included: 1 on the last day, 14 two weeks before it, 0 or less once
// the phase has ended. It is the number a reminder shows as "还剩 N 天".
func (p Phase) DaysLeft(t time.Time, loc *time.Location) int {
	return DaysBetween(Today(t, loc), p.EndsOn) + 1
}

// PhaseAt returns the phase running at t; ok is false before the first phase,
// in a gap between phases and after the last.
func (c *Campaign) PhaseAt(t time.Time, loc *time.Location) (p Phase, ok bool) {
	for _, p := range c.Phases {
		if p.Contains(t, loc) {
			return p, true
		}
	}
	return Phase{}, false
}

// Intake tags an item by when it was reported: after the recommend phase has
// ended the lists are closed and the item belongs to regular collection
// (常态化征集); before that, including before the campaign opened, it belongs
// to the campaign (集中征集).
func (c *Campaign) Intake(reportedAt time.Time, loc *time.Location) workflow.Intake {
	if p, ok := c.Phase(PhaseRecommend); ok && !reportedAt.Before(p.End(loc)) {
		return workflow.IntakeRegular
	}
	return workflow.IntakeCampaign
}

// Today is t's calendar day in loc.
func Today(t time.Time, loc *time.Location) workflow.Date { return workflow.DateOf(t.In(loc)) }

// DaysBetween is the number of calendar days from a to b: positive when b is later.
func DaysBetween(a, b workflow.Date) int {
	// Both days at midnight UTC: no daylight saving, so the hours divide exactly.
	return int(b.In(time.UTC).Sub(a.In(time.UTC)).Hours() / 24)
}

// addMonths is d plus n months by Go's normalisation (time.AddDate): 01-31 plus
// one month is 03-03 in a common year, not the end of February.
func addMonths(d workflow.Date, n int) workflow.Date {
	return workflow.DateOf(d.In(time.UTC).AddDate(0, n, 0))
}
