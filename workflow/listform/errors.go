package listform

import (
	"fmt"
	"sort"
	"strings"

	"bayu/workflow"
)

// RowError is one problem in one cell of a sheet. Row is the row number the
// user sees in Excel or WPS (1-based); Column is the Chinese header, empty when
// the problem concerns the whole row.
type RowError struct {
	Row     int           `json:"row"`
	Column  string        `json:"column"`
	Message workflow.Text `json:"message"`
}

// Error is what Parse returns when a file cannot be taken: either a problem
// with the file as a whole (Rows empty), or every problem of every row at once.
// It unwraps to a *workflow.Error so that workflow.ErrorCode and the http layer's
// one mapping of codes see it.
type Error struct {
	Code    workflow.Code `json:"code"`
	Message workflow.Text `json:"message"`
	Rows    []RowError    `json:"errors"`
	// Internal is detail for the log (a recovered panic's stack), never for users.
	Internal string `json:"-"`

	panicked bool // set when the error stands for a recovered panic; the fuzz tests look for it
}

func (e *Error) Error() string {
	if len(e.Rows) == 0 {
		return fmt.Sprintf("listform: %s", e.Message.EN)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "listform: %s:", e.Message.EN)
	for i, r := range e.Rows {
		if i == 5 {
			fmt.Fprintf(&b, " … and %d more", len(e.Rows)-i)
			break
		}
		fmt.Fprintf(&b, " row %d %s: %s;", r.Row, r.Column, r.Message.EN)
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Unwrap exposes the code and message as the project's one error type.
func (e *Error) Unwrap() error {
	return &workflow.Error{Code: e.Code, Message: e.Message}
}

// LocalRowError is a RowError in one language, the shape the API sends:
// {"row", "column", "message"}.
type LocalRowError struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// In returns the row problems with their messages in lang (see workflow.Text.In);
// the column stays the Chinese header the user sees in the sheet.
func (e *Error) In(lang string) []LocalRowError {
	out := make([]LocalRowError, len(e.Rows))
	for i, r := range e.Rows {
		out[i] = LocalRowError{Row: r.Row, Column: r.Column, Message: r.Message.In(lang)}
	}
	return out
}

// fileError is a problem with the whole file; the user can only fix it by saving
// the file differently or making it smaller.
func fileError(code workflow.Code, zh, en string) *Error {
	return &Error{Code: code, Message: workflow.T(zh, en)}
}

// rowErrors gathers the problems of all rows and turns them into one Error.
type rowErrors []RowError

func (r *rowErrors) add(row int, c col, msg workflow.Text) {
	column := ""
	if c >= 0 {
		column = c.header()
	}
	*r = append(*r, RowError{Row: row, Column: column, Message: msg})
}

func (r rowErrors) err() error {
	if len(r) == 0 {
		return nil
	}
	rows := append([]RowError(nil), r...)
	order := map[string]int{}
	for i, h := range Headers {
		order[h] = i + 1
	}
	order[ContentHeader] = len(Headers) + 1
	// Sorted as the user reads the sheet: by row, then left to right.
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Row != rows[j].Row {
			return rows[i].Row < rows[j].Row
		}
		return order[rows[i].Column] < order[rows[j].Column]
	})
	return &Error{
		Code: workflow.CodeInvalid,
		Message: workflow.T(fmt.Sprintf("清单有 %d 处错误，请改正后重新导入", len(rows)),
			fmt.Sprintf("the list has %d errors; correct them and import it again", len(rows))),
		Rows: rows,
	}
}
