package workflow_test

import (
	"context"
	"strings"
	"testing"

	"bayu/workflow"
	"bayu/workflow/sample"
)

var coordinator = workflow.Actor{Name: "c", Role: workflow.Coordinator}

func sign(t *testing.T, m workflow.Method, data map[string]any) (*workflow.Agreement, error) {
	t.Helper()
	x := walk(t, m, workflow.Accepted)
	next, err := workflow.Fire(context.Background(), *x, workflow.Command{Event: workflow.SignAgreement, Actor: coordinator, At: at, Data: sample.Raw(data)})
	return next.Agreement, err
}

// TestAgreementTermsPerMethod: a donation is of the original unless it says
// copy; a consignment's commission is optional, a percentage with two decimals.
func TestAgreementTermsPerMethod(t *testing.T) {
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"signed_on": "2026-07-15", "parties": "中心；学院"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	if g, err := sign(t, workflow.Donation, base(nil)); err != nil || g.DonationForm != workflow.DonatedOriginal {
		t.Errorf("donation by default: %v %v", g, err)
	}
	if g, err := sign(t, workflow.Donation, base(map[string]any{"donation_form": "copy"})); err != nil || g.DonationForm != workflow.DonatedCopy {
		t.Errorf("donation of a copy: %v %v", g, err)
	}
	if _, err := sign(t, workflow.Donation, base(map[string]any{"donation_form": "photo"})); fields(err)["data.donation_form"].ZH == "" {
		t.Errorf("an unknown donation form: %v", err)
	}
	if _, err := sign(t, workflow.Deposit, base(map[string]any{"return_due": "2027-01-01", "donation_form": "copy"})); fields(err)["data.donation_form"].ZH == "" {
		t.Errorf("a deposit with a donation form: %v", err)
	}
	con := base(map[string]any{"asking_price_cny": 5000, "term_end": "2027-01-01"})
	if g, err := sign(t, workflow.Consignment, con); err != nil || *g.CommissionPct != 0 {
		t.Errorf("consignment without commission: %v %v", g, err)
	}
	for pct, ok := range map[any]bool{12.5: true, 100: true, 12.345: false, -1: false, 101: false, "10%": false} {
		con["commission_pct"] = pct
		g, err := sign(t, workflow.Consignment, con)
		if ok && (err != nil || *g.CommissionPct != toFloat(pct)) || !ok && fields(err)["data.commission_pct"].ZH == "" {
			t.Errorf("commission %v: %v %v", pct, g, err)
		}
	}
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case float64:
		return n
	}
	return -1
}

// TestActionsKeepTheState: extend_deposit and move are checked like events but
// are not in the table; only coordinators take them, in the right state.
func TestActionsKeepTheState(t *testing.T) {
	stored := walk(t, workflow.Deposit, workflow.Stored)
	act := func(x *workflow.Exhibit, ev workflow.Event, a workflow.Actor, data map[string]any) error {
		_, err := workflow.Act(x, workflow.Command{Event: ev, Actor: a, At: at, Data: sample.Raw(data)})
		return err
	}
	due := stored.Agreement.ReturnDue
	cases := []struct {
		name string
		x    *workflow.Exhibit
		ev   workflow.Event
		a    workflow.Actor
		data map[string]any
		want workflow.Code
	}{
		{"extend a deposit", stored, workflow.ExtendDeposit, coordinator, map[string]any{"return_due": due.AddDays(30)}, ""},
		{"extend to the same day", stored, workflow.ExtendDeposit, coordinator, map[string]any{"return_due": due}, workflow.CodeInvalid},
		{"district extends", stored, workflow.ExtendDeposit, workflow.Actor{Role: workflow.District, District: "500101"}, map[string]any{"return_due": due.AddDays(30)}, workflow.CodeForbidden},
		{"extend a donation", walk(t, workflow.Donation, workflow.Stored), workflow.ExtendDeposit, coordinator, map[string]any{"return_due": due.AddDays(30)}, workflow.CodeInvalid},
		{"extend before signing", walk(t, workflow.Deposit, workflow.Accepted), workflow.ExtendDeposit, coordinator, map[string]any{"return_due": due.AddDays(30)}, workflow.CodeInvalidTransition},
		{"move", stored, workflow.Move, coordinator, map[string]any{"location": "B-02"}, ""},
		{"move nowhere", stored, workflow.Move, coordinator, map[string]any{}, workflow.CodeInvalid},
		{"move on display", walk(t, workflow.Deposit, workflow.OnDisplay), workflow.Move, coordinator, map[string]any{"location": "B-02"}, workflow.CodeInvalidTransition},
		{"move with a stray datum", stored, workflow.Move, coordinator, map[string]any{"location": "B-02", "shelf": 3}, workflow.CodeInvalid},
	}
	for _, c := range cases {
		if err := act(c.x, c.ev, c.a, c.data); workflow.ErrorCode(err) != c.want && !(c.want == "" && err == nil) {
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
		}
	}
	if workflow.KnownEvent(workflow.Move) || !workflow.IsAction(workflow.ExtendDeposit) {
		t.Error("actions must stay out of the FSM table")
	}
	got := workflow.AvailableActions(coordinator, stored)
	if len(got) != 2 || got[0].Event != workflow.ExtendDeposit || got[1].Event != workflow.Move {
		t.Errorf("actions on a stored deposit: %v", got)
	}
}

