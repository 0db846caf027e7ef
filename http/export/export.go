// Package export writes tables of text (the history, the audit log) as CSV or
// XLSX for auditors, row by row, in constant memory however many rows come.
// Headers are Chinese; CSV starts with a UTF-8 byte order mark so that Excel
// opens it as UTF-8; no cell is ever run as a formula.
package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// Writer takes the header once, then rows, then Close; or Abort, when the
// rows could not all be had, to drop what was made without finishing it.
type Writer interface {
	Header(cols []Column) error
	Row(cells []string) error
	Close() error
	Abort()
}

// Column is one column of an export: its Chinese header and its width in
// characters (XLSX only).
type Column struct {
	Title string
	Width float64
}

// Formats and their content types.
const (
	CSVType  = "text/csv; charset=utf-8"
	XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// New returns a writer of the format ("csv" or "xlsx") onto w; sheet names the
// XLSX worksheet.
func New(format string, w io.Writer, sheet string) (Writer, error) {
	switch format {
	case "csv":
		return NewCSV(w), nil
	case "xlsx":
		return NewXLSX(w, sheet)
	}
	return nil, fmt.Errorf("export: unknown format %q", format)
}

// CSV writes RFC 4180 CSV with CRLF line ends, as Excel writes it.
type CSV struct {
	buf *bufio.Writer
	w   *csv.Writer
	err error
}

// bom makes Excel read the file as UTF-8; without it, Chinese comes out garbled.
const bom = "\ufeff"

// NewCSV starts a CSV export on w.
func NewCSV(w io.Writer) *CSV {
	b := bufio.NewWriterSize(w, 64<<10)
	_, err := b.WriteString(bom)
	c := &CSV{buf: b, w: csv.NewWriter(b), err: err}
	c.w.UseCRLF = true
	return c
}

// Header writes the header row.
func (c *CSV) Header(cols []Column) error {
	titles := make([]string, len(cols))
	for i, col := range cols {
		titles[i] = col.Title
	}
	return c.Row(titles)
}

// Row writes one row, each cell neutralised.
func (c *CSV) Row(cells []string) error {
	if c.err != nil {
		return c.err
	}
	for i, s := range cells {
		cells[i] = Neutralise(s)
	}
	c.err = c.w.Write(cells)
	return c.err
}

// Close flushes what is buffered.
func (c *CSV) Close() error {
	if c.err != nil {
		return c.err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

// Abort drops what is buffered.
func (c *CSV) Abort() { c.buf.Reset(io.Discard) }

// Neutralise puts an apostrophe before text a spreadsheet would take for a
// formula (OWASP's advice for CSV injection): = + - @ and the tab and carriage
// return that some spreadsheets skip before looking.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
