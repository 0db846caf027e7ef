package listform

import (
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// styles are the cell formats of the form, made once per workbook.
type styles struct {
	title, header, example, cell, text, footer int
	textColumn                                 int // text format without borders, for a whole column
}

// textFormat is the built-in number format "@": what is typed into such a cell
// stays text, so a phone number keeps its digits and a leading = stays literal.
const textFormat = 49

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	left := &excelize.Alignment{Vertical: "center", WrapText: true}
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: center},
		{Font: &excelize.Font{Bold: true, Size: 11}, Alignment: center, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}},
		{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, Alignment: left, Border: border},
		{Alignment: left, Border: border},
		{Alignment: left, Border: border, NumFmt: textFormat},
		{Font: &excelize.Font{Size: 11}, Alignment: &excelize.Alignment{Vertical: "center"}},
		{NumFmt: textFormat},
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return styles{}, err
		}
		ids[i] = id
	}
	s := styles{title: ids[0], header: ids[1], example: ids[2], cell: ids[3], text: ids[4], footer: ids[5], textColumn: ids[6]}
	// Text cells also get quotePrefix, which is what Excel itself records when a
	// user types '=1+1: the cell holds the text =1+1, shows it without the
	// apostrophe, and stays text when edited, so a value starting with = + - @
	// is never run as a formula, now or after someone edits it. The value itself
	// is not changed (no apostrophe is added), so an export imports back exactly.
	// excelize.Style has no field for it, so it is set on the cell format.
	if f.Styles != nil && f.Styles.CellXfs != nil && s.text < len(f.Styles.CellXfs.Xf) {
		yes := true
		f.Styles.CellXfs.Xf[s.text].QuotePrefix = &yes
	}
	return s, nil
}

// displayWidth counts a wide (Chinese) character as two columns, as
// spreadsheets draw them.
func displayWidth(s string) int {
	n, line := 0, 0
	for _, r := range s {
		if r == '\n' {
			n, line = max(n, line), 0
			continue
		}
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			line += 2
		default:
			line++
		}
	}
	return max(n, line)
}

// columnWidth is the width for a column from its widest text, within bounds
// that keep the form printable: long descriptions wrap instead of widening.
func columnWidth(widest, maxWidth int) float64 {
	return float64(min(max(widest+2, 6), maxWidth))
}