// TestDisplayTakesTheExhibitionsVenueAndDates: the exhibition gives venue and
// dates; a stay outside its dates or past the return date is refused.
func TestDisplayTakesTheExhibitionsVenueAndDates(t *testing.T) {
	x := walk(t, workflow.Deposit, workflow.Stored) // return due a year after at
	ex := &workflow.Exhibition{ID: 7, Venue: "世界技能博物馆", StartsOn: workflow.DateOf(at), EndsOn: workflow.DateOf(at).AddDays(60)}
	display := func(data map[string]any, e *workflow.Exhibition) (workflow.Exhibit, error) {
		return workflow.Fire(context.Background(), *x, workflow.Command{Event: workflow.Display, Actor: coordinator, At: at, Data: sample.Raw(data), Exhibition: e})
	}
	next, err := display(map[string]any{"exhibition": 7}, ex)
	if err != nil || next.Custody.DisplayVenue != "世界技能博物馆" || next.Custody.DisplayUntil != ex.EndsOn || *next.Custody.ExhibitionID != 7 {
		t.Fatalf("display at an exhibition: %+v %v", next.Custody, err)
	}
	if _, err := display(map[string]any{"exhibition": 7}, nil); fields(err)["data.exhibition"].ZH == "" {
		t.Errorf("an unknown exhibition: %v", err)
	}
	if _, err := display(map[string]any{"exhibition": 7, "until": ex.EndsOn.AddDays(1)}, ex); fields(err)["data.until"].ZH == "" {
		t.Errorf("a stay past the exhibition: %v", err)
	}
	if _, err := display(map[string]any{"exhibition": 7, "venue": "智博会"}, ex); fields(err)["data.venue"].ZH == "" {
		t.Errorf("another venue than the exhibition's: %v", err)
	}
	long := &workflow.Exhibition{ID: 8, Venue: "智博会", StartsOn: ex.StartsOn, EndsOn: x.Agreement.ReturnDue.AddDays(1)}
	_, err = display(map[string]any{"exhibition": 8}, long)
	if msg := fields(err)["data.until"].ZH; !strings.Contains(msg, x.Agreement.ReturnDue.String()) {
		t.Errorf("an exhibition past the return date: %v", err)
	}
	next, err = display(map[string]any{"venue": "文化展示长廊", "from": workflow.DateOf(at), "until": workflow.DateOf(at).AddDays(5)}, nil)
	if err != nil || next.Custody.ExhibitionID != nil {
		t.Errorf("a venue alone, as before exhibitions: %+v %v", next.Custody, err)
	}
}

// TestRedactorHidesNamesAndPhones: every term, the longest first, and any
// phone-like number; short terms are left alone.
func TestRedactorHidesNamesAndPhones(t *testing.T) {
	r := workflow.NewRedactor([]string{"李明", "李明亮", "13912345678", "023-6543 2100", "王", ""})
	in := "李明亮参赛，李明指导，电话 13912345678、023-6543 2100 或 18225293447；王师傅"
	got := r.Text(in)
	for _, bad := range []string{"李明", "亮", "13912345678", "6543", "18225293447"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q left %q in %q", in, bad, got)
		}
	}
	if !strings.Contains(got, "王师傅") || !strings.Contains(got, "参赛") {
		t.Errorf("hid too much: %q", got)
	}
}
