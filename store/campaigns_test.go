package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

// pendingJobs lists the keys of a campaign's jobs not yet done, sorted.
func pendingJobs(t *testing.T, e *clockEnv, id int64) []string {
	t.Helper()
	var keys []string
	if err := e.s.DB().Select(&keys, `SELECT key FROM campaign_jobs WHERE campaign_id = $1 AND done_at IS NULL ORDER BY key`, id); err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestCampaignCreateIsTheOneInForce(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 3, 1, 9))
	ctx := context.Background()
	if _, err := e.s.CurrentCampaign(ctx); workflow.ErrorCode(err) != workflow.CodeNotFound {
		t.Fatalf("no campaign yet: want not_found, got %v", err)
	}
	c26, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026))
	if err != nil {
		t.Fatal(err)
	}
	if !c26.InForce || c26.Version != 1 || c26.OpensOn != day(2026, 5, 10) {
		t.Errorf("created %+v", c26)
	}
	// 4 reminders before each of two deadlines, the list close, the escalation.
	if keys := pendingJobs(t, e, c26.ID); len(keys) != 10 {
		t.Errorf("%d pending jobs, want 10: %v", len(keys), keys)
	}
	if _, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026)); workflow.ErrorCode(err) != workflow.CodeConflict {
		t.Errorf("second 2026 campaign: want conflict, got %v", err)
	}
	if _, err := e.s.CreateCampaign(ctx, e.dist, campaign.Default(2027)); workflow.ErrorCode(err) != workflow.CodeForbidden {
		t.Errorf("district creating: want forbidden, got %v", err)
	}
	bad := campaign.Default(2027)
	bad.Phases[1].EndsOn = day(2027, 8, 15)
	_, err = e.s.CreateCampaign(ctx, e.coord, bad)
	var we *workflow.Error
	if workflow.ErrorCode(err) != workflow.CodeInvalid || !asError(err, &we) || we.Fields["phases.2.starts_on"].ZH == "" {
		t.Errorf("overlapping phases: want invalid naming phases.2.starts_on, got %v", err)
	}

	c27, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2027))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := e.s.CurrentCampaign(ctx)
	if err != nil || cur.ID != c27.ID {
		t.Fatalf("current is %+v (%v), want 2027", cur, err)
	}
	old, _ := e.s.Campaign(ctx, c26.ID)
	if old.InForce {
		t.Error("2026 is still in force")
	}
	if keys := pendingJobs(t, e, c26.ID); len(keys) != 0 {
		t.Errorf("the retired campaign kept pending jobs %v", keys)
	}
	h, _ := e.s.CampaignHistory(ctx, c26.ID)
	if len(h) != 2 || h[0].Event != "create" || h[1].Event != "retire" || h[1].Actor != "coord" {
		t.Errorf("2026 history %+v", h)
	}
}

