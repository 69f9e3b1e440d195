// Package store keeps the history of cdaudit audits: every saved report, and
// normalised rows of its measurements, levels and collector statuses per
// target, practice and dimension.
//
// The embedded default is a SQLite file (modernc.org/sqlite, no cgo) in WAL
// mode with synchronous=FULL; a postgres:// or postgresql:// DSN selects
// PostgreSQL through pgx. The schema is versioned (table
// schema_migrations, migrations embedded per dialect under migrations/) and
// migrated on Open inside one transaction that holds the store's write lock
// (SQLite: BEGIN IMMEDIATE; PostgreSQL: pg_advisory_xact_lock), so that
// many processes may create or open one store at once. Every Save is one
// transaction, so a crash or a kill in the middle of an audit leaves
// earlier audits intact and never a half-saved one; a save or a migration
// that meets a lock waits for it (busy_timeout) and is retried within the
// same bound. A new SQLite file (and its -wal and -shm) is private to its
// owner (0600). Options.ReadOnly opens an existing store for reading only,
// without creating, migrating or writing anything.
//
// On PostgreSQL the tables are created in the first schema of the search
// path: give cdaudit a database of its own, or a schema of its own with
// postgres://…/db?search_path=cdaudit. The URL's password never appears in
// errors or logs.
//
// Import rules: model only (of cdaudit), the SQLite and PostgreSQL drivers;
// never net/http or os/exec.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/cdaudit/cdaudit/model"
)

// Defaults of Options.
const (
	DefaultBusyTimeout    = 5 * time.Second
	DefaultConnectTimeout = 10 * time.Second
)

// Options tune OpenWith. The zero value gives the defaults.
type Options struct {
	// Logger receives migration and maintenance messages; nil discards them.
	Logger *slog.Logger
	// BusyTimeout is how long a SQLite writer waits for another process's
	// lock, and retries a transaction SQLite refused at once, before
	// failing with ErrLocked (default 5 s).
	BusyTimeout time.Duration
	// ConnectTimeout bounds a PostgreSQL connection attempt when the URL
	// sets no connect_timeout (default 10 s).
	ConnectTimeout time.Duration
	// Now is the clock used for saved-at times and Prune; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens an existing store for reading only: it never creates
	// the store (a missing one is ErrNoStore), never migrates it (an older
	// schema is ErrNeedsMigration) and refuses writes (ErrReadOnly). A
	// SQLite file is opened with mode=ro and query_only, so a read-only
	// file or mount will do (where no -shm file can be made beside it and
	// no -wal file exists, i.e. no writer has it open, the file is read
	// as immutable: a writer that starts later is then not seen); a
	// PostgreSQL session with default_transaction_read_only.
	ReadOnly bool
}

// Store is a history store. It is safe for concurrent use.
type Store struct {
	db     *sql.DB
	loc    location
	log    *slog.Logger
	busy   time.Duration
	now    func() time.Time
	schema int
	ro     bool
}

// Snapshot is one target's result in one saved audit.
type Snapshot struct {
	ID     int64     // the audit's id
	At     time.Time // when the audit was generated (UTC)
	Target string
	Result model.TargetResult
	Window model.Window
}

// Open opens (creating and migrating as needed) the store at dsn: a file
// path, "sqlite:PATH", or a postgres:// / postgresql:// URL.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	return OpenWith(ctx, dsn, Options{Logger: logger})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = DefaultBusyTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	loc, err := parseDSN(dsn, opts.ConnectTimeout)
	if err != nil {
		return nil, err
	}
	s := &Store{loc: loc, log: opts.Logger, busy: opts.BusyTimeout, now: opts.Now, ro: opts.ReadOnly}
	switch loc.dialect {
	case SQLite:
		err = s.openSQLite(ctx)
	case Postgres:
		err = s.openPostgres(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if s.ro {
		err = s.checkReadOnly(ctx)
	} else {
		err = s.migrate(ctx)
	}
	if err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openPostgres(ctx context.Context, dsn string) error {
	cfg := *s.loc.pg
	if s.ro {
		cfg.RuntimeParams = maps.Clone(cfg.RuntimeParams)
		if cfg.RuntimeParams == nil {
			cfg.RuntimeParams = map[string]string{}
		}
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	db := stdlib.OpenDB(cfg)
	s.db = db
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return &ConnectError{Store: s.loc.display, Addrs: s.loc.addrs, msg: oneLine(scrub(err.Error(), dsn)), Err: err}
	}
	return nil
}

// Close closes the store.
func (s *Store) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	return s.db.Close()
}

// Dialect returns the store's dialect.
func (s *Store) Dialect() Dialect { return s.loc.dialect }

// Location returns where the store is: the SQLite file, or the PostgreSQL
// URL with its password redacted.
func (s *Store) Location() string { return s.loc.display }

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.ro }

// writable returns ErrReadOnly (wrapped) for a store opened read-only.
func (s *Store) writable(what string) error {
	if s.ro {
		return fmt.Errorf("store %s: %s: %w", s.loc.display, what, ErrReadOnly)
	}
	return nil
}

// SchemaVersion returns the store's schema version.
func (s *Store) SchemaVersion() int { return s.schema }

// q adapts a query written with ? placeholders to the store's dialect.
func (s *Store) q(query string) string { return rebind(s.loc.dialect, query) }
