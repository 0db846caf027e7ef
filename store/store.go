// Package store keeps bayu's data in PostgreSQL: exhibits, their history, users.
// Exported methods own their transaction; unexported helpers take it.
package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the PostgreSQL driver
	"golang.org/x/crypto/bcrypt"

	"bayu/store/chain"
	"bayu/workflow/campaign"
)

// Clock tells the time; tests pass a fixed or stepped one.
type Clock func() time.Time

// Store is the PostgreSQL store.
type Store struct {
	db  *sqlx.DB
	now Clock
	log *slog.Logger
	loc *time.Location
	// chain hashes history rows and audit records (store/chain).
	chain chain.Hasher
	// passwordCost is the bcrypt cost of new password hashes.
	passwordCost int
	dummyOnce    sync.Once
	dummy        []byte
	// stmts are the hot statements, prepared once per connection (prepared.go).
	stmts stmts
	// tokens are bearer tokens Authenticate accepted lately (tokens.go).
	tokens rememberedTokens
	// private is what the public pages hide, cached a little while (gallery.go).
	private privateTerms
}

// Options configure a Store.
type Options struct {
	Clock  Clock        // time.Now when nil
	Logger *slog.Logger // discarded when nil
	// Location is the zone whose calendar days campaigns and return dates
	// count in (BAYU_TZ); Asia/Shanghai when nil.
	Location *time.Location
	// AuditKey, when set (BAYU_AUDIT_KEY), makes every chain hash an HMAC, so a
	// rewrite of the whole history by a database superuser is detected too.
	AuditKey []byte
	// PasswordCost is the bcrypt cost for passwords; bcrypt.DefaultCost when 0.
	// Tests lower it: they check the logic, not the cost.
	PasswordCost int
}

// Open connects to the database at url and checks that it answers.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return New(db, opts), nil
}

// New wraps an open database.
func New(db *sqlx.DB, opts Options) *Store {
	s := &Store{db: db, now: opts.Clock, log: opts.Logger, loc: opts.Location, chain: chain.NewHasher(opts.AuditKey)}
	if s.loc == nil {
		s.loc, _ = campaign.Location("")
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.passwordCost = opts.PasswordCost; s.passwordCost == 0 {
		s.passwordCost = bcrypt.DefaultCost
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// DB returns the underlying database handle, for packages that extend the store.
func (s *Store) DB() *sqlx.DB { return s.db }

// Now returns the store's current time, truncated to what PostgreSQL keeps.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Location is the zone whose calendar days the store counts in.
func (s *Store) Location() *time.Location { return s.loc }

// Close closes the database.
func (s *Store) Close() error {
	s.closeStmts()
	return s.db.Close()
}

// inTx runs fn in one transaction: committed when fn returns nil, rolled back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return classify(err)
	}
	return classify(tx.Commit())
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }
