// Package storetest gives each test its own PostgreSQL database, cloned from a
// template migrated once per set of migrations, so tests run in parallel and fast.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"bayu/migrations"
	"bayu/store"
)

// ServerURL is the PostgreSQL server the tests use: DATABASE_URL when set, else
// the local default. Its database name is replaced per test.
func ServerURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return store.DefaultURL()
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// URL creates a fresh database for t from the migrated template and returns its
// URL. The database is dropped when t passes and kept (its name logged) when it fails.
func URL(t testing.TB) string {
	t.Helper()
	url, drop, err := Create()
	if err != nil {
		t.Fatalf("test database: %v (is PostgreSQL running? set DATABASE_URL)", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kept test database %s for inspection", url)
			return
		}
		drop()
	})
	return url
}

// Create clones a fresh database from the template and returns its URL and a
// function that drops it: for fixtures that outlive one test, such as the data
// shared by a package's benchmarks.
func Create() (string, func(), error) {
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(context.Background()) })
	if templateErr != nil {
		return "", nil, templateErr
	}
	name := "bayu_test_" + randomHex(6)
	admin, err := sql.Open("postgres", withDB(ServerURL(), "postgres"))
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	if err := retryBusy(func() error {
		_, err := admin.Exec(`CREATE DATABASE ` + pq.QuoteIdentifier(name) + ` TEMPLATE ` + pq.QuoteIdentifier(templateName))
		return err
	}); err != nil {
		return "", nil, fmt.Errorf("clone test database: %w", err)
	}
	drop := func() {
		admin, err := sql.Open("postgres", withDB(ServerURL(), "postgres"))
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP DATABASE IF EXISTS ` + pq.QuoteIdentifier(name) + ` WITH (FORCE)`)
	}
	return withDB(ServerURL(), name), drop, nil
}

// New returns a Store on a fresh test database, closed when the test ends.
func New(t testing.TB, opts store.Options) *store.Store {
	t.Helper()
	db, err := sqlx.Open("postgres", URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return store.New(db, opts)
}

// ensureTemplate finds or builds the template for the current migrations. It is
// built under a private name and renamed into place, so concurrent test binaries
// never see a half-migrated template and need no lock.
func ensureTemplate(ctx context.Context) (string, error) {
	name := "bayu_tmpl_" + migrationsDigest()
	admin, err := sql.Open("postgres", withDB(ServerURL(), "postgres"))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := "bayu_tmpl_build_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(building)); err != nil {
		return "", err
	}
	db, err := sql.Open("postgres", withDB(ServerURL(), building))
	if err != nil {
		return "", err
	}
	_, err = store.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return "", err
	}
	err = retryBusy(func() error {
		_, err := admin.ExecContext(ctx, `ALTER DATABASE `+pq.QuoteIdentifier(building)+` RENAME TO `+pq.QuoteIdentifier(name))
		return err
	})
	var pe *pq.Error
	if errors.As(err, &pe) && pe.Code == "42P04" { // another binary won the race
		_, _ = admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(building)+` WITH (FORCE)`)
		return name, nil
	}
	return name, err
}

// retryBusy retries while PostgreSQL says a database is still in use by a closing
// connection (55006); the backend of a just-closed connection can linger briefly.
func retryBusy(fn func() error) error {
	var err error
	for i := 0; i < 50; i++ {
		err = fn()
		var pe *pq.Error
		if !errors.As(err, &pe) || pe.Code != "55006" {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}

// migrationsDigest names the template after the migrations' content, so a changed
// migration builds a new template instead of reusing a stale one.
func migrationsDigest() string {
	h := sha256.New()
	names, _ := fs.Glob(migrations.FS, "*.sql")
	sort.Strings(names)
	for _, n := range names {
		b, _ := migrations.FS.ReadFile(n)
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	units, _ := migrations.Units()
	fmt.Fprintf(h, "%v", units)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func withDB(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		// key=value form
		return strings.TrimSpace(raw) + " dbname=" + db
	}
	u.Path = "/" + db
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
