package store

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound is returned (wrapped) when a target or an audit has no record.
var ErrNotFound = errors.New("not found in the store")

// ErrLocked is returned (wrapped in a *LockedError) when another process
// holds the store's lock for longer than the busy timeout.
var ErrLocked = errors.New("store is locked by another process")

// ErrNotAStore is returned (wrapped in a *NotAStoreError) for a file that is
// not a cdaudit store or is corrupt.
var ErrNotAStore = errors.New("not a cdaudit store")

// ErrSchemaTooNew is returned (wrapped in a *SchemaTooNewError) for a store
// written by a newer cdaudit.
var ErrSchemaTooNew = errors.New("store schema is newer than this cdaudit")

// ErrUnreachable is returned (wrapped in a *ConnectError) when the
// PostgreSQL server cannot be reached or refuses the connection.
var ErrUnreachable = errors.New("cannot connect to the store's database")

// ErrNoStore is returned (wrapped in a *NoStoreError) when a store opened
// read-only does not exist: a read-only open never creates one.
var ErrNoStore = errors.New("no store")

// ErrNeedsMigration is returned (wrapped in a *NeedsMigrationError) when a
// store opened read-only has an older schema: a read-only open never
// migrates.
var ErrNeedsMigration = errors.New("store needs migration")

// ErrReadOnly is returned (wrapped) by a write through a store opened
// read-only.
var ErrReadOnly = errors.New("store is open read-only")

// NoStoreError says that there is no store where a read-only open looked.
type NoStoreError struct {
	Store string // the store's location
	Err   error  // why, when more than "missing"
}

func (e *NoStoreError) Error() string {
	msg := "no store at " + e.Store
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg + " (an audit creates it)"
}

// Unwrap returns the cause.
func (e *NoStoreError) Unwrap() error { return e.Err }

// Is matches ErrNoStore.
func (e *NoStoreError) Is(target error) bool { return target == ErrNoStore }

// NeedsMigrationError says that a store opened read-only has an older
// schema than this cdaudit reads.
type NeedsMigrationError struct {
	Store   string
	Version int // the store's schema version
	Known   int // the version this binary reads
}

func (e *NeedsMigrationError) Error() string {
	return fmt.Sprintf("store %s needs migration (schema version %d, this cdaudit reads %d); run an audit to migrate it",
		e.Store, e.Version, e.Known)
}

// Is matches ErrNeedsMigration.
func (e *NeedsMigrationError) Is(target error) bool { return target == ErrNeedsMigration }

// NotAStoreError says that a file is not a cdaudit store, or is corrupt.
type NotAStoreError struct {
	Store string // the store's location
	Err   error
}

func (e *NotAStoreError) Error() string {
	return fmt.Sprintf("store %s is not a cdaudit store (or is corrupt): %v", e.Store, e.Err)
}

// Unwrap returns the cause.
func (e *NotAStoreError) Unwrap() error { return e.Err }

// Is matches ErrNotAStore.
func (e *NotAStoreError) Is(target error) bool { return target == ErrNotAStore }

// LockedError says that another process holds the store's lock.
type LockedError struct {
	Store  string
	Waited time.Duration
	Err    error
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("store %s is locked by another process (waited %s; is another cdaudit writing to it?): %v",
		e.Store, e.Waited, e.Err)
}

// Unwrap returns the cause.
func (e *LockedError) Unwrap() error { return e.Err }

// Is matches ErrLocked.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// SchemaTooNewError says that the store was migrated by a newer cdaudit.
type SchemaTooNewError struct {
	Store   string
	Version int // the store's schema version
	Known   int // the newest version this binary knows
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("store %s has schema version %d, but this cdaudit knows only up to %d: upgrade cdaudit",
		e.Store, e.Version, e.Known)
}

// Is matches ErrSchemaTooNew.
func (e *SchemaTooNewError) Is(target error) bool { return target == ErrSchemaTooNew }

// ConnectError says that the PostgreSQL server could not be reached. Its
// message names host:port and never the password.
type ConnectError struct {
	Store string   // the DSN, password redacted
	Addrs []string // host:port pairs tried
	msg   string
	Err   error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot connect to PostgreSQL at %s (store %s): %s",
		strings.Join(e.Addrs, ", "), e.Store, e.msg)
}

// Unwrap returns the cause.
func (e *ConnectError) Unwrap() error { return e.Err }

// Is matches ErrUnreachable.
func (e *ConnectError) Is(target error) bool { return target == ErrUnreachable }

// sqliteCode returns the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// wrap adds the store and the action to a database error, typed where
// callers branch on it (a lock held too long, a file that is no store).
func (s *Store) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	if s.loc.dialect == SQLite {
		switch sqliteCode(err) {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &LockedError{Store: s.loc.display, Waited: s.busy, Err: fmt.Errorf("%s: %w", what, err)}
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return &NotAStoreError{Store: s.loc.display, Err: fmt.Errorf("%s: %w", what, err)}
		case sqlite3.SQLITE_READONLY:
			return fmt.Errorf("store %s: %s: %w: %w", s.loc.display, what, ErrReadOnly, err)
		}
	}
	if errors.Is(err, ErrNotAStore) || errors.Is(err, ErrLocked) || errors.Is(err, ErrSchemaTooNew) ||
		errors.Is(err, ErrNoStore) || errors.Is(err, ErrNeedsMigration) || errors.Is(err, ErrReadOnly) {
		return err
	}
	return fmt.Errorf("store %s: %s: %w", s.loc.display, what, err)
}

// oneLine folds a multi-line driver message into one line, dropping
// repeated lines (pgx reports each connection attempt on a line).
func oneLine(msg string) string {
	var parts []string
	seen := map[string]bool{}
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || seen[l] {
			continue
		}
		seen[l] = true
		parts = append(parts, l)
	}
	return strings.Join(parts, " ")
}
