package campaign

import (
	"strconv"
	"time"

	"bayu/workflow"
)

// Kind says what a notice or a due job is about; the inbox and the outbox store it.
type Kind string

// The kinds of due work and of the notices they produce.
const (
	KindPhaseReminder Kind = "phase_reminder"     // rule 1: a deadline is near
	KindListClose     Kind = "list_close"         // rule 2: the recommend phase has ended
	KindShortfall     Kind = "shortfall"          // rule 2: to a unit short of its quota
	KindCloseSummary  Kind = "list_close_summary" // rule 2: to coordinators, the short units
	KindEscalation    Kind = "escalation"         // rule 3: items still unevaluated
	KindReturn        Kind = "return_reminder"    // rule 4: a return date is near or past
)

// PhaseReminderDays are how many days before a phase ends its reminders go out.
var PhaseReminderDays = []int{14, 7, 3, 1}

// remindedPhases are the phases whose ends are deadlines for the units.
var remindedPhases = []PhaseKey{PhaseReport, PhaseRecommend}

// Job is one piece of campaign-wide due work. The store keeps one row per Key
// with its DueAt; a tick takes the rows that are due and marks them done in the
// same transaction, so a key fires once however many schedulers race.
//
// Keys name the deadline's date, so editing a phase's dates yields new keys:
// the store replaces the pending rows of a campaign with Jobs of its new
// calendar, and reminders already sent for the old date stay sent.
type Job struct {
	Key        string
	Kind       Kind
	Phase      PhaseKey
	DaysBefore int           // phase reminders: 14, 7, 3 or 1
	Deadline   workflow.Date // the last day of the phase concerned
	DueAt      time.Time
}

// For is the key of what the job sends to one recipient: a unit's district
// code, or "coordinators" for the coordinators' summary. It makes each
// recipient's notice unique on its own, so a job cut short after sending to
// some units can be run again without sending twice.
func (j Job) For(recipient string) string { return j.Key + ":" + recipient }

// Jobs lists the campaign's due work in the order it falls due: rule 1's
// reminders before the end of report and of recommend (one job each, sent to
// every unit), rule 2's list close at the end of recommend, and rule 3's
// escalation at the end of evaluate. A reminder that would fall before its
// phase starts is left out: it would announce a deadline for work nobody can
// do yet. The campaign is assumed valid.
func (c *Campaign) Jobs(loc *time.Location) []Job {
	var jobs []Job
	id := strconv.FormatInt(c.ID, 10)
	for _, key := range remindedPhases {
		p, ok := c.Phase(key)
		if !ok {
			continue
		}
		for _, n := range PhaseReminderDays {
			due := p.EndsOn.AddDays(1 - n).In(loc)
			if due.Before(p.Start(loc)) {
				continue
			}
			jobs = append(jobs, Job{
				Key:  "phase:" + id + ":" + string(key) + ":" + p.EndsOn.String() + ":" + strconv.Itoa(n) + "d",
				Kind: KindPhaseReminder, Phase: key, DaysBefore: n, Deadline: p.EndsOn, DueAt: due,
			})
		}
		if key == PhaseRecommend {
			jobs = append(jobs, Job{
				Key:  "list_close:" + id + ":" + p.EndsOn.String(),
				Kind: KindListClose, Phase: key, Deadline: p.EndsOn, DueAt: p.End(loc),
			})
		}
	}
	if p, ok := c.Phase(PhaseEvaluate); ok {
		jobs = append(jobs, Job{
			Key:  "escalation:" + id + ":" + p.EndsOn.String(),
			Kind: KindEscalation, Phase: PhaseEvaluate, Deadline: p.EndsOn, DueAt: p.End(loc),
		})
	}
	return jobs
}

// DueJobs returns the jobs due at now: those whose DueAt is not after it.
func DueJobs(jobs []Job, now time.Time) []Job {
	var due []Job
	for _, j := range jobs {
		if !j.DueAt.After(now) {
			due = append(due, j)
		}
	}
	return due
}

// UnitFigures are one recommending unit's numbers that its notices show.
type UnitFigures struct {
	District    string // code from districts.tsv
	Name        string // e.g. 万州区人力社保局
	Reported    int    // items the unit has reported so far, whatever became of them since
	Recommended int    // items the unit has recommended
	Quota       int    // items it must recommend at least (DefaultQuota)
}

// ShortBy is how many more items the unit must recommend to reach its quota.
func (u UnitFigures) ShortBy() int { return max(0, u.Quota-u.Recommended) }

// Pending is an item the escalation lists: recommended but not yet decided.
type Pending struct {
	ID       int64
	Name     string
	District string
	State    workflow.State
}

// NeedsEscalation reports whether an item in state s still awaits the centre
// once the evaluate phase is over: recommended but not evaluated, or evaluated
// but neither accepted nor rejected.
func NeedsEscalation(s workflow.State) bool {
	return s == workflow.DistrictRecommended || s == workflow.Evaluated
}
