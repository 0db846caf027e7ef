package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// listFile reads a spreadsheet saved by LibreOffice Calc (testdata/listform/README.md).
func listFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "listform", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (a *api) importList(user, code, query string, file []byte, header ...string) reply {
	a.t.Helper()
	return a.do(user, "POST", "/api/v1/districts/"+code+"/lists"+query, file, header...)
}

func (a *api) imported(user, code, query string, file []byte) store.ListImportResult {
	a.t.Helper()
	r := a.importList(user, code, query, file)
	if r.status != 200 {
		a.t.Fatalf("import: %d %s", r.status, r.body)
	}
	var res store.ListImportResult
	if err := json.Unmarshal(r.body, &res); err != nil {
		a.t.Fatal(err)
	}
	return res
}

// tables counts the rows of every table an import writes.
func (a *api) tables(t testing.TB) string {
	t.Helper()
	var n [3]int
	for i, table := range []string{"exhibits", "exhibit_history", "list_imports"} {
		if err := a.st.DB().Get(&n[i], `SELECT count(*) FROM `+table); err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("exhibits %d, history %d, imports %d", n[0], n[1], n[2])
}

// edited is a LibreOffice file with some cells changed, as a district corrects its list.
func edited(t testing.TB, file []byte, cells map[string]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, v := range cells {
		if err := f.SetCellValue(f.GetSheetList()[0], cell, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// walkTo makes item n of unit 500101 and drives it to s through real events,
// each fired by a user allowed to.
func (a *api) walkTo(t *testing.T, n int, s workflow.State) *workflow.Exhibit {
	t.Helper()
	ctx := context.Background()
	actor := func(name string) workflow.Actor {
		u, err := a.st.Authenticate(ctx, a.tokens[name])
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	x, err := a.st.CreateExhibit(ctx, actor("wanzhou"), workflow.CreateInput{District: "500101", Fields: sample.Fields(n, workflow.Deposit)})
	if err != nil {
		t.Fatal(err)
	}
	path, _ := sample.Path(workflow.Deposit, s)
	for _, ev := range path {
		who := map[workflow.Role]string{workflow.Coordinator: "coord", workflow.Evaluator: "eval", workflow.District: "wanzhou"}[sample.Actor(ev, "500101").Role]
		c := sample.Command(x, ev, actor(who), x.UpdatedAt)
		if x, err = a.st.Fire(ctx, actor(who), store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data}); err != nil {
			t.Fatalf("%s: %v", ev, err)
		}
	}
	return x
}
