package export

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"
)

// peakHeap runs fn while sampling the heap every few milliseconds and returns
// the highest live heap (what the last garbage collection found reachable) and
// the highest heap in use (live data plus garbage not yet collected), in MiB.
func peakHeap(fn func()) (live, inUse float64) {
	runtime.GC()
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	var peakLive, peakInUse uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			metrics.Read(samples)
			peakLive = max(peakLive, samples[0].Value.Uint64())
			peakInUse = max(peakInUse, samples[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return float64(peakLive) / (1 << 20), float64(peakInUse) / (1 << 20)
}

type counter int64

func (c *counter) Write(p []byte) (int, error) { *c += counter(len(p)); return len(p), nil }

// BenchmarkExport writes 100,000 and 1,000,000 history-like rows in each
// format: the peak live heap stays the same while the rows grow tenfold, which
// is what constant memory means (the heap in use also counts garbage the
// collector has not reached yet). Run it with
//
//	go test -run '^$' -bench Export -benchtime 1x ./http/export/
func BenchmarkExport(b *testing.B) {
	cols := []Column{{Title: "记录号"}, {Title: "展品编号"}, {Title: "展品名称"}, {Title: "事件"}, {Title: "操作人"},
		{Title: "原因"}, {Title: "数据"}, {Title: "时间(UTC)"}, {Title: "哈希"}}
	for _, format := range []string{"csv", "xlsx"} {
		for _, n := range []int{100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/rows=%d", format, n), func(b *testing.B) {
				var size counter
				var live, inUse float64
				for b.Loop() {
					size = 0
					live, inUse = peakHeap(func() {
						w, err := New(format, &size, "历史记录")
						if err != nil {
							b.Fatal(err)
						}
						if err := w.Header(cols); err != nil {
							b.Fatal(err)
						}
						row := make([]string, len(cols))
						for i := range n {
							id := strconv.Itoa(i + 1)
							row[0], row[1], row[2], row[3], row[4] = id, strconv.Itoa(i/20+1), "蜀绣《山城夜景》"+id, "展出", "coord"
							row[5], row[6] = "=借展", `{"venue": "世界技能博物馆", "from": "2026-09-01"}`
							row[7], row[8] = "2026-07-15T02:00:00.123456Z", "9d5dcf3e696f29f7a444315dd14b21d338d15a2f6a2ee2ba05bcde00282f4182"
							if err := w.Row(row); err != nil {
								b.Fatal(err)
							}
						}
						if err := w.Close(); err != nil {
							b.Fatal(err)
						}
					})
				}
				b.ReportMetric(live, "peak-live-MiB")
				b.ReportMetric(inUse, "peak-heap-MiB")
				b.ReportMetric(float64(size)/(1<<20), "file-MiB")
			})
		}
	}
}
