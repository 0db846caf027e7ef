package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"testing"

	"bayu/store/storetest"
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
