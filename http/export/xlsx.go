package export

import (
	"archive/zip"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxRows is how many rows an XLSX sheet holds; a longer export goes on in a
// second sheet (the header repeated), then a third. Tests make it small.
var maxRows = 1048576

// XLSX writes an Excel workbook through excelize's StreamWriter, which keeps at
// most a chunk of the sheet in memory and the rest in a temporary file. The
// workbook is written to w on Close.
type XLSX struct {
	w       io.Writer
	f       *excelize.File
	sw      *excelize.StreamWriter
	name    string
	sheets  int
	row     int
	cols    []Column
	text    int // the style of every cell: text, marked as typed text
	head    int
	scratch []any
}

// NewXLSX starts an XLSX export on w with one sheet of that name.
func NewXLSX(w io.Writer, sheet string) (*XLSX, error) {
	x := &XLSX{w: w, f: excelize.NewFile(), name: sheet}
	var err error
	if x.text, err = x.f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return nil, err
	}
	if x.head, err = x.f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return nil, err
	}
	// quotePrefix is what Excel records when someone types '=1+1: the cell holds
	// the text, shows it without the apostrophe and stays text when edited, so
	// a value starting with = + - @ is never run as a formula. excelize.Style
	// has no field for it, so it is set on the cell format.
	yes := true
	for _, id := range []int{x.text, x.head} {
		if x.f.Styles != nil && x.f.Styles.CellXfs != nil && id < len(x.f.Styles.CellXfs.Xf) {
			x.f.Styles.CellXfs.Xf[id].QuotePrefix = &yes
		}
	}
	return x, nil
}

// Header starts the first sheet with the header row.
func (x *XLSX) Header(cols []Column) error {
	x.cols = cols
	return x.newSheet()
}

func (x *XLSX) newSheet() error {
	if x.sw != nil {
		if err := x.sw.Flush(); err != nil {
			return err
		}
	}
	x.sheets++
	name := x.name
	if x.sheets == 1 {
		if err := x.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else {
		name += strconv.Itoa(x.sheets)
		if _, err := x.f.NewSheet(name); err != nil {
			return err
		}
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sw, x.row = sw, 1
	for i, c := range x.cols {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(x.cols))
	for i, c := range x.cols {
		cells[i] = excelize.Cell{StyleID: x.head, Value: c.Title}
	}
	return sw.SetRow("A1", cells)
}

// Row appends one row of text cells.
func (x *XLSX) Row(cells []string) error {
	if x.row == maxRows {
		if err := x.newSheet(); err != nil {
			return err
		}
	}
	x.row++
	if cap(x.scratch) < len(cells) {
		x.scratch = make([]any, len(cells))
	}
	vals := x.scratch[:len(cells)]
	for i, s := range cells {
		vals[i] = excelize.Cell{StyleID: x.text, Value: xmlText(s)}
	}
	return x.sw.SetRow("A"+strconv.Itoa(x.row), vals)
}

// Abort removes the temporary files without writing the workbook.
func (x *XLSX) Abort() { _ = x.f.Close() }

// Close finishes the sheet, writes the workbook to w and removes the
// temporary files.
func (x *XLSX) Close() error {
	defer x.f.Close()
	if x.sw == nil {
		if err := x.Header(x.cols); err != nil {
			return err
		}
	}
	if err := x.sw.Flush(); err != nil {
		return err
	}
	// excelize builds the whole zip in a bytes.Buffer before writing it out,
	// which for a million rows is tens of megabytes held at once. Its zip
	// writer is pluggable: this one ignores that buffer and writes the archive
	// straight to w, so the sheet goes from the temporary file to w in chunks.
	// (excelize patches headers in the buffer only for parts over 4 GiB.)
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.w) })
	_, err := x.f.WriteTo(io.Discard)
	return err
}

// xmlText drops the control characters XML 1.0 cannot carry (all below U+0020
// but tab, line feed and carriage return); a workbook containing one would not
// open.
func xmlText(s string) string {
	if strings.IndexFunc(s, badXML) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if badXML(r) {
			return -1
		}
		return r
	}, s)
}

func badXML(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}
