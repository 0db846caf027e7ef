package campaign

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"bayu/workflow"
)

// CalendarEntry is one all-day event of a user's calendar feed.
type CalendarEntry struct {
	// UID names the thing, not its date, so that a calendar that subscribed to
	// the feed moves the event when a date is edited instead of adding another.
	UID         string
	Start       workflow.Date
	End         workflow.Date // the last day, inclusive; zero for a one-day event
	Summary     string        // Chinese, as the feed's users read it
	Description string
	// Stamp is when the information last changed (DTSTAMP); zero writes the
	// start day, so a feed is the same bytes for the same data.
	Stamp time.Time
}

// calendarName is what a calendar application shows for the subscription.
const calendarName = "巴渝工匠展品征集"

// WriteICS writes entries as an iCalendar (RFC 5545) feed of all-day events:
// CRLF line ends, TEXT values escaped, lines folded at 75 octets without
// splitting a UTF-8 character.
func WriteICS(w io.Writer, entries []CalendarEntry) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Bayu//Exhibit Campaign//ZH")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(calendarName))
	for i, e := range entries {
		if e.UID == "" || e.Start.IsZero() {
			return fmt.Errorf("calendar entry %d: uid and start are required", i)
		}
		end := e.End
		if end.IsZero() {
			end = e.Start
		}
		if end.Before(e.Start) {
			return fmt.Errorf("calendar entry %s: end %s is before start %s", e.UID, end, e.Start)
		}
		stamp := e.Stamp
		if stamp.IsZero() {
			stamp = e.Start.In(time.UTC)
		}
		line("BEGIN:VEVENT")
		line("UID:" + escapeText(e.UID))
		line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		line("DTSTART;VALUE=DATE:" + icsDate(e.Start))
		// DTEND of an all-day event is exclusive: the day after the last.
		line("DTEND;VALUE=DATE:" + icsDate(end.AddDays(1)))
		line("SUMMARY:" + escapeText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escapeText(e.Description))
		}
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

func icsDate(d workflow.Date) string { return strings.ReplaceAll(d.String(), "-", "") }

// textEscaper escapes a TEXT value (RFC 5545 §3.3.11).
var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func escapeText(s string) string { return textEscaper.Replace(s) }

// fold breaks a content line into lines of at most 75 octets, each further one
// starting with a space (RFC 5545 §3.1), and ends it with CRLF. It cuts only
// between characters: Chinese is three octets a character, and a cut inside
// one would leave invalid UTF-8 on both lines.
func fold(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}

// PhaseEntries are a campaign's dates for a feed: the day collection opens,
// each phase as a span, and the deadlines of reporting and of the lists.
func PhaseEntries(c *Campaign, stamp time.Time) []CalendarEntry {
	uid := func(s string) string { return "campaign-" + strconv.FormatInt(c.ID, 10) + "-" + s + "@bayu" }
	var es []CalendarEntry
	if !c.OpensOn.IsZero() {
		es = append(es, CalendarEntry{UID: uid("opens"), Start: c.OpensOn, Stamp: stamp,
			Summary: "展品征集开始", Description: c.Name})
	}
	deadlines := map[PhaseKey]string{
		PhaseReport:    "【截止】展品摸排报送截止",
		PhaseRecommend: "【截止】推荐名单报送截止",
		PhaseEvaluate:  "评估入库签约阶段结束",
	}
	for _, p := range c.Phases {
		es = append(es, CalendarEntry{UID: uid(string(p.Key)), Start: p.StartsOn, End: p.EndsOn, Stamp: stamp,
			Summary: "“" + p.Key.Label().ZH + "”阶段", Description: c.Name})
		es = append(es, CalendarEntry{UID: uid(string(p.Key) + "-deadline"), Start: p.EndsOn, Stamp: stamp,
			Summary: deadlines[p.Key], Description: c.Name + "：" + zhDate(p.EndsOn) + "24时截止"})
	}
	return es
}

// ErrNoReturnDate is returned by ReturnEntry for an exhibit without a tracked return date.
var ErrNoReturnDate = errors.New("campaign: exhibit has no return date to track")

// ReturnEntry is an exhibit's return date for a feed, while reminders run for it.
func ReturnEntry(x *workflow.Exhibit, stamp time.Time) (CalendarEntry, error) {
	if !ReturnTracked(x) {
		return CalendarEntry{}, ErrNoReturnDate
	}
	w := returnWordings[x.Method]
	return CalendarEntry{
		UID:         "return-" + strconv.FormatInt(x.ID, 10) + "@bayu",
		Start:       ReturnDate(x),
		Stamp:       stamp,
		Summary:     "【到期】" + x.Name + "：" + w.date.ZH,
		Description: fmt.Sprintf("展品编号%d，%s，%s。%s", x.ID, x.District, x.Method.Label().ZH, w.action.ZH),
	}, nil
}
