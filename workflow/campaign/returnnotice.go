package campaign

import (
	"fmt"
	"time"

	"bayu/workflow"
)

// returnWording is how a notice speaks of each method's date and what to do about it.
type returnWording struct {
	date   workflow.Text // the name of the date
	action workflow.Text // what the centre should do
}

var returnWordings = map[workflow.Method]returnWording{
	workflow.Deposit: {
		workflow.T("寄存归还日期", "deposit return date"),
		workflow.T("请按协议与持有人办理归还手续，或续签协议并更新归还日期。",
			"Please return the item to its holder as agreed, or renew the agreement and update the return date."),
	},
	workflow.Replication: {
		workflow.T("原件归还日期", "original return date"),
		workflow.T("请按协议将原件归还持有人，并登记“完成复制”。",
			"Please give the original back to its holder as agreed and record the replication as complete."),
	},
	workflow.Consignment: {
		workflow.T("寄售期满日期", "consignment term end"),
		workflow.T("请在寄售期满时办理售出或退还手续，或续签协议并更新期满日期。",
			"Please sell or return the item when the term ends, or renew the agreement and update the term end."),
	},
}

// ReturnNotice is rule 4's notice about one exhibit, to the coordinators and to
// the exhibit's unit: its name, the date, and the days left or overdue counted
// from the day it is sent (at), which after downtime may be later than r.On.
func ReturnNotice(x *workflow.Exhibit, r ReturnReminder, at time.Time, loc *time.Location) Notice {
	w := returnWordings[x.Method]
	if w.date.ZH == "" {
		w = returnWordings[workflow.Deposit]
	}
	late := DaysBetween(r.Due, Today(at, loc))
	method := x.Method.Label()
	var subject, status workflow.Text
	switch {
	case late < 0:
		subject = workflow.T(
			fmt.Sprintf("【归还提醒】展品“%s”%s为%s，还剩%d天", x.Name, w.date.ZH, zhDate(r.Due), -late),
			fmt.Sprintf("[Return due] %q: %s %s, %d days left", x.Name, w.date.EN, r.Due, -late))
		status = workflow.T(fmt.Sprintf("距到期还剩%d天。", -late), fmt.Sprintf("%d days left.", -late))
	case late == 0:
		subject = workflow.T(
			fmt.Sprintf("【到期提醒】展品“%s”%s为今天（%s）", x.Name, w.date.ZH, zhDate(r.Due)),
			fmt.Sprintf("[Due today] %q: %s is today, %s", x.Name, w.date.EN, r.Due))
		status = workflow.T("今天到期。", "Due today.")
	default:
		subject = workflow.T(
			fmt.Sprintf("【逾期提醒】展品“%s”已逾期%d天（%s为%s）", x.Name, late, w.date.ZH, zhDate(r.Due)),
			fmt.Sprintf("[Overdue] %q: %d days overdue (%s %s)", x.Name, late, w.date.EN, r.Due))
		status = workflow.T(fmt.Sprintf("已逾期%d天。", late), fmt.Sprintf("%d days overdue.", late))
	}
	return Notice{
		Kind:    KindReturn,
		Subject: subject,
		Body: workflow.T(
			fmt.Sprintf("展品编号：%d\n展品名称：%s\n推荐单位：%s\n征集方式：%s\n%s：%s\n%s\n%s",
				x.ID, x.Name, x.District, method.ZH, w.date.ZH, zhDate(r.Due), status.ZH, w.action.ZH),
			fmt.Sprintf("Exhibit: #%d\nName: %s\nUnit: %s\nMethod: %s\n%s: %s\n%s\n%s",
				x.ID, x.Name, x.District, method.EN, w.date.EN, r.Due, status.EN, w.action.EN)),
	}
}
