package listform

import (
	"archive/zip"
	"bytes"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := Template(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{SheetName}) {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != Title {
		t.Errorf("title %q", rows[0][0])
	}
	if !slices.Equal(rows[1], Headers[:]) || rows[1][4] != "估值(元）" {
		t.Errorf("headers %q", rows[1])
	}
	if !slices.Equal(rows[2], toStrings(exampleRow)) {
		t.Errorf("example row %q", rows[2])
	}
	footerRow := headerRow + 1 + templateBlankRows + 2
	if got := rows[footerRow-1]; len(got) < 12 || got[0] != "推荐单位（盖章）：" || got[6] != "联系人：" || got[11] != "联系电话：" {
		t.Errorf("footer row %d: %q", footerRow, got)
	}
	merges, _ := f.GetMergeCells(SheetName)
	var ranges []string
	for _, m := range merges {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	slices.Sort(ranges)
	if want := []string{"A1:P1", "A25:F25", "G25:K25", "L25:P25"}; !slices.Equal(ranges, want) {
		t.Errorf("merged %v, want %v", ranges, want)
	}
	panes, _ := f.GetPanes(SheetName)
	if !panes.Freeze || panes.YSplit != headerRow || panes.TopLeftCell != "A3" {
		t.Errorf("panes %+v", panes)
	}
	dvs, _ := f.GetDataValidations(SheetName)
	if len(dvs) != 1 || dvs[0].Sqref != "L3:L23" || dvs[0].Formula1 != `"捐赠,寄存,复制,寄售"` {
		t.Errorf("data validations %+v", dvs)
	}
	style, _ := f.GetCellStyle(SheetName, "O10")
	st, _ := f.GetStyle(style)
	if st.NumFmt != textFormat {
		t.Errorf("phone cell O10 number format %d, want text", st.NumFmt)
	}
	desc, _ := f.GetColWidth(SheetName, "F")
	seq, _ := f.GetColWidth(SheetName, "A")
	if desc < 40 || seq > 8 || seq < 6 {
		t.Errorf("widths: 展品描述 %v, 序号 %v", desc, seq)
	}
	// The blank template is not a list: parsing it says so, it does not read the 例 row.
	_, err = Parse(bytes.NewReader(buf.Bytes()), Options{})
	if le := listError(t, err); !strings.Contains(le.Message.ZH, "没有填写任何展品") {
		t.Errorf("blank template: %v", err)
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "展品名称": 8, "估值(元）": 9, "10×10": 5, "一\n二三": 4} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

func sampleFields() []workflow.Fields {
	list := []workflow.Fields{
		exampleFields("世赛金牌"),
		{Name: "老车床", Category: "机床", ContentType: workflow.Historical, Region: "重庆", ValuationText: "约3000元",
			Description: "1958年生产的皮带车床\n仍可运转", EraType: "制造年代", Era: "民国", SizeCM: "30x20x5",
			Quantity: 2, Method: workflow.Donation, SourceUnit: "重庆机床厂", ContactName: "李四",
			ContactPhone: "023-67881234", StorageConditions: "恒温恒湿"},
		{Name: "=HYPERLINK(\"http://x\",\"点我\")", Category: "+蜀绣", ContentType: workflow.CraftWork,
			Description: "-1+1", EraType: "@SUM(1)", Era: "2020", ValuationCNY: ptr[int64](8000),
			WeightKG: ptr(0.1), Quantity: 1, Method: workflow.Consignment, SourceUnit: "@单位",
			ContactName: "=1+1", ContactPhone: "+86 13800001111", StorageConditions: "干燥"},
		{Name: "数控机床", Category: "设备", ContentType: workflow.ProductionEquipment, ValuationText: "1.5万",
			Description: "复制件", Quantity: 1, Method: workflow.Replication, SourceUnit: "某厂",
			ContactName: "赵六", ContactPhone: "13900003333", WeightKG: ptr(1250.0)},
	}
	for i := range list {
		list[i].Normalize()
	}
	return list
}

func TestRoundTrip(t *testing.T) {
	fields := sampleFields()
	items := make([]Item, len(fields))
	for i, f := range fields {
		items[i] = Item{Fields: f, Extra: []string{"沙坪坝区"}}
	}
	unit := UnitInfo{Name: "重庆市沙坪坝区人力资源和社会保障局", ContactName: "张三", ContactPhone: "023-65000000"}
	var buf bytes.Buffer
	if err := Write(&buf, unit, items, WriteOptions{Extra: []string{"推荐单位"}}); err != nil {
		t.Fatal(err)
	}
	l := mustParse(t, buf.Bytes())
	// The one normalization: an amount without its text comes back with the
	// digits as its text, which is what the sheet shows. Equal sees no change.
	if !Equal(l.Rows[2].Fields, fields[2]) {
		t.Error("Equal: the amount without text looks changed")
	}
	fields[2].ValuationText = "8000"
	if l.Footer != unit {
		t.Errorf("footer %+v", l.Footer)
	}
	if len(l.Rows) != len(fields) {
		t.Fatalf("%d rows", len(l.Rows))
	}
	for i, r := range l.Rows {
		if !reflect.DeepEqual(r.Fields, fields[i]) {
			t.Errorf("row %d\n got %+v\nwant %+v", r.Row, r.Fields, fields[i])
		}
		if r.Row != headerRow+1+i || r.ContentInferred || r.Extra["推荐单位"] != "沙坪坝区" {
			t.Errorf("row %d: inferred %v extra %v", r.Row, r.ContentInferred, r.Extra)
		}
	}
}

func TestRoundTripWithoutContentColumn(t *testing.T) {
	// Without 征集内容 the kind is inferred again; for these items the guess
	// agrees with what they were.
	fields := sampleFields()
	var buf bytes.Buffer
	if err := Write(&buf, UnitInfo{}, ItemsOf([]workflow.Exhibit{{Fields: fields[0]}, {Fields: fields[3]}}), WriteOptions{OmitContent: true}); err != nil {
		t.Fatal(err)
	}
	l := mustParse(t, buf.Bytes())
	for i, want := range []workflow.Fields{fields[0], fields[3]} {
		if !reflect.DeepEqual(l.Rows[i].Fields, want) || !l.Rows[i].ContentInferred {
			t.Errorf("row %d\n got %+v\nwant %+v", i, l.Rows[i].Fields, want)
		}
	}
}

// TestFormulaTextStaysText checks the decision on formula injection: text that
// starts with = + - @ is written as a plain string cell (shared string, no <f>
// element) whose format is Text with quotePrefix set, the same cell Excel makes
// when a user types '=1+1. No apostrophe is added, so the value is unchanged.
func TestFormulaTextStaysText(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, UnitInfo{}, []Item{{Fields: sampleFields()[2]}}, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	sheetXML := zipPart(t, buf.Bytes(), "xl/worksheets/sheet1.xml")
	if strings.Contains(sheetXML, "<f>") || strings.Contains(sheetXML, "<f ") {
		t.Fatal("the sheet holds a formula")
	}
	f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	defer f.Close()
	for _, cell := range []string{"B3", "C3", "F3", "G3", "M3", "N3", "O3"} {
		v, _ := f.GetCellValue(SheetName, cell)
		if !strings.ContainsAny(v[:1], "=+-@") {
			t.Errorf("%s = %q, not the dangerous text", cell, v)
		}
		if typ, _ := f.GetCellType(SheetName, cell); typ != excelize.CellTypeSharedString {
			t.Errorf("%s is of type %v, want a shared string", cell, typ)
		}
		if formula, _ := f.GetCellFormula(SheetName, cell); formula != "" {
			t.Errorf("%s has formula %q", cell, formula)
		}
		m := regexp.MustCompile(`<c r="` + cell + `" s="(\d+)" t="s">`).FindStringSubmatch(sheetXML)
		if m == nil {
			t.Fatalf("%s: no styled string cell in the XML", cell)
		}
		id := 0
		for _, d := range m[1] {
			id = id*10 + int(d-'0')
		}
		xf := f.Styles.CellXfs.Xf[id]
		if xf.QuotePrefix == nil || !*xf.QuotePrefix || xf.NumFmtID == nil || *xf.NumFmtID != textFormat {
			t.Errorf("%s: style %d has no quotePrefix/text format", cell, id)
		}
	}
	stylesXML := zipPart(t, buf.Bytes(), "xl/styles.xml")
	if !strings.Contains(stylesXML, `quotePrefix="1"`) && !strings.Contains(stylesXML, `quotePrefix="true"`) {
		t.Error("styles.xml has no quotePrefix")
	}
}

func zipPart(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, _ := io.ReadAll(rc)
	return string(data)
}

func toStrings(v []any) []string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = x.(string)
	}
	return s
}
