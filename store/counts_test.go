package store_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"bayu/workflow"
)

// The kept counts agree with counting the exhibits themselves, for windows that
// start and end at local midnights inside UTC days, before and after folding.
func TestKeptCountsEqualCountingTheRows(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 7, 29, 12, 0, 0, 0, time.UTC)
	e := newClockEnv(t, start)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	units := []string{"500101", "500102", "500103"}
	var xs []*workflow.Exhibit
	for i := range 60 {
		// Creation times straddle 2026-07-31 16:00 UTC, Shanghai's midnight before 08-01.
		when := start.Add(time.Duration(r.IntN(5*24*60)) * time.Minute)
		xs = append(xs, e.createIn(t, units[i%3], i, workflow.Methods[i%4], when))
	}
	later := start.Add(6 * 24 * time.Hour)
	for i, x := range xs {
		switch i % 5 {
		case 1:
			e.walkAt(t, x, later, workflow.Report)
		case 2:
			e.walkAt(t, x, later, workflow.Report, workflow.Recommend)
		case 3:
			e.walkAt(t, x, later, workflow.Report, workflow.Withdraw)
		case 4:
			e.walkAt(t, x, later, workflow.Withdraw)
		}
		if i == 30 {
			if _, err := e.s.CompactCounts(ctx); err != nil { // half folded, half pending
				t.Fatal(err)
			}
		}
	}
	windows := [][2]time.Time{
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 31, 16, 0, 0, 0, time.UTC)},
		{time.Date(2026, 7, 29, 16, 0, 0, 0, time.UTC), time.Date(2026, 8, 2, 16, 0, 0, 0, time.UTC)},
		{time.Date(2026, 7, 30, 3, 0, 0, 0, time.UTC), time.Date(2026, 7, 30, 20, 0, 0, 0, time.UTC)},
	}
	for round := range 2 {
		for _, w := range windows {
			got, err := e.s.CountsForTest(ctx, w[0], w[1])
			if err != nil {
				t.Fatal(err)
			}
			var rows []struct {
				District string `db:"district"`
				State    string `db:"state"`
				Reported bool   `db:"reported"`
				N        int    `db:"n"`
			}
			if err := e.s.DB().Select(&rows, `SELECT district, state,
					(state NOT IN ('mobilized', 'withdrawn') OR EXISTS (SELECT 1 FROM exhibit_history h WHERE h.exhibit_id = x.id AND h.event = 'report')) AS reported,
					count(*) AS n FROM exhibits x WHERE intake = 'campaign' AND created_at >= $1 AND created_at < $2 GROUP BY 1, 2, 3`, w[0], w[1]); err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				t.Fatalf("window %v holds no exhibits: the test proves nothing", w)
			}
			want := map[[3]string]int{}
			for _, r := range rows {
				rep := "no"
				if r.Reported {
					rep = "yes"
				}
				want[[3]string{r.District, r.State, rep}] = r.N
			}
			if len(got) != len(want) {
				t.Errorf("round %d window %v: %d groups, want %d\n got %v\nwant %v", round, w, len(got), len(want), got, want)
			}
			for k, n := range want {
				if got[k] != n {
					t.Errorf("round %d window %v: %v = %d, want %d", round, w, k, got[k], n)
				}
			}
		}
		if _, err := e.s.CompactCounts(ctx); err != nil {
			t.Fatal(err)
		}
		var pending int
		e.s.DB().Get(&pending, `SELECT count(*) FROM exhibit_count_deltas`)
		if pending != 0 {
			t.Fatalf("%d deltas left after folding", pending)
		}
	}
}
