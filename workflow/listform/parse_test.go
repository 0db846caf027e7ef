package listform

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

func TestParseTheNoticesForm(t *testing.T) {
	b := book(t, [][]any{
		{Title},
		headerRowAny(),
		{"例", "世赛金牌", "奖牌", "俄罗斯", "1万元", "梁攀…", "制造年代", "2019", "10×10", "0.5", "1", "寄存", "铁路运输技师学院", "梁攀", "XXXXXXX", "干燥"},
		goodRow(1),
		{},
		{2}, // a pre-numbered but empty row
		goodRow(3),
		{"注：估值以万元或元填写"},
		{},
		{"推荐单位（盖章）：重庆市沙坪坝区人力资源和社会保障局", nil, nil, nil, nil, nil, "联系人：张三", nil, nil, nil, nil, "联系电话：", 13800001111},
	})
	l := mustParse(t, b)
	if l.HeaderRow != 2 || l.Sheet != "Sheet1" || len(l.Rows) != 2 {
		t.Fatalf("header %d sheet %q rows %d", l.HeaderRow, l.Sheet, len(l.Rows))
	}
	if l.Rows[0].Row != 4 || l.Rows[1].Row != 7 {
		t.Errorf("row numbers %d, %d; want 4, 7", l.Rows[0].Row, l.Rows[1].Row)
	}
	if want := exampleFields("展品1"); !reflect.DeepEqual(l.Rows[0].Fields, want) {
		t.Errorf("fields\n got %+v\nwant %+v", l.Rows[0].Fields, want)
	}
	if !l.Rows[0].ContentInferred {
		t.Error("content kind should be marked as inferred")
	}
	want := UnitInfo{Name: "重庆市沙坪坝区人力资源和社会保障局", ContactName: "张三", ContactPhone: "13800001111"}
	if l.Footer != want {
		t.Errorf("footer %+v, want %+v", l.Footer, want)
	}
}

func TestParseHeaderVariants(t *testing.T) {
	// Headers written every way districts write them, in another order, under a
	// title and a blank line, starting in column B, with an extra column.
	headers := []any{nil, "序 号", "展品\n名称", "推荐单位", "展品类别", "地域", "估值（元）", "展品描述", "年代类型", "年代",
		"尺寸（ｃｍ）", "重量(KG)", "实际数量", "征集\n方式", "*来源单位", "联系人", "联系电话", "存储条件", "征集内容"}
	row := []any{nil, 1, "老车床", "渝中区", "机床", "重庆", "约3000元", "1958年生产的皮带车床", "制造年代", 1958,
		"30x20x5", "500g", "2件", "捐赠", "重庆机床厂", "李四", "023-67881234", "避光", "historical"}
	b := book(t, [][]any{{nil, "“巴渝工匠”绝技绝活展品征集项目清单"}, {}, headers, row})
	l := mustParse(t, b)
	got := l.Rows[0]
	want := workflow.Fields{
		Name: "老车床", Category: "机床", ContentType: workflow.Historical, Region: "重庆",
		ValuationCNY: ptr[int64](3000), ValuationText: "约3000元", Description: "1958年生产的皮带车床",
		EraType: "制造年代", Era: "1958", SizeCM: "30x20x5", WeightKG: ptr(0.5), Quantity: 2,
		Method: workflow.Donation, SourceUnit: "重庆机床厂", ContactName: "李四", ContactPhone: "023-67881234",
		StorageConditions: "避光",
	}
	if !reflect.DeepEqual(got.Fields, want) {
		t.Errorf("fields\n got %+v\nwant %+v", got.Fields, want)
	}
	if got.ContentInferred || got.Row != 4 || l.HeaderRow != 3 {
		t.Errorf("inferred %v row %d header %d", got.ContentInferred, got.Row, l.HeaderRow)
	}
	if got.Extra["推荐单位"] != "渝中区" {
		t.Errorf("extra %v", got.Extra)
	}
}

func TestParseValuesAsPeopleWriteThem(t *testing.T) {
	cases := []struct {
		valuation, size, weight, quantity any
		cny                               int64
		kg                                float64
		qty                               int
	}{
		{"1.5万", "30*20*5", "0.5kg", "1", 15000, 0.5, 1},
		{8000, "10×10", 2, 3, 8000, 2, 3},
		{"8,000元", "30 x 20", "1.2公斤", "3套", 8000, 1.2, 3},
		{"１万元", "１０×１０", "０.５", "１", 10000, 0.5, 1},
	}
	for _, c := range cases {
		r := goodRow(1)
		r[4], r[8], r[9], r[10] = c.valuation, c.size, c.weight, c.quantity
		l := mustParse(t, book(t, [][]any{headerRowAny(), r}))
		f := l.Rows[0].Fields
		if *f.ValuationCNY != c.cny || *f.WeightKG != c.kg || f.Quantity != c.qty {
			t.Errorf("%v %v %v: got %d %v %d", c.valuation, c.weight, c.quantity, *f.ValuationCNY, *f.WeightKG, f.Quantity)
		}
	}
}

