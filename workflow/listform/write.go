package listform

import (
	"io"
	"strconv"

	"bayu/workflow"
)

// SheetName is the name of the one sheet Write and Template produce.
const SheetName = "项目清单"

// Methods in the order of the notice, as the drop-down list of 征集方式 offers them.
var methodChoices = []string{"捐赠", "寄存", "复制", "寄售"}

// Item is one row of a list to write.
type Item struct {
	Fields workflow.Fields
	// Extra are the values of WriteOptions.Extra's columns, in the same order.
	Extra []string
}

// ItemsOf makes the rows of a list from exhibits, in the order given.
func ItemsOf(exhibits []workflow.Exhibit) []Item {
	items := make([]Item, len(exhibits))
	for i := range exhibits {
		items[i] = Item{Fields: exhibits[i].Fields}
	}
	return items
}

// WriteOptions shapes an exported list; the zero value writes the form with its
// sixteen columns and 征集内容 after them.
type WriteOptions struct {
	// Title replaces the form's title, e.g. to name the campaign or the unit.
	Title string
	// Extra are headers of columns added after the form's, such as 推荐单位 in
	// the city-wide list; Item.Extra holds their values.
	Extra []string
	// OmitContent leaves out the 征集内容 column. It is written by default
	// because the form has no other place for the content kind, and without it
	// an import would have to guess the kind again.
	OmitContent bool
}

// Write exports items in the official form: title, headers, one row per item
// numbered from 1, and the footer filled with the unit's name, contact and
// phone. Every text is written as a text cell marked as typed text, so no
// spreadsheet runs a value such as =HYPERLINK(…) as a formula.
func Write(w io.Writer, unit UnitInfo, items []Item, opts WriteOptions) error {
	headers := append([]string(nil), Headers[:]...)
	if !opts.OmitContent {
		headers = append(headers, ContentHeader)
	}
	headers = append(headers, opts.Extra...)
	s, err := newSheet(headers, first(opts.Title, Title))
	if err != nil {
		return err
	}
	defer s.f.Close()
	for i, it := range items {
		values := itemValues(i+1, it.Fields)
		if !opts.OmitContent {
			values = append(values, it.Fields.ContentType.Label().ZH)
		}
		for _, x := range it.Extra[:min(len(it.Extra), len(opts.Extra))] {
			values = append(values, x)
		}
		if err := s.row(values, s.st.cell); err != nil {
			return err
		}
	}
	last := s.next - 1
	if len(items) == 0 {
		last = s.next
	}
	if !opts.OmitContent {
		labels := make([]string, 0, 4)
		for _, c := range []workflow.ContentType{workflow.CraftWork, workflow.Historical, workflow.ProductionEquipment, workflow.Competition} {
			labels = append(labels, c.Label().ZH)
		}
		if err := s.dropList(len(Headers), last, labels, "征集内容", "请从列表中选择征集内容"); err != nil {
			return err
		}
	}
	return s.finish(w, unit, last)
}

// Template writes the blank form as the notice prints it: title, the sixteen
// headers, the example row marked 例, twenty empty rows (the notice asks each
// district for at least twenty items) and the footer line.
func Template(w io.Writer) error {
	s, err := newSheet(Headers[:], Title)
	if err != nil {
		return err
	}
	defer s.f.Close()
	if err := s.row(exampleRow, s.st.example); err != nil {
		return err
	}
	blank := make([]any, len(Headers))
	for range templateBlankRows {
		if err := s.row(blank, s.st.cell); err != nil {
			return err
		}
	}
	return s.finish(w, UnitInfo{}, s.next-1)
}

// templateBlankRows is how many empty rows the template offers.
const templateBlankRows = 20

// exampleRow is the notice's own example, row 例 of the form.
var exampleRow = []any{"例", "世赛金牌", "奖牌", "俄罗斯", "1万元", "梁攀参加第45届世赛电子技术项目夺得冠军获得金牌",
	"制造年代", "2019", "10×10", "0.5", "1", "寄存", "铁路运输技师学院", "梁攀", "XXXXXXX", "干燥"}

// itemValues are one item's cells in the form's column order. Counts and
// weights are numbers so that a spreadsheet can sum them; everything else is
// text, the phone above all, which must keep its digits as written.
func itemValues(seq int, f workflow.Fields) []any {
	valuation := f.ValuationText
	if valuation == "" && f.ValuationCNY != nil {
		valuation = strconv.FormatInt(*f.ValuationCNY, 10)
	}
	var weight any = ""
	if f.WeightKG != nil {
		weight = *f.WeightKG
	}
	var quantity any = ""
	if f.Quantity > 0 {
		quantity = f.Quantity
	}
	method := string(f.Method)
	if f.Method.Valid() {
		method = f.Method.Label().ZH
	}
	return []any{seq, f.Name, f.Category, f.Region, valuation, f.Description, f.EraType, f.Era,
		f.SizeCM, weight, quantity, method, f.SourceUnit, f.ContactName, f.ContactPhone, f.StorageConditions}
}

// Equal reports whether a and b fill the form's row identically, so that an
// import can tell an unchanged row from a changed one: an amount kept only as
// yuan (8000) and the same amount read back with its text ("8000") are equal.
func Equal(a, b workflow.Fields) bool {
	a.Normalize()
	b.Normalize()
	if a.ContentType != b.ContentType {
		return false
	}
	va, vb := itemValues(0, a), itemValues(0, b)
	for i := range va {
		if va[i] != vb[i] {
			return false
		}
	}
	return true
}
