package campaign

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"bayu/workflow"
)

// Notice is what one recipient is told: the inbox shows it, email and webhook
// carry it. Chinese is the text of record; English is there for ?lang=en.
type Notice struct {
	Kind    Kind
	Subject workflow.Text
	Body    workflow.Text
}

// maxListed caps the lines of a list in one notice, so that a campaign with
// hundreds of late items still sends a message mail servers and robots accept.
const maxListed = 100

// PhaseReminder is rule 1's notice to one unit: the phase, its deadline, the
// days left at `at` and the unit's own figures. Days are counted from the day
// it is sent, so a reminder delayed by downtime does not overstate the time left.
func PhaseReminder(c *Campaign, j Job, u UnitFigures, at time.Time, loc *time.Location) Notice {
	p, _ := c.Phase(j.Phase)
	left := p.DaysLeft(at, loc)
	label := j.Phase.Label()
	var zhLeft, enLeft string
	if left > 0 {
		zhLeft, enLeft = fmt.Sprintf("还剩%d天", left), fmt.Sprintf("%d days left", left)
	} else {
		zhLeft, enLeft = "已截止", "closed"
	}
	zhTask, enTask := "请在截止前完成展品摸排和报送。", "Please find and report your items before the deadline."
	if j.Phase == PhaseRecommend {
		zhTask, enTask = "请在截止前完成汇总，报送盖章的推荐名单。", "Please send your stamped list of recommended items before the deadline."
	}
	zhFig := fmt.Sprintf("贵单位目前：已报送%d件，已推荐%d件，推荐名额%d件，尚差%d件。", u.Reported, u.Recommended, u.Quota, u.ShortBy())
	enFig := fmt.Sprintf("Your unit so far: %d reported, %d recommended, quota %d, short by %d.", u.Reported, u.Recommended, u.Quota, u.ShortBy())
	if u.ShortBy() == 0 {
		zhFig = fmt.Sprintf("贵单位目前：已报送%d件，已推荐%d件，已达到推荐名额%d件。", u.Reported, u.Recommended, u.Quota)
		enFig = fmt.Sprintf("Your unit so far: %d reported, %d recommended, quota of %d reached.", u.Reported, u.Recommended, u.Quota)
	}
	return Notice{
		Kind: KindPhaseReminder,
		Subject: workflow.T(
			fmt.Sprintf("【截止提醒】“%s”阶段%s（%s截止）", label.ZH, zhLeft, zhDate(p.EndsOn)),
			fmt.Sprintf("[Deadline] %s: %s (ends %s)", label.EN, enLeft, p.EndsOn)),
		Body: workflow.T(
			fmt.Sprintf("%s：\n%s“%s”阶段将于%s24时截止，%s。\n%s\n%s", u.Name, c.Name, label.ZH, zhDate(p.EndsOn), zhLeft, zhFig, zhTask),
			fmt.Sprintf("%s:\nThe phase \"%s\" of %s ends at the end of %s (%s).\n%s\n%s", u.Name, label.EN, c.Name, p.EndsOn, enLeft, enFig, enTask)),
	}
}

// ShortfallNotice is rule 2's notice to a unit that recommended fewer items
// than its quota when the lists closed; ok is false for a unit that did not.
func ShortfallNotice(c *Campaign, j Job, u UnitFigures) (n Notice, ok bool) {
	if u.ShortBy() == 0 {
		return Notice{}, false
	}
	return Notice{
		Kind: KindShortfall,
		Subject: workflow.T(
			fmt.Sprintf("【推荐不足】推荐名单已截止，贵单位尚差%d件", u.ShortBy()),
			fmt.Sprintf("[Short of quota] Lists closed, your unit is short by %d", u.ShortBy())),
		Body: workflow.T(
			fmt.Sprintf("%s：\n%s推荐名单已于%s截止。贵单位已推荐%d件，少于推荐名额%d件，尚差%d件。\n请尽快与市公共实训中心联系；此后报送的展品将纳入常态化征集。",
				u.Name, c.Name, zhDate(j.Deadline), u.Recommended, u.Quota, u.ShortBy()),
			fmt.Sprintf("%s:\nThe lists of %s closed on %s. Your unit recommended %d items, fewer than its quota of %d: short by %d.\nPlease contact the city public training centre; items reported from now on belong to regular collection.",
				u.Name, c.Name, j.Deadline, u.Recommended, u.Quota, u.ShortBy())),
	}, true
}

