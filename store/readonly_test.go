package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// fileState is what a read-only open must leave as it was.
type fileState struct {
	data  []byte
	mtime time.Time
	mode  os.FileMode
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{data: b, mtime: fi.ModTime(), mode: fi.Mode()}
}

func (a fileState) same(b fileState) bool {
	return bytes.Equal(a.data, b.data) && a.mtime.Equal(b.mtime) && a.mode == b.mode
}

// savedStore creates a store holding one audit of "app" and closes it,
// which checkpoints the WAL into the file.
func savedStore(t *testing.T, dsn string) {
	t.Helper()
	s := mustOpen(t, dsn, Options{})
	if _, err := s.Save(context.Background(), sampleReport(t0, 1, "app")); err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestReadOnlyReads(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		d := dsn(t)
		savedStore(t, d)
		var before fileState
		sqlite := DialectOf(d) == SQLite
		if sqlite {
			// A read-only file in a read-only directory (not enforced for
			// root, but the open must not need more).
			if err := os.Chmod(d, 0o444); err != nil {
				t.Fatal(err)
			}
			before = stateOf(t, d)
		}
		s := mustOpen(t, d, Options{ReadOnly: true})
		if !s.ReadOnly() || s.SchemaVersion() != KnownSchemaVersion(s.Dialect()) {
			t.Errorf("ReadOnly() = %v, SchemaVersion() = %d", s.ReadOnly(), s.SchemaVersion())
		}
		if _, _, err := s.Latest(ctx, "app"); err != nil {
			t.Errorf("Latest: %v", err)
		}
		if h, err := s.History(ctx, "app", 0); err != nil || len(h) != 1 {
			t.Errorf("History: %d, %v", len(h), err)
		}

		// Writes fail: through the API, and through the handle itself.
		if _, err := s.Save(ctx, sampleReport(t0.Add(time.Hour), 2, "app")); !errors.Is(err, ErrReadOnly) {
			t.Errorf("Save error = %v, want ErrReadOnly", err)
		}
		if _, err := s.Prune(ctx, Retention{KeepLast: 1}); !errors.Is(err, ErrReadOnly) {
			t.Errorf("Prune error = %v, want ErrReadOnly", err)
		}
		for _, q := range []string{`DELETE FROM audits`, `CREATE TABLE intruder (x INTEGER)`} {
			if _, err := s.db.ExecContext(ctx, q); err == nil {
				t.Errorf("%s through the read-only handle succeeded", q)
			}
		}
		s.Close()
		if sqlite && !stateOf(t, d).same(before) {
			t.Error("the store file changed under a read-only open")
		}
		if h, err := mustOpen(t, d, Options{}).History(ctx, "app", 0); err != nil || len(h) != 1 {
			t.Errorf("after the read-only open: %d audits, %v", len(h), err)
		}
	})
}

func TestReadOnlyMissing(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		d := dsn(t)
		if DialectOf(d) == SQLite {
			d = filepath.Join(filepath.Dir(d), "sub", "history.db") // not even its directory exists
		}
		s, err := OpenWith(context.Background(), d, Options{ReadOnly: true})
		if err == nil {
			s.Close()
			t.Fatal("read-only Open of a missing store succeeded")
		}
		var ns *NoStoreError
		if !errors.As(err, &ns) || !errors.Is(err, ErrNoStore) {
			t.Fatalf("error %v (%T), want *NoStoreError", err, err)
		}
		if DialectOf(d) == SQLite {
			if want := "no store at " + d + " (an audit creates it)"; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
			if _, err := os.Stat(filepath.Dir(d)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the read-only open created the store's directory: %v", err)
			}
			return
		}
		// PostgreSQL: no schema_migrations in the schema, and none made.
		if !strings.HasPrefix(err.Error(), "no store at postgres") {
			t.Errorf("message %q", err)
		}
		if _, err := OpenWith(context.Background(), d, Options{ReadOnly: true}); !errors.Is(err, ErrNoStore) {
			t.Errorf("second read-only open: %v, want ErrNoStore again", err)
		}
	})

	t.Run("empty file", func(t *testing.T) {
		d := filepath.Join(t.TempDir(), "history.db")
		if err := os.WriteFile(d, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		before := stateOf(t, d)
		if _, err := OpenWith(context.Background(), d, Options{ReadOnly: true}); !errors.Is(err, ErrNoStore) {
			t.Errorf("error %v, want ErrNoStore", err)
		}
		if !stateOf(t, d).same(before) {
			t.Error("the read-only open wrote to the empty file")
		}
	})
}

func TestReadOnlyNeverMigrates(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		d := dsn(t)
		s := mustOpen(t, d, Options{})
		known := KnownSchemaVersion(s.Dialect())
		if _, err := s.Save(ctx, sampleReport(t0, 1, "app")); err != nil {
			t.Fatal(err)
		}
		// The store of an older cdaudit: its newest migration not applied.
		if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM schema_migrations WHERE version = ?`), known); err != nil {
			t.Fatal(err)
		}
		s.Close()
		var before fileState
		if DialectOf(d) == SQLite {
			before = stateOf(t, d)
		}

		_, err := OpenWith(ctx, d, Options{ReadOnly: true})
		var nm *NeedsMigrationError
		if !errors.As(err, &nm) || !errors.Is(err, ErrNeedsMigration) || nm.Version != known-1 || nm.Known != known {
			t.Fatalf("error %v (%T), want NeedsMigrationError{%d, %d}", err, err, known-1, known)
		}
		if !strings.Contains(err.Error(), "needs migration") || !strings.Contains(err.Error(), "run an audit") {
			t.Errorf("message %q", err)
		}
		if DialectOf(d) == SQLite && !stateOf(t, d).same(before) {
			t.Error("the read-only open changed the store file")
		}
		// Nothing was migrated.
		var db *sql.DB
		if DialectOf(d) == SQLite {
			db = rawDB(t, d)
		} else {
			cfg, err := pgx.ParseConfig(d)
			if err != nil {
				t.Fatal(err)
			}
			db = stdlib.OpenDB(*cfg)
			defer db.Close()
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != known-1 {
			t.Errorf("after the read-only open: %d migration rows (%v), want %d", n, err, known-1)
		}
	})
}
