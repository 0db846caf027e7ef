package listform

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

// benchRows is the size of the benchmark's list: half the row limit, far more
// than a district sends (about twenty to a few hundred).
const benchRows = 10000

var benchFile = sync.OnceValues(func() ([]byte, error) {
	methods := workflow.Methods
	items := make([]Item, benchRows)
	for i := range items {
		w := float64(i%50) / 10
		items[i] = Item{Fields: workflow.Fields{
			Name: fmt.Sprintf("展品%05d", i), Category: []string{"奖牌", "刺绣", "机床", "证书"}[i%4], Region: "重庆",
			ValuationText: []string{"1万元", "1.5万", "约3000元", "8000"}[i%4],
			Description:   fmt.Sprintf("第%d件展品：巴渝工匠的精湛技艺，历时数月手工完成，保存完好。", i),
			EraType:       "制造年代", Era: fmt.Sprint(1950 + i%70), SizeCM: []string{"10×10", "30x20x5", "30*20*5"}[i%3],
			WeightKG: &w, Quantity: 1 + i%3, Method: methods[i%4], SourceUnit: fmt.Sprintf("单位%d", i%300),
			ContactName: "联系人", ContactPhone: fmt.Sprintf("138%08d", i), StorageConditions: "干燥",
		}}
	}
	var buf bytes.Buffer
	err := Write(&buf, UnitInfo{Name: "重庆市某区人力资源和社会保障局", ContactName: "张三", ContactPhone: "13800000000"}, items, WriteOptions{})
	return buf.Bytes(), err
})

// BenchmarkParse10000 parses a 10,000-row list end to end: checks, conversion,
// validation, content inference.
func BenchmarkParse10000(b *testing.B) {
	data, err := benchFile()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		l, err := Parse(bytes.NewReader(data), Options{})
		if err != nil || len(l.Rows) != benchRows {
			b.Fatalf("%v", err)
		}
	}
}

// BenchmarkGetRows10000 is the floor: excelize opening the same file and
// reading every row, doing nothing with it.
func BenchmarkGetRows10000(b *testing.B) {
	data, err := benchFile()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.GetRows(SheetName)
		if err != nil || len(rows) < benchRows {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
		f.Close()
	}
}

// BenchmarkWrite10000 exports the same 10,000 rows.
func BenchmarkWrite10000(b *testing.B) {
	data, err := benchFile()
	if err != nil {
		b.Fatal(err)
	}
	l, err := Parse(bytes.NewReader(data), Options{})
	if err != nil {
		b.Fatal(err)
	}
	items := make([]Item, len(l.Rows))
	for i, r := range l.Rows {
		items[i] = Item{Fields: r.Fields}
	}
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, l.Footer, items, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