func TestParseCollectsEveryError(t *testing.T) {
	bad := func(n int, col int, v any) []any { r := goodRow(n); r[col] = v; return r }
	b := book(t, [][]any{
		{Title}, headerRowAny(),
		goodRow(1),
		bad(2, 11, "赠送"),            // method
		bad(3, 14, "12345"),         // phone
		bad(4, 1, nil),              // name missing
		bad(5, 8, "大"),              // size
		bad(6, 4, "面议"),             // valuation
		bad(7, 10, 0),               // quantity
		bad(8, 9, "很重"),             // weight
		bad(9, 12, ""),              // source unit
		{10, "只有名称", nil, nil, nil}, // many required fields missing
	})
	_, err := Parse(bytes.NewReader(b), Options{})
	le := listError(t, err)
	if workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Errorf("code %s", workflow.ErrorCode(err))
	}
	want := []struct {
		row    int
		column string
	}{
		{4, "征集方式"}, {5, "联系方式"}, {6, "展品名称"}, {7, "尺寸(cm)"}, {8, "估值(元）"},
		{9, "实际数量"}, {10, "重量(kg)"}, {11, "来源单位"},
		{12, "展品类别"}, {12, "展品描述"}, {12, "征集方式"}, {12, "来源单位"}, {12, "联系人"}, {12, "联系方式"},
	}
	if len(le.Rows) != len(want) {
		for _, r := range le.Rows {
			t.Logf("%d %s %s", r.Row, r.Column, r.Message.ZH)
		}
		t.Fatalf("%d errors, want %d", len(le.Rows), len(want))
	}
	for i, w := range want {
		r := le.Rows[i]
		if r.Row != w.row || r.Column != w.column || r.Message.ZH == "" || r.Message.EN == "" {
			t.Errorf("error %d = %+v, want row %d column %s", i, r, w.row, w.column)
		}
	}
	if !strings.Contains(le.Message.ZH, "14 处错误") {
		t.Errorf("message %q", le.Message.ZH)
	}
}

func TestParseHeaderProblems(t *testing.T) {
	missing := headerRowAny()[:12] // no 来源单位, 联系人, 联系方式
	dup := append(headerRowAny(), "展品名称")
	for name, rows := range map[string][][]any{
		"missing":   {missing, goodRow(1)},
		"duplicate": {dup, goodRow(1)},
		"none":      {{"名称", "数量"}, {"x", 1}},
		"empty":     {headerRowAny(), {"例", "x"}},
	} {
		_, err := Parse(bytes.NewReader(book(t, rows)), Options{})
		le := listError(t, err)
		switch name {
		case "missing":
			if len(le.Rows) != 3 || le.Rows[0].Column != "来源单位" || le.Rows[0].Row != 1 {
				t.Errorf("%s: %+v", name, le.Rows)
			}
		case "duplicate":
			if len(le.Rows) != 1 || !strings.Contains(le.Rows[0].Message.ZH, "B 列和 Q 列") {
				t.Errorf("%s: %+v", name, le.Rows)
			}
		default:
			if len(le.Rows) != 0 || le.Message.ZH == "" {
				t.Errorf("%s: %+v", name, le)
			}
		}
	}
}

func TestParseRowLimit(t *testing.T) {
	rows := [][]any{headerRowAny()}
	for i := 1; i <= 6; i++ {
		rows = append(rows, goodRow(i))
	}
	b := book(t, rows)
	if _, err := Parse(bytes.NewReader(b), Options{MaxRows: 6}); err != nil {
		t.Fatalf("6 rows with a limit of 6: %v", err)
	}
	_, err := Parse(bytes.NewReader(b), Options{MaxRows: 5})
	if workflow.ErrorCode(err) != workflow.CodeTooLarge {
		t.Fatalf("7 rows over a limit of 5: %v", err)
	}
}

func TestParseContentColumn(t *testing.T) {
	h := append(headerRowAny(), "征集内容")
	for label, want := range map[string]workflow.ContentType{
		"craft_work": workflow.CraftWork, "技艺作品/视频图文": workflow.CraftWork, "技术进步历史实物/文献": workflow.Historical,
		"设备设施": workflow.ProductionEquipment, "竞赛获奖作品/奖牌/工具/文创": workflow.Competition, "四": workflow.Competition,
		"Production Equipment": workflow.ProductionEquipment, "": workflow.Competition, // empty: inferred from 奖牌
	} {
		l := mustParse(t, book(t, [][]any{h, append(goodRow(1), label)}))
		if got := l.Rows[0].Fields.ContentType; got != want {
			t.Errorf("%q: %s, want %s", label, got, want)
		}
	}
	_, err := Parse(bytes.NewReader(book(t, [][]any{h, append(goodRow(1), "杂项")})), Options{})
	if le := listError(t, err); len(le.Rows) != 1 || le.Rows[0].Column != ContentHeader {
		t.Errorf("%+v", le.Rows)
	}
}

