package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// TestAgreementNumbersAreGapFreePerYear: signings racing each other, in two
// years, take numbers 0001… of their signing day's year without a gap or a
// repeat; a refused signing takes none.
func TestAgreementNumbersAreGapFreePerYear(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const n = 10
	xs := make([]*workflow.Exhibit, n)
	for i := range xs {
		xs[i] = e.walk(t, i, workflow.Donation, workflow.Accepted)
	}
	sign := func(x *workflow.Exhibit, on string) (*workflow.Exhibit, error) {
		return e.s.Fire(ctx, e.coord, store.FireRequest{ExhibitID: x.ID, Event: workflow.SignAgreement,
			Data: sample.Raw(map[string]any{"signed_on": on, "parties": "中心；学院"})})
	}
	if _, err := sign(xs[0], "not a date"); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Fatalf("a bad signing: %v", err)
	}
	numbers := make([]string, n)
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			on := "2026-07-15"
			if i%3 == 0 {
				on = "2025-12-30" // signed late, dated in the year before
			}
			got, err := sign(x, on)
			if err != nil {
				t.Errorf("sign %d: %v", i, err)
				return
			}
			numbers[i] = got.Agreement.Number
		}()
	}
	wg.Wait()
	var y2025, y2026 []string
	for i, num := range numbers {
		if i%3 == 0 {
			y2025 = append(y2025, num)
		} else {
			y2026 = append(y2026, num)
		}
	}
	slices.Sort(y2025)
	slices.Sort(y2026)
	for year, got := range map[int][]string{2025: y2025, 2026: y2026} {
		for i, num := range got {
			if want := fmt.Sprintf("BYGJ-%d-%04d", year, i+1); num != want {
				t.Errorf("%d: numbers %v, want 0001… without gaps", year, got)
				break
			}
		}
	}
	x, err := e.s.Exhibit(ctx, e.coord, xs[1].ID)
	if err != nil || x.Agreement.Number != numbers[1] || x.Agreement.DonationForm != workflow.DonatedOriginal {
		t.Errorf("stored agreement: %+v %v", x.Agreement, err)
	}
}

// TestPublicSubmissionLandsReportedInItsUnit: the form's item is reported in
// the chosen unit by the public actor, with a receipt; an incomplete one leaves
// nothing; attempts past the hour's limit are refused.
func TestPublicSubmissionLandsReportedInItsUnit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	f := sample.Fields(3, workflow.Donation)
	receipt, err := e.s.SubmitPublic(ctx, workflow.CreateInput{District: "OUT", Fields: f})
	if err != nil {
		t.Fatal(err)
	}
	page, err := e.s.ListExhibits(ctx, e.coord, store.ExhibitFilter{District: "OUT"})
	if err != nil || len(page.Exhibits) != 1 {
		t.Fatalf("OUT items: %v %v", page, err)
	}
	x := page.Exhibits[0]
	if x.State != workflow.Reported || x.Name != f.Name || receipt != fmt.Sprintf("GZ20260715-%06d", x.ID) {
		t.Errorf("submitted: %s %s, receipt %s", x.State, x.Name, receipt)
	}
	h, _ := e.s.History(ctx, e.coord, x.ID)
	if len(h) != 2 || h[1].Event != workflow.Report || h[1].Role != workflow.Public || h[1].Reason != "公众在线报送，回执 "+receipt {
		t.Errorf("history: %+v", h)
	}
	f.ContactPhone = ""
	if _, err := e.s.SubmitPublic(ctx, workflow.CreateInput{District: "500101", Fields: f}); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("no phone: %v", err)
	}
	if _, err := e.s.SubmitPublic(ctx, workflow.CreateInput{District: "999999", Fields: sample.Fields(4, workflow.Donation)}); workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("no such unit: %v", err)
	}
	if page, _ := e.s.ListExhibits(ctx, e.coord, store.ExhibitFilter{}); len(page.Exhibits) != 1 {
		t.Errorf("refused submissions left %d items", len(page.Exhibits)-1)
	}
	for i := 1; i <= 4; i++ {
		err := e.s.CountSubmitAttempt(ctx, "203.0.113.9", 3)
		if (i <= 3) != (err == nil) || (i > 3 && workflow.ErrorCode(err) != workflow.CodeLocked) {
			t.Errorf("attempt %d: %v", i, err)
		}
	}
	if err := e.s.CountSubmitAttempt(ctx, "203.0.113.10", 3); err != nil {
		t.Errorf("another address: %v", err)
	}
}
