package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// demoUnits are the units the demo campaign spreads its exhibits over.
var demoUnits = []string{"500101", "500102", "500103", "500105", "500106", "500107",
	"500108", "500112", "500113", "500153", "500240", "LJXQ"}

// demoMix is how many demo exhibits end in each state: every state is present,
// weighted like a campaign in its evaluation month.
var demoMix = []struct {
	state workflow.State
	n     int
}{
	{workflow.Mobilized, 15}, {workflow.Reported, 20}, {workflow.DistrictRecommended, 25},
	{workflow.NotRecommended, 8}, {workflow.Evaluated, 15}, {workflow.Accepted, 8},
	{workflow.Rejected, 6}, {workflow.AgreementSigned, 8}, {workflow.Replicating, 5},
	{workflow.Stored, 15}, {workflow.OnDisplay, 8}, {workflow.Returned, 5},
	{workflow.Sold, 4}, {workflow.Withdrawn, 8},
}

// seedDemo creates demo exhibits by firing real events, so their history is real.
// Each exhibit's story starts some weeks ago and moves a day or two per event.
func seedDemo(ctx context.Context, url string, auditKey []byte, users map[workflow.Role]workflow.Actor, districtUsers map[string]workflow.Actor, now time.Time) (int, error) {
	clock := now
	st, err := store.Open(ctx, url, store.Options{Clock: func() time.Time { return clock }, AuditKey: auditKey})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	r := rand.New(rand.NewPCG(2022, 8))
	n := 0
	for _, mix := range demoMix {
		for range mix.n {
			unit := demoUnits[n%len(demoUnits)]
			method := workflow.Methods[n%len(workflow.Methods)]
			path, ok := sample.Path(method, mix.state)
			for i := 1; !ok; i++ {
				method = workflow.Methods[(n+i)%len(workflow.Methods)]
				path, ok = sample.Path(method, mix.state)
			}
			clock = now.AddDate(0, 0, -(len(path)*2 + 5 + r.IntN(40))).Add(time.Duration(r.IntN(8*3600)) * time.Second)
			x, err := st.CreateExhibit(ctx, districtUsers[unit], workflow.CreateInput{District: unit, Fields: sample.Fields(n, method)})
			if err != nil {
				return n, fmt.Errorf("seed exhibit %d: %w", n, err)
			}
			for _, ev := range path {
				clock = clock.Add(time.Duration(12+r.IntN(36)) * time.Hour)
				a := users[sample.Actor(ev, unit).Role]
				if a.Role == workflow.District || ev == workflow.Report || ev == workflow.Withdraw {
					a = districtUsers[unit]
				}
				c := sample.Command(x, ev, a, clock)
				x, err = st.Fire(ctx, a, store.FireRequest{ExhibitID: x.ID, Event: ev, Reason: c.Reason, Data: c.Data})
				if err != nil {
					return n, fmt.Errorf("seed exhibit %d, %s: %w", n, ev, err)
				}
			}
			n++
		}
	}
	return n, nil
}
