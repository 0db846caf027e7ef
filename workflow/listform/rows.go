package listform

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

// reader turns the rows below the header into List rows, gathering every
// problem instead of stopping at the first.
type reader struct {
	l      *layout
	opts   Options
	list   List
	errs   rowErrors
	footer []string
	// footerRows counts rows read since the footer began; it may span a few
	// lines (推荐单位 on one, 联系人 and 联系电话 on the next).
	footerRows int
	done       bool
}

// footerSpan is how many rows from the footer's first line are read as footer.
const footerSpan = 3

func newReader(sheet string, l *layout, opts Options) *reader {
	return &reader{l: l, opts: opts, list: List{Sheet: sheet}}
}

func (rd *reader) cell(cells []string, c col) string {
	i := rd.l.pos[c]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cleanCell(cells[i])
}

// row reads one sheet row below the header.
func (rd *reader) row(n int, cells []string) error {
	var filled []string
	for _, c := range cells {
		if c = cleanCell(c); c != "" {
			filled = append(filled, plainNumber(c))
		}
	}
	if rd.footerRows > 0 || (len(filled) > 0 && isFooter(filled[0])) {
		rd.footer = append(rd.footer, filled...)
		rd.footerRows++
		rd.done = rd.footerRows >= footerSpan
		return nil
	}
	if len(filled) == 0 || rd.onlySequence(cells, len(filled)) || rd.isExample(cells) || isNote(filled) {
		return nil
	}
	if len(rd.list.Rows) >= rd.opts.MaxRows {
		return fileError(workflow.CodeTooLarge,
			fmt.Sprintf("清单行数过多（上限 %d 行），请分成几个文件导入", rd.opts.MaxRows),
			fmt.Sprintf("the list has too many rows (%d at most); split it into several files", rd.opts.MaxRows))
	}
	rd.list.Rows = append(rd.list.Rows, rd.fields(n, cells))
	return nil
}

// onlySequence is true for rows where only 序号 is filled: templates are often
// numbered 1…20 in advance and left empty below the last item.
func (rd *reader) onlySequence(cells []string, filled int) bool {
	return filled == 1 && rd.cell(cells, colSeq) != ""
}

// isExample recognises the notice's example row: by its 例 mark, or, where a
// district deleted the 序号 column, by the notice's own example item.
func (rd *reader) isExample(cells []string) bool {
	switch strings.TrimRight(workflow.Fold(rd.cell(cells, colSeq)), ":") {
	case "例", "示例", "样例", "举例", "例子":
		return true
	}
	return rd.cell(cells, colName) == "世赛金牌" && rd.cell(cells, colContactPhone) == "XXXXXXX"
}

// isNote is a line of explanation below or inside the table (注：…), not an item.
func isNote(filled []string) bool {
	if len(filled) != 1 {
		return false
	}
	for _, p := range []string{"注", "说明", "备注", "填表说明"} {
		if strings.HasPrefix(filled[0], p+"：") || strings.HasPrefix(filled[0], p+":") {
			return true
		}
	}
	return false
}

// fields converts one data row, recording each problem against its column.
func (rd *reader) fields(n int, cells []string) Row {
	get := func(c col) string { return rd.cell(cells, c) }
	f := workflow.Fields{
		Name: get(colName), Category: get(colCategory), Region: get(colRegion),
		ValuationText: plainNumber(get(colValuation)), Description: get(colDescription),
		EraType: get(colEraType), Era: rd.era(get(colEra)), SizeCM: get(colSize),
		SourceUnit: get(colSourceUnit), ContactName: get(colContactName),
		ContactPhone: plainNumber(get(colContactPhone)), StorageConditions: get(colStorage),
	}
	bad := map[col]bool{}
	fail := func(c col, zh, en string) {
		bad[c] = true
		rd.errs.add(n, c, workflow.T(zh, en))
	}
	if s := get(colWeight); s != "" {
		if w, err := workflow.ParseWeight(s); err != nil {
			fail(colWeight, "重量应写成千克数，如 0.5、0.5kg 或 500g", "must be a weight like 0.5, 0.5kg or 500g")
		} else {
			f.WeightKG = &w
		}
	}
	if q, err := parseQuantity(get(colQuantity)); err != nil {
		fail(colQuantity, "实际数量应为不小于 1 的整数，如 1 或 3件", "must be a whole number of at least 1, like 1 or 3件")
	} else {
		f.Quantity = q
	}
	if m, ok := parseMethod(get(colMethod)); !ok {
		fail(colMethod, "征集方式必须是捐赠、寄存、复制、寄售之一", "must be one of 捐赠 (donation), 寄存 (deposit), 复制 (replication), 寄售 (consignment)")
	} else {
		f.Method = m
	}
	row := Row{Row: n}
	if s := get(colContent); s != "" {
		if c, ok := parseContent(s); ok {
			f.ContentType = c
		} else {
			fail(colContent, "征集内容应为技艺作品、历史实物/文献、设备设施、竞赛获奖作品之一",
				"must be one of craft_work, historical, production_equipment, competition")
		}
	} else {
		f.ContentType = InferContent(f.Category, f.Description, f.Era)
		row.ContentInferred = true
	}
	f.Normalize()
	for key, msg := range f.Validate(true) {
		c, ok := fieldColumn[key]
		if !ok {
			c = -1
		}
		if !bad[c] {
			bad[c] = true
			rd.errs.add(n, c, msg)
		}
	}
	for _, x := range rd.l.extras {
		if x.index < len(cells) {
			if v := cleanCell(cells[x.index]); v != "" {
				if row.Extra == nil {
					row.Extra = map[string]string{}
				}
				row.Extra[x.header] = v
			}
		}
	}
	row.Fields = f
	return row
}

// era reads 年代. A year typed as a number arrives as its digits. A date typed
// into the cell (2019/5/1) arrives as the spreadsheet's day count, 43586; no
// year has five digits, so a whole day count from 1927 to 2100 is shown as the
// date it stands for. The cell's own date format is not consulted: that would
// load the whole worksheet into memory, which a hostile file must not get.
func (rd *reader) era(s string) string {
	s = plainNumber(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !numberRE.MatchString(s) || v < 10000 || v > maxDateSerial {
		return s
	}
	t, err := excelize.ExcelDateToTime(math.Floor(v), false)
	if err != nil {
		return s
	}
	return t.Format("2006-01-02")
}

// maxDateSerial is 2100-12-31 as a spreadsheet day count.
const maxDateSerial = 73415

// finish reads the footer and returns the list, or every problem found.
func (rd *reader) finish() (*List, error) {
	rd.list.Footer = parseFooter(rd.footer)
	if err := rd.errs.err(); err != nil {
		return nil, err
	}
	if len(rd.list.Rows) == 0 {
		return nil, fileError(workflow.CodeInvalid, "清单中没有填写任何展品", "the list has no items")
	}
	return &rd.list, nil
}
