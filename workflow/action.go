package workflow

import (
	"strings"
	"unicode/utf8"
)

// Actions change what the centre records about a held item without moving it
// in the state machine: extending a deposit and moving the item between
// storage locations. They are fired like events (POST …/events) and written
// to the history like them, but they are not in the FSM table: the state
// before and after is the same.
const (
	ExtendDeposit Event = "extend_deposit" // 延长寄存期
	Move          Event = "move"           // 移库
)

// actionKeys are the data each action reads.
var actionKeys = map[Event][]string{
	ExtendDeposit: {"return_due"},
	Move:          {"location"},
}

// Actions lists the actions, sorted by name.
func Actions() []Event { return []Event{ExtendDeposit, Move} }

// IsAction reports whether ev is an action rather than an event of the table.
func IsAction(ev Event) bool { _, ok := actionKeys[ev]; return ok }

// heldStates are the states in which the centre holds the item under its agreement.
var heldStates = map[State]bool{AgreementSigned: true, Stored: true, OnDisplay: true}

// ActionResult is what a checked action changes.
type ActionResult struct {
	ReturnDue Date   // extend_deposit: the new date
	Location  string // move: where the item goes
}

// Act checks an action on x: who may, in which state, with what data. Like a
// guard it only reads; the store applies the result.
func Act(x *Exhibit, c Command) (ActionResult, error) {
	var out ActionResult
	if err := mayFire(c.Actor, x, c.Event); err != nil {
		return out, err
	}
	if err := actionState(x, c.Event); err != nil {
		return out, err
	}
	d := newDataReader(c.Data)
	if utf8.RuneCountInString(strings.TrimSpace(c.Reason)) > 500 || strings.ContainsRune(c.Reason, 0) {
		d.fe.Add("reason", "原因最多 500 字", "must be at most 500 characters")
	}
	switch c.Event {
	case ExtendDeposit:
		out.ReturnDue = d.date("return_due", true)
		if cur := x.Agreement.ReturnDue; !out.ReturnDue.IsZero() && !out.ReturnDue.After(cur) {
			d.fe.Add("data.return_due", "延期后的归还日期必须晚于当前的 "+cur.String(), "must be after the current return date "+cur.String())
		}
	case Move:
		out.Location = d.text("location", true, 200)
		if out.Location != "" && out.Location == x.Custody.Location {
			d.fe.Add("data.location", "展品已在“"+out.Location+"”", "the item is at "+out.Location+" already")
		}
	}
	return out, d.finish()
}

// actionState refuses an action the exhibit's method or state does not allow.
func actionState(x *Exhibit, ev Event) error {
	switch {
	case ev == ExtendDeposit && x.Method != Deposit:
		return methodRefusal(x, ev)
	case ev == ExtendDeposit && (!heldStates[x.State] || x.Agreement == nil):
		return stateRefusal(x, ev, "只有已签寄存协议、尚未归还的展品可以延长寄存期", "only a deposit held under its agreement can be extended")
	case ev == Move && x.State != Stored:
		return stateRefusal(x, ev, "只有已入库的展品可以移库（展出中的展品请先结束展出）", "only a stored item can be moved (end its display first)")
	}
	return nil
}

func stateRefusal(x *Exhibit, ev Event, zh, en string) error {
	return &Error{Code: CodeInvalidTransition, Message: T(
		"展品当前状态为 "+string(x.State)+"（"+x.State.Label().ZH+"），不能执行 "+string(ev)+"；"+zh,
		"the exhibit is "+string(x.State)+"; "+string(ev)+" is not allowed: "+en)}
}

func methodRefusal(x *Exhibit, ev Event) error {
	label := x.Method.Label().ZH
	if label == "" {
		label = "未填写"
	}
	return &Error{Code: CodeInvalid,
		Message: T("征集方式为“"+label+"”的展品不能执行“"+ev.Label().ZH+"”", "an exhibit collected by "+string(x.Method)+" cannot "+string(ev)),
		Fields:  map[string]Text{"method": T("征集方式不适用于该操作", "does not allow this event")}}
}

// AvailableActions returns the actions a may take on x now, sorted by name.
func AvailableActions(a Actor, x *Exhibit) []EventNeeds {
	out := []EventNeeds{}
	for _, ev := range Actions() {
		if mayFire(a, x, ev) != nil || actionState(x, ev) != nil {
			continue
		}
		out = append(out, EventNeeds{Event: ev, Data: actionKeys[ev]})
	}
	return out
}
