package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/store/storetest"
)

// The whole audit story from the command line: the owner grants an
// application role, bayu serve runs as that role, bayu audit head and verify
// (exit 0) work as it, a superuser's edit makes verify fail (exit 1) naming the
// row, and purging needs a configured retention of at least 184 days.
func TestAuditCommandsWithTheAppRole(t *testing.T) {
	t.Parallel()
	ownerURL := storetest.URL(t)
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	role := "bayu_app_" + hex.EncodeToString(b)
	owner := sqlx.MustOpen("postgres", ownerURL)
	t.Cleanup(func() {
		_, _ = owner.Exec(`DROP OWNED BY ` + pq.QuoteIdentifier(role))
		if _, err := owner.Exec(`DROP ROLE IF EXISTS ` + pq.QuoteIdentifier(role)); err != nil {
			t.Errorf("drop role: %v", err)
		}
		owner.Close()
	})
	u, _ := url.Parse(ownerURL)
	u.User = url.User(role)
	appURL := u.String()
	env := func(dbURL string, more ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(more); i += 2 {
				if more[i] == k {
					return more[i+1]
				}
			}
			switch k {
			case "DATABASE_URL":
				return dbURL
			case "BAYU_AUDIT_KEY":
				return "0123456789abcdef0123456789abcdef"
			}
			return ""
		}
	}
	run := func(getenv func(string) string, args ...string) (string, error) {
		var out bytes.Buffer
		err := (&Main{Stdout: &out, Stderr: io.Discard, Getenv: getenv}).Run(context.Background(), args)
		return out.String(), err
	}
	must := func(getenv func(string) string, args ...string) string {
		t.Helper()
		out, err := run(getenv, args...)
		if err != nil {
			t.Fatalf("bayu %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}

	must(env(ownerURL, "APP_PASSWORD", "app-secret-1"), "db", "grant-app", role, "--password-env", "APP_PASSWORD")
	app := env(appURL)
	base := serveWith(t, app)
	coord := lastLine(must(app, "user", "add", "--name", "coord", "--role", "coordinator"))
	dist := lastLine(must(app, "user", "add", "--name", "yuzhong", "--role", "district", "--district", "500103"))
	c := client{t: t, base: base}
	x := c.call(dist, "POST", "/api/v1/exhibits", map[string]any{"name": "川江号子录音", "district": "500103"})
	id := int64(x["id"].(float64))
	c.call(dist, "POST", "/api/v1/exhibits/"+strconv.FormatInt(id, 10)+"/events", map[string]any{"event": "withdraw", "reason": "持有人撤回"})
	if v := c.call(coord, "GET", "/api/v1/audit/verify", nil); v["ok"] != true || v["keyed"] != true {
		t.Fatalf("verify over HTTP as the app role: %v", v)
	}

	head := lastLine(must(app, "audit", "head"))
	if out := must(app, "audit", "verify", "--head", head); !strings.Contains(out, "intact: 4 rows checked") {
		t.Fatalf("verify: %s", out) // 2 history rows, 2 user records
	}
	tx := owner.MustBegin()
	tx.MustExec(`ALTER TABLE exhibit_history DISABLE TRIGGER USER`)
	tx.MustExec(`UPDATE exhibit_history SET reason = '过期' WHERE exhibit_id = $1 AND seq = 2`, id)
	tx.MustExec(`ALTER TABLE exhibit_history ENABLE TRIGGER USER`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	out, err := run(app, "audit", "verify")
	if !errors.Is(err, errNotIntact) || exitCode(err) != 1 || !strings.Contains(out, "exhibit "+strconv.FormatInt(id, 10)+", history row 2") {
		t.Fatalf("verify after an edit: %v (exit %d)\n%s", err, exitCode(err), out)
	}

	for _, c := range []struct {
		getenv func(string) string
		want   string
	}{
		{app, "BAYU_AUDIT_RETENTION_DAYS"},
		{env(appURL, "BAYU_AUDIT_RETENTION_DAYS", "30"), "at least 184"},
		{env(appURL, "BAYU_AUDIT_RETENTION_DAYS", "200"), "permission denied"},
		{env(ownerURL, "BAYU_AUDIT_KEY", "short"), "BAYU_AUDIT_KEY"},
	} {
		if _, err := run(c.getenv, "audit", "purge"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("purge: %v, want an error naming %q", err, c.want)
		}
	}
	if out := must(env(ownerURL, "BAYU_AUDIT_RETENTION_DAYS", "200"), "audit", "purge"); !strings.Contains(out, "0 history rows") {
		t.Errorf("purge as the owner: %s", out)
	}
}

// serveWith runs bayu serve on port :0 with the given environment until the
// test ends and returns its base URL.
func serveWith(t *testing.T, getenv func(string) string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr, done := make(chan string, 1), make(chan error, 1)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: getenv, Listening: func(a string) { addr <- a }}
	go func() { done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	select {
	case a := <-addr:
		return "http://" + a
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	return ""
}
