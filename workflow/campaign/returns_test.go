package campaign_test

import (
	"fmt"
	"testing"
	"time"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

func TestReturnScheduleOffsets(t *testing.T) {
	due := day(2022, 9, 30)
	want := []struct{ offset, on string }{
		{"-30d", "2022-08-31"}, {"-7d", "2022-09-23"}, {"-1d", "2022-09-29"}, {"0d", "2022-09-30"},
		{"+7d", "2022-10-07"}, {"+30d", "2022-10-30"}, {"+2m", "2022-11-30"}, {"+3m", "2022-12-30"},
		{"+4m", "2023-01-30"}, {"+5m", "2023-03-02"}, // 02-30 does not exist: AddDate normalises to 03-02
		{"+6m", "2023-03-30"},
	}
	got := campaign.ReturnSchedule(9, due, day(2023, 4, 29))
	if len(got) != len(want) {
		t.Fatalf("%d steps, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		r := got[i]
		if r.Offset() != w.offset || r.On.String() != w.on || r.Step != i {
			t.Errorf("step %d = %s on %s, want %s on %s", i, r.Offset(), r.On, w.offset, w.on)
		}
		if key := fmt.Sprintf("return:9:2022-09-30:%s", w.offset); r.Key() != key {
			t.Errorf("key %s, want %s", r.Key(), key)
		}
	}
}

// Monthly is AddDate(0, n, 0) from the due date, never from the last reminder.
func TestMonthlyOverdueFromTheEndOfJanuary(t *testing.T) {
	tests := []struct {
		due  workflow.Date
		want []string // +7d, +30d, +2m, +3m, +4m, +5m
	}{
		{day(2022, 1, 31), []string{"2022-02-07", "2022-03-02", "2022-03-31", "2022-05-01", "2022-05-31", "2022-07-01"}},
		{day(2024, 1, 31), []string{"2024-02-07", "2024-03-01", "2024-03-31", "2024-05-01", "2024-05-31", "2024-07-01"}},
		{day(2022, 12, 31), []string{"2023-01-07", "2023-01-30", "2023-03-03", "2023-03-31", "2023-05-01", "2023-05-31"}},
		{day(2022, 3, 15), []string{"2022-03-22", "2022-04-14", "2022-05-15", "2022-06-15", "2022-07-15", "2022-08-15"}},
	}
	for _, tt := range tests {
		r := campaign.ReturnStep(1, tt.due, 4) // +7d
		for _, w := range tt.want {
			if r.On.String() != w {
				t.Errorf("due %s, %s: %s, want %s", tt.due, r.Offset(), r.On, w)
			}
			r = r.Next()
		}
	}
}

// Every step falls strictly after the one before, whatever the due date.
func TestScheduleIsStrictlyIncreasing(t *testing.T) {
	for due := day(2023, 1, 1); due.Before(day(2025, 1, 1)); due = due.AddDays(1) {
		r := campaign.ReturnStep(1, due, 0)
		for range 40 {
			n := r.Next()
			if !n.On.After(r.On) {
				t.Fatalf("due %s: %s on %s is not after %s on %s", due, n.Offset(), n.On, r.Offset(), r.On)
			}
			if n.DaysLate() <= r.DaysLate() {
				t.Fatalf("due %s: days late do not grow at %s", due, n.Offset())
			}
			r = n
		}
	}
}

func TestFirstReturnReminder(t *testing.T) {
	loc := shanghai(t)
	due := day(2022, 9, 30)
	tests := []struct {
		from time.Time
		want string
	}{
		{time.Date(2022, 3, 1, 10, 0, 0, 0, loc), "-30d"},
		{time.Date(2022, 8, 31, 0, 0, 0, 0, loc), "-30d"},
		{time.Date(2022, 8, 31, 23, 0, 0, 0, loc), "-30d"},     // signed later that day: still today's step
		{time.Date(2022, 8, 31, 16, 0, 0, 0, time.UTC), "-7d"}, // 09-01 00:00 in Shanghai
		{time.Date(2022, 9, 30, 8, 0, 0, 0, loc), "0d"},
		{time.Date(2022, 10, 1, 0, 0, 0, 0, loc), "+7d"},
		{time.Date(2023, 2, 1, 0, 0, 0, 0, loc), "+5m"},
	}
	for _, tt := range tests {
		r := campaign.FirstReturnReminder(3, due, tt.from, loc)
		if r.Offset() != tt.want || r.Exhibit != 3 || r.Due != due {
			t.Errorf("first after %s = %s, want %s", tt.from.In(loc), r.Offset(), tt.want)
		}
	}
	r := campaign.ReturnStep(3, due, 1)
	if got := r.DueAt(loc); !got.Equal(time.Date(2022, 9, 22, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("-7d due at %s, want the start of 09-23 in Shanghai", got.UTC())
	}
}

// A store that keeps one pending row and replaces it with Next after sending
// sends exactly the schedule, even when it was down for months and catches up.
func TestOnePendingRowWalksTheSchedule(t *testing.T) {
	loc := shanghai(t)
	due := day(2022, 9, 30)
	signed := time.Date(2022, 9, 10, 15, 0, 0, 0, loc)
	pending := campaign.FirstReturnReminder(5, due, signed, loc)
	var sent []string
	// Hourly ticks with a downtime from 10-02 to 12-15.
	for now := signed; now.Before(time.Date(2023, 2, 1, 0, 0, 0, 0, loc)); now = now.Add(time.Hour) {
		if now.After(time.Date(2022, 10, 2, 0, 0, 0, 0, loc)) && now.Before(time.Date(2022, 12, 15, 0, 0, 0, 0, loc)) {
			continue
		}
		for !pending.DueAt(loc).After(now) {
			sent = append(sent, pending.Offset())
			pending = pending.Next()
		}
	}
	want := []string{"-7d", "-1d", "0d", "+7d", "+30d", "+2m", "+3m", "+4m"}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Errorf("sent %v, want %v", sent, want)
	}
}

func exhibit(method workflow.Method, state workflow.State) *workflow.Exhibit {
	return &workflow.Exhibit{
		ID: 11, District: "500101", State: state,
		Fields: workflow.Fields{Name: "蜀绣《山城夜色》", Method: method},
		Agreement: &workflow.Agreement{
			SignedOn: day(2022, 8, 20), ReturnDue: day(2023, 8, 20),
			OriginalReturnDue: day(2022, 12, 1), TermEnd: day(2023, 2, 28),
		},
	}
}

func TestReturnDateByMethod(t *testing.T) {
	tests := []struct {
		method workflow.Method
		want   workflow.Date
	}{
		{workflow.Deposit, day(2023, 8, 20)},
		{workflow.Replication, day(2022, 12, 1)},
		{workflow.Consignment, day(2023, 2, 28)},
		{workflow.Donation, workflow.Date{}},
	}
	for _, tt := range tests {
		x := exhibit(tt.method, workflow.Stored)
		if got := campaign.ReturnDate(x); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.method, got, tt.want)
		}
		if got := campaign.ReturnTracked(x); got != !tt.want.IsZero() {
			t.Errorf("%s: tracked %v", tt.method, got)
		}
	}
	x := exhibit(workflow.Deposit, workflow.Accepted)
	x.Agreement = nil
	if !campaign.ReturnDate(x).IsZero() || campaign.ReturnTracked(x) {
		t.Error("no agreement, no return date")
	}
}

