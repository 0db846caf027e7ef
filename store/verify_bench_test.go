package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"bayu/store"
	"bayu/store/storetest"
)

// BenchmarkVerify verifies a history of a million rows (10,000 exhibits × 100
// rows, HMAC-keyed) made by storetest.SeedChains. Seeding takes a while and is
// not timed. Run it with
//
//	go test -run '^$' -bench Verify -benchtime 1x ./store/
//
// BAYU_BENCH_ROWS_PER_EXHIBIT changes the size (100 gives 1,000,000 rows).
func BenchmarkVerify(b *testing.B) {
	per := 100
	if v, err := strconv.Atoi(os.Getenv("BAYU_BENCH_ROWS_PER_EXHIBIT")); err == nil && v >= 7 {
		per = v
	}
	const exhibits = 10_000
	url := storetest.URL(b)
	start := time.Now()
	storetest.SeedChains(b, url, exhibits, per, testKey)
	b.Logf("seeded %d history rows in %s", exhibits*per, time.Since(start).Round(time.Millisecond))
	db := sqlx.MustOpen("postgres", url)
	b.Cleanup(func() { db.Close() })
	s := store.New(db, store.Options{AuditKey: testKey})
	ctx := context.Background()
	head, err := s.Head(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, head string }{{"chains", ""}, {"chains+head", head.String()}} {
		b.Run(c.name, func(b *testing.B) {
			var rep *store.VerifyReport
			for b.Loop() {
				if rep, err = s.Verify(ctx, c.head); err != nil {
					b.Fatal(err)
				}
			}
			if !rep.OK || rep.Checked != int64(exhibits*per) {
				b.Fatalf("%+v %+v", rep, rep.FirstBad)
			}
			b.ReportMetric(float64(rep.Checked)/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
		})
	}
	b.Run("head", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Head(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
