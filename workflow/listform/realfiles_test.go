package listform

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

// The files read here were saved by LibreOffice Calc (testdata/listform/README.md
// says how each was made), so the parser is tested on bytes it did not write.

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "listform", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLibreOfficeFilledTemplate(t *testing.T) {
	l := mustParse(t, readTestdata(t, "lo-filled.xlsx"))
	if l.Sheet != SheetName || l.HeaderRow != 2 || len(l.Rows) != 5 {
		t.Fatalf("sheet %q header %d rows %d", l.Sheet, l.HeaderRow, len(l.Rows))
	}
	if want := (UnitInfo{Name: "重庆市九龙坡区人力资源和社会保障局", ContactName: "王芳", ContactPhone: "13896001122"}); l.Footer != want {
		t.Errorf("footer %+v", l.Footer)
	}
	wantRows := map[int]workflow.Fields{
		// Row 4: the notice's example, phone and year typed as numbers.
		4: exampleFields("世赛金牌"),
		// Row 6: approximate amount, era in words, 30*20*5-style size, a landline as text.
		6: {Name: "老式皮带车床", Category: "机床", ContentType: workflow.ProductionEquipment, Region: "重庆九龙坡",
			ValuationCNY: ptr[int64](3000), ValuationText: "约3000元", Description: "1958年重庆机床厂生产的皮带车床",
			EraType: "制造年代", Era: "1950年代", SizeCM: "180*80*120", WeightKG: ptr(1200.0), Quantity: 1,
			Method: workflow.Replication, SourceUnit: "重庆机床厂", ContactName: "李建国", ContactPhone: "023-68801234",
			StorageConditions: "干燥通风"},
		// Row 7: a valuation typed as a number, 500g, a quantity typed as a number.
		7: {Name: "技能大赛奖杯", Category: "奖杯", ContentType: workflow.Competition, Region: "重庆",
			ValuationCNY: ptr[int64](8000), ValuationText: "8000", Description: "第一届全国技能大赛团体一等奖奖杯",
			EraType: "获奖年代", Era: "2020", SizeCM: "30x20x5", WeightKG: ptr(0.5), Quantity: 2,
			Method: workflow.Consignment, SourceUnit: "重庆工业职业技术学院", ContactName: "刘洋", ContactPhone: "13800138000",
			StorageConditions: "干燥"},
	}
	seen := map[int]bool{}
	for _, r := range l.Rows {
		seen[r.Row] = true
		if want, ok := wantRows[r.Row]; ok && !reflect.DeepEqual(r.Fields, want) {
			t.Errorf("row %d\n got %+v\nwant %+v", r.Row, r.Fields, want)
		}
	}
	for _, n := range []int{4, 5, 6, 7, 9} {
		if !seen[n] {
			t.Errorf("row %d missing; the empty row 8 must be skipped and not shift the numbers", n)
		}
	}
	// Row 5 has a description over two lines and 0.5kg; row 9 a grouped phone and 1件.
	r5, r9 := l.Rows[1].Fields, l.Rows[4].Fields
	if r5.Description != "非遗传承人手工蜀绣作品，\n历时八个月完成" || *r5.WeightKG != 0.5 || r5.ValuationText != "1.5万" || *r5.ValuationCNY != 15000 {
		t.Errorf("row 5: %+v", r5)
	}
	if r9.ContactPhone != "139 8300 5678" || r9.Quantity != 1 || r9.ContentType != workflow.Historical || *r9.WeightKG != 0.05 {
		t.Errorf("row 9: %+v", r9)
	}
}

