package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

func TestEveryPairThroughTheDatabase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n := 0
	for _, s := range workflow.States() {
		for _, ev := range workflow.Events() {
			var want workflow.State
			for _, tr := range workflow.Table() {
				if tr.Event == ev && slices.Contains(tr.From, s) {
					want = tr.To
				}
			}
			m := methodFor(s, ev)
			n++
			x := e.walk(t, n, m, s)
			before := len(e.history(t, x.ID))
			var got *workflow.Exhibit
			var err error
			if want == "" {
				// The coordinator sees every exhibit, so the refusal is the FSM's, not visibility's.
				c := sample.Command(x, ev, e.coord, t0)
				got, err = e.s.Fire(context.Background(), e.coord, store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data})
			} else {
				got, err = e.fire(t, x, ev)
			}
			after := len(e.history(t, x.ID))
			if want == "" {
				if workflow.ErrorCode(err) != workflow.CodeInvalidTransition {
					t.Errorf("%s from %s: want invalid_transition, got %v", ev, s, err)
				}
				if after != before {
					t.Errorf("%s from %s: refused, yet history grew", ev, s)
				}
				continue
			}
			if err != nil || got.State != want || got.Version != x.Version+1 {
				t.Errorf("%s from %s: want %s v%d, got %+v %v", ev, s, want, x.Version+1, got, err)
				continue
			}
			// What a transition answers is what a read finds afterwards.
			if stored, err := e.s.Exhibit(context.Background(), e.coord, x.ID); err != nil || !reflect.DeepEqual(got, stored) {
				t.Errorf("%s from %s: answered\n%+v\nstored\n%+v %v", ev, s, got, stored, err)
			}
			h := e.history(t, x.ID)
			last := h[len(h)-1]
			if after != before+1 || last.Event != ev || *last.From != s || last.To != want || last.Actor == "" {
				t.Errorf("%s from %s: history row %+v", ev, s, last)
			}
		}
	}
}

// methodFor picks a method that reaches s and whose rules allow ev, when one exists.
func methodFor(s workflow.State, ev workflow.Event) workflow.Method {
	var reach workflow.Method
	for _, m := range workflow.Methods {
		if _, ok := sample.Path(m, s); !ok {
			continue
		}
		reach = m
		if workflow.MethodAllows(&workflow.Exhibit{Fields: workflow.Fields{Method: m}}, ev) {
			return m
		}
	}
	return reach
}

func TestRefusalsWriteNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	x := e.walk(t, 1, workflow.Deposit, workflow.DistrictRecommended)
	stale := x.Version - 1
	cases := []struct {
		name string
		a    workflow.Actor
		req  store.FireRequest
		want workflow.Code
	}{
		{"stale version", e.eval, store.FireRequest{Event: workflow.Evaluate, Version: &stale,
			Data: sample.Command(x, workflow.Evaluate, e.eval, t0).Data}, workflow.CodeVersionConflict},
		{"bad data", e.eval, store.FireRequest{Event: workflow.Evaluate,
			Data: sample.Raw(map[string]any{"score": -1})}, workflow.CodeInvalid},
		{"wrong state", e.coord, store.FireRequest{Event: workflow.Report}, workflow.CodeInvalidTransition},
		{"unknown event", e.coord, store.FireRequest{Event: "fly"}, workflow.CodeBadRequest},
		{"wrong role", e.coord, store.FireRequest{Event: workflow.Evaluate,
			Data: sample.Command(x, workflow.Evaluate, e.eval, t0).Data}, workflow.CodeForbidden},
	}
	for _, c := range cases {
		c.req.ExhibitID = x.ID
		_, err := e.s.Fire(ctx, c.a, c.req)
		if workflow.ErrorCode(err) != c.want {
			t.Errorf("%s: want %s, got %v", c.name, c.want, err)
		}
		now, _ := e.s.Exhibit(ctx, e.coord, x.ID)
		if !reflect.DeepEqual(now, x) {
			t.Errorf("%s: exhibit changed:\n%+v\n%+v", c.name, now, x)
		}
	}
	if h := e.history(t, x.ID); len(h) != 3 {
		t.Errorf("history has %d rows, want 3", len(h))
	}
	other := e.user(t, "fuling", workflow.District, "500102")
	if _, err := e.s.Fire(ctx, other, store.FireRequest{ExhibitID: x.ID, Event: workflow.Withdraw, Reason: "x"}); workflow.ErrorCode(err) != workflow.CodeNotFound {
		t.Errorf("another unit's exhibit: want not_found, got %v", err)
	}
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	x := e.walk(t, 1, workflow.Deposit, workflow.DistrictRecommended)
	req := store.FireRequest{ExhibitID: x.ID, Event: workflow.Evaluate, IdempotencyKey: "retry-1",
		Data: sample.Command(x, workflow.Evaluate, e.eval, t0).Data}
	first, err := e.s.Fire(ctx, e.eval, req)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.s.Fire(ctx, e.eval, req)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if string(a) != string(b) {
		t.Errorf("replay answered differently:\n%s\n%s", a, b)
	}
	if h := e.history(t, x.ID); len(h) != 4 {
		t.Errorf("history has %d rows after a replay, want 4", len(h))
	}
	req.Data = sample.Raw(map[string]any{"score": 1, "authentic": true, "no_classified": true, "no_infringement": true, "comment": "x"})
	if _, err := e.s.Fire(ctx, e.eval, req); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("same key, different request: want invalid, got %v", err)
	}
}

