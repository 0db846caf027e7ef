package listform

import (
	"bytes"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

// Options tunes Parse; the zero value applies the package's limits.
type Options struct {
	MaxBytes int64 // largest upload read; 0 means MaxFileBytes
	MaxRows  int   // most data rows taken; 0 means MaxRows
}

// UnitInfo is the recommending unit that signs a list, as the form's footer line
// 推荐单位（盖章）/ 联系人 / 联系电话 names it.
type UnitInfo struct {
	Name         string `json:"name"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
}

// List is a parsed form: where its data was found, its footer, and its rows.
type List struct {
	Sheet     string   `json:"sheet"`
	HeaderRow int      `json:"header_row"`
	Footer    UnitInfo `json:"footer"`
	Rows      []Row    `json:"rows"`
}

// Row is one item of the list.
type Row struct {
	// Row is the sheet's row number, the one the user sees at the left in Excel.
	Row    int             `json:"row"`
	Fields workflow.Fields `json:"fields"`
	// ContentInferred tells that the content kind was guessed by InferContent
	// because the file has no 征集内容 for this row.
	ContentInferred bool `json:"content_inferred"`
	// Extra holds cells under headers the form does not have, such as 推荐单位
	// in the city-wide list, keyed by the header.
	Extra map[string]string `json:"extra,omitempty"`
}

// Parse reads a filled form. It finds the header row by the headers' names, skips
// the title, the 例 row and empty rows, reads the footer, and converts and
// validates every row (workflow.Fields.Validate(true)). Any problem in any row
// makes it return an *Error listing every problem at once; a file it cannot or
// will not open gives an *Error without rows that says what to do.
func Parse(r io.Reader, opts Options) (list *List, err error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = MaxFileBytes
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = MaxRows
	}
	data, err := readLimited(r, opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	// A file is input from anyone; whatever it does to excelize or to us must end
	// as a refusal of that file, not as a crashed server.
	defer func() {
		if p := recover(); p != nil {
			list = nil
			err = &Error{Code: workflow.CodeInvalid, panicked: true,
				Message: workflow.T("文件内容异常，无法读取。请另存为 .xlsx 后重新导入。",
					"the file's content is abnormal and cannot be read. Save it as .xlsx and import it again."),
				Internal: fmt.Sprintf("panic: %v\n%s", p, debug.Stack()),
			}
		}
	}()
	f, err := openWorkbook(data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseWorkbook(f, opts)
}

// ParseBytes is Parse of a file already in memory.
func ParseBytes(b []byte, opts Options) (*List, error) {
	return Parse(bytes.NewReader(b), opts)
}

// headerScanRows is how far down Parse looks for the header row: the notice's form
// has it in row 2, and districts add at most a few lines above.
const headerScanRows = 30

// testHook, when set by a test, runs inside the parser to prove that a panic
// there is recovered into an error.
var testHook func()

func parseWorkbook(f *excelize.File, opts Options) (*List, error) {
	if testHook != nil {
		testHook()
	}
	for _, sheet := range f.GetSheetList() {
		list, found, err := parseSheet(f, sheet, opts)
		if found || err != nil {
			return list, err
		}
	}
	return nil, fileError(workflow.CodeInvalid,
		"找不到清单的表头（应有“展品名称”“征集方式”等列）。请使用“巴渝工匠”绝技绝活展品征集项目清单模板。",
		"no header row found (it names columns such as 展品名称 and 征集方式). Use the official list form.")
}

// parseSheet reads one sheet; found is false when the sheet has no header row.
func parseSheet(f *excelize.File, sheet string, opts Options) (*List, bool, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, false, nil
	}
	defer rows.Close()
	// RawCellValue: a phone number in a numeric cell must come out as its digits,
	// not through the cell's number format (1.82253E+10).
	raw := excelize.Options{RawCellValue: true}
	var (
		layout *layout
		rd     *reader
		rowNum int
	)
	for rows.Next() {
		rowNum++ // Next also steps over rows absent from the file, so this is the sheet's row number
		cells, err := rows.Columns(raw)
		if err != nil {
			return nil, layout != nil, damaged()
		}
		if layout == nil {
			if rowNum > headerScanRows {
				return nil, false, nil
			}
			if l, ok, err := findHeader(cells, rowNum); err != nil {
				return nil, true, err
			} else if ok {
				layout = l
				rd = newReader(sheet, layout, opts)
				rd.list.HeaderRow = rowNum
			}
			continue
		}
		if err := rd.row(rowNum, cells); err != nil {
			return nil, true, err
		}
		if rd.done {
			break
		}
	}
	if rows.Error() != nil {
		return nil, layout != nil, damaged()
	}
	if layout == nil {
		return nil, false, nil
	}
	list, err := rd.finish()
	return list, true, err
}

func damaged() *Error {
	return saveAsXLSX("工作表数据已损坏，无法读取。", "The sheet's data is damaged and cannot be read.")
}
