package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migration is one versioned schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// pgMigrationLock is the advisory lock key that serialises migrations of
// one PostgreSQL database ("cdaudit" in ASCII).
const pgMigrationLock = 0x636461756469

// migrations returns the dialect's migrations in version order. Versions
// must run 1, 2, 3… without gaps.
func migrations(d Dialect) ([]migration, error) {
	dir := "migrations/" + string(d)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("embedded migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("embedded migration %s: name must be NNNN_what.sql", name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("embedded migration %s: %w", name, err)
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(name, ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("embedded migrations of %s: want version %d, found %s", d, i+1, m.name)
		}
	}
	return out, nil
}

// KnownSchemaVersion is the newest schema version this binary can migrate to.
func KnownSchemaVersion(d Dialect) int {
	ms, err := migrations(d)
	if err != nil {
		return 0
	}
	return len(ms)
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// schemaState reads the store's schema version; exists is false when there
// is no schema_migrations table, foreign counts other tables then. On
// SQLite the catalogue is read in one statement, so one snapshot: two
// statements could see "no schema_migrations" and then the tables another
// process had just created with it, and call a store being created by that
// process "not a cdaudit store".
func (s *Store) schemaState(ctx context.Context, q querier) (version int, exists bool, foreign int, err error) {
	switch s.loc.dialect {
	case SQLite:
		var ours int
		err = q.QueryRowContext(ctx, `SELECT
  (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'),
  (SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%')`).Scan(&ours, &foreign)
		exists = ours > 0
	case Postgres:
		// A scan of the catalogue, under the statement's snapshot, rather
		// than to_regclass: that one may answer from the session's cache
		// of names looked up before the migration lock was granted, and
		// miss the table the previous holder created meanwhile.
		err = q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname = 'schema_migrations' AND c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false)))`).Scan(&exists)
	}
	if err != nil || !exists {
		return 0, exists, foreign, err
	}
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, true, 0, &NotAStoreError{Store: s.loc.display, Err: fmt.Errorf("reading schema_migrations: %w", err)}
	}
	return int(v.Int64), true, 0, nil
}

// migrate brings the schema up to date in one transaction, or refuses a
// store that a newer cdaudit wrote. A store already up to date is seen
// without taking any lock; anything else is decided again under the lock,
// since another process may be creating or migrating the store right now.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations(s.loc.dialect)
	if err != nil {
		return err
	}
	known := len(ms)
	v, exists, _, err := s.schemaState(ctx, s.db)
	if err != nil {
		return s.wrap("reading schema version", err)
	}
	if v > known {
		return &SchemaTooNewError{Store: s.loc.display, Version: v, Known: known}
	}
	if exists && v == known {
		s.schema = v
		return nil
	}
	return s.retryBusy(ctx, func() error { return s.migrateLocked(ctx, ms) })
}

// migrateLocked runs the missing migrations in one transaction that holds
// the store's write lock from its start: on SQLite the transaction begins
// IMMEDIATE (the DSN's _txlock), taking the writer lock before the schema
// version is read; on PostgreSQL the first statement takes a transaction
// advisory lock, released by the commit or the rollback, and the
// transaction is READ COMMITTED so that the statements after the lock see
// what the previous holder committed.
func (s *Store) migrateLocked(ctx context.Context, ms []migration) error {
	known := len(ms)
	var opts *sql.TxOptions
	if s.loc.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return s.wrap("starting migration", err)
	}
	defer tx.Rollback()
	if s.loc.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(pgMigrationLock)); err != nil {
			return s.wrap("locking for migration", err)
		}
	}
	v, exists, foreign, err := s.schemaState(ctx, tx)
	if err != nil {
		return s.wrap("reading schema version", err)
	}
	if err := s.checkSchema(v, exists, foreign, known); err != nil {
		return err
	}
	if v == known {
		s.schema = v // another process migrated it meanwhile
		return nil
	}
	if !exists {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_migrations (
    version       INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    applied_at_ns BIGINT  NOT NULL
)`); err != nil {
			return s.wrap("creating schema_migrations", err)
		}
	}
	for _, m := range ms[v:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return s.wrap("migration "+m.name, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (?, ?, ?)`),
			m.version, m.name, s.now().UnixNano()); err != nil {
			return s.wrap("recording migration "+m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("committing migration", err)
	}
	for _, m := range ms[v:] {
		s.log.Info("store schema migrated", "store", s.loc.display, "migration", m.name)
	}
	s.schema = known
	return nil
}

// checkReadOnly checks, without writing anything, that a store opened
// read-only exists and has the schema this binary reads.
func (s *Store) checkReadOnly(ctx context.Context) error {
	known := KnownSchemaVersion(s.loc.dialect)
	v, exists, foreign, err := s.schemaState(ctx, s.db)
	if err != nil {
		return s.wrap("reading schema version", err)
	}
	if err := s.checkSchema(v, exists, foreign, known); err != nil {
		return err
	}
	switch {
	case !exists:
		return &NoStoreError{Store: s.loc.display, Err: errors.New("no cdaudit schema yet")}
	case v < known:
		return &NeedsMigrationError{Store: s.loc.display, Version: v, Known: known}
	}
	s.schema = v
	return nil
}

func (s *Store) checkSchema(v int, exists bool, foreign, known int) error {
	if !exists && foreign > 0 {
		return &NotAStoreError{Store: s.loc.display,
			Err: fmt.Errorf("it holds %d other tables and no schema_migrations table", foreign)}
	}
	if v > known {
		return &SchemaTooNewError{Store: s.loc.display, Version: v, Known: known}
	}
	return nil
}

// isNoRows reports whether err is sql.ErrNoRows.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
