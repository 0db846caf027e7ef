package listform

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

// book builds an .xlsx from rows of cell values, the way a test wants a district's
// file to look; nil leaves a cell empty and numbers become numeric cells.
func book(tb testing.TB, rows [][]any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			if v == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// headerRowAny is the form's header row as cells.
func headerRowAny() []any {
	r := make([]any, len(Headers))
	for i, h := range Headers {
		r[i] = h
	}
	return r
}

// goodRow is a valid data row with seq n.
func goodRow(n int) []any {
	return []any{n, fmt.Sprintf("展品%d", n), "奖牌", "俄罗斯", "1万元", "梁攀参加第45届世赛电子技术项目夺得冠军获得金牌",
		"制造年代", 2019, "10×10", 0.5, 1, "寄存", "铁路运输技师学院", "梁攀", 18225293447, "干燥"}
}

// listError unwraps the *Error a failed Parse must return.
func listError(tb testing.TB, err error) *Error {
	tb.Helper()
	var le *Error
	if !errors.As(err, &le) {
		tb.Fatalf("want *listform.Error, got %T %v", err, err)
	}
	if le.panicked {
		tb.Fatalf("parser panicked: %s", le.Internal)
	}
	return le
}

// mustParse parses b and fails the test on any error, printing every row error.
func mustParse(tb testing.TB, b []byte) *List {
	tb.Helper()
	l, err := Parse(bytes.NewReader(b), Options{})
	if err != nil {
		var le *Error
		if errors.As(err, &le) {
			for _, r := range le.Rows {
				tb.Logf("row %d %s: %s", r.Row, r.Column, r.Message.ZH)
			}
		}
		tb.Fatalf("Parse: %v", err)
	}
	return l
}

func ptr[T any](v T) *T { return &v }

// wantFields is the example row of the notice as Parse must read it.
func exampleFields(name string) workflow.Fields {
	return workflow.Fields{
		Name: name, Category: "奖牌", ContentType: workflow.Competition, Region: "俄罗斯",
		ValuationCNY: ptr[int64](10000), ValuationText: "1万元",
		Description: "梁攀参加第45届世赛电子技术项目夺得冠军获得金牌", EraType: "制造年代", Era: "2019",
		SizeCM: "10×10", WeightKG: ptr(0.5), Quantity: 1, Method: workflow.Deposit,
		SourceUnit: "铁路运输技师学院", ContactName: "梁攀", ContactPhone: "18225293447", StorageConditions: "干燥",
	}
}
