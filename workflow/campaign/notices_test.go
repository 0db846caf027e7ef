package campaign_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

func jobOf(t *testing.T, c *campaign.Campaign, loc *time.Location, kind campaign.Kind, phase campaign.PhaseKey, days int) campaign.Job {
	t.Helper()
	for _, j := range c.Jobs(loc) {
		if j.Kind == kind && j.Phase == phase && j.DaysBefore == days {
			return j
		}
	}
	t.Fatalf("no %s job for %s %d", kind, phase, days)
	return campaign.Job{}
}

func wantIn(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Errorf("%s is not valid UTF-8", what)
	}
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, text)
		}
	}
}

func TestPhaseReminderShowsTheUnitsFigures(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	j := jobOf(t, &c, loc, campaign.KindPhaseReminder, campaign.PhaseRecommend, 7)
	u := campaign.UnitFigures{District: "500101", Name: "万州区人力社保局", Reported: 12, Recommended: 15, Quota: 20}

	n := campaign.PhaseReminder(&c, j, u, j.DueAt, loc)
	if n.Kind != campaign.KindPhaseReminder {
		t.Errorf("kind %s", n.Kind)
	}
	wantIn(t, "subject", n.Subject.ZH, "截止提醒", "汇总推荐", "还剩7天", "2022年7月31日")
	wantIn(t, "body", n.Body.ZH, "万州区人力社保局", "已报送12件", "已推荐15件", "推荐名额20件", "尚差5件", "推荐名单")
	wantIn(t, "English subject", n.Subject.EN, "7 days left", "2022-07-31")
	wantIn(t, "English body", n.Body.EN, "12 reported", "15 recommended", "quota 20", "short by 5")

	// Sent late after downtime, it counts the days that are really left.
	late := campaign.PhaseReminder(&c, j, u, time.Date(2022, 7, 30, 9, 0, 0, 0, loc), loc)
	wantIn(t, "late subject", late.Subject.ZH, "还剩2天")

	u.Recommended = 21
	done := campaign.PhaseReminder(&c, j, u, j.DueAt, loc)
	wantIn(t, "body at quota", done.Body.ZH, "已达到推荐名额20件")

	r := jobOf(t, &c, loc, campaign.KindPhaseReminder, campaign.PhaseReport, 14)
	rn := campaign.PhaseReminder(&c, r, u, r.DueAt, loc)
	wantIn(t, "report reminder", rn.Subject.ZH+rn.Body.ZH, "动员摸排报送", "还剩14天", "2022年6月30日", "摸排和报送")
}

func TestShortfallAndSummary(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	j := jobOf(t, &c, loc, campaign.KindListClose, campaign.PhaseRecommend, 0)
	units := []campaign.UnitFigures{
		{District: "500103", Name: "渝中区人力社保局", Recommended: 20, Quota: 20},
		{District: "500102", Name: "涪陵区人力社保局", Recommended: 3, Quota: 20},
		{District: "500101", Name: "万州区人力社保局", Recommended: 19, Quota: 20},
	}
	if _, ok := campaign.ShortfallNotice(&c, j, units[0]); ok {
		t.Error("a unit at quota gets no shortfall notice")
	}
	n, ok := campaign.ShortfallNotice(&c, j, units[1])
	if !ok || n.Kind != campaign.KindShortfall {
		t.Fatalf("shortfall notice %v %+v", ok, n)
	}
	wantIn(t, "shortfall", n.Subject.ZH+n.Body.ZH, "尚差17件", "已推荐3件", "涪陵区人力社保局", "2022年7月31日", "常态化征集")

	s := campaign.CloseSummary(&c, j, units)
	wantIn(t, "summary", s.Subject.ZH, "2个单位")
	wantIn(t, "summary body", s.Body.ZH, "3个推荐单位中有2个", "1. 万州区人力社保局（500101）：已推荐19件，名额20件，尚差1件", "2. 涪陵区人力社保局（500102）")
	if strings.Contains(s.Body.ZH, "渝中区") {
		t.Error("the summary lists a unit at quota")
	}
	all := campaign.CloseSummary(&c, j, units[:1])
	wantIn(t, "summary with none short", all.Body.ZH, "均已达到推荐名额")
}

func TestEscalation(t *testing.T) {
	loc := shanghai(t)
	c := campaign.Default(2022)
	var j campaign.Job
	for _, x := range c.Jobs(loc) {
		if x.Kind == campaign.KindEscalation {
			j = x
		}
	}
	items := []campaign.Pending{
		{ID: 42, Name: "铜梁龙舞道具", District: "500151", State: workflow.Evaluated},
		{ID: 7, Name: "世赛金牌", District: "500101", State: workflow.DistrictRecommended},
	}
	n := campaign.EscalationNotice(&c, j, items)
	wantIn(t, "escalation", n.Subject.ZH, "2件")
	wantIn(t, "escalation body", n.Body.ZH, "2022年8月31日", "1. 编号7「世赛金牌」（500101，区县已推荐）", "2. 编号42「铜梁龙舞道具」（500151，已评估）")
	if items[0].ID != 42 {
		t.Error("EscalationNotice reordered the caller's slice")
	}

	many := make([]campaign.Pending, 130)
	for i := range many {
		many[i] = campaign.Pending{ID: int64(i + 1), Name: "展品", District: "500101", State: workflow.Evaluated}
	}
	long := campaign.EscalationNotice(&c, j, many)
	wantIn(t, "long escalation", long.Body.ZH, "130件", "另有30件未列出")
	if strings.Contains(long.Body.ZH, "编号101「") {
		t.Error("the list is not capped")
	}
}
