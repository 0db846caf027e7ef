package listform

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// sheet builds the one worksheet of the form, top to bottom.
type sheet struct {
	f       *excelize.File
	st      styles
	headers []string
	widest  []int // display width of each column's widest text, for the column widths
	next    int   // the next row to write
}

// headerRow is where the headers sit, under the title, as in the notice.
const headerRow = 2

func newSheet(headers []string, title string) (*sheet, error) {
	f := excelize.NewFile()
	s := &sheet{f: f, headers: headers, widest: make([]int, len(headers)), next: headerRow + 1}
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		f.Close()
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	s.st = st
	last := colLetter(len(headers) - 1)
	phone := colLetter(int(colContactPhone))
	steps := []func() error{
		// Text format on the whole phone column, before any cell is written (it
		// would restyle them), so that a number typed there keeps its digits.
		func() error { return f.SetColStyle(SheetName, phone, st.textColumn) },
		func() error { return f.SetCellStr(SheetName, "A1", title) },
		func() error { return f.MergeCell(SheetName, "A1", last+"1") },
		func() error { return f.SetCellStyle(SheetName, "A1", last+"1", st.title) },
		func() error { return f.SetRowHeight(SheetName, 1, 36) },
		func() error { return f.SetSheetRow(SheetName, fmt.Sprintf("A%d", headerRow), &headers) },
		func() error {
			return f.SetCellStyle(SheetName, fmt.Sprintf("A%d", headerRow), fmt.Sprintf("%s%d", last, headerRow), st.header)
		},
		func() error { return f.SetRowHeight(SheetName, headerRow, 30) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			f.Close()
			return nil, err
		}
	}
	for i, h := range headers {
		s.widest[i] = displayWidth(h) + 2 // bold headers draw wider
	}
	return s, nil
}

// row writes one row in style. In data rows (style cell) strings take the text
// style instead: they stay text when edited, and the phone keeps its digits.
func (s *sheet) row(values []any, style int) error {
	from := fmt.Sprintf("A%d", s.next)
	to := fmt.Sprintf("%s%d", colLetter(len(s.headers)-1), s.next)
	if err := s.f.SetCellStyle(SheetName, from, to, style); err != nil {
		return err
	}
	if style == s.st.cell {
		// Even an empty row keeps the phone column as text, for what is typed later.
		phone := fmt.Sprintf("%s%d", colLetter(int(colContactPhone)), s.next)
		if err := s.f.SetCellStyle(SheetName, phone, phone, s.st.text); err != nil {
			return err
		}
	}
	for i, v := range values {
		cell := fmt.Sprintf("%s%d", colLetter(i), s.next)
		var err error
		switch v := v.(type) {
		case string:
			s.widest[i] = max(s.widest[i], displayWidth(v))
			err = s.f.SetCellStr(SheetName, cell, v)
			if err == nil && style == s.st.cell {
				err = s.f.SetCellStyle(SheetName, cell, cell, s.st.text)
			}
		case int:
			s.widest[i] = max(s.widest[i], len(fmt.Sprint(v)))
			err = s.f.SetCellInt(SheetName, cell, int64(v))
		case float64:
			s.widest[i] = max(s.widest[i], len(fmt.Sprint(v)))
			err = s.f.SetCellFloat(SheetName, cell, v, -1, 64)
		}
		if err != nil {
			return err
		}
	}
	s.next++
	return nil
}

// dropList offers choices for column index c in the data rows up to last.
func (s *sheet) dropList(c, last int, choices []string, title, msg string) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s%d:%s%d", colLetter(c), headerRow+1, colLetter(c), last))
	if err := dv.SetDropList(choices); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, title, msg)
	return s.f.AddDataValidation(SheetName, dv)
}

// finish writes the footer two rows below the data (the notice leaves a blank
// line), sets the widths, the frozen header, the drop-down list of 征集方式 and
// the print layout, and writes the workbook.
func (s *sheet) finish(w io.Writer, unit UnitInfo, last int) error {
	if err := s.dropList(int(colMethod), last, methodChoices, "征集方式", "请选择捐赠、寄存、复制或寄售"); err != nil {
		return err
	}
	if err := s.footer(unit, last+2); err != nil {
		return err
	}
	for i, wd := range s.widest {
		maxWidth := 24
		if col(i) == colDescription {
			maxWidth = 50
		}
		c := colLetter(i)
		if err := s.f.SetColWidth(SheetName, c, c, columnWidth(wd, maxWidth)); err != nil {
			return err
		}
	}
	if err := s.f.SetPanes(SheetName, &excelize.Panes{
		Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	landscape, one, zero, fit := "landscape", 1, 0, true
	if err := s.f.SetPageLayout(SheetName, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	if err := s.f.SetSheetProps(SheetName, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := s.f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", SheetName, headerRow), Scope: SheetName,
	}); err != nil {
		return err
	}
	_, err := s.f.WriteTo(w)
	return err
}

// footer writes 推荐单位（盖章）/ 联系人 / 联系电话 in three merged stretches of
// the row, as the notice spaces them.
func (s *sheet) footer(u UnitInfo, row int) error {
	n := len(s.headers)
	spans := [3][2]int{{0, 5}, {6, 10}, {11, n - 1}}
	for i, text := range footerCells(u) {
		from := fmt.Sprintf("%s%d", colLetter(spans[i][0]), row)
		to := fmt.Sprintf("%s%d", colLetter(spans[i][1]), row)
		if err := s.f.SetCellStr(SheetName, from, text); err != nil {
			return err
		}
		if err := s.f.MergeCell(SheetName, from, to); err != nil {
			return err
		}
		if err := s.f.SetCellStyle(SheetName, from, to, s.st.footer); err != nil {
			return err
		}
	}
	return s.f.SetRowHeight(SheetName, row, 28)
}
