package store_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"bayu/migrations"
	"bayu/store"
	"bayu/workflow"
)

// itemPlan is what happens to one item over the simulated year.
type itemPlan struct {
	x        *workflow.Exhibit
	sign     time.Time
	due      workflow.Date // as signed
	renewals []renewalPlan
	settle   time.Time // returned, sold or original given back; zero: never (overdue to the end)
}

type renewalPlan struct {
	when time.Time
	due  workflow.Date
}

// action is one thing a coordinator does between two ticks.
type action struct {
	when time.Time
	do   func(t *testing.T, e *clockEnv)
}

// plan draws an item's year: signed between 04-26 and late September, due 3
// to 100 days later, then by turns returned early, renewed (once or twice,
// sometimes while overdue), left overdue to the end, or returned late.
func (s *simulation) plan(r *rand.Rand, x *workflow.Exhibit, i int) *itemPlan {
	p := &itemPlan{x: x}
	p.sign = s.start.Add(time.Duration(24+r.IntN(150*24))*time.Hour + 30*time.Minute)
	p.due = dayOf(p.sign).AddDays(3 + r.IntN(98))
	if x.Method == workflow.Donation {
		return p
	}
	dueAt := p.due.In(shanghai)
	hours := func(from, until time.Time) time.Time { // an hh:30 strictly between from and until
		n := max(1, int(until.Sub(from).Hours())-1)
		return from.Truncate(time.Hour).Add(time.Duration(1+r.IntN(n))*time.Hour + 30*time.Minute)
	}
	switch (i / 4) % 4 {
	case 0: // returned before the due date
		p.settle = hours(p.sign, dueAt)
	case 1: // renewed, perhaps twice, perhaps settled afterwards
		when, last := p.sign, p.due
		for k := 0; k < 1+r.IntN(2); k++ {
			when = hours(when, last.AddDays(30).In(shanghai))
			next := dayOf(when).AddDays(10 + r.IntN(80))
			if next == last {
				next = next.AddDays(1)
			}
			p.renewals = append(p.renewals, renewalPlan{when, next})
			last = next
		}
		if r.IntN(2) == 0 {
			p.settle = hours(when, last.AddDays(45).In(shanghai))
		}
	case 2: // overdue to the end of the year
	case 3: // returned late
		p.settle = hours(dueAt, dueAt.Add(time.Duration(1+r.IntN(70))*24*time.Hour))
	}
	if !p.settle.IsZero() && p.settle.After(s.end) {
		p.settle = time.Time{}
	}
	return p
}

func dayOf(t time.Time) workflow.Date { return workflow.DateOf(t.In(shanghai)) }

// dueField is the agreement's date of each method, as sign_agreement takes it.
var dueField = map[workflow.Method]string{
	workflow.Deposit: "return_due", workflow.Replication: "original_return_due", workflow.Consignment: "term_end",
}

// actions turns the plans into time-ordered coordinator actions.
func (s *simulation) actions(plans []*itemPlan) []action {
	var as []action
	for _, p := range plans {
		as = append(as, action{p.sign, func(t *testing.T, e *clockEnv) {
			data := map[string]any{}
			if f := dueField[p.x.Method]; f != "" {
				data[f] = p.due.String()
			}
			p.x = e.fireAt(t, p.x, workflow.SignAgreement, p.sign, data)
			hold := workflow.Store
			if p.x.Method == workflow.Replication {
				hold = workflow.StartReplication
			}
			p.x = e.fireAt(t, p.x, hold, p.sign.Add(10*time.Minute), nil)
		}})
		for _, rn := range p.renewals {
			as = append(as, action{rn.when, func(t *testing.T, e *clockEnv) {
				e.clk.Set(rn.when)
				in := store.Renewal{Reason: "续签"}
				switch p.x.Method {
				case workflow.Deposit:
					in.ReturnDue = rn.due
				case workflow.Replication:
					in.OriginalReturnDue = rn.due
				case workflow.Consignment:
					in.TermEnd = rn.due
				}
				x, err := e.s.RenewAgreement(context.Background(), e.coord, p.x.ID, in)
				if err != nil {
					t.Fatalf("renew #%d at %s: %v", p.x.ID, rn.when, err)
				}
				p.x = x
			}})
		}
		if !p.settle.IsZero() {
			as = append(as, action{p.settle, func(t *testing.T, e *clockEnv) {
				ev := map[workflow.Method]workflow.Event{workflow.Deposit: workflow.Return,
					workflow.Replication: workflow.CompleteReplication, workflow.Consignment: workflow.Sell}[p.x.Method]
				p.x = e.fireAt(t, p.x, ev, p.settle, nil)
			}})
		}
	}
	sortActions(as)
	return as
}

