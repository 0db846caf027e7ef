package campaign_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

func TestJobsOfTheDefaultCampaign(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	c.ID = 7
	at := func(m time.Month, d int) time.Time { return time.Date(2022, m, d, 0, 0, 0, 0, loc) }
	want := []struct {
		key  string
		kind campaign.Kind
		due  time.Time
	}{
		{"phase:7:report:2022-06-30:14d", campaign.KindPhaseReminder, at(6, 17)},
		{"phase:7:report:2022-06-30:7d", campaign.KindPhaseReminder, at(6, 24)},
		{"phase:7:report:2022-06-30:3d", campaign.KindPhaseReminder, at(6, 28)},
		{"phase:7:report:2022-06-30:1d", campaign.KindPhaseReminder, at(6, 30)},
		{"phase:7:recommend:2022-07-31:14d", campaign.KindPhaseReminder, at(7, 18)},
		{"phase:7:recommend:2022-07-31:7d", campaign.KindPhaseReminder, at(7, 25)},
		{"phase:7:recommend:2022-07-31:3d", campaign.KindPhaseReminder, at(7, 29)},
		{"phase:7:recommend:2022-07-31:1d", campaign.KindPhaseReminder, at(7, 31)},
		{"list_close:7:2022-07-31", campaign.KindListClose, at(8, 1)},
		{"escalation:7:2022-08-31", campaign.KindEscalation, at(9, 1)},
	}
	jobs := c.Jobs(loc)
	if len(jobs) != len(want) {
		t.Fatalf("%d jobs, want %d: %+v", len(jobs), len(want), jobs)
	}
	for i, w := range want {
		j := jobs[i]
		if j.Key != w.key || j.Kind != w.kind || !j.DueAt.Equal(w.due) {
			t.Errorf("job %d = %s %s %s, want %s %s %s", i, j.Key, j.Kind, j.DueAt, w.key, w.kind, w.due)
		}
	}
	// The 14-day reminder of recommend is due 07-17 16:00 UTC, the start of 07-18 in Shanghai.
	if got := jobs[4].DueAt.UTC(); !got.Equal(time.Date(2022, 7, 17, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("14d before recommend ends is due %s UTC", got)
	}
	if got := jobs[8].For("500101"); got != "list_close:7:2022-07-31:500101" {
		t.Errorf("per-recipient key %s", got)
	}
}

// A reminder that would fall before its phase starts is left out.
func TestShortPhaseDropsEarlyReminders(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	c.Phases[1].StartsOn = day(2022, 7, 27) // five days: 07-27 … 07-31
	var got []int
	for _, j := range c.Jobs(loc) {
		if j.Kind == campaign.KindPhaseReminder && j.Phase == campaign.PhaseRecommend {
			got = append(got, j.DaysBefore)
		}
	}
	if !slices.Equal(got, []int{3, 1}) {
		t.Errorf("reminders before a five-day phase: %v, want [3 1]", got)
	}
}

// Editing a deadline yields new keys for its jobs and leaves the others alone:
// the store swaps pending rows by key.
func TestEditedDeadlineReschedules(t *testing.T) {
	loc := shanghai(t)
	before := campaign.Default(2022)
	after := campaign.Default(2022)
	after.Phases[1].EndsOn = day(2022, 8, 5)
	after.Phases[2].StartsOn = day(2022, 8, 6)
	keys := func(c campaign.Campaign) map[string]time.Time {
		m := map[string]time.Time{}
		for _, j := range c.Jobs(loc) {
			m[j.Key] = j.DueAt
		}
		return m
	}
	old, cur := keys(before), keys(after)
	for k, due := range old {
		_, kept := cur[k]
		if strings.Contains(k, "recommend") || strings.HasPrefix(k, "list_close") {
			if kept {
				t.Errorf("%s kept after the recommend deadline moved", k)
			}
		} else if !kept || !cur[k].Equal(due) {
			t.Errorf("%s changed though its deadline did not", k)
		}
	}
	if due := cur["list_close:0:2022-08-05"]; !due.Equal(time.Date(2022, 8, 6, 0, 0, 0, 0, loc)) {
		t.Errorf("moved list close due %s", due)
	}
}

func TestDueJobs(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	jobs := c.Jobs(loc)
	tests := []struct {
		now  time.Time
		want int
	}{
		{time.Date(2022, 6, 16, 23, 59, 59, 0, loc), 0},
		{time.Date(2022, 6, 17, 0, 0, 0, 0, loc), 1},
		{time.Date(2022, 8, 1, 0, 0, 0, 0, loc), 9},
		{time.Date(2023, 1, 1, 0, 0, 0, 0, loc), 10},
	}
	for _, tt := range tests {
		if got := len(campaign.DueJobs(jobs, tt.now)); got != tt.want {
			t.Errorf("due at %s: %d, want %d", tt.now, got, tt.want)
		}
	}
}

func TestUnitShortBy(t *testing.T) {
	tests := []struct {
		rec, quota, want int
	}{{0, 20, 20}, {15, 20, 5}, {20, 20, 0}, {27, 20, 0}}
	for _, tt := range tests {
		u := campaign.UnitFigures{Recommended: tt.rec, Quota: tt.quota}
		if got := u.ShortBy(); got != tt.want {
			t.Errorf("%d of %d: short by %d, want %d", tt.rec, tt.quota, got, tt.want)
		}
	}
}

func TestNeedsEscalation(t *testing.T) {
	for _, s := range []workflow.State{workflow.Mobilized, workflow.Reported, workflow.DistrictRecommended,
		workflow.NotRecommended, workflow.Evaluated, workflow.Accepted, workflow.Rejected, workflow.Stored} {
		want := s == workflow.DistrictRecommended || s == workflow.Evaluated
		if got := campaign.NeedsEscalation(s); got != want {
			t.Errorf("NeedsEscalation(%s) = %v", s, got)
		}
	}
}