func TestPatchNeedsCurrentVersionAndAnEditableState(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	x := e.walk(t, 1, workflow.Deposit, workflow.Reported)
	patch, err := workflow.DecodePatch([]byte(`{"version": 1, "name": "新名称"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.UpdateExhibit(ctx, e.dist, x.ID, patch); workflow.ErrorCode(err) != workflow.CodeVersionConflict {
		t.Fatalf("stale patch: %v", err)
	}
	patch.Version = x.Version
	got, err := e.s.UpdateExhibit(ctx, e.dist, x.ID, patch)
	if err != nil || got.Name != "新名称" || got.Version != x.Version+1 || got.Category != x.Category {
		t.Fatalf("patch: %+v %v", got, err)
	}
	h := e.history(t, x.ID)
	if last := h[len(h)-1]; last.Event != store.EditEvent || last.To != workflow.Reported {
		t.Errorf("edit not in history: %+v", last)
	}
	patch, _ = workflow.DecodePatch([]byte(`{"version": 3, "contact_phone": ""}`))
	if _, err := e.s.UpdateExhibit(ctx, e.dist, x.ID, patch); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("a reported exhibit lost a required field: %v", err)
	}
	y := e.walk(t, 2, workflow.Deposit, workflow.DistrictRecommended)
	patch, _ = workflow.DecodePatch([]byte(`{"version": 4, "name": "晚了"}`))
	if _, err := e.s.UpdateExhibit(ctx, e.dist, y.ID, patch); workflow.ErrorCode(err) != workflow.CodeInvalidTransition {
		t.Errorf("edit after recommending: %v", err)
	}
}

func TestListIsScopedAndPaged(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for i := range 7 {
		e.create(t, i, workflow.Donation)
	}
	other := e.user(t, "fuling", workflow.District, "500102")
	if _, err := e.s.CreateExhibit(ctx, other, workflow.CreateInput{District: "500102", Fields: sample.Fields(9, workflow.Deposit)}); err != nil {
		t.Fatal(err)
	}
	var seen []int64
	cursor := ""
	for {
		page, err := e.s.ListExhibits(ctx, e.dist, store.ExhibitFilter{Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page.Exhibits {
			if x.District != "500101" {
				t.Errorf("district sees another unit's exhibit %d", x.ID)
			}
			seen = append(seen, x.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(seen) != 7 || !slices.IsSortedFunc(seen, func(a, b int64) int { return int(b - a) }) {
		t.Errorf("pages gave %v, want 7 ids newest first", seen)
	}
	page, _ := e.s.ListExhibits(ctx, e.coord, store.ExhibitFilter{Method: workflow.Deposit})
	if len(page.Exhibits) != 1 {
		t.Errorf("method filter: %d", len(page.Exhibits))
	}
	page, _ = e.s.ListExhibits(ctx, e.eval, store.ExhibitFilter{})
	if len(page.Exhibits) != 0 {
		t.Errorf("evaluator sees mobilized exhibits")
	}
	if _, err := e.s.ListExhibits(ctx, e.coord, store.ExhibitFilter{Limit: 201}); workflow.ErrorCode(err) != workflow.CodeBadRequest {
		t.Errorf("limit 201: %v", err)
	}
}
