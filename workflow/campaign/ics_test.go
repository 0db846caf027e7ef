package campaign_test

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"bayu/workflow"
	"bayu/workflow/campaign"
)

// feed is what a district subscribes to: the campaign's dates and a return date.
func feed(t *testing.T) ([]campaign.CalendarEntry, []byte) {
	t.Helper()
	stamp := time.Date(2022, 4, 20, 9, 30, 0, 0, time.UTC)
	c := campaign.Default(2022)
	c.ID = 3
	entries := campaign.PhaseEntries(&c, stamp)
	x := exhibit(workflow.Deposit, workflow.Stored)
	x.Name = "蜀绣《山城夜色》；含底座, 共2件\\套" // characters TEXT must escape
	ret, err := campaign.ReturnEntry(x, stamp)
	if err != nil {
		t.Fatal(err)
	}
	ret.Description = strings.Repeat("寄存展品，请按协议归还。", 12) + "\n第二行"
	entries = append(entries, ret)
	var buf bytes.Buffer
	if err := campaign.WriteICS(&buf, entries); err != nil {
		t.Fatal(err)
	}
	return entries, buf.Bytes()
}

func TestICSParsesWithAnIndependentParser(t *testing.T) {
	entries, raw := feed(t)
	cal, err := ical.NewDecoder(bytes.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the feed: %v\n%s", err, raw)
	}
	events := cal.Events()
	if len(events) != len(entries) {
		t.Fatalf("%d events, want %d", len(events), len(entries))
	}
	for i, ev := range events {
		e := entries[i]
		text := func(name string) string {
			p := ev.Props.Get(name)
			if p == nil {
				return ""
			}
			s, err := p.Text()
			if err != nil {
				t.Errorf("%s of %s: %v", name, e.UID, err)
			}
			return s
		}
		if got := text(ical.PropUID); got != e.UID {
			t.Errorf("event %d uid %q, want %q", i, got, e.UID)
		}
		if got := text(ical.PropSummary); got != e.Summary {
			t.Errorf("event %d summary %q, want %q", i, got, e.Summary)
		}
		if got := text(ical.PropDescription); got != e.Description {
			t.Errorf("event %d description %q, want %q", i, got, e.Description)
		}
		start, err := ev.DateTimeStart(time.UTC)
		if err != nil || workflow.DateOf(start) != e.Start {
			t.Errorf("event %d start %s %v, want %s", i, start, err, e.Start)
		}
		if p := ev.Props.Get(ical.PropDateTimeStart); p.ValueType() != ical.ValueDate {
			t.Errorf("event %d is not all-day: %s", i, p.ValueType())
		}
		last := e.End
		if last.IsZero() {
			last = e.Start
		}
		end, err := ev.DateTimeEnd(time.UTC)
		if err != nil || workflow.DateOf(end) != last.AddDays(1) {
			t.Errorf("event %d end %s %v, want the day after %s", i, end, err, last)
		}
		stamp, err := ev.Props.DateTime(ical.PropDateTimeStamp, time.UTC)
		if err != nil || !stamp.Equal(time.Date(2022, 4, 20, 9, 30, 0, 0, time.UTC)) {
			t.Errorf("event %d stamp %s %v", i, stamp, err)
		}
	}
	// go-ical's encoder checks each component has what RFC 5545 requires (UID, DTSTAMP, …).
	if err := ical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
		t.Errorf("the parsed feed is not a valid calendar: %v", err)
	}
}

func TestICSLinesAreFoldedAt75Octets(t *testing.T) {
	_, raw := feed(t)
	if !bytes.HasSuffix(raw, []byte("END:VCALENDAR\r\n")) {
		t.Error("the feed does not end with END:VCALENDAR CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
	folded := 0
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d cuts a character: %q", i, l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d holds a bare line break", i)
		}
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	if folded == 0 {
		t.Error("the long description was not folded")
	}
	if !bytes.Contains(raw, []byte(`含底座\, 共2件\\套`)) || !bytes.Contains(raw, []byte(`；`)) {
		t.Errorf("TEXT not escaped:\n%s", raw)
	}
}

func TestICSStableUIDsAndBytes(t *testing.T) {
	_, a := feed(t)
	_, b := feed(t)
	if !bytes.Equal(a, b) {
		t.Error("the same data gave two different feeds")
	}
	c := campaign.Default(2022)
	c.ID = 3
	moved := campaign.Default(2022)
	moved.ID = 3
	moved.Phases[1].EndsOn = day(2022, 8, 5)
	before, after := campaign.PhaseEntries(&c, time.Time{}), campaign.PhaseEntries(&moved, time.Time{})
	for i := range before {
		if before[i].UID != after[i].UID {
			t.Errorf("uid changed with the date: %s → %s", before[i].UID, after[i].UID)
		}
	}
}

func TestICSRefusesBadEntries(t *testing.T) {
	for _, e := range []campaign.CalendarEntry{
		{Start: day(2022, 7, 31), Summary: "无 UID"},
		{UID: "x@bayu", Summary: "无日期"},
		{UID: "y@bayu", Start: day(2022, 7, 31), End: day(2022, 7, 30)},
	} {
		if err := campaign.WriteICS(&bytes.Buffer{}, []campaign.CalendarEntry{e}); err == nil {
			t.Errorf("%+v was written", e)
		}
	}
	if _, err := campaign.ReturnEntry(exhibit(workflow.Deposit, workflow.Returned), time.Time{}); err == nil {
		t.Error("a returned item has no return date in the feed")
	}
}

func TestFold(t *testing.T) {
	// Exactly 75 octets stays one line; 76 folds; Chinese never splits.
	var buf bytes.Buffer
	summary75 := strings.Repeat("a", 75-len("SUMMARY:"))
	err := campaign.WriteICS(&buf, []campaign.CalendarEntry{
		{UID: "u@bayu", Start: day(2022, 5, 1), Summary: summary75},
		{UID: "v@bayu", Start: day(2022, 5, 1), Summary: summary75 + "b"},
		{UID: "w@bayu", Start: day(2022, 5, 1), Summary: strings.Repeat("征", 60)},
	})
	if err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.Contains(raw, "\r\nSUMMARY:"+summary75+"\r\n") {
		t.Error("a 75-octet line was folded")
	}
	if !strings.Contains(raw, "\r\nSUMMARY:"+summary75+"\r\n b\r\n") {
		t.Error("a 76-octet line was not folded after 75 octets")
	}
	cal, err := ical.NewDecoder(strings.NewReader(raw)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := cal.Events()[2].Props.Text(ical.PropSummary); s != strings.Repeat("征", 60) {
		t.Errorf("Chinese summary came back as %q", s)
	}
}
