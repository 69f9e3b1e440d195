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
// is no schema_migrations table, foreign counts other tables then.
func (s *Store) schemaState(ctx context.Context, q querier) (version int, exists bool, foreign int, err error) {
	switch s.loc.dialect {
	case SQLite:
		err = q.QueryRowContext(ctx,
			`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&foreign)
		exists = foreign > 0
		if err == nil && !exists {
			err = q.QueryRowContext(ctx,
				`SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'`).Scan(&foreign)
		}
	case Postgres:
		err = q.QueryRowContext(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists)
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
// store that a newer cdaudit wrote.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations(s.loc.dialect)
	if err != nil {
		return err
	}
	known := len(ms)
	v, exists, foreign, err := s.schemaState(ctx, s.db)
	if err != nil {
		return s.wrap("reading schema version", err)
	}
	if err := s.checkSchema(v, exists, foreign, known); err != nil {
		return err
	}
	if v == known {
		s.schema = v
		return nil
	}

	// One connection for the lock and the transaction: on PostgreSQL a
	// session advisory lock taken before the transaction begins, so that
	// the transaction sees the catalogue as the previous holder left it.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.wrap("starting migration", err)
	}
	defer conn.Close()
	if s.loc.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(pgMigrationLock)); err != nil {
			return s.wrap("locking for migration", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(pgMigrationLock))
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap("starting migration", err)
	}
	defer tx.Rollback()
	// Another process may have migrated in the meantime: read again under
	// the lock.
	v, exists, foreign, err = s.schemaState(ctx, tx)
	if err != nil {
		return s.wrap("reading schema version", err)
	}
	if err := s.checkSchema(v, exists, foreign, known); err != nil {
		return err
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
		s.log.Info("store schema migrated", "store", s.loc.display, "migration", m.name)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("committing migration", err)
	}
	s.schema = known
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
