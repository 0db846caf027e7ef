package store

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// stmts holds the statements of the transition path prepared once per pooled
// connection. lib/pq otherwise parses and plans every statement on every call;
// for the wide exhibit row and the chained history append that planning costs
// PostgreSQL about as much as the work itself (bench/pg_limit.sh, docs/PERFORMANCE.md).
type stmts struct {
	mu sync.Mutex
	m  map[string]*sqlx.Stmt
}

// prepared returns the statement for query, preparing it on first use. database/sql
// then prepares it on each connection the first time that connection runs it.
func (s *Store) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if st, ok := s.stmts.m[query]; ok {
		return st, nil
	}
	st, err := s.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.stmts.m == nil {
		s.stmts.m = map[string]*sqlx.Stmt{}
	}
	s.stmts.m[query] = st
	return st, nil
}

// txGet runs a prepared query in tx and scans its one row into dest.
func (s *Store) txGet(ctx context.Context, tx *sqlx.Tx, dest any, query string, args ...any) error {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	return tx.StmtxContext(ctx, st).GetContext(ctx, dest, args...)
}

// txScan runs a prepared query in tx and scans its one row into dest by position
// (sql.ErrNoRows when there is none).
func (s *Store) txScan(ctx context.Context, tx *sqlx.Tx, query string, args []any, dest ...any) error {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	return tx.StmtxContext(ctx, st).QueryRowContext(ctx, args...).Scan(dest...)
}

// txExec runs a prepared statement in tx.
func (s *Store) txExec(ctx context.Context, tx *sqlx.Tx, query string, args ...any) error {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	_, err = tx.StmtxContext(ctx, st).ExecContext(ctx, args...)
	return err
}

// dbGet runs a prepared query outside a transaction.
func (s *Store) dbGet(ctx context.Context, dest any, query string, args ...any) error {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return err
	}
	return st.GetContext(ctx, dest, args...)
}

// closeStmts releases the prepared statements.
func (s *Store) closeStmts() {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	for _, st := range s.stmts.m {
		st.Close()
	}
	s.stmts.m = nil
}