// CloseSummary is rule 2's one notice to coordinators when the lists close:
// every unit short of its quota, by district code.
func CloseSummary(c *Campaign, j Job, units []UnitFigures) Notice {
	var short []UnitFigures
	for _, u := range units {
		if u.ShortBy() > 0 {
			short = append(short, u)
		}
	}
	slices.SortFunc(short, func(a, b UnitFigures) int { return cmp.Compare(a.District, b.District) })
	var zh, en strings.Builder
	fmt.Fprintf(&zh, "%s推荐名单已于%s截止。", c.Name, zhDate(j.Deadline))
	fmt.Fprintf(&en, "The lists of %s closed on %s.", c.Name, j.Deadline)
	if len(short) == 0 {
		zh.WriteString("各推荐单位均已达到推荐名额。")
		en.WriteString(" Every unit reached its quota.")
	} else {
		fmt.Fprintf(&zh, "%d个推荐单位中有%d个未达到推荐名额：", len(units), len(short))
		fmt.Fprintf(&en, " %d of %d units are short of their quota:", len(short), len(units))
		for i, u := range short {
			if i == maxListed {
				fmt.Fprintf(&zh, "\n……另有%d个单位未列出", len(short)-i)
				fmt.Fprintf(&en, "\n… and %d more", len(short)-i)
				break
			}
			fmt.Fprintf(&zh, "\n%d. %s（%s）：已推荐%d件，名额%d件，尚差%d件", i+1, u.Name, u.District, u.Recommended, u.Quota, u.ShortBy())
			fmt.Fprintf(&en, "\n%d. %s (%s): %d recommended, quota %d, short by %d", i+1, u.Name, u.District, u.Recommended, u.Quota, u.ShortBy())
		}
	}
	return Notice{
		Kind: KindCloseSummary,
		Subject: workflow.T(
			fmt.Sprintf("【名单截止】%d个单位未达到推荐名额", len(short)),
			fmt.Sprintf("[Lists closed] %d units short of quota", len(short))),
		Body: workflow.T(zh.String(), en.String()),
	}
}

// EscalationNotice is rule 3's one notice to coordinators after the evaluate
// phase: the items still awaiting evaluation or a decision, by id. Callers pass
// the items for which NeedsEscalation holds.
func EscalationNotice(c *Campaign, j Job, items []Pending) Notice {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b Pending) int { return cmp.Compare(a.ID, b.ID) })
	var zh, en strings.Builder
	fmt.Fprintf(&zh, "%s评估入库签约阶段已于%s结束，仍有%d件展品未完成评估或入选决定：", c.Name, zhDate(j.Deadline), len(items))
	fmt.Fprintf(&en, "The evaluate phase of %s ended on %s; %d items still await evaluation or a decision:", c.Name, j.Deadline, len(items))
	for i, x := range items {
		if i == maxListed {
			fmt.Fprintf(&zh, "\n……另有%d件未列出", len(items)-i)
			fmt.Fprintf(&en, "\n… and %d more", len(items)-i)
			break
		}
		fmt.Fprintf(&zh, "\n%d. 编号%d「%s」（%s，%s）", i+1, x.ID, x.Name, x.District, x.State.Label().ZH)
		fmt.Fprintf(&en, "\n%d. #%d %q (%s, %s)", i+1, x.ID, x.Name, x.District, x.State.Label().EN)
	}
	return Notice{
		Kind: KindEscalation,
		Subject: workflow.T(
			fmt.Sprintf("【待办督办】评估阶段已结束，%d件展品待处理", len(items)),
			fmt.Sprintf("[Escalation] Evaluate phase over, %d items pending", len(items))),
		Body: workflow.T(zh.String(), en.String()),
	}
}

// zhDate writes a day the way a Chinese notice does: 2022年7月31日.
func zhDate(d workflow.Date) string {
	t := d.In(time.UTC)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
