package listform

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

// layout is where a file put each column of the form.
type layout struct {
	pos    [numCols]int // index into a row's cells; -1 when the file lacks the column
	extras []extraCol
}

type extraCol struct {
	index  int
	header string
}

// minHeaders is how many of the form's headers a row must name to be taken as
// the header row; the title row names none and a data row rarely more than one.
const minHeaders = 4

// findHeader tells whether cells are the header row and, if so, where each column
// is. A header row that lacks a required column or names one twice is an error:
// the user must fix the headers before any row can be read.
func findHeader(cells []string, rowNum int) (*layout, bool, error) {
	l := &layout{}
	for i := range l.pos {
		l.pos[i] = -1
	}
	found := 0
	var errs rowErrors
	for i, cell := range cells {
		c, ok := lookupHeader(cell)
		if !ok {
			if h := strings.Join(strings.Fields(cell), ""); h != "" {
				l.extras = append(l.extras, extraCol{index: i, header: h})
			}
			continue
		}
		if prev := l.pos[c]; prev >= 0 {
			errs.add(rowNum, c, workflow.T(
				fmt.Sprintf("表头“%s”出现了两次（%s 列和 %s 列），请删除多余的一列", c.header(), colLetter(prev), colLetter(i)),
				fmt.Sprintf("the header %s appears twice (columns %s and %s); remove one", c.header(), colLetter(prev), colLetter(i))))
			continue
		}
		l.pos[c] = i
		found++
	}
	if found < minHeaders || l.pos[colName] < 0 {
		return nil, false, nil
	}
	for _, c := range required {
		if l.pos[c] < 0 {
			errs.add(rowNum, c, workflow.T("表头中缺少此列，请使用清单模板的列", "this column is missing from the header row; use the form's columns"))
		}
	}
	if err := errs.err(); err != nil {
		return nil, true, err
	}
	return l, true, nil
}

// colLetter is the spreadsheet's letter for a 0-based column index.
func colLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}
