package workflow_test

import (
	"context"
	"testing"

	"bayu/workflow"
	"bayu/workflow/sample"
)

func fire(x *workflow.Exhibit, c workflow.Command) error {
	_, err := workflow.Fire(context.Background(), *x, c)
	return err
}

func fields(err error) map[string]workflow.Text {
	if e, ok := err.(*workflow.Error); ok {
		return e.Fields
	}
	return nil
}

func TestRoleAndDistrictGuards(t *testing.T) {
	reported := walk(t, workflow.Deposit, workflow.Reported)
	recommended := walk(t, workflow.Deposit, workflow.DistrictRecommended)
	own := workflow.Actor{Name: "wz", Role: workflow.District, District: "500101"}
	other := workflow.Actor{Name: "fl", Role: workflow.District, District: "500102"}
	coord := workflow.Actor{Name: "c", Role: workflow.Coordinator}
	eval := workflow.Actor{Name: "e", Role: workflow.Evaluator}
	audit := workflow.Actor{Name: "a", Role: workflow.Auditor}
	cases := []struct {
		name string
		x    *workflow.Exhibit
		ev   workflow.Event
		a    workflow.Actor
		want workflow.Code
	}{
		{"own district recommends", reported, workflow.Recommend, own, ""},
		{"other district may not recommend", reported, workflow.Recommend, other, workflow.CodeForbidden},
		{"auditor writes nothing", reported, workflow.Recommend, audit, workflow.CodeForbidden},
		{"evaluator may not recommend", reported, workflow.Recommend, eval, workflow.CodeForbidden},
		{"evaluator evaluates", recommended, workflow.Evaluate, eval, ""},
		{"coordinator may not evaluate", recommended, workflow.Evaluate, coord, workflow.CodeForbidden},
		{"district may not evaluate", recommended, workflow.Evaluate, own, workflow.CodeForbidden},
		{"district withdraws its own", recommended, workflow.Withdraw, own, ""},
		{"district may not withdraw another's", recommended, workflow.Withdraw, other, workflow.CodeForbidden},
	}
	for _, c := range cases {
		err := fire(c.x, sample.Command(c.x, c.ev, c.a, at))
		if workflow.ErrorCode(err) != c.want && !(c.want == "" && err == nil) {
			t.Errorf("%s: want %q, got %v", c.name, c.want, err)
		}
	}
}

func TestMethodGuards(t *testing.T) {
	coord := workflow.Actor{Name: "c", Role: workflow.Coordinator}
	cases := []struct {
		m    workflow.Method
		s    workflow.State
		ev   workflow.Event
		pass bool
	}{
		{workflow.Deposit, workflow.Stored, workflow.Sell, false},
		{workflow.Consignment, workflow.Stored, workflow.Sell, true},
		{workflow.Consignment, workflow.OnDisplay, workflow.Sell, true},
		{workflow.Donation, workflow.AgreementSigned, workflow.StartReplication, false},
		{workflow.Replication, workflow.AgreementSigned, workflow.StartReplication, true},
		{workflow.Replication, workflow.AgreementSigned, workflow.Store, false},
		{workflow.Donation, workflow.Stored, workflow.Return, false},
		{workflow.Deposit, workflow.Stored, workflow.Return, true},
	}
	for _, c := range cases {
		x := walk(t, c.m, c.s)
		err := fire(x, sample.Command(x, c.ev, coord, at))
		if c.pass != (err == nil) {
			t.Errorf("%s %s from %s: pass=%v, got %v", c.m, c.ev, c.s, c.pass, err)
		}
		if !c.pass && fields(err)["method"].ZH == "" {
			t.Errorf("%s %s: refusal does not name the method: %v", c.m, c.ev, err)
		}
	}
}

