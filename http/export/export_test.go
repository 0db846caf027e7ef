package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var cols = []Column{{Title: "序号", Width: 6}, {Title: "操作人"}, {Title: "原因", Width: 30}}

var rows = [][]string{
	{"1", "张三", "=HYPERLINK(\"http://evil\",\"点我\")"},
	{"2", "+86 138", "-1"},
	{"3", "@SUM(A1)", "普通文字，含逗号,和\"引号\"\n换行"},
	{"4", "\tTAB", "\x01控制字符"},
}

func TestCSVOpensInExcelAndRunsNoFormula(t *testing.T) {
	var b bytes.Buffer
	w := NewCSV(&b)
	if err := w.Header(cols); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(append([]string(nil), r...)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\xef\xbb\xbf序号,操作人,原因\r\n")) {
		t.Fatalf("no BOM or header: %q", b.Bytes()[:40])
	}
	got, err := csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"序号", "操作人", "原因"},
		{"1", "张三", "'=HYPERLINK(\"http://evil\",\"点我\")"},
		{"2", "'+86 138", "'-1"},
		{"3", "'@SUM(A1)", "普通文字，含逗号,和\"引号\"\n换行"},
		{"4", "'\tTAB", "\x01控制字符"}}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
}

// The workbook keeps every value as it was (no apostrophe added) in text cells
// marked as typed text, so Excel shows =… as text and never evaluates it; a
// long export goes on in further sheets, each with the header.
func TestXLSXKeepsValuesAsTextAcrossSheets(t *testing.T) {
	defer func(n int) { maxRows = n }(maxRows)
	maxRows = 3 // the header and two rows per sheet
	var b bytes.Buffer
	w, err := NewXLSX(&b, "历史记录")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Header(cols); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "历史记录,历史记录2" {
		t.Fatalf("sheets %s", got)
	}
	var all [][]string
	for _, sheet := range f.GetSheetList() {
		got, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got[0], ",") != "序号,操作人,原因" {
			t.Fatalf("%s header %q", sheet, got[0])
		}
		all = append(all, got[1:]...)
	}
	for i, r := range rows {
		want := strings.ReplaceAll(strings.Join(r, "|"), "\x01", "")
		if strings.Join(all[i], "|") != want {
			t.Errorf("row %d: %q, want %q", i+1, all[i], want)
		}
	}
	style, err := f.GetCellStyle("历史记录", "C2")
	if err != nil {
		t.Fatal(err)
	}
	if xf := f.Styles.CellXfs.Xf[style]; xf.QuotePrefix == nil || !*xf.QuotePrefix {
		t.Fatal("a text cell is not marked as typed text")
	}
	if formula, _ := f.GetCellFormula("历史记录", "C2"); formula != "" {
		t.Fatalf("C2 holds the formula %q", formula)
	}
}
