package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"

	"github.com/lib/pq"
)

// The application role.
//
// `bayu migrate` runs as the role that owns the schema: it creates tables and
// triggers. `bayu serve` need not: GrantApp gives a separate login role exactly
// the rights serving needs. On the history tables (every table guarded by the
// refuse_history_change trigger) it may only SELECT and INSERT, so UPDATE,
// DELETE and TRUNCATE are refused by privilege before any trigger runs; it owns
// nothing, so it cannot ALTER TABLE … DISABLE TRIGGER or drop a trigger; it is no
// superuser, so it cannot SET session_replication_role = replica; and it may not
// execute purge_history. TestAppRoleCannotRewriteHistory proves each of these.

var roleNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// GrantApp creates the login role when it does not exist (with the password,
// when given) and grants it the application's rights on the current database.
// It is idempotent: run it again after migrations add tables. Tables created
// later by the same owner get the ordinary rights by default privileges, so a
// server keeps working between a migration and the next GrantApp.
func GrantApp(ctx context.Context, db *sql.DB, role, password string) error {
	if !roleNameRE.MatchString(role) {
		return fmt.Errorf("role name %q: use lower-case letters, digits and _", role)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var owner, schema, database string
	if err := tx.QueryRowContext(ctx, `SELECT current_user, current_schema(), current_database()`).Scan(&owner, &schema, &database); err != nil {
		return err
	}
	if role == owner {
		return fmt.Errorf("role %s runs the migrations and owns the schema; the application role must be another one", role)
	}
	var exists, super, member bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1),
		coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = $1), false),
		coalesce((SELECT pg_has_role($1, current_user, 'MEMBER') FROM pg_roles WHERE rolname = $1), false)`,
		role).Scan(&exists, &super, &member); err != nil {
		return err
	}
	if super || member {
		return fmt.Errorf("role %s is a superuser or holds the owner's rights (%s); it could rewrite the history", role, owner)
	}
	q := pq.QuoteIdentifier
	var stmts []string
	switch {
	case !exists:
		stmts = append(stmts, `CREATE ROLE `+q(role)+` LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS`)
		if password != "" {
			stmts[0] += ` PASSWORD ` + pq.QuoteLiteral(password)
		}
	case password != "":
		stmts = append(stmts, `ALTER ROLE `+q(role)+` PASSWORD `+pq.QuoteLiteral(password))
	}
	stmts = append(stmts,
		`GRANT CONNECT ON DATABASE `+q(database)+` TO `+q(role),
		`GRANT USAGE ON SCHEMA `+q(schema)+` TO `+q(role),
		`REVOKE CREATE ON SCHEMA `+q(schema)+` FROM `+q(role),
		`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA `+q(schema)+` TO `+q(role),
		`GRANT EXECUTE ON FUNCTION lock_chains_for_head() TO `+q(role),
		`REVOKE EXECUTE ON FUNCTION purge_history(timestamptz) FROM `+q(role),
		`ALTER DEFAULT PRIVILEGES IN SCHEMA `+q(schema)+` GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO `+q(role),
		`ALTER DEFAULT PRIVILEGES IN SCHEMA `+q(schema)+` GRANT USAGE, SELECT ON SEQUENCES TO `+q(role))
	tables, err := appTables(ctx, tx, schema)
	if err != nil {
		return err
	}
	for _, t := range tables {
		stmts = append(stmts, `REVOKE ALL ON TABLE `+q(schema)+`.`+q(t.name)+` FROM `+q(role))
		rights := "SELECT, INSERT, UPDATE, DELETE"
		switch {
		case ownerWritten[t.name]:
			rights = "SELECT"
		case t.appendOnly:
			rights = "SELECT, INSERT"
		}
		stmts = append(stmts, `GRANT `+rights+` ON TABLE `+q(schema)+`.`+q(t.name)+` TO `+q(role))
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("grant %s: %w", role, err)
		}
	}
	return tx.Commit()
}

// ownerWritten are the tables the application only reads: migrations are the
// owner's job, and checkpoints are written by purge_history alone (a forged
// checkpoint could otherwise excuse a removed prefix).
var ownerWritten = map[string]bool{"goose_db_version": true, "chain_checkpoints": true, "history_chain_legacy": true}

type appTable struct {
	name       string
	appendOnly bool
}

// appTables lists the schema's tables, marking those guarded as append-only.
func appTables(ctx context.Context, tx *sql.Tx, schema string) ([]appTable, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.relname, EXISTS (
			SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
			WHERE t.tgrelid = c.oid AND p.proname = 'refuse_history_change')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`, schema)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []appTable
	for rows.Next() {
		var t appTable
		if err := rows.Scan(&t.name, &t.appendOnly); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