// expected is every notice the rules call for, by key, with the tick it is due at.
func (s *simulation) expected(plans []*itemPlan) map[string]time.Time {
	want := map[string]time.Time{}
	add := func(key string, due time.Time) {
		if tick, ok := s.firstTick(due); ok {
			want[key] = tick
		}
	}
	units, _ := migrations.Units()
	id := strconv.FormatInt(s.campaign, 10)
	// Rule 1: 14, 7, 3 and 1 days before the last day of report and of recommend.
	for _, deadline := range []struct {
		phase string
		last  workflow.Date
	}{{"report", day(2026, 6, 30)}, {"recommend", day(2026, 7, 31)}} {
		for _, n := range []int{14, 7, 3, 1} {
			for _, u := range units {
				add("phase:"+id+":"+deadline.phase+":"+deadline.last.String()+":"+strconv.Itoa(n)+"d:"+u.Code,
					deadline.last.AddDays(1-n).In(shanghai))
			}
		}
	}
	// Rule 2: when recommend has ended, each short unit and one summary.
	closeAt := day(2026, 8, 1).In(shanghai)
	for _, u := range units {
		if s.recommended[u.Code] < u.Quota {
			add("list_close:"+id+":2026-07-31:"+u.Code, closeAt)
		}
	}
	add("list_close:"+id+":2026-07-31:coordinators", closeAt)
	// Rule 3: when evaluate has ended, one escalation if anything still waits.
	if s.unevaluated > 0 {
		add("escalation:"+id+":2026-08-31:coordinators", day(2026, 9, 1).In(shanghai))
	}
	// Rule 4: each due date's series, from the day it was set until it was
	// replaced by a renewal or the claim was settled.
	for _, p := range plans {
		if p.x.Method == workflow.Donation {
			continue
		}
		type series struct {
			due        workflow.Date
			from, till time.Time
		}
		var ss []series
		from, due := p.sign, p.due
		for _, rn := range p.renewals {
			ss = append(ss, series{due, from, rn.when})
			from, due = rn.when, rn.due
		}
		till := p.settle
		if till.IsZero() {
			till = s.end.Add(time.Hour)
		}
		ss = append(ss, series{due, from, till})
		for _, sr := range ss {
			for _, step := range returnSteps(sr.due, s.end) {
				if step.on.Before(dayOf(sr.from)) {
					continue // its day was over before the date was set
				}
				tick, ok := s.firstTick(later(step.on.In(shanghai), sr.from))
				if !ok || !tick.Before(sr.till) {
					continue
				}
				for _, to := range []string{"coordinators", p.x.District} {
					want["return:"+itoa(p.x.ID)+":"+sr.due.String()+":"+step.offset+":"+to] = tick
					s.returns++
				}
			}
		}
	}
	return want
}

type returnStep struct {
	on     workflow.Date
	offset string
}

// returnSteps are the rule's days for a due date, through the end of the
// simulation: 30, 7 and 1 days before, the day, 7 and 30 days after, then
// every month after the due date.
func returnSteps(due workflow.Date, end time.Time) []returnStep {
	var out []returnStep
	for _, n := range []int{-30, -7, -1, 0, 7, 30} {
		off := strconv.Itoa(n) + "d"
		if n > 0 {
			off = "+" + off
		}
		out = append(out, returnStep{due.AddDays(n), off})
	}
	for m := 2; ; m++ {
		on := workflow.DateOf(due.In(time.UTC).AddDate(0, m, 0))
		if on.In(shanghai).After(end) {
			return out
		}
		out = append(out, returnStep{on, "+" + strconv.Itoa(m) + "m"})
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
