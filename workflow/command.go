package workflow

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Command asks for one event on one exhibit.
type Command struct {
	Event  Event
	Reason string
	Data   map[string]json.RawMessage
	Actor  Actor
	At     time.Time
	// Exhibition is the exhibition display's data names, looked up by the
	// caller (the workflow reads no database); nil when none or unknown.
	Exhibition *Exhibition
}

// needsReason are the events that must say why (CONTRACT.md "Event data keys").
var needsReason = map[Event]bool{Decline: true, Reject: true, Withdraw: true, Reconsider: true}

// dataKeys documents which data each event reads; the UI asks exactly for these.
var dataKeys = map[Event][]string{
	Evaluate:            {"score", "authentic", "no_classified", "no_infringement", "comment"},
	SignAgreement:       {"signed_on", "parties", "donation_form", "return_due", "original_return_due", "asking_price_cny", "commission_pct", "term_end"},
	Store:               {"location"},
	CompleteReplication: {"original_returned_on", "location"},
	Display:             {"exhibition", "venue", "from", "until"},
	Return:              {"returned_on", "receipt"},
	Sell:                {"price_cny", "sold_on"},
}

// EventNeeds describes what firing an event for this exhibit asks of the user.
type EventNeeds struct {
	Event  Event    `json:"name"`
	Reason bool     `json:"reason_required"`
	Data   []string `json:"data"`
}

// Needs returns the reason and data keys ev needs for x (sign_agreement depends on the method).
func Needs(x *Exhibit, ev Event) EventNeeds {
	keys := dataKeys[ev]
	if ev == SignAgreement {
		keys = append([]string{"signed_on", "parties"}, agreementKeys[x.Method]...)
	}
	if keys == nil {
		keys = []string{}
	}
	return EventNeeds{Event: ev, Reason: needsReason[ev], Data: keys}
}

var agreementKeys = map[Method][]string{
	Donation:    {"donation_form"},
	Deposit:     {"return_due"},
	Replication: {"original_return_due"},
	Consignment: {"asking_price_cny", "commission_pct", "term_end"},
}

// Available returns the events a may fire on x now: allowed by the table from x's
// state and by the role, district and method rules. Sorted by name.
func Available(a Actor, x *Exhibit) []EventNeeds {
	out := []EventNeeds{}
	for _, ev := range AllowedEvents(x.State) {
		if mayFire(a, x, ev) != nil || methodRule(x, ev) != nil {
			continue
		}
		out = append(out, Needs(x, ev))
	}
	return out
}

// guard is the before_<event> check: who may, on which exhibit, with what data.
// It only reads; the effect it returns is applied after the FSM has moved.
func guard(x *Exhibit, c *Command) (func(*Exhibit), error) {
	if err := mayFire(c.Actor, x, c.Event); err != nil {
		return nil, err
	}
	if err := methodRule(x, c.Event); err != nil {
		return nil, err
	}
	d := newDataReader(c.Data)
	c.Reason = strings.TrimSpace(c.Reason)
	if needsReason[c.Event] && c.Reason == "" {
		d.fe.Add("reason", "必须填写原因", "a reason is required")
	}
	if strings.ContainsRune(c.Reason, 0) {
		d.fe.Add("reason", "含有不允许的控制字符", "contains a NUL character")
	}
	if utf8.RuneCountInString(c.Reason) > 1000 {
		d.fe.Add("reason", "原因不能超过 1000 字", "must be at most 1000 characters")
	}
	effect := eventRules[c.Event](x, c, d)
	if err := d.finish(); err != nil {
		return nil, err
	}
	return effect, nil
}

// methodRule refuses events that do not fit the exhibit's collection method.
func methodRule(x *Exhibit, ev Event) error {
	ok := true
	switch ev {
	case StartReplication, CompleteReplication:
		ok = x.Method == Replication
	case Store:
		ok = x.Method != Replication
	case Return:
		ok = x.Method == Deposit || x.Method == Consignment
	case Sell:
		ok = x.Method == Consignment
	case SignAgreement:
		ok = x.Method.Valid()
	}
	if ok {
		return nil
	}
	label := x.Method.Label().ZH
	if label == "" {
		label = "未填写"
	}
	return &Error{Code: CodeInvalid,
		Message: T("征集方式为“"+label+"”的展品不能执行“"+ev.Label().ZH+"”",
			"an exhibit collected by "+string(x.Method)+" cannot "+string(ev)),
		Fields: map[string]Text{"method": T("征集方式不适用于该操作", "does not allow this event")}}
}

// dataReader reads event data strictly: every problem is a named field, and a key the
// event does not read is an error too, so typos are not silently ignored.
type dataReader struct {
	data map[string]json.RawMessage
	used map[string]bool
	fe   FieldErrors
}

func newDataReader(data map[string]json.RawMessage) *dataReader {
	return &dataReader{data: data, used: map[string]bool{}, fe: FieldErrors{}}
}

func (d *dataReader) raw(key string, required bool) (json.RawMessage, bool) {
	d.used[key] = true
	r, ok := d.data[key]
	if !ok || string(r) == "null" {
		if required {
			d.fe.Add("data."+key, "必须填写", "is required")
		}
		return nil, false
	}
	return r, true
}

func (d *dataReader) text(key string, required bool, max int) string {
	r, ok := d.raw(key, required)
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(r, &s) != nil {
		d.fe.Add("data."+key, "必须是文本", "must be text")
		return ""
	}
	s = strings.TrimSpace(s)
	if strings.ContainsRune(s, 0) {
		d.fe.Add("data."+key, "含有不允许的控制字符", "contains a NUL character")
	}
	if s == "" && required {
		d.fe.Add("data."+key, "必须填写", "is required")
	}
	if utf8.RuneCountInString(s) > max {
		d.fe.Add("data."+key, "内容过长", "is too long")
	}
	return s
}

func (d *dataReader) date(key string, required bool) Date {
	r, ok := d.raw(key, required)
	if !ok {
		return Date{}
	}
	var v Date
	if json.Unmarshal(r, &v) != nil || v.IsZero() {
		d.fe.Add("data."+key, "日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD")
	}
	return v
}

func (d *dataReader) integer(key string, required bool, lo, hi int64) int64 {
	r, ok := d.raw(key, required)
	if !ok {
		return 0
	}
	var v int64
	if json.Unmarshal(r, &v) != nil || v < lo || v > hi {
		d.fe.Add("data."+key, "必须是 "+itoa(lo)+" 到 "+itoa(hi)+" 之间的整数",
			"must be a whole number from "+itoa(lo)+" to "+itoa(hi))
	}
	return v
}

func (d *dataReader) boolean(key string) bool {
	r, ok := d.raw(key, true)
	if !ok {
		return false
	}
	var v bool
	if json.Unmarshal(r, &v) != nil {
		d.fe.Add("data."+key, "必须是 true 或 false", "must be true or false")
	}
	return v
}

// finish reports unread keys and every collected problem.
func (d *dataReader) finish() error {
	var extra []string
	for k := range d.data {
		if !d.used[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		d.fe.Add("data."+k, "该操作不需要此项", "is not used by this event")
	}
	return d.fe.Err()
}

// MethodAllows reports whether the exhibit's collection method permits ev.
func MethodAllows(x *Exhibit, ev Event) bool { return methodRule(x, ev) == nil }
