package store

import (
	"context"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// stmts holds the statements of the transition path prepared once per pooled
// connection. lib/pq otherwise parses and plans every statement on every call;
// for the wide exhibit row and the chained history append that planning costs
// PostgreSQL about as much as the work itself (bench/pg_limit.sh, docs/PERFORMANCE.md).
//
// A statement is prepared in the background on first use, and that use runs it
// unprepared. Preparing needs a connection of the pool: a caller preparing from
// inside its transaction waits for a second one, and when every connection is
// held by such a transaction none ever comes free.
type stmts struct {
	ready   sync.Map // query → *sqlx.Stmt
	mu      sync.Mutex
	pending map[string]bool
	closed  bool
}

// stmt returns the prepared statement for query, or nil until it is ready.
// database/sql then prepares it on each connection the first time that
// connection runs it, on that connection, inside the caller's transaction.
func (s *Store) stmt(query string) *sqlx.Stmt {
	if st, ok := s.stmts.ready.Load(query); ok {
		return st.(*sqlx.Stmt)
	}
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if s.stmts.closed || s.stmts.pending[query] {
		return nil
	}
	if s.stmts.pending == nil {
		s.stmts.pending = map[string]bool{}
	}
	s.stmts.pending[query] = true
	go s.prepare(query)
	return nil
}

func (s *Store) prepare(query string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := s.db.PreparexContext(ctx, query)
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	delete(s.stmts.pending, query)
	switch {
	case err != nil: // e.g. a table not migrated yet; the next use tries again
	case s.stmts.closed:
		st.Close()
	default:
		s.stmts.ready.Store(query, st)
	}
}

// txGet runs a query in tx and scans its one row into dest.
func (s *Store) txGet(ctx context.Context, tx *sqlx.Tx, dest any, query string, args ...any) error {
	if st := s.stmt(query); st != nil {
		return tx.StmtxContext(ctx, st).GetContext(ctx, dest, args...)
	}
	return tx.GetContext(ctx, dest, query, args...)
}

// txScan runs a query in tx and scans its one row into dest by position
// (sql.ErrNoRows when there is none).
func (s *Store) txScan(ctx context.Context, tx *sqlx.Tx, query string, args []any, dest ...any) error {
	if st := s.stmt(query); st != nil {
		return tx.StmtxContext(ctx, st).QueryRowContext(ctx, args...).Scan(dest...)
	}
	return tx.QueryRowContext(ctx, query, args...).Scan(dest...)
}

// txExec runs a statement in tx.
func (s *Store) txExec(ctx context.Context, tx *sqlx.Tx, query string, args ...any) error {
	var err error
	if st := s.stmt(query); st != nil {
		_, err = tx.StmtxContext(ctx, st).ExecContext(ctx, args...)
	} else {
		_, err = tx.ExecContext(ctx, query, args...)
	}
	return err
}

// dbGet runs a query outside a transaction.
func (s *Store) dbGet(ctx context.Context, dest any, query string, args ...any) error {
	if st := s.stmt(query); st != nil {
		return st.GetContext(ctx, dest, args...)
	}
	return s.db.GetContext(ctx, dest, query, args...)
}

// closeStmts releases the prepared statements; ones still being prepared are
// released when they are ready.
func (s *Store) closeStmts() {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	s.stmts.closed = true
	s.stmts.ready.Range(func(q, st any) bool {
		st.(*sqlx.Stmt).Close()
		s.stmts.ready.Delete(q)
		return true
	})
}
