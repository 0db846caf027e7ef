package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"bayu/store"
	"bayu/workflow"
)

// Logins (refused and successful), user creation and disabling are in the
// audit log with the actor, the outcome, the client address and request id.
func TestUserEventsAreInTheAuditLog(t *testing.T) {
	t.Parallel()
	e := newKeyedEnv(t, store.Options{PasswordCost: bcrypt.MinCost})
	ctx := store.WithRequestMeta(context.Background(), "192.0.2.7", "req-7")
	admin := store.WithActor(ctx, e.coord)
	u, _, err := e.s.CreateUser(admin, store.NewUser{Name: "jiangbei", Role: workflow.District, District: "500105", Password: "a-good-password"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.s.Login(ctx, "jiangbei", "wrong-password"); err == nil {
		t.Fatal("a wrong password was accepted")
	}
	if _, _, err := e.s.Login(ctx, "nobody", "whatever-password"); err == nil {
		t.Fatal("an unknown user logged in")
	}
	if _, _, err := e.s.Login(ctx, "jiangbei", "a-good-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.DisableUser(admin, "jiangbei"); err != nil {
		t.Fatal(err)
	}
	page, err := e.s.AuditRecords(ctx, workflow.Actor{Role: workflow.Auditor}, store.AuditFilter{ObjectType: "user"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range page.Records {
		if r.RequestID != "req-7" {
			continue // the env's own users, created before
		}
		id := "-"
		if r.ActorID != nil {
			id = fmt.Sprint(*r.ActorID == u.ID)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s actor_is_user=%s %s %s", r.Actor, r.Role, r.Event, r.Outcome, id, r.ClientAddr, r.RequestID))
	}
	want := []string{
		"coord coordinator user_create ok actor_is_user=false 192.0.2.7 req-7",
		"jiangbei district login refused actor_is_user=true 192.0.2.7 req-7",
		"nobody  login refused actor_is_user=- 192.0.2.7 req-7",
		"jiangbei district login ok actor_is_user=true 192.0.2.7 req-7",
		"coord coordinator user_disable ok actor_is_user=false 192.0.2.7 req-7",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("audit log:\n%q\nwant\n%q", got, want)
	}
	var detail map[string]any
	if err := json.Unmarshal(page.Records[len(page.Records)-1].Detail, &detail); err != nil || detail["name"] != "jiangbei" {
		t.Fatalf("disable detail %s", page.Records[len(page.Records)-1].Detail)
	}
	if rep := verify(t, e.s, ""); !rep.OK {
		t.Fatalf("%+v", rep.FirstBad)
	}
}