func TestRemindersStopWhenSettled(t *testing.T) {
	tests := []struct {
		name    string
		x       *workflow.Exhibit
		settled bool
	}{
		{"deposit stored", exhibit(workflow.Deposit, workflow.Stored), false},
		{"deposit on display", exhibit(workflow.Deposit, workflow.OnDisplay), false},
		{"deposit returned", exhibit(workflow.Deposit, workflow.Returned), true},
		{"consignment sold", exhibit(workflow.Consignment, workflow.Sold), true},
		{"consignment returned", exhibit(workflow.Consignment, workflow.Returned), true},
		{"replication signed", exhibit(workflow.Replication, workflow.AgreementSigned), false},
		{"replicating", exhibit(workflow.Replication, workflow.Replicating), false},
		{"replication complete", func() *workflow.Exhibit {
			x := exhibit(workflow.Replication, workflow.Stored)
			x.Custody.OriginalReturnedOn = day(2022, 11, 20)
			return x
		}(), true},
		{"returned on recorded", func() *workflow.Exhibit {
			x := exhibit(workflow.Deposit, workflow.Stored)
			x.Custody.ReturnedOn = day(2023, 8, 1)
			return x
		}(), true},
	}
	for _, tt := range tests {
		if got := campaign.ReturnSettled(tt.x); got != tt.settled {
			t.Errorf("%s: settled %v, want %v", tt.name, got, tt.settled)
		}
		if got := campaign.ReturnTracked(tt.x); got == tt.settled {
			t.Errorf("%s: tracked %v", tt.name, got)
		}
	}
}