func TestCampaignEditIsKeptInHistoryAndReschedules(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	ctx := context.Background()
	c, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026))
	if err != nil {
		t.Fatal(err)
	}
	// The 14-day reminder before 06-30 goes out on 06-17.
	if res := e.run(t, store.JobPhaseReminders, at(2026, 6, 17, 0)); res.Done != 1 {
		t.Fatalf("14-day reminder: %+v", res)
	}

	// On 06-20 the report phase is cut to end on 06-28: its 14-day reminder
	// (06-15) is past and not sent late; 7, 3 and 1 days before are scheduled.
	e.clk.Set(at(2026, 6, 20, 10))
	ends := day(2026, 6, 28)
	v := c.Version
	edited, err := e.s.UpdateCampaign(ctx, e.coord, c.ID, store.CampaignPatch{Version: &v,
		Phases: []campaign.Phase{{Key: campaign.PhaseReport, EndsOn: ends}}})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := edited.Phase(campaign.PhaseReport); p.EndsOn != ends || edited.Version != 2 {
		t.Fatalf("edited %+v", edited)
	}
	want := []string{
		"escalation:ID:2026-08-31", "list_close:ID:2026-07-31",
		"phase:ID:recommend:2026-07-31:14d", "phase:ID:recommend:2026-07-31:1d", "phase:ID:recommend:2026-07-31:3d", "phase:ID:recommend:2026-07-31:7d",
		"phase:ID:report:2026-06-28:1d", "phase:ID:report:2026-06-28:3d", "phase:ID:report:2026-06-28:7d",
	}
	for i := range want {
		want[i] = replaceID(want[i], c.ID)
	}
	if got := pendingJobs(t, e, c.ID); !slices.Equal(got, want) {
		t.Errorf("pending jobs\n got %v\nwant %v", got, want)
	}

	if _, err := e.s.UpdateCampaign(ctx, e.coord, c.ID, store.CampaignPatch{Version: &v}); workflow.ErrorCode(err) != workflow.CodeVersionConflict {
		t.Errorf("stale version: want version_conflict, got %v", err)
	}
	late := day(2026, 7, 5)
	if _, err := e.s.UpdateCampaign(ctx, e.coord, c.ID, store.CampaignPatch{
		Phases: []campaign.Phase{{Key: campaign.PhaseReport, EndsOn: late}}}); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("report overlapping recommend: want invalid, got %v", err)
	}
	if _, err := e.s.UpdateCampaign(ctx, e.dist, c.ID, store.CampaignPatch{}); workflow.ErrorCode(err) != workflow.CodeForbidden {
		t.Errorf("district editing: want forbidden, got %v", err)
	}

	h, err := e.s.CampaignHistory(ctx, c.ID)
	if err != nil || len(h) != 2 || h[1].Event != "edit" || h[1].Actor != "coord" {
		t.Fatalf("history %+v %v", h, err)
	}
	if _, err := e.s.DB().Exec(`UPDATE campaign_history SET actor = 'someone else'`); err == nil {
		t.Error("the campaign's history could be rewritten")
	}
	var audited int
	if err := e.s.DB().Get(&audited, `SELECT count(*) FROM audit_log WHERE event = $1 AND object_type = 'campaign'
		AND object_id = $2 AND actor = 'coord'`, store.AuditCampaignEdit, strconv.FormatInt(c.ID, 10)); err != nil || audited != 1 {
		t.Errorf("%d campaign edits in the audit log (%v), want 1", audited, err)
	}
	var data struct{ Before, After campaign.Campaign }
	if err := json.Unmarshal(h[1].Data, &data); err != nil {
		t.Fatal(err)
	}
	if b, _ := data.Before.Phase(campaign.PhaseReport); b.EndsOn != day(2026, 6, 30) {
		t.Errorf("history before: %+v", data.Before)
	}
	if a, _ := data.After.Phase(campaign.PhaseReport); a.EndsOn != ends {
		t.Errorf("history after: %+v", data.After)
	}
}

func TestReportAfterTheListsCloseIsRegularIntake(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	if _, err := e.s.CreateCampaign(context.Background(), e.coord, campaign.Default(2026)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		when time.Time
		want workflow.Intake
	}{
		{at(2026, 5, 20, 9), workflow.IntakeCampaign},
		{time.Date(2026, 7, 31, 23, 59, 59, 0, shanghai), workflow.IntakeCampaign},
		{at(2026, 8, 1, 0), workflow.IntakeRegular},
		{at(2026, 11, 3, 15), workflow.IntakeRegular},
	} {
		x := e.createIn(t, "500101", 1, workflow.Donation, tc.when.Add(-time.Hour))
		got := e.fireAt(t, x, workflow.Report, tc.when, nil)
		stored, _ := e.s.Exhibit(context.Background(), e.coord, x.ID)
		if got.Intake != tc.want || stored.Intake != tc.want {
			t.Errorf("reported at %s: intake %s (stored %s), want %s", tc.when, got.Intake, stored.Intake, tc.want)
		}
	}
}

func asError(err error, target **workflow.Error) bool {
	e, ok := err.(*workflow.Error)
	*target = e
	return ok
}

func replaceID(s string, id int64) string {
	return strings.Replace(s, "ID", strconv.FormatInt(id, 10), 1)
}
