package listform

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// checkParse asserts what must hold for any input: no panic reached the
// recover, a refusal is an *Error that says something, and an accepted list has
// valid rows in sheet order within the limits.
func checkParse(t *testing.T, l *List, err error) {
	t.Helper()
	if err != nil {
		var le *Error
		if !errors.As(err, &le) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if le.panicked {
			t.Fatalf("parser panicked: %s", le.Internal)
		}
		if le.Message.ZH == "" || le.Message.EN == "" {
			t.Fatalf("error without message: %#v", le)
		}
		for _, r := range le.Rows {
			if r.Row < 1 || r.Message.ZH == "" {
				t.Fatalf("bad row error %+v", r)
			}
		}
		return
	}
	if len(l.Rows) == 0 || len(l.Rows) > MaxRows {
		t.Fatalf("%d rows accepted", len(l.Rows))
	}
	prev := l.HeaderRow
	for _, r := range l.Rows {
		if r.Row <= prev {
			t.Fatalf("row %d after row %d", r.Row, prev)
		}
		prev = r.Row
		if fe := r.Fields.Validate(true); len(fe) > 0 {
			t.Fatalf("row %d accepted with invalid fields %v", r.Row, fe)
		}
	}
}

// FuzzParse feeds whole files to Parse: the corpus holds the template, an
// export and files saved by LibreOffice, which the fuzzer mutates byte by byte.
func FuzzParse(f *testing.F) {
	var tmpl bytes.Buffer
	if err := Template(&tmpl); err != nil {
		f.Fatal(err)
	}
	f.Add(tmpl.Bytes())
	f.Add(book(f, [][]any{{Title}, headerRowAny(), goodRow(1), {}, {"推荐单位（盖章）：某区"}}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add(append(append([]byte{}, oleMagic...), utf16le("EncryptionInfo")...))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(bytes.NewReader(data), Options{})
		checkParse(t, l, err)
	})
}

// FuzzParseRows builds a workbook from text (rows split by newlines, cells by
// tabs, cells that read as numbers stored as numbers) under the form's headers,
// so the fuzzer works on cell contents rather than on zip bytes. Whatever
// Parse accepts must survive Write and Parse again unchanged.
func FuzzParseRows(f *testing.F) {
	for _, s := range []string{
		"1\t世赛金牌\t奖牌\t俄罗斯\t1万元\t描述\t制造年代\t2019\t10×10\t0.5\t1\t寄存\t铁路运输技师学院\t梁攀\t18225293447\t干燥",
		"例\tx\n\n2\t老车床\t机床\t\t约3000元\t1958年\t\t1950年代\t30*20*5\t500g\t2件\t捐赠\t厂\t李四\t023-67881234\t\n推荐单位（盖章）：某区\t联系人：王\t联系电话：13900001111",
		"1\t=1+1\t+x\t-y\t8,000\t@z\t\t43586\t30x20x5\t0.5kg\t1\t复制\t'=a\tb\t1.8225293447E10\tc",
		"注：说明\n1\tx\ty\t\t\tz\t\t\t\t\t\t寄售\tu\tv\t13800001111\t\t竞赛",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4096 {
			return
		}
		rows := [][]any{{Title}, append(headerRowAny(), ContentHeader)}
		for _, line := range strings.Split(text, "\n") {
			var row []any
			for _, cell := range strings.Split(line, "\t") {
				if v, err := strconv.ParseFloat(cell, 64); err == nil && numberRE.MatchString(cell) {
					row = append(row, v)
				} else {
					row = append(row, cell)
				}
			}
			rows = append(rows, row)
		}
		b, err := buildBook(rows)
		if err != nil {
			return // text excelize itself will not store (e.g. over 32767 characters)
		}
		l, err := Parse(bytes.NewReader(b), Options{})
		checkParse(t, l, err)
		if err != nil {
			return
		}
		items := make([]Item, len(l.Rows))
		for i, r := range l.Rows {
			items[i] = Item{Fields: r.Fields}
		}
		var out bytes.Buffer
		if err := Write(&out, l.Footer, items, WriteOptions{}); err != nil {
			t.Fatalf("Write: %v", err)
		}
		again, err := Parse(bytes.NewReader(out.Bytes()), Options{})
		checkParse(t, again, err)
		if err != nil {
			t.Fatalf("the export of an accepted list is refused: %v", err)
		}
		if again.Footer != l.Footer {
			t.Fatalf("footer %+v became %+v", l.Footer, again.Footer)
		}
		for i := range l.Rows {
			if !reflect.DeepEqual(again.Rows[i].Fields, l.Rows[i].Fields) {
				t.Fatalf("row %d\n was %+v\n now %+v", l.Rows[i].Row, l.Rows[i].Fields, again.Rows[i].Fields)
			}
		}
	})
}

func buildBook(rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return nil, err
			}
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				return nil, err
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
