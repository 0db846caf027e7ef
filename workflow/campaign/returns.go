package campaign

import (
	"strconv"
	"time"

	"bayu/workflow"
)

// Rule 4: the dates on which a borrowed item's holder expects it back drive
// reminders 30, 7 and 1 days before, on the day, 7 and 30 days after, and then
// monthly for as long as the item is overdue.
//
// "Monthly" is month n ≥ 2 counted from the due date by time.AddDate(0, n, 0),
// always from the due date and never from the previous reminder, so that the
// days do not drift: due 01-31 (a common year) gives +7d 02-07, +30d 03-02,
// +2m 03-31, +3m 05-01 (04-31 normalised), +4m 05-31. The 30-day reminder
// stands in for the first month. Every step falls strictly after the one before.
//
// The store keeps ONE pending row per exhibit: (exhibit, due date, step, due_at,
// key). When the agreement is signed it inserts FirstReturnReminder; after
// sending a row it replaces it with Next, in the same transaction; when the due
// date changes it replaces the row with FirstReturnReminder for the new date;
// when ReturnSettled holds it deletes the row. After downtime Next may already
// be due: the tick goes on sending until the pending row lies in the future.

// returnDays are the fixed steps, in days from the due date.
var returnDays = []int{-30, -7, -1, 0, 7, 30}

// firstMonthlyStep is the step index of the first monthly reminder, month 2.
var firstMonthlyStep = len(returnDays)

// ReturnReminder is one step of an exhibit's return schedule.
type ReturnReminder struct {
	Exhibit int64
	Due     workflow.Date // the return date the reminder is about
	Step    int           // 0 is 30 days before; from 6 on, monthly
	On      workflow.Date // the day the reminder is due
}

// ReturnStep is step n of the schedule of an exhibit due back on due.
func ReturnStep(exhibit int64, due workflow.Date, step int) ReturnReminder {
	r := ReturnReminder{Exhibit: exhibit, Due: due, Step: max(step, 0)}
	if r.Step < firstMonthlyStep {
		r.On = due.AddDays(returnDays[r.Step])
	} else {
		r.On = addMonths(due, r.months())
	}
	return r
}

// months is the month a monthly step stands for: 2 for the first.
func (r ReturnReminder) months() int { return r.Step - firstMonthlyStep + 2 }

// Offset names the step relative to the due date: -30d, -7d, -1d, 0d, +7d,
// +30d, then +2m, +3m, … It is part of the key, so it never changes meaning.
func (r ReturnReminder) Offset() string {
	if r.Step >= firstMonthlyStep {
		return "+" + strconv.Itoa(r.months()) + "m"
	}
	n := returnDays[r.Step]
	if n > 0 {
		return "+" + strconv.Itoa(n) + "d"
	}
	return strconv.Itoa(n) + "d"
}

// Key is unique per exhibit, due date and step: "return:<exhibit>:<due>:<offset>".
// A renewed due date starts a new series of keys.
func (r ReturnReminder) Key() string {
	return "return:" + strconv.FormatInt(r.Exhibit, 10) + ":" + r.Due.String() + ":" + r.Offset()
}

// DueAt is the instant the reminder is due: the start of its day in loc.
func (r ReturnReminder) DueAt(loc *time.Location) time.Time { return r.On.In(loc) }

// DaysLate is how many days past the due date the reminder's day is; negative before it.
func (r ReturnReminder) DaysLate() int { return DaysBetween(r.Due, r.On) }

// Next is the step after r.
func (r ReturnReminder) Next() ReturnReminder { return ReturnStep(r.Exhibit, r.Due, r.Step+1) }

// FirstReturnReminder is the first step of the schedule whose day is on or
// after from's day in loc: steps of days already gone are not sent late, but a
// step of today is, even when from is later in the day than its midnight.
func FirstReturnReminder(exhibit int64, due workflow.Date, from time.Time, loc *time.Location) ReturnReminder {
	today := Today(from, loc)
	r := ReturnStep(exhibit, due, 0)
	for r.On.Before(today) {
		r = r.Next()
	}
	return r
}

// ReturnSchedule lists every step of an exhibit's schedule that falls on or
// before through: what a test or a calendar expects, not what a store keeps.
func ReturnSchedule(exhibit int64, due, through workflow.Date) []ReturnReminder {
	var rs []ReturnReminder
	for r := ReturnStep(exhibit, due, 0); !r.On.After(through); r = r.Next() {
		rs = append(rs, r)
	}
	return rs
}

// ReturnDate is the day the holder expects the item, or for a replication the
// original, back: a deposit's return_due, a replication's original_return_due,
// a consignment's term_end. It is zero for donations and before an agreement.
func ReturnDate(x *workflow.Exhibit) workflow.Date {
	if x.Agreement == nil {
		return workflow.Date{}
	}
	switch x.Method {
	case workflow.Deposit:
		return x.Agreement.ReturnDue
	case workflow.Replication:
		return x.Agreement.OriginalReturnDue
	case workflow.Consignment:
		return x.Agreement.TermEnd
	}
	return workflow.Date{}
}

// ReturnSettled reports whether the holder's claim is met, so reminders stop:
// the item was returned or sold, or the replication is complete and the
// original given back. Terminal states that end a claim count too.
func ReturnSettled(x *workflow.Exhibit) bool {
	switch x.State {
	case workflow.Returned, workflow.Sold, workflow.Withdrawn, workflow.Rejected:
		return true
	}
	if !x.Custody.ReturnedOn.IsZero() || !x.Custody.SoldOn.IsZero() {
		return true
	}
	return x.Method == workflow.Replication && !x.Custody.OriginalReturnedOn.IsZero()
}

// ReturnTracked reports whether the exhibit should have a pending return
// reminder: it has a return date and the claim is not yet settled.
func ReturnTracked(x *workflow.Exhibit) bool {
	return !ReturnDate(x).IsZero() && !ReturnSettled(x)
}
