package listform

import (
	"errors"
	"slices"
	"testing"

	"bayu/workflow"
)

func TestKeyIgnoresWidthCaseAndSpaces(t *testing.T) {
	a := exampleFields("世赛金牌 Gold")
	b := a
	b.Name = " 世赛金牌\nＧＯＬＤ "
	b.SourceUnit = "铁路运输 技师学院"
	b.ContactName = "梁　攀" // a full-width space
	if Key(a) != Key(b) {
		t.Errorf("%q != %q", Key(a), Key(b))
	}
	if want := "世赛金牌gold | 铁路运输技师学院 | 梁攀"; Key(a) != want {
		t.Errorf("key %q, want %q", Key(a), want)
	}
	for _, change := range []func(*workflow.Fields){
		func(f *workflow.Fields) { f.Name = "世赛银牌" },
		func(f *workflow.Fields) { f.SourceUnit = "技师学院" },
		func(f *workflow.Fields) { f.ContactName = "梁" },
	} {
		c := a
		change(&c)
		if Key(c) == Key(a) {
			t.Errorf("a different item has the same key %q", Key(c))
		}
	}
	// Other columns are not part of the key: a corrected row is the same item.
	c := a
	c.ValuationText, c.ValuationCNY, c.Quantity = "2万元", nil, 3
	if Key(c) != Key(a) {
		t.Error("a corrected valuation made a new key")
	}
}

func TestDiffNamesTheChangedFields(t *testing.T) {
	a := exampleFields("世赛金牌")
	if d := Diff(a, a); d != nil || !Equal(a, a) {
		t.Fatalf("diff of equal fields: %v", d)
	}
	b := a
	b.ValuationText, b.ValuationCNY = "2万元", nil
	b.WeightKG = ptr(0.6)
	b.ContentType = workflow.CraftWork
	want := []string{"valuation_text", "weight_kg", "content_type"}
	if d := Diff(a, b); !slices.Equal(d, want) || Equal(a, b) {
		t.Errorf("diff %v, want %v", d, want)
	}
	// An amount kept only as yuan equals the same amount read back as text.
	c := a
	c.ValuationText = ""
	c.ValuationCNY = ptr[int64](10000)
	d := a
	d.ValuationText = "10000"
	if got := Diff(c, d); got != nil {
		t.Errorf("8000 and \"8000\" differ in %v", got)
	}
	headers := []string{}
	for _, k := range want {
		headers = append(headers, FieldHeader(k))
	}
	if !slices.Equal(headers, []string{"估值(元）", "重量(kg)", "征集内容"}) {
		t.Errorf("headers %v", headers)
	}
}

func TestRowsErrorIsSortedLikeTheSheet(t *testing.T) {
	if RowsError(nil) != nil {
		t.Fatal("no rows must be no error")
	}
	err := RowsError([]RowError{
		{Row: 9, Column: "展品名称", Message: workflow.T("b", "b")},
		{Row: 5, Column: "联系方式", Message: workflow.T("c", "c")},
		{Row: 5, Column: "展品名称", Message: workflow.T("a", "a")},
	})
	var le *Error
	if !errors.As(err, &le) || le.Code != workflow.CodeInvalid || le.Message.ZH != "清单有 3 处错误，请改正后重新导入" {
		t.Fatalf("%v", err)
	}
	if le.Rows[0].Message.ZH != "a" || le.Rows[1].Message.ZH != "c" || le.Rows[2].Row != 9 {
		t.Errorf("order %+v", le.Rows)
	}
}
