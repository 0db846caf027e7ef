package store_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/listform"
	"bayu/workflow/sample"
)

// listOf writes items in the official form and parses the file back, as an
// upload of that file would be parsed.
func listOf(t testing.TB, fields ...workflow.Fields) *listform.List {
	t.Helper()
	items := make([]listform.Item, len(fields))
	for i, f := range fields {
		items[i] = listform.Item{Fields: f}
	}
	var buf bytes.Buffer
	if err := listform.Write(&buf, listform.UnitInfo{Name: "万州区人力资源和社会保障局", ContactName: "周敏", ContactPhone: "13900001111"}, items, listform.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	l, err := listform.ParseBytes(buf.Bytes(), listform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (e *env) importList(t testing.TB, a workflow.Actor, l *listform.List, dry, recommend bool) (*store.ListImportResult, error) {
	t.Helper()
	return e.s.ImportList(context.Background(), a, store.ListImport{District: "500101", List: l, DryRun: dry, Recommend: recommend})
}

// counts are the rows of every table an import writes to.
func (e *env) counts(t testing.TB) [3]int {
	t.Helper()
	var c [3]int
	for i, table := range []string{"exhibits", "exhibit_history", "list_imports"} {
		if err := e.s.DB().Get(&c[i], `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func events(h []store.HistoryEntry) []workflow.Event {
	out := make([]workflow.Event, len(h))
	for i, r := range h {
		out[i] = r.Event
	}
	return out
}

func TestImportCreatesThroughRealEventsAndReimportChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := listOf(t, sample.Fields(0, workflow.Deposit), sample.Fields(1, workflow.Donation), sample.Fields(2, workflow.Replication))
	res, err := e.importList(t, e.dist, l, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || res.Updated != 0 || res.Unchanged != 0 || len(res.Rows) != 3 {
		t.Fatalf("result %+v", res)
	}
	for i, r := range res.Rows {
		if r.Row != 3+i || r.Action != store.RowCreated || r.State != workflow.Reported || r.ID == 0 ||
			!slices.Equal(r.Events, []workflow.Event{workflow.Report}) {
			t.Errorf("row %+v", r)
		}
		x, err := e.s.Exhibit(context.Background(), e.coord, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := l.Rows[i].Fields; !listform.Equal(x.Fields, want) || x.District != "500101" || x.Intake != workflow.IntakeCampaign {
			t.Errorf("stored %+v\nwant %+v", x.Fields, want)
		}
		h := e.history(t, r.ID)
		if got := events(h); !slices.Equal(got, []workflow.Event{workflow.CreateEvent, workflow.Report}) || h[1].Actor != "wanzhou" {
			t.Errorf("history %v", got)
		}
	}
	before := e.counts(t)
	again, err := e.importList(t, e.dist, l, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Unchanged != 3 || again.Rows[1].ID != res.Rows[1].ID || len(again.Rows[1].Events) != 0 {
		t.Errorf("re-import %+v", again)
	}
	if after := e.counts(t); after[0] != before[0] || after[1] != before[1] || after[2] != before[2]+1 {
		t.Errorf("re-import wrote exhibits or history: %v → %v", before, after)
	}
	// The footer of the imported list signs the unit's export.
	ul, err := e.s.UnitList(context.Background(), e.dist, "500101", "")
	if err != nil {
		t.Fatal(err)
	}
	if ul.Footer != (listform.UnitInfo{Name: "万州区", ContactName: "周敏", ContactPhone: "13900001111"}) || len(ul.Exhibits) != 3 {
		t.Errorf("unit list footer %+v, %d items", ul.Footer, len(ul.Exhibits))
	}
}

func TestImportUpdatesWhileReportedAndRefusesOnceRecommended(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := sample.Fields(0, workflow.Deposit), sample.Fields(1, workflow.Donation)
	if _, err := e.importList(t, e.dist, listOf(t, a, b), false, false); err != nil {
		t.Fatal(err)
	}
	a.ValuationText, a.ValuationCNY = "2万元", nil
	res, err := e.importList(t, e.dist, listOf(t, a, b), false, false)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Rows[0]
	if res.Updated != 1 || res.Unchanged != 1 || r.Action != store.RowUpdated || !slices.Equal(r.Changed, []string{"valuation_text"}) {
		t.Fatalf("result %+v", res)
	}
	x, _ := e.s.Exhibit(context.Background(), e.coord, r.ID)
	if *x.ValuationCNY != 20000 || x.Version != 3 {
		t.Errorf("updated %+v version %d", x.ValuationCNY, x.Version)
	}
	h := e.history(t, r.ID)
	if last := h[len(h)-1]; last.Event != store.EditEvent || !strings.Contains(string(last.Data), `"valuation_text"`) || !strings.Contains(string(last.Data), `"list_row": 3`) {
		t.Errorf("edit row %+v %s", last, last.Data)
	}

	// Recommending the same list fires recommend on both, changing no field.
	res, err = e.importList(t, e.dist, listOf(t, a, b), false, true)
	if err != nil || res.Unchanged != 2 || res.Rows[1].State != workflow.DistrictRecommended {
		t.Fatalf("recommend: %+v %v", res, err)
	}
	before := e.counts(t)
	a.WeightKG = new(9.5)
	b.ValuationText, b.ValuationCNY = "面议", nil
	_, err = e.importList(t, e.dist, listOf(t, a, sample.Fields(7, workflow.Donation)), false, false)
	var le *listform.Error
	if !errors.As(err, &le) || len(le.Rows) != 1 || le.Rows[0].Row != 3 || le.Rows[0].Column != "重量(kg)" ||
		!strings.Contains(le.Rows[0].Message.ZH, "区县已推荐") || !strings.Contains(le.Rows[0].Message.EN, "district_recommended") {
		t.Fatalf("changing a recommended item: %v", err)
	}
	if after := e.counts(t); after != before {
		t.Errorf("a refused list wrote: %v → %v (the new row 4 must not be created either)", before, after)
	}
}

func TestDryRunAnswersLikeAnImportAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := sample.Fields(0, workflow.Deposit)
	if _, err := e.importList(t, e.dist, listOf(t, a), false, false); err != nil {
		t.Fatal(err)
	}
	a.Quantity = 5
	l := listOf(t, a, sample.Fields(1, workflow.Donation))
	before := e.counts(t)
	dry, err := e.importList(t, e.dist, l, true, true)
	if err != nil {
		t.Fatal(err)
	}
	if after := e.counts(t); after != before {
		t.Fatalf("dry run wrote: %v → %v", before, after)
	}
	done, err := e.importList(t, e.dist, l, false, true)
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || done.DryRun || dry.Rows[1].ID != 0 || done.Rows[1].ID == 0 {
		t.Errorf("ids: dry %+v done %+v", dry.Rows, done.Rows)
	}
	dry.DryRun, dry.Rows[1].ID = false, done.Rows[1].ID
	if !reflect.DeepEqual(dry, done) {
		t.Errorf("dry run answered\n%+v\nthe import did\n%+v", dry, done)
	}
	// A bad list in a dry run: every error, still nothing written.
	bad := listOf(t, sample.Fields(2, workflow.Deposit), sample.Fields(2, workflow.Deposit))
	_, err = e.importList(t, e.dist, bad, true, false)
	var le *listform.Error
	if !errors.As(err, &le) || len(le.Rows) != 1 || le.Rows[0].Row != 4 || !strings.Contains(le.Rows[0].Message.ZH, "与第 3 行是同一件展品") {
		t.Errorf("duplicate rows: %v", err)
	}
}

func TestImportMatchesExhibitsEnteredByHand(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	byHand := e.create(t, 0, workflow.Deposit) // mobilized, no list key
	f := byHand.Fields
	f.Name = " " + f.Name + " " // spaces do not make another item
	f.ContentType = ""          // the list has no 征集内容: it is guessed, and must not count as a change
	l := listOf(t, f)
	l.Rows[0].Fields.ContentType, l.Rows[0].ContentInferred = workflow.CraftWork, true
	res, err := e.importList(t, e.dist, l, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Rows[0]; r.Action != store.RowUnchanged || r.ID != byHand.ID || r.State != workflow.Reported {
		t.Fatalf("row %+v", r)
	}
	x, _ := e.s.Exhibit(context.Background(), e.coord, byHand.ID)
	if x.ContentType != byHand.ContentType {
		t.Errorf("content %s overwritten by a guess", x.ContentType)
	}
	// Two hand-entered items the list cannot tell apart are an error, not a guess.
	e.create(t, 1, workflow.Deposit)
	e.create(t, 1, workflow.Deposit)
	_, err = e.importList(t, e.dist, listOf(t, sample.Fields(1, workflow.Deposit)), false, false)
	var le *listform.Error
	if !errors.As(err, &le) || !strings.Contains(le.Rows[0].Message.ZH, "已有 2 件") {
		t.Errorf("ambiguous: %v", err)
	}
}

func TestImportIsForTheActorsOwnUnit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fuling := e.user(t, "fuling", workflow.District, "500102")
	l := listOf(t, sample.Fields(0, workflow.Deposit))
	for _, c := range []struct {
		a        workflow.Actor
		district string
		want     workflow.Code
	}{
		{fuling, "500101", workflow.CodeNotFound},
		{e.eval, "500101", workflow.CodeForbidden},
		{e.coord, "999999", workflow.CodeNotFound},
	} {
		_, err := e.s.ImportList(context.Background(), c.a, store.ListImport{District: c.district, List: l})
		if workflow.ErrorCode(err) != c.want {
			t.Errorf("%s into %s: %v, want %s", c.a.Name, c.district, err, c.want)
		}
	}
	// A coordinator imports for any unit; the events are the coordinator's.
	res, err := e.s.ImportList(context.Background(), e.coord, store.ListImport{District: "500102", List: l, Recommend: true})
	if err != nil || res.Rows[0].State != workflow.DistrictRecommended {
		t.Fatalf("%+v %v", res, err)
	}
	if h := e.history(t, res.Rows[0].ID); h[2].Event != workflow.Recommend || h[2].Role != workflow.Coordinator {
		t.Errorf("history %+v", h)
	}
}

func TestConcurrentImportsOfOneListMakeItOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	l := listOf(t, sample.Fields(0, workflow.Deposit), sample.Fields(1, workflow.Donation))
	results := make(chan *store.ListImportResult, 2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			res, err := e.importList(t, e.dist, l, false, false)
			results <- res
			errs <- err
		}()
	}
	created := 0
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		created += (<-results).Created
	}
	// The per-unit lock queues the second import behind the first, which it
	// then sees: the rows are made once.
	if n := e.counts(t)[0]; created != 2 || n != 2 {
		t.Errorf("created %d, %d exhibits stored", created, n)
	}
}