func TestInferContent(t *testing.T) {
	cases := []struct {
		category, description, era string
		want                       workflow.ContentType
	}{
		{"奖牌", "", "2019", workflow.Competition},
		{"比赛工具", "", "", workflow.Competition},
		{"奖杯", "", "", workflow.Competition},
		{"数控机床", "", "", workflow.ProductionEquipment},
		{"工具", "", "1970年代", workflow.ProductionEquipment},
		{"文献", "", "", workflow.Historical},
		{"老照片", "", "", workflow.Historical},
		{"证书", "八级钳工证书", "1958", workflow.Historical},
		{"证书", "技能大师证书", "2021", workflow.CraftWork},
		{"奖状", "先进生产者", "民国", workflow.Historical},
		{"蜀绣", "非遗传承人作品", "2020", workflow.CraftWork},
		{"作品", "参加全国技能大赛的作品", "", workflow.Competition},
		{"", "", "", workflow.CraftWork},
	}
	for _, c := range cases {
		if got := InferContent(c.category, c.description, c.era); got != c.want {
			t.Errorf("InferContent(%q, %q, %q) = %s, want %s", c.category, c.description, c.era, got, c.want)
		}
	}
}

func TestFooterLayouts(t *testing.T) {
	cases := map[string][]string{
		"one cell":   {"推荐单位（盖章）：江北区人力社保局    联系人：王五    联系电话：13900002222"},
		"label cell": {"推荐单位（盖章）：", "江北区人力社保局", "联系人：", "王五", "联系电话：", "13900002222"},
		"underlines": {"推荐单位(盖章):__江北区人力社保局__", "联系人:王五", "联系方式：13900002222"},
		"two lines":  {"推荐单位（盖章）：江北区人力社保局", "联系人：王五", "联系电话：13900002222"},
	}
	want := UnitInfo{Name: "江北区人力社保局", ContactName: "王五", ContactPhone: "13900002222"}
	for name, cells := range cases {
		if got := parseFooter(cells); got != want {
			t.Errorf("%s: %+v", name, got)
		}
	}
	if got := parseFooter([]string{"推荐单位（盖章）：", "联系人：", "联系电话："}); got != (UnitInfo{}) {
		t.Errorf("blank footer: %+v", got)
	}
}

func TestPlainNumber(t *testing.T) {
	for in, want := range map[string]string{
		"18225293447": "18225293447", "1.8225293447E10": "18225293447", "1.8225293447e+10": "18225293447",
		"2019.0": "2019", "2019": "2019", "0.5": "0.5", "1E5": "100000", "abc": "abc", "023-1234": "023-1234",
	} {
		if got := plainNumber(in); got != want {
			t.Errorf("plainNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseWithoutSequenceColumn(t *testing.T) {
	// A district deleted 序号: the notice's example is still recognised and skipped.
	h := headerRowAny()[1:]
	example := []any{"世赛金牌", "奖牌", "俄罗斯", "1万元", "…", "制造年代", 2019, "10×10", 0.5, 1, "寄存", "铁路运输技师学院", "梁攀", "XXXXXXX", "干燥"}
	l := mustParse(t, book(t, [][]any{h, example, goodRow(1)[1:]}))
	if len(l.Rows) != 1 || l.Rows[0].Row != 3 || l.Rows[0].Fields.Name != "展品1" {
		t.Fatalf("%+v", l.Rows)
	}
}

func TestEraTypedAsDate(t *testing.T) {
	rd := &reader{}
	for in, want := range map[string]string{"2019": "2019", "43586": "2019-05-01", "43586.5": "2019-05-01",
		"1950年代": "1950年代", "民国": "民国", "99999": "99999", "2019.0": "2019"} {
		if got := rd.era(in); got != want {
			t.Errorf("era(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseFindsTheListOnALaterSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellStr("Sheet1", "A1", "填表说明：每个区县至少推荐20项")
	f.NewSheet("清单")
	f.SetSheetRow("清单", "A1", &[]any{Title})
	h := headerRowAny()
	f.SetSheetRow("清单", "A2", &h)
	r := goodRow(1)
	f.SetSheetRow("清单", "A3", &r)
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	l := mustParse(t, b.Bytes())
	if l.Sheet != "清单" || len(l.Rows) != 1 || l.Rows[0].Row != 3 {
		t.Fatalf("%+v", l)
	}
}
