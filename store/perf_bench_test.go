package store_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"bayu/store"
	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/campaign"
)

// The volume benchmarks share one database of BAYU_BENCH_EXHIBITS exhibits
// (default 1,000,000) with ten history rows each (10,000,000), made with
// generate_series. Building it takes minutes; it is built once per run.
var (
	dropVolume = func() {}
	volumeOnce sync.Once
	volume     *volumeFixture
)

type volumeFixture struct {
	s        *store.Store
	coord    workflow.Actor
	campaign int64
	n        int
}

func volumeStore(b *testing.B) *volumeFixture {
	volumeOnce.Do(func() {
		n := 1_000_000
		if v, err := strconv.Atoi(os.Getenv("BAYU_BENCH_EXHIBITS")); err == nil && v > 0 {
			n = v
		}
		now := time.Date(2022, 8, 15, 2, 0, 0, 0, time.UTC)
		ctx := context.Background()
		url, drop, err := storetest.Create() // shared by the benchmarks, dropped by TestMain
		dropVolume = drop
		if err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(ctx, url, store.Options{Clock: func() time.Time { return now }, PasswordCost: bcrypt.MinCost})
		if err != nil {
			b.Fatal(err)
		}
		u, _, err := s.CreateUser(ctx, store.NewUser{Name: "bench-coord", Role: workflow.Coordinator})
		if err != nil {
			b.Fatal(err)
		}
		c, err := s.CreateCampaign(ctx, u.Actor(), campaign.Default(2022))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for _, stmt := range []string{
			`ALTER TABLE exhibit_history DISABLE TRIGGER USER`,
			`INSERT INTO exhibits (district, name, category, description, method, source_unit, contact_name,
				contact_phone, state, intake, created_at, updated_at)
			SELECT (SELECT array_agg(code ORDER BY code) FROM units WHERE kind <> 'outside')[1 + i % 41],
				'展品 ' || i, '奖牌', '批量生成的展品', (ARRAY['donation','deposit','replication','consignment'])[1 + i % 4],
				'来源单位', '联系人', '139' || lpad((i % 100000000)::text, 8, '0'),
				(ARRAY['mobilized','reported','district_recommended','not_recommended','evaluated','accepted',
					'rejected','agreement_signed','stored','withdrawn'])[1 + (i * 7) % 10],
				'campaign', timestamptz '2022-05-10' + (i % 80) * interval '1 day' + (i % 86400) * interval '1 second',
				timestamptz '2022-08-01'
			FROM generate_series(1, $1) AS i`,
			`INSERT INTO exhibit_history (exhibit_id, seq, event, from_state, to_state, actor, role, reason, data, at, hash, prev_hash)
			SELECT x.id, g.seq, CASE WHEN g.seq = 1 THEN 'create' ELSE 'edit' END,
				CASE WHEN g.seq = 1 THEN NULL ELSE 'mobilized' END, 'mobilized', 'bench', 'coordinator', '', '{}',
				x.created_at + g.seq * interval '1 minute',
				sha256(int8send(x.id) || int4send(g.seq)), CASE WHEN g.seq = 1 THEN NULL ELSE sha256(int8send(x.id) || int4send(g.seq - 1)) END
			FROM exhibits x CROSS JOIN generate_series(1, 10) AS g(seq)`,
			`ALTER TABLE exhibit_history ENABLE TRIGGER USER`,
			`ANALYZE`,
		} {
			args := []any{}
			if len(stmt) > 200 && stmt[:21] == "INSERT INTO exhibits " {
				args = append(args, n)
			}
			if _, err := s.DB().ExecContext(ctx, stmt, args...); err != nil {
				b.Fatalf("%.60s: %v", stmt, err)
			}
		}
		folded, err := s.CompactCounts(ctx) // what the compact_counts job does each minute
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("built %d exhibits and %d history rows in %s (%d count deltas folded)", n, 10*n, time.Since(start).Round(time.Second), folded)
		volume = &volumeFixture{s: s, coord: u.Actor(), campaign: c.ID, n: n}
	})
	if volume == nil {
		b.Fatal("volume fixture failed")
	}
	return volume
}

// BenchmarkProgressAtVolume is the coordinator dashboard's query over every unit.
func BenchmarkProgressAtVolume(b *testing.B) {
	v := volumeStore(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		p, err := v.s.CampaignProgress(ctx, v.coord, v.campaign)
		if err != nil || len(p.Units) != 42 {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistoryAtVolume reads one exhibit's history among 10,000,000 rows.
func BenchmarkHistoryAtVolume(b *testing.B) {
	v := volumeStore(b)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for range b.N {
		h, err := v.s.History(ctx, v.coord, int64(1+r.IntN(v.n)))
		if err != nil || len(h) != 10 {
			b.Fatal(len(h), err)
		}
	}
}

// BenchmarkListFilterAtVolume pages three times through one unit's reported items.
func BenchmarkListFilterAtVolume(b *testing.B) {
	v := volumeStore(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		cursor := ""
		for range 3 {
			page, err := v.s.ListExhibits(ctx, v.coord, store.ExhibitFilter{District: "500105", State: workflow.Reported, Limit: 50, Cursor: cursor})
			if err != nil || len(page.Exhibits) == 0 {
				b.Fatal(err)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
	}
}

// TestMain drops the benchmarks' shared database once every benchmark has run.
func TestMain(m *testing.M) {
	code := m.Run()
	dropVolume()
	os.Exit(code)
}