func TestLibreOfficeFaultyFile(t *testing.T) {
	_, err := ParseBytes(readTestdata(t, "lo-faulty.xlsx"), Options{})
	le := listError(t, err)
	type rc struct {
		row    int
		column string
	}
	var got []rc
	for _, r := range le.Rows {
		got = append(got, rc{r.Row, r.Column})
	}
	want := []rc{
		{5, "征集方式"}, {6, "联系方式"}, {7, "展品名称"}, {8, "估值(元）"}, {8, "尺寸(cm)"},
		{9, "重量(kg)"}, {9, "实际数量"},
		{10, "展品描述"}, {10, "征集方式"}, {10, "来源单位"}, {10, "联系人"}, {10, "联系方式"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors\n got %v\nwant %v", got, want)
	}
	if le.Rows[0].Message.In("zh") != "征集方式必须是捐赠、寄存、复制、寄售之一" || !strings.HasPrefix(le.Rows[0].Message.In("en"), "must be one of") {
		t.Errorf("message %+v", le.Rows[0].Message)
	}
}

func TestLibreOfficeScratchList(t *testing.T) {
	// Laid out by hand: title B1:S1, headers in row 3 from column B with
	// full-width brackets, 征集内容 and 推荐单位 columns, a 例 row, 30 items.
	l := mustParse(t, readTestdata(t, "lo-scratch.xlsx"))
	if l.HeaderRow != 3 || len(l.Rows) != 30 || l.Rows[0].Row != 5 || l.Rows[29].Row != 34 {
		t.Fatalf("header %d, %d rows from %d", l.HeaderRow, len(l.Rows), l.Rows[0].Row)
	}
	if want := (UnitInfo{Name: "重庆市渝北区人力资源和社会保障局", ContactName: "赵六", ContactPhone: "13600001111"}); l.Footer != want {
		t.Errorf("footer %+v", l.Footer)
	}
	r := l.Rows[2] // n = 3
	want := workflow.Fields{Name: "展品3", Category: "工艺品", ContentType: workflow.Competition, Region: "重庆",
		ValuationCNY: ptr[int64](3000), ValuationText: "3000", Description: "第3件展品的描述", EraType: "制造年代",
		Era: "1993", SizeCM: "3x4", WeightKG: ptr(0.3), Quantity: 1, Method: workflow.Consignment,
		SourceUnit: "单位3", ContactName: "联系人3", ContactPhone: "13800000003", StorageConditions: "干燥"}
	if !reflect.DeepEqual(r.Fields, want) || r.ContentInferred || r.Extra["推荐单位"] != "渝北区" {
		t.Errorf("row %d\n got %+v %v\nwant %+v", r.Row, r.Fields, r.Extra, want)
	}
	kinds := map[int]workflow.ContentType{5: workflow.CraftWork, 6: workflow.Historical, 7: workflow.ProductionEquipment, 8: workflow.Competition}
	for i, k := range kinds {
		if got := l.Rows[i-1].Fields.ContentType; got != k {
			t.Errorf("item %d: content %s, want %s", i, got, k)
		}
	}
	if !l.Rows[8].ContentInferred || l.Rows[8].Fields.ContentType != workflow.CraftWork {
		t.Errorf("item 9 has an empty 征集内容 and should be inferred: %+v", l.Rows[8])
	}
	if era := l.Rows[27].Fields.Era; era != "2019-05-01" {
		t.Errorf("a date typed as 年代 reads %q, want 2019-05-01", era)
	}
}

func TestLibreOfficeOtherFormats(t *testing.T) {
	for name, says := range map[string]string{"lo-filled.xls": "97-2003", "lo-filled.ods": ".ods"} {
		_, err := ParseBytes(readTestdata(t, name), Options{})
		if le := listError(t, err); !strings.Contains(le.Message.ZH, says) || !strings.Contains(le.Message.ZH, "另存为") {
			t.Errorf("%s: %q", name, le.Message.ZH)
		}
	}
	// LibreOffice 7.4 cannot write an encrypted .xlsx, so excelize encrypts one.
	f, err := excelize.OpenReader(bytes.NewReader(readTestdata(t, "lo-filled.xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	if err := f.Write(&enc, excelize.Options{Password: "bayu"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ParseBytes(enc.Bytes(), Options{})
	if le := listError(t, err); !strings.Contains(le.Message.ZH, "密码") {
		t.Errorf("encrypted: %q", le.Message.ZH)
	}
}

func TestLibreOfficeKeepsFormulaTextAsText(t *testing.T) {
	// Our export, opened and saved again by Calc: still text, never a formula.
	csv := string(readTestdata(t, "lo-resaved-export.csv"))
	for _, s := range []string{`"=HYPERLINK(""http://example.com"",""点我"")"`, `"=1+1"`, `"-1+1"`, `"@SUM(1)"`, `"推荐单位（盖章）：=2+3"`} {
		if !strings.Contains(csv, s) {
			t.Errorf("Calc's CSV lacks %s", s)
		}
	}
	l := mustParse(t, readTestdata(t, "lo-resaved-export.xlsx"))
	f := l.Rows[0].Fields
	if f.Name != `=HYPERLINK("http://example.com","点我")` || f.ContactName != "=1+1" || f.Category != "+蜀绣" || l.Footer.Name != "=2+3" {
		t.Errorf("%+v %+v", f, l.Footer)
	}
}