func TestReturnNotice(t *testing.T) {
	loc := shanghai(t)
	tests := []struct {
		method workflow.Method
		step   int
		at     time.Time
		parts  []string
	}{
		{workflow.Deposit, 0, time.Date(2023, 7, 21, 0, 0, 0, 0, loc),
			[]string{"归还提醒", "蜀绣《山城夜色》", "寄存归还日期", "2023年8月20日", "还剩30天", "寄存", "编号：11"}},
		{workflow.Replication, 3, time.Date(2022, 12, 1, 9, 0, 0, 0, loc),
			[]string{"到期提醒", "原件归还日期", "今天", "2022年12月1日", "完成复制"}},
		{workflow.Consignment, 5, time.Date(2023, 3, 30, 0, 0, 0, 0, loc),
			[]string{"逾期提醒", "已逾期30天", "寄售期满日期", "2023年2月28日"}},
		// Sent a day late after downtime: the text counts from the day it is sent.
		{workflow.Consignment, 4, time.Date(2023, 3, 8, 1, 0, 0, 0, loc), []string{"已逾期8天"}},
	}
	for _, tt := range tests {
		x := exhibit(tt.method, workflow.Stored)
		r := campaign.ReturnStep(x.ID, campaign.ReturnDate(x), tt.step)
		n := campaign.ReturnNotice(x, r, tt.at, loc)
		if n.Kind != campaign.KindReturn {
			t.Errorf("kind %s", n.Kind)
		}
		wantIn(t, string(tt.method)+" "+r.Offset(), n.Subject.ZH+"\n"+n.Body.ZH, tt.parts...)
		if n.Subject.EN == "" || n.Body.EN == "" {
			t.Errorf("%s: no English", tt.method)
		}
	}
}

// A renewed agreement moves the due date: the pending row is replaced by the
// first step of the new date, under keys of its own.
func TestRenewalReschedules(t *testing.T) {
	loc := shanghai(t)
	old := day(2023, 8, 20)
	pending := campaign.FirstReturnReminder(11, old, time.Date(2022, 8, 20, 10, 0, 0, 0, loc), loc)
	if pending.Offset() != "-30d" {
		t.Fatalf("first reminder %s", pending.Offset())
	}
	renewed := day(2024, 8, 20)
	changedAt := time.Date(2023, 8, 1, 15, 0, 0, 0, loc) // after -30d of the old date was sent
	next := campaign.FirstReturnReminder(11, renewed, changedAt, loc)
	if next.Offset() != "-30d" || next.On != day(2024, 7, 21) || next.Key() != "return:11:2024-08-20:-30d" {
		t.Errorf("after renewal: %s on %s key %s", next.Offset(), next.On, next.Key())
	}
	if next.Key() == pending.Key() {
		t.Error("a renewed date reuses the old keys")
	}
}