func TestEventDataIsChecked(t *testing.T) {
	coord := workflow.Actor{Name: "c", Role: workflow.Coordinator}
	eval := workflow.Actor{Name: "e", Role: workflow.Evaluator}
	recommended := walk(t, workflow.Deposit, workflow.DistrictRecommended)
	c := workflow.Command{Event: workflow.Evaluate, Actor: eval, At: at,
		Data: sample.Raw(map[string]any{"score": 130, "authentic": "yes", "colour": "red"})}
	f := fields(fire(recommended, c))
	for _, k := range []string{"data.score", "data.authentic", "data.no_classified", "data.no_infringement", "data.comment", "data.colour"} {
		if _, ok := f[k]; !ok {
			t.Errorf("evaluate: %s not named in %v", k, f)
		}
	}

	reported := walk(t, workflow.Deposit, workflow.Reported)
	own := workflow.Actor{Role: workflow.District, District: "500101"}
	if f := fields(fire(reported, workflow.Command{Event: workflow.Decline, Actor: own, Reason: "  "})); f["reason"].ZH == "" {
		t.Errorf("decline without reason: %v", f)
	}

	signed := walk(t, workflow.Deposit, workflow.Stored)
	due := signed.Agreement.ReturnDue
	c = workflow.Command{Event: workflow.Display, Actor: coord, At: at, Data: sample.Raw(map[string]any{
		"venue": "博览会", "from": due.AddDays(-3), "until": due.AddDays(1)})}
	if f := fields(fire(signed, c)); f["data.until"].ZH == "" {
		t.Errorf("display past the return date accepted: %v", f)
	}
	c.Data = sample.Raw(map[string]any{"venue": "博览会", "from": due.AddDays(-3), "until": due})
	if err := fire(signed, c); err != nil {
		t.Errorf("display up to the return date refused: %v", err)
	}

	accepted := walk(t, workflow.Deposit, workflow.Accepted)
	c = workflow.Command{Event: workflow.SignAgreement, Actor: coord, At: at,
		Data: sample.Raw(map[string]any{"signed_on": "2026-07-01", "parties": "双方", "term_end": "2026-09-01"})}
	f = fields(fire(accepted, c))
	if f["data.return_due"].ZH == "" || f["data.term_end"].ZH == "" {
		t.Errorf("deposit agreement: want return_due required and term_end refused, got %v", f)
	}
}

func TestAcceptNeedsAllThreeChecks(t *testing.T) {
	eval := workflow.Actor{Name: "e", Role: workflow.Evaluator}
	coord := workflow.Actor{Name: "c", Role: workflow.Coordinator}
	for _, failed := range []string{"authentic", "no_classified", "no_infringement"} {
		x := walk(t, workflow.Donation, workflow.DistrictRecommended)
		data := map[string]any{"score": 90, "authentic": true, "no_classified": true, "no_infringement": true, "comment": "ok"}
		data[failed] = false
		next, err := workflow.Fire(context.Background(), *x, workflow.Command{Event: workflow.Evaluate, Actor: eval, At: at, Data: sample.Raw(data)})
		if err != nil {
			t.Fatal(err)
		}
		err = fire(&next, workflow.Command{Event: workflow.Accept, Actor: coord, At: at})
		if f := fields(err); workflow.ErrorCode(err) != workflow.CodeInvalid || f["evaluation."+failed].ZH == "" {
			t.Errorf("accept with %s failed: got %v", failed, err)
		}
		if err := fire(&next, workflow.Command{Event: workflow.Reject, Actor: coord, At: at, Reason: "未通过审查"}); err != nil {
			t.Errorf("reject refused: %v", err)
		}
	}
}

func TestReportNeedsTheFormsFields(t *testing.T) {
	x := &workflow.Exhibit{District: "500101", State: workflow.Mobilized, Fields: workflow.Fields{Name: "只有名称", Quantity: 1}}
	err := fire(x, workflow.Command{Event: workflow.Report, Actor: workflow.Actor{Role: workflow.District, District: "500101"}})
	f := fields(err)
	for _, k := range []string{"category", "description", "method", "source_unit", "contact_name", "contact_phone"} {
		if f[k].ZH == "" {
			t.Errorf("report: %s not named (%v)", k, err)
		}
	}
}

func TestAvailableFollowsRoleAndMethod(t *testing.T) {
	x := walk(t, workflow.Deposit, workflow.Stored)
	got := workflow.Available(workflow.Actor{Role: workflow.Coordinator}, x)
	names := []workflow.Event{}
	for _, n := range got {
		names = append(names, n.Event)
	}
	if len(names) != 2 || names[0] != workflow.Display || names[1] != workflow.Return {
		t.Errorf("deposit in store: want [display return], got %v", names)
	}
	if got := workflow.Available(workflow.Actor{Role: workflow.Auditor}, x); len(got) != 0 {
		t.Errorf("auditor may fire %v", got)
	}
}
