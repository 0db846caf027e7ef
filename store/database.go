package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"strings"

	"github.com/lib/pq"
)

// DefaultURL is the database used when DATABASE_URL is not set: the local
// server on 127.0.0.1:5432, database bayu, as the current OS user.
func DefaultURL() string {
	name := "postgres"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if env := os.Getenv("PGUSER"); env != "" {
		name = env
	}
	return "postgres://" + url.PathEscape(name) + "@127.0.0.1:5432/bayu?sslmode=disable"
}

// EnsureDatabase creates the database named in dbURL when it does not exist yet,
// connecting to the server's "postgres" database to do so.
func EnsureDatabase(ctx context.Context, dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		return nil // key=value connection strings are taken as they are
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return nil
	}
	admin := *u
	admin.Path = "/postgres"
	db, err := sql.Open("postgres", admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("connect to %s: %w", redact(u), err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name))
	if isPQ(err, "42P04") { // created meanwhile by another process
		return nil
	}
	return err
}

// redact hides a password in a URL for messages.
func redact(u *url.URL) string { return u.Redacted() }
