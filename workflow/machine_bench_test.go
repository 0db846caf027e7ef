package workflow_test

import (
	"context"
	"testing"
	"time"

	"bayu/workflow"
	"bayu/workflow/sample"
)

// One display through the state machine, as every transition request pays it.
func BenchmarkFireDisplay(b *testing.B) {
	at := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	x := workflow.Exhibit{ID: 1, District: "500101", Fields: sample.Fields(1, workflow.Donation), State: workflow.Stored, Version: 7}
	c := sample.Command(&x, workflow.Display, sample.Actor(workflow.Display, x.District), at)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := workflow.Fire(context.Background(), x, c); err != nil {
			b.Fatal(err)
		}
	}
}
