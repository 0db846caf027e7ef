package store_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bayu/migrations"
	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/listform"
	"bayu/workflow/sample"
)

// benchListRows is the size of the benchmark's list: half the row limit, far
// more than a district sends (twenty to a few hundred).
const benchListRows = 10000

var benchList = sync.OnceValues(func() ([]byte, error) {
	items := make([]listform.Item, benchListRows)
	for i := range items {
		f := sample.Fields(i, workflow.Methods[i%len(workflow.Methods)])
		f.Name = fmt.Sprintf("展品%05d", i)
		f.ValuationText, f.ValuationCNY = []string{"1万元", "1.5万", "约3000元", "8000"}[i%4], nil
		f.SizeCM = []string{"10×10", "30x20x5", "30*20*5"}[i%3]
		items[i] = listform.Item{Fields: f}
	}
	var buf bytes.Buffer
	err := listform.Write(&buf, listform.UnitInfo{Name: "重庆市某区人力资源和社会保障局", ContactName: "张三", ContactPhone: "13800000000"},
		items, listform.WriteOptions{OmitContent: true})
	return buf.Bytes(), err
})

// BenchmarkListImport10000 imports a 10,000-row list end to end, as `bayu
// import` and the API do: listform.Parse of the file, then Store.ImportList
// into PostgreSQL in one transaction, every row created and reported through
// real events with their history rows. Each iteration imports into another
// unit, so every row is new. Run once each:
//
//	go test -run '^$' -bench 'ListImport10000|ListGetRows10000' -benchtime 1x ./store/
func BenchmarkListImport10000(b *testing.B) {
	data, err := benchList()
	if err != nil {
		b.Fatal(err)
	}
	s := storetest.New(b, store.Options{})
	units, err := migrations.Units()
	if err != nil {
		b.Fatal(err)
	}
	a := workflow.Actor{Name: "bench", Role: workflow.Coordinator}
	peak := samplePeakHeap()
	b.ReportAllocs()
	i := 0
	var parsing, storing time.Duration
	for b.Loop() {
		if i == len(units) {
			b.Fatalf("only %d units to import into; use -benchtime %dx or less", len(units), len(units))
		}
		start := time.Now()
		l, err := listform.ParseBytes(data, listform.Options{})
		if err != nil {
			b.Fatal(err)
		}
		parsed := time.Now()
		res, err := s.ImportList(context.Background(), a, store.ListImport{District: units[i].Code, List: l})
		if err != nil || res.Created != benchListRows {
			b.Fatalf("%v", err)
		}
		parsing, storing = parsing+parsed.Sub(start), storing+time.Since(parsed)
		i++
	}
	b.ReportMetric(parsing.Seconds()/float64(i), "parse-s/op")
	b.ReportMetric(storing.Seconds()/float64(i), "db-s/op")
	peak.report(b)
}

// BenchmarkListGetRows10000 is the floor: excelize opening the same file and
// reading every row, doing nothing with it.
func BenchmarkListGetRows10000(b *testing.B) {
	data, err := benchList()
	if err != nil {
		b.Fatal(err)
	}
	peak := samplePeakHeap()
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.GetRows(listform.SheetName)
		if err != nil || len(rows) < benchListRows {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
		f.Close()
	}
	peak.report(b)
}

// peakHeap samples the heap in use (live data and garbage not yet collected)
// every millisecond while a benchmark runs: a peak, which MemStats at the end
// would miss.
type peakHeap struct {
	stop chan struct{}
	done chan uint64
}

func samplePeakHeap() *peakHeap {
	// Start from what the process needs now: the file generated for the
	// benchmark is garbage, and the resident peak so far is forgotten (Linux
	// resets VmHWM when 5 is written to clear_refs).
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	p := &peakHeap{stop: make(chan struct{}), done: make(chan uint64)}
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-p.stop:
				p.done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// report adds the peak heap and the process's peak resident size since the
// sampling began (VmHWM) to the benchmark's line.
func (p *peakHeap) report(b *testing.B) {
	close(p.stop)
	b.ReportMetric(float64(<-p.done)/(1<<20), "peak-heap-MiB")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(hwm, "VmHWM-MiB")
	}
}

func vmHWM() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
