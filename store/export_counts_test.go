package store

import (
	"context"
	"time"
)

// CountsForTest exposes campaignCounts to the external tests: unit/state/reported → n.
func (s *Store) CountsForTest(ctx context.Context, from, until time.Time) (map[[3]string]int, error) {
	rows, err := campaignCounts(ctx, s.db, from, until)
	out := map[[3]string]int{}
	for _, r := range rows {
		rep := "no"
		if r.Reported {
			rep = "yes"
		}
		out[[3]string{r.District, r.State, rep}] = r.N
	}
	return out, err
}
