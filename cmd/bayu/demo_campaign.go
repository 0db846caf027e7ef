package main

import (
	"context"
	"fmt"
	"time"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

// demoCampaign puts a campaign in force placed around now, unless one is in
// force already, so that the demo's calendar is live whatever the date.
func (m *Main) demoCampaign(ctx context.Context, st *store.Store, coord workflow.Actor, now time.Time, loc *time.Location) error {
	if _, err := st.CurrentCampaign(ctx); workflow.ErrorCode(err) != workflow.CodeNotFound {
		return err // nil when a campaign is in force: keep it
	}
	c, err := st.CreateCampaign(ctx, coord, demoCalendar(now, loc))
	if workflow.ErrorCode(err) == workflow.CodeConflict {
		return nil // this year's campaign exists and was retired by hand: leave it so
	}
	if err != nil {
		return describe(err)
	}
	report, _ := c.Phase(campaign.PhaseReport)
	lists, _ := c.Phase(campaign.PhaseRecommend)
	fmt.Fprintf(m.Stdout, "演示征集活动：报送截止 %s，推荐名单截止 %s / demo campaign: reporting ends %s, lists close %s\n",
		report.EndsOn, lists.EndsOn, report.EndsOn, lists.EndsOn)
	return nil
}

// demoCalendar is the notice's calendar moved so that today falls in the
// report phase, 40 days in and 10 days before its end: the deadline reminders
// of the next days, the list close and the escalation all lie ahead.
func demoCalendar(now time.Time, loc *time.Location) campaign.Campaign {
	today := campaign.Today(now, loc)
	c := campaign.Default(today.In(time.UTC).Year())
	c.Name = "演示：" + c.Name
	c.OpensOn = today.AddDays(-31)
	c.Phases = []campaign.Phase{
		{Key: campaign.PhaseReport, StartsOn: today.AddDays(-40), EndsOn: today.AddDays(10)},
		{Key: campaign.PhaseRecommend, StartsOn: today.AddDays(11), EndsOn: today.AddDays(30)},
		{Key: campaign.PhaseEvaluate, StartsOn: today.AddDays(31), EndsOn: today.AddDays(50)},
	}
	return c
}
