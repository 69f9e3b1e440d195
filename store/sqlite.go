package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// openSQLite opens the store's SQLite file: for writing, creating it (0600)
// and its directory (0700) when missing and switching it to WAL; read-only,
// only when it exists.
func (s *Store) openSQLite(ctx context.Context) error {
	p := s.loc.path
	fi, err := os.Stat(p)
	switch {
	case err == nil && fi.IsDir():
		return &NotAStoreError{Store: p, Err: errors.New("it is a directory")}
	case s.ro && errors.Is(err, fs.ErrNotExist):
		return &NoStoreError{Store: p}
	case s.ro && err != nil:
		return fmt.Errorf("store %s: %w", p, err)
	case s.ro:
		return s.openSQLiteReadOnly(ctx)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("store %s: %w", p, err)
	}
	if err := createPrivate(p); err != nil {
		return fmt.Errorf("store %s: %w", p, err)
	}
	db, err := sql.Open("sqlite", sqliteDSN(p, s.busy))
	if err != nil {
		return fmt.Errorf("store %s: %w", p, err)
	}
	s.db = db
	// The first connection reads the file header: a file that is not
	// SQLite fails here.
	err = db.PingContext(ctx)
	if err == nil {
		err = s.retryBusy(ctx, func() error { return s.useWAL(ctx) })
	}
	if err != nil {
		db.Close()
		return s.wrap("opening", err)
	}
	return nil
}

// createPrivate creates the store file, readable and writable by its owner
// only whatever the umask, unless it exists. SQLite gives the -wal and -shm
// files it creates later the database file's permissions.
func createPrivate(p string) error {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// useWAL switches the file to WAL mode, a setting kept in the file: every
// later connection finds it there. It is not a DSN pragma because the
// switch takes an exclusive lock that SQLite may refuse at once, without
// waiting, when another process opens the same new file at the same time;
// here the caller retries it.
func (s *Store) useWAL(ctx context.Context) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode); err != nil {
		return s.wrap("switching to WAL", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("store %s: journal mode is %q, WAL could not be set", s.loc.display, mode)
	}
	return nil
}

// openSQLiteReadOnly opens an existing file with mode=ro and query_only. A
// WAL database whose -shm file neither exists nor can be created (a
// read-only directory or mount) cannot be opened so; when no -wal file
// exists either, no writer is using the file and it is opened immutable.
func (s *Store) openSQLiteReadOnly(ctx context.Context) error {
	p := s.loc.path
	db, err := readOnlyDB(ctx, p, s.busy, false)
	if err != nil && cannotOpenReadOnly(err) && !exists(p+"-wal") {
		s.log.Debug("store opened immutable", "store", p, "reason", err.Error())
		db, err = readOnlyDB(ctx, p, s.busy, true)
	}
	if err != nil {
		return s.wrap("opening read-only", err)
	}
	s.db = db
	return nil
}

// readOnlyDB opens p read-only and reads its catalogue once, which is
// where a file that cannot be opened so fails.
func readOnlyDB(ctx context.Context, p string, busy time.Duration, immutable bool) (*sql.DB, error) {
	db, err := sql.Open("sqlite", sqliteReadOnlyDSN(p, busy, immutable))
	if err != nil {
		return nil, err
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// cannotOpenReadOnly reports an error of a read-only open that immutable
// may avoid.
func cannotOpenReadOnly(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
		return true
	}
	return false
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
