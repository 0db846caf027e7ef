package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"bayu/migrations"
)

func provider(db *sql.DB) (*goose.Provider, error) {
	// A session lock keeps two servers starting at once from migrating twice.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithGoMigrations(migrations.GoMigrations()...),
		goose.WithDisableGlobalRegistry(true),
		// Features own number ranges (00010s campaigns, 00020s lists, 00030s audit…),
		// so a database may meet a lower number after a higher one has been applied.
		goose.WithAllowOutofOrder(true),
		goose.WithSessionLocker(locker))
}

// Migrate applies every pending embedded migration; running it twice is harmless.
func Migrate(ctx context.Context, db *sql.DB) (applied int, err error) {
	p, err := provider(db)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// Migrate applies pending migrations to the store's database.
func (s *Store) Migrate(ctx context.Context) (int, error) { return Migrate(ctx, s.db.DB) }

// Pending reports how many embedded migrations the database has not applied yet;
// readiness fails while any are pending.
func (s *Store) Pending(ctx context.Context) (int, error) {
	p, err := provider(s.db.DB)
	if err != nil {
		return 0, err
	}
	status, err := p.Status(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, st := range status {
		if st.State == goose.StatePending {
			n++
		}
	}
	return n, nil
}
