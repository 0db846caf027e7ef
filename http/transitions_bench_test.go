package http_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	bayuhttp "bayu/http"
	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
)

// BenchmarkTransitionsExport downloads a history of a million rows (made by
// storetest.SeedChains) through the real handlers, from PostgreSQL to the
// client, as CSV and as XLSX, and reports the process's peak live heap. Run it
// with
//
//	go test -run '^$' -bench TransitionsExport -benchtime 1x ./http/
func BenchmarkTransitionsExport(b *testing.B) {
	url := storetest.URL(b)
	storetest.SeedChains(b, url, 10_000, 100, nil)
	db := sqlx.MustOpen("postgres", url)
	b.Cleanup(func() { db.Close() })
	st := store.New(db, store.Options{})
	_, token, err := st.CreateUser(context.Background(), store.NewUser{Name: "audit", Role: workflow.Auditor})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(bayuhttp.NewServer(st, bayuhttp.Options{}).Handler())
	b.Cleanup(srv.Close)
	for _, format := range []string{"csv", "xlsx"} {
		b.Run(format, func(b *testing.B) {
			var size int64
			var live float64
			for b.Loop() {
				live = peakLive(func() {
					req, _ := http.NewRequest("GET", srv.URL+"/api/v1/transitions."+format, nil)
					req.Header.Set("Authorization", "Bearer "+token)
					res, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					size, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err != nil || res.StatusCode != 200 {
						b.Fatalf("%d %v", res.StatusCode, err)
					}
				})
			}
			b.ReportMetric(live, "peak-live-MiB")
			b.ReportMetric(float64(size)/(1<<20), "file-MiB")
		})
	}
}

// peakLive runs fn while sampling the live heap (as of the last collection)
// every few milliseconds and returns the highest value, in MiB.
func peakLive(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
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
	return float64(peak) / (1 << 20)
}
