package workflow

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/looplab/fsm"
)

// table is THE state machine of PRODUCT.md, the only place transitions are defined.
var table = fsm.Events{
	{Name: string(Report), Src: []string{string(Mobilized)}, Dst: string(Reported)},
	{Name: string(Recommend), Src: []string{string(Reported)}, Dst: string(DistrictRecommended)},
	{Name: string(Decline), Src: []string{string(Reported)}, Dst: string(NotRecommended)},
	{Name: string(Reconsider), Src: []string{string(NotRecommended)}, Dst: string(Reported)},
	{Name: string(Evaluate), Src: []string{string(DistrictRecommended)}, Dst: string(Evaluated)},
	{Name: string(Accept), Src: []string{string(Evaluated)}, Dst: string(Accepted)},
	{Name: string(Reject), Src: []string{string(Evaluated)}, Dst: string(Rejected)},
	{Name: string(SignAgreement), Src: []string{string(Accepted)}, Dst: string(AgreementSigned)},
	{Name: string(StartReplication), Src: []string{string(AgreementSigned)}, Dst: string(Replicating)},
	{Name: string(CompleteReplication), Src: []string{string(Replicating)}, Dst: string(Stored)},
	{Name: string(Store), Src: []string{string(AgreementSigned)}, Dst: string(Stored)},
	{Name: string(Display), Src: []string{string(Stored)}, Dst: string(OnDisplay)},
	{Name: string(EndDisplay), Src: []string{string(OnDisplay)}, Dst: string(Stored)},
	{Name: string(Return), Src: []string{string(Stored)}, Dst: string(Returned)},
	{Name: string(Sell), Src: []string{string(Stored), string(OnDisplay)}, Dst: string(Sold)},
	{Name: string(Withdraw), Src: []string{string(Mobilized), string(Reported), string(DistrictRecommended),
		string(Evaluated), string(Accepted)}, Dst: string(Withdrawn)},
}

// Transition is one edge of the state machine.
type Transition struct {
	Event Event   `json:"name"`
	From  []State `json:"from"`
	To    State   `json:"to"`
}

// Table returns the state machine's events in table order.
func Table() []Transition {
	out := make([]Transition, len(table))
	for i, e := range table {
		from := make([]State, len(e.Src))
		for j, s := range e.Src {
			from[j] = State(s)
		}
		out[i] = Transition{Event: Event(e.Name), From: from, To: State(e.Dst)}
	}
	return out
}

// States returns every state of the table, the first state first, the rest sorted.
func States() []State {
	seen := map[State]bool{Mobilized: true}
	for _, e := range table {
		for _, s := range e.Src {
			seen[State(s)] = true
		}
		seen[State(e.Dst)] = true
	}
	out := make([]State, 0, len(seen))
	for s := range seen {
		if s != Mobilized {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return append([]State{Mobilized}, out...)
}

// Events returns every event of the table, in table order.
func Events() []Event {
	out := make([]Event, len(table))
	for i, e := range table {
		out[i] = Event(e.Name)
	}
	return out
}

// KnownEvent reports whether ev is an event of the table.
func KnownEvent(ev Event) bool {
	for _, e := range table {
		if e.Name == string(ev) {
			return true
		}
	}
	return false
}

// AllowedEvents returns, sorted, the events the table allows from s, whoever asks.
func AllowedEvents(s State) []Event {
	f := fsm.NewFSM(string(s), table, nil)
	names := f.AvailableTransitions() // map order: sort for stable messages
	sort.Strings(names)
	out := make([]Event, len(names))
	for i, n := range names {
		out[i] = Event(n)
	}
	return out
}

// Diagram draws the state machine as Mermaid ("mmd") or Graphviz ("dot") text.
func Diagram(format string) (string, error) {
	f := fsm.NewFSM(string(Mobilized), table, nil)
	switch format {
	case "mmd":
		return fsm.VisualizeWithType(f, fsm.MERMAID)
	case "dot":
		return fsm.VisualizeWithType(f, fsm.GRAPHVIZ)
	}
	return "", errors.New("unknown diagram format " + format)
}

// Fire runs one command through an FSM of the table set to the exhibit's stored
// state. Guards run in the before_event callback and only read; the returned
// exhibit carries the new state and the event's effects, x itself is left
// untouched. A refusal is an *Error saying why.
func Fire(ctx context.Context, x Exhibit, c Command) (Exhibit, error) {
	if !KnownEvent(c.Event) {
		return x, &Error{Code: CodeBadRequest, Message: T("未知事件“"+string(c.Event)+"”", "unknown event "+string(c.Event)),
			Fields: map[string]Text{"event": T("未知事件", "unknown event")}}
	}
	machine := machines.Get().(*fsm.FSM)
	defer machines.Put(machine)
	machine.SetState(string(x.State))
	f := &firing{x: &x, c: &c}
	if err := machine.Event(ctx, string(c.Event), f); err != nil {
		return x, refusal(x.State, c.Event, err)
	}
	next := x
	next.State = State(machine.Current())
	if f.effect != nil {
		f.effect(&next)
	}
	return next, nil
}

// machines are FSMs of the table whose one callback is the guard; Fire takes
// one, sets it to the exhibit's state and puts it back. Building an FSM per
// command (the table's maps, the callbacks parsed) was the largest allocation of
// a transition request. Reuse is safe: the table has no leave_ or async
// callbacks, so a finished or cancelled Event leaves nothing behind but the state.
var machines = sync.Pool{New: func() any {
	return fsm.NewFSM(string(Mobilized), table, fsm.Callbacks{"before_event": runGuard})
}}

// firing carries one command through the guard callback and its effect back.
type firing struct {
	x      *Exhibit
	c      *Command
	effect func(*Exhibit)
}

func runGuard(_ context.Context, fe *fsm.Event) {
	f := fe.Args[0].(*firing)
	eff, err := guard(f.x, f.c)
	if err != nil {
		fe.Cancel(err)
		return
	}
	f.effect = eff
}

// refusal turns what the FSM returned into a bayu Error.
func refusal(s State, ev Event, err error) error {
	var ours *Error
	if errors.As(err, &ours) {
		return ours
	}
	var invalid fsm.InvalidEventError
	if errors.As(err, &invalid) {
		return invalidTransition(s, ev)
	}
	return err
}

func invalidTransition(s State, ev Event) *Error {
	allowed := AllowedEvents(s)
	zh, en := make([]string, len(allowed)), make([]string, len(allowed))
	for i, a := range allowed {
		zh[i] = string(a) + "（" + a.Label().ZH + "）"
		en[i] = string(a)
	}
	msgZH := "展品当前状态为 " + string(s) + "（" + s.Label().ZH + "），不能执行 " + string(ev) + "；"
	msgEN := "the exhibit is " + string(s) + "; " + string(ev) + " is not allowed; "
	if len(allowed) == 0 {
		msgZH += "该状态下不能再执行任何操作"
		msgEN += "no event is allowed from this state"
	} else {
		msgZH += "可以执行：" + strings.Join(zh, "、")
		msgEN += "allowed: " + strings.Join(en, ", ")
	}
	return &Error{Code: CodeInvalidTransition, Message: T(msgZH, msgEN)}
}
