package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"testing"

	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/sample"
)

// The load driver itself must keep working: a short run of each mode succeeds.
func TestBenchTransitionsRuns(t *testing.T) {
	for _, mode := range []string{"display", "lifecycle"} {
		var out bytes.Buffer
		m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: func(k string) string {
			if k == "DATABASE_URL" {
				return storetest.ServerURL()
			}
			return ""
		}}
		err := m.Run(context.Background(), []string{"bench", "transitions", "--clients", "2", "--duration", "700ms", "--mode", mode})
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, out.String())
		}
		n := regexp.MustCompile(`transitions=(\d+) errors=0`).FindStringSubmatch(out.String())
		if n == nil {
			t.Fatalf("%s: output %s", mode, out.String())
		}
		if count, _ := strconv.Atoi(n[1]); count == 0 {
			t.Fatalf("%s: no transitions:\n%s", mode, out.String())
		}
	}
}

// The load generator reads only the version of an answer: it must be the
// exhibit's, whatever else the answer holds.
func TestVersionOfReadsTheExhibitsVersion(t *testing.T) {
	x := workflow.Exhibit{ID: 7, Version: 12345, State: workflow.OnDisplay, Fields: sample.Fields(3, workflow.Consignment),
		Evaluation: &workflow.Evaluation{Score: 90, Comment: `"version": 1`}}
	raw, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := versionOf(raw); err != nil || v != x.Version {
		t.Fatalf("versionOf = %d, %v; want %d in %s", v, err, x.Version, raw)
	}
	if _, err := versionOf([]byte(`{"id":1}`)); err == nil {
		t.Error("an answer without a version gave no error")
	}
}
