package store_test

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"testing"

	"bayu/migrations"
	"bayu/store"
	"bayu/workflow"
)

// The database's CHECK on exhibits.state and the FSM table must list the same states.
func TestStatesMatchDatabase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var def string
	err := e.s.DB().GetContext(context.Background(), &def, `SELECT pg_get_constraintdef(c.oid)
		FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
		WHERE r.relname = 'exhibits' AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%state%mobilized%'`)
	if err != nil {
		t.Fatal(err)
	}
	var inDB []string
	for _, m := range regexp.MustCompile(`'([a-z_]+)'`).FindAllStringSubmatch(def, -1) {
		inDB = append(inDB, m[1])
	}
	var inFSM []string
	for _, s := range workflow.States() {
		inFSM = append(inFSM, string(s))
	}
	sort.Strings(inDB)
	sort.Strings(inFSM)
	if !slices.Equal(inDB, inFSM) {
		t.Fatalf("database states %v\n     FSM states %v", inDB, inFSM)
	}
	// And the constraint really refuses a state the table does not know.
	x := e.create(t, 1, workflow.Donation)
	if _, err := e.s.DB().Exec(`UPDATE exhibits SET state = 'lost' WHERE id = $1`, x.ID); err == nil {
		t.Fatal("database accepted an unknown state")
	}
}

func TestUnitsAreSeededFromTheTSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want, err := migrations.Units()
	if err != nil {
		t.Fatal(err)
	}
	var got []migrations.Unit
	if err := e.s.DB().Select(&got, `SELECT code, name_zh, name_en, kind, quota FROM units ORDER BY code`); err != nil {
		t.Fatal(err)
	}
	sort.Slice(want, func(i, j int) bool { return want[i].Code < want[j].Code })
	if !slices.Equal(got, want) || len(got) != 42 {
		t.Fatalf("units differ from districts.tsv: got %d rows, want %d", len(got), len(want))
	}
}

func TestMigrateTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	n, err := e.s.Migrate(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d, err %v", n, err)
	}
	if p, err := e.s.Pending(context.Background()); err != nil || p != 0 {
		t.Fatalf("pending %d, %v", p, err)
	}
	_ = store.DefaultURL()
}

func TestHistoryIsAppendOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	x := e.create(t, 1, workflow.Donation)
	for _, stmt := range []string{
		`UPDATE exhibit_history SET reason = 'changed' WHERE exhibit_id = $1`,
		`DELETE FROM exhibit_history WHERE exhibit_id = $1`,
	} {
		if _, err := e.s.DB().Exec(stmt, x.ID); err == nil {
			t.Errorf("history allowed: %s", stmt)
		}
	}
	if _, err := e.s.DB().Exec(`TRUNCATE exhibit_history CASCADE`); err == nil {
		t.Error("history allowed TRUNCATE")
	}
	if h := e.history(t, x.ID); len(h) != 1 || h[0].Event != workflow.CreateEvent || h[0].To != workflow.Mobilized || h[0].From != nil {
		t.Fatalf("creation row: %+v", h)
	}
}
