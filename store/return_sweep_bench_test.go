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

// BenchmarkReturnSweep measures the return-reminder sweep over a table of a
// million borrowed exhibits (BAYU_BENCH_EXHIBITS to change it) whose pending
// reminders are all due at once: the worst case, a first run after long
// downtime. Beside it, one plain INSERT … SELECT makes the same notices from
// the same selection, as a floor for what the database must write anyway.
// The sweep does more than the floor: texts from the Go rules, an inbox row
// per user, each row moved to its next step, in batches that hold no lock long.
//
//	go test -run '^$' -bench ReturnSweep -benchtime 1x -timeout 30m ./store/
func BenchmarkReturnSweep(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BAYU_BENCH_EXHIBITS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db, err := sqlx.Open("postgres", storetest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	// Due dates X … X+19 days: every pending -30d step has come by X-10, and
	// no -7d step has (the first is X-7), so each exhibit has exactly one due.
	base := day(2026, 9, 1)
	now := base.AddDays(-10).In(shanghai)
	st := store.New(db, store.Options{Clock: func() time.Time { return now }, Location: shanghai})
	start := time.Now()
	for _, step := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO users (name, role, district, created_at) SELECT 'bench-' || code, 'district', code, now() FROM units`, nil},
		{`INSERT INTO users (name, role, created_at) VALUES ('bench-coord', 'coordinator', now())`, nil},
		{`INSERT INTO exhibits (district, name, method, state, created_at, updated_at, agreement_signed_on,
			agreement_parties, return_due, location)
		 SELECT u.code, '寄存展品' || i, 'deposit', 'stored', now(), now(), date '2026-01-01', '实训中心；持有人',
			$2::date + (i % 20), '库房 A-01'
		 FROM generate_series(1, $1::int) AS i
		 JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM units) u ON u.k = i % 42`,
			[]any{n, base.String()}},
		{`INSERT INTO return_reminders (exhibit_id, due, step, on_day, due_at, updated_at)
		 SELECT id, return_due, 0, return_due - 30, (return_due - 30)::timestamp AT TIME ZONE 'Asia/Shanghai', now()
		 FROM exhibits`, nil},
		{`CREATE TABLE bench_notices (LIKE notices INCLUDING DEFAULTS INCLUDING INDEXES)`, nil},
		{`ANALYZE`, nil},
	} {
		if _, err := db.ExecContext(ctx, step.q, step.args...); err != nil {
			b.Fatalf("%s: %v", step.q[:40], err)
		}
	}
	b.Logf("%d exhibits with due dates made in %s", n, time.Since(start).Round(time.Millisecond))

	b.Run("insert-select", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			if _, err := db.ExecContext(ctx, `TRUNCATE bench_notices`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := db.ExecContext(ctx, `INSERT INTO bench_notices (key, kind, recipient, subject_zh, subject_en,
				body_zh, body_en, due_on, exhibit_id, created_at)
				SELECT 'return:' || x.id || ':' || r.due || ':-30d:' || t.r, 'return_reminder', t.r,
					format('【归还提醒】展品“%s”寄存归还日期为%s，还剩%s天', x.name, r.due, r.due - $2::date),
					format('[Return due] %s: deposit return date %s, %s days left', x.name, r.due, r.due - $2::date),
					format(E'展品编号：%s\n展品名称：%s\n推荐单位：%s\n征集方式：寄存\n寄存归还日期：%s\n距到期还剩%s天。', x.id, x.name, x.district, r.due, r.due - $2::date),
					format(E'Exhibit: #%s\nName: %s\nUnit: %s\nMethod: deposit\nReturn date: %s\n%s days left.', x.id, x.name, x.district, r.due, r.due - $2::date),
					r.due, x.id, $1
				FROM return_reminders r JOIN exhibits x ON x.id = r.exhibit_id
				CROSS JOIN LATERAL (VALUES ('coordinators'), (x.district)) AS t(r)
				WHERE r.due_at <= $1`, now, now.Format(time.DateOnly))
			if err != nil {
				b.Fatal(err)
			}
			if rows, _ := res.RowsAffected(); rows != int64(2*n) {
				b.Fatalf("%d notices, want %d", rows, 2*n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "exhibits/s")
	})

	b.Run("sweep", func(b *testing.B) {
		for i := range b.N {
			if i > 0 { // put the pending rows back where the first run found them
				b.StopTimer()
				for _, q := range []string{`TRUNCATE notices, notifications, deliveries`,
					`UPDATE return_reminders SET step = 0, on_day = due - 30,
						due_at = (due - 30)::timestamp AT TIME ZONE 'Asia/Shanghai'`} {
					if _, err := db.ExecContext(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			res, err := st.RunJob(ctx, store.JobReturns, now, store.Delivery{})
			if err != nil {
				b.Fatal(err)
			}
			if res.Done != n || res.Created != 2*n {
				b.Fatalf("swept %+v, want %d rows and %d notices", res, n, 2*n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "exhibits/s")
		var inbox int
		if err := db.GetContext(ctx, &inbox, `SELECT count(*) FROM notifications`); err != nil || inbox != 2*n {
			b.Fatalf("%d inbox rows (%v), want %d", inbox, err, 2*n)
		}
	})
}
