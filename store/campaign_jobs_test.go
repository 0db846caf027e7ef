package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

// units is how many recommending units districts.tsv lists.
const units = 42

func TestPhaseRemindersCarryEachUnitsFigures(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	ctx := context.Background()
	c, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026))
	if err != nil {
		t.Fatal(err)
	}
	// 500101 reports three items and recommends two; 500102 reports one.
	for i := range 3 {
		x := e.createIn(t, "500101", i, workflow.Donation, at(2026, 5, 12, 9))
		x = e.fireAt(t, x, workflow.Report, at(2026, 5, 12, 10), nil)
		if i < 2 {
			e.fireAt(t, x, workflow.Recommend, at(2026, 5, 12, 11), nil)
		}
	}
	e.fireAt(t, e.createIn(t, "500102", 9, workflow.Deposit, at(2026, 5, 13, 9)), workflow.Report, at(2026, 5, 13, 10), nil)
	e.createIn(t, "500102", 10, workflow.Deposit, at(2026, 5, 13, 9)) // mobilized: not reported

	if res := e.run(t, store.JobPhaseReminders, at(2026, 6, 16, 23)); res.Done != 0 {
		t.Fatalf("a day early: %+v", res)
	}
	res := e.run(t, store.JobPhaseReminders, at(2026, 6, 17, 0))
	if res.Done != 1 || res.Created != units {
		t.Fatalf("14 days before 06-30: %+v, want 1 job and %d notices", res, units)
	}
	ns := e.notices(t)
	key := "phase:" + strconv.FormatInt(c.ID, 10) + ":report:2026-06-30:14d:"
	n := ns[key+"500101"]
	if !strings.Contains(n.BodyZH, "已报送3件，已推荐2件，推荐名额20件，尚差18件") || !strings.Contains(n.SubjectZH, "还剩14天") {
		t.Errorf("500101's reminder:\n%s\n%s", n.SubjectZH, n.BodyZH)
	}
	if n := ns[key+"500102"]; !strings.Contains(n.BodyZH, "已报送1件，已推荐0件") || n.Recipient != "500102" {
		t.Errorf("500102's reminder: %+v", n)
	}
	// The unit's users find it in their inbox; other units' users do not.
	inbox, err := e.s.Inbox(ctx, e.dist.UserID, store.InboxQuery{Unread: true})
	if err != nil || len(inbox) != 1 || inbox[0].Key != key+"500101" || inbox[0].DueOn != day(2026, 6, 30) {
		t.Fatalf("wanzhou's inbox %+v %v", inbox, err)
	}
	if coordInbox, _ := e.s.Inbox(ctx, e.coord.UserID, store.InboxQuery{}); len(coordInbox) != 0 {
		t.Errorf("coordinators got unit reminders: %d", len(coordInbox))
	}
	read, err := e.s.MarkRead(ctx, e.dist.UserID, inbox[0].ID)
	if err != nil || read.ReadAt == nil {
		t.Fatalf("mark read: %+v %v", read, err)
	}
	if _, err := e.s.MarkRead(ctx, e.coord.UserID, inbox[0].ID); workflow.ErrorCode(err) != workflow.CodeNotFound {
		t.Errorf("another user's notification: want not_found, got %v", err)
	}
	if unread, _ := e.s.Inbox(ctx, e.dist.UserID, store.InboxQuery{Unread: true}); len(unread) != 0 {
		t.Errorf("still unread: %+v", unread)
	}
	if again := e.run(t, store.JobPhaseReminders, at(2026, 6, 17, 0)); again.Done != 0 || again.Created != 0 {
		t.Errorf("second run at the same instant: %+v", again)
	}
}

func TestListCloseFlagsShortUnitsOnceAndEscalationListsLateItems(t *testing.T) {
	t.Parallel()
	e := newClockEnv(t, at(2026, 4, 1, 9))
	ctx := context.Background()
	c, err := e.s.CreateCampaign(ctx, e.coord, campaign.Default(2026))
	if err != nil {
		t.Fatal(err)
	}
	// 500103 reaches its quota of 20; 500101 recommends one item, which is
	// evaluated and then waits for a decision past the evaluate phase.
	for i := range 20 {
		x := e.createIn(t, "500103", i, workflow.Donation, at(2026, 6, 1, 9))
		e.walkAt(t, x, at(2026, 6, 1, 10), workflow.Report, workflow.Recommend)
	}
	late := e.walkAt(t, e.createIn(t, "500101", 30, workflow.Deposit, at(2026, 6, 2, 9)), at(2026, 6, 2, 10),
		workflow.Report, workflow.Recommend, workflow.Evaluate)

	closeAt := at(2026, 8, 1, 0)
	if res := e.run(t, store.JobListClose, closeAt.Add(-time.Second)); res.Done != 0 {
		t.Fatalf("before the close: %+v", res)
	}
	res := e.run(t, store.JobListClose, closeAt)
	// 41 units have a quota of 20, one of them reached it; 市外 has none.
	if res.Done != 1 || res.Created != 40+1 {
		t.Fatalf("list close: %+v, want 40 shortfall notices and a summary", res)
	}
	ns := e.notices(t)
	id := strconv.FormatInt(c.ID, 10)
	summary := ns["list_close:"+id+":2026-07-31:coordinators"]
	if !strings.Contains(summary.BodyZH, "42个推荐单位中有40个未达到推荐名额") || strings.Contains(summary.BodyZH, "渝中区") {
		t.Errorf("summary:\n%s", summary.BodyZH)
	}
	if n := ns["list_close:"+id+":2026-07-31:500101"]; !strings.Contains(n.BodyZH, "已推荐1件，少于推荐名额20件，尚差19件") {
		t.Errorf("500101's shortfall notice:\n%s", n.BodyZH)
	}
	if _, ok := ns["list_close:"+id+":2026-07-31:500103"]; ok {
		t.Error("500103 reached its quota yet got a shortfall notice")
	}
	if again := e.run(t, store.JobListClose, closeAt); again.Done != 0 || again.Created != 0 {
		t.Errorf("closing twice: %+v", again)
	}
	h, _ := e.s.CampaignHistory(ctx, c.ID)
	if closes := countEvents(h, "list_close"); closes != 1 {
		t.Errorf("%d list_close rows in the campaign's history, want 1", closes)
	}
	var audited int
	if err := e.s.DB().Get(&audited, `SELECT count(*) FROM audit_log WHERE event = $1 AND object_id = $2 AND at = $3`,
		store.AuditListClose, id, closeAt); err != nil || audited != 1 {
		t.Errorf("%d list closes in the audit log (%v), want 1", audited, err)
	}

	res = e.run(t, store.JobEscalation, at(2026, 9, 1, 0))
	if res.Done != 1 || res.Created != 1 {
		t.Fatalf("escalation: %+v", res)
	}
	esc := e.notices(t)["escalation:"+id+":2026-08-31:coordinators"]
	if !strings.Contains(esc.BodyZH, "仍有21件展品") || !strings.Contains(esc.BodyZH, "编号"+strconv.FormatInt(late.ID, 10)) {
		t.Errorf("escalation:\n%s", esc.BodyZH)
	}
	coordInbox, _ := e.s.Inbox(ctx, e.coord.UserID, store.InboxQuery{})
	if len(coordInbox) != 2 {
		t.Errorf("coordinator inbox has %d notifications, want the summary and the escalation", len(coordInbox))
	}
}

func countEvents(h []store.CampaignEvent, event string) int {
	n := 0
	for _, r := range h {
		if r.Event == event {
			n++
		}
	}
	return n
}
