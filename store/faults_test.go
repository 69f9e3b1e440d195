package store

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCorruptStore(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		prepare func(t *testing.T, path string)
		why     string // in the error message
	}{
		{"garbage", func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("this is not a database\n"), 400), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "not a database"},
		{"other sqlite database", func(t *testing.T, path string) {
			if _, err := rawDB(t, path).ExecContext(ctx, `CREATE TABLE customers (id INTEGER)`); err != nil {
				t.Fatal(err)
			}
		}, "1 other tables"},
		{"directory", func(t *testing.T, path string) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "directory"},
		{"broken schema_migrations", func(t *testing.T, path string) {
			if _, err := rawDB(t, path).ExecContext(ctx, `CREATE TABLE schema_migrations (x TEXT)`); err != nil {
				t.Fatal(err)
			}
		}, "schema_migrations"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			tc.prepare(t, path)
			s, err := Open(ctx, path, nil)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			var nas *NotAStoreError
			if !errors.As(err, &nas) || !errors.Is(err, ErrNotAStore) {
				t.Fatalf("error %v (%T), want *NotAStoreError", err, err)
			}
			prefix := "store " + path + " is not a cdaudit store (or is corrupt): "
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.why) {
				t.Errorf("message %q, want prefix %q and %q", err, prefix, tc.why)
			}
		})
	}

	t.Run("damaged pages", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "history.db")
		s := mustOpen(t, path, Options{})
		for k := range 20 {
			if _, err := s.Save(ctx, sampleReport(t0.Add(time.Duration(k)*time.Hour), k, "app", "lib")); err != nil {
				t.Fatal(err)
			}
		}
		s.Close() // checkpoints the WAL into the file
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		const page = 4096
		if len(b) < 4*page {
			t.Fatalf("store only %d bytes", len(b))
		}
		for i := 2 * page; i < len(b); i++ { // keep pages 1 and 2 (header, catalogue)
			b[i] = byte(i * 7)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		s2, err := Open(ctx, path, nil)
		if err == nil {
			defer s2.Close()
			_, err = s2.History(ctx, "app", 0)
			if err == nil {
				_, err = s2.Save(ctx, sampleReport(t0, 1, "app"))
			}
		}
		if !errors.Is(err, ErrNotAStore) {
			t.Fatalf("error %v, want ErrNotAStore", err)
		}
	})

	t.Run("empty file is a new store", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "history.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		s := mustOpen(t, path, Options{})
		if _, err := s.Save(ctx, sampleReport(t0, 1, "app")); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLockedStore(t *testing.T) {
	ctx := context.Background()
	for _, migrated := range []bool{true, false} {
		name := "fresh"
		if migrated {
			name = "migrated"
		}
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			if migrated {
				s := mustOpen(t, path, Options{})
				if _, err := s.Save(ctx, sampleReport(t0, 1, "app")); err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
			// Another holder takes the write lock and keeps it.
			conn, err := rawDB(t, path).Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
				t.Fatal(err)
			}
			defer conn.ExecContext(ctx, `ROLLBACK`)

			const wait = 50 * time.Millisecond
			s, err := OpenWith(ctx, path, Options{BusyTimeout: wait})
			if err == nil {
				defer s.Close()
				if migrated {
					// Readers are not blocked by a writer in WAL mode.
					if _, _, err := s.Latest(ctx, "app"); err != nil {
						t.Errorf("Latest while locked: %v", err)
					}
				}
				_, err = s.Save(ctx, sampleReport(t0.Add(time.Hour), 2, "app"))
			}
			var le *LockedError
			if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
				t.Fatalf("error %v (%T), want *LockedError", err, err)
			}
			if !strings.Contains(err.Error(), "store "+path+" is locked by another process") || le.Waited != wait {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestPostgresUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	const secret = "s3cret-pa55"
	for _, dsn := range []string{
		"postgres://auditor:" + secret + "@" + addr + "/cdaudit?sslmode=disable",
		"postgresql://auditor@" + addr + "/cdaudit?sslmode=disable&password=" + secret,
	} {
		t.Run(strings.SplitN(dsn, ":", 2)[0], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := Open(ctx, dsn, nil)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			var ce *ConnectError
			if !errors.As(err, &ce) || !errors.Is(err, ErrUnreachable) {
				t.Fatalf("error %v (%T), want *ConnectError", err, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, addr) || strings.Contains(msg, secret) {
				t.Errorf("message %q should name %s and not the password", msg, addr)
			}
		})
	}
	t.Run("bad URL", func(t *testing.T) {
		_, err := Open(context.Background(), "postgres://auditor:"+secret+"@host:notaport/db", nil)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("error %v: want an error without the password", err)
		}
	})
}

func TestParseDSN(t *testing.T) {
	wd, _ := os.Getwd()
	home, _ := os.UserHomeDir()
	cases := []struct {
		dsn     string
		dialect Dialect
		path    string
		wantErr bool
	}{
		{"/var/lib/cdaudit/h.db", SQLite, "/var/lib/cdaudit/h.db", false},
		{"sqlite:/var/lib/h.db", SQLite, "/var/lib/h.db", false},
		{"sqlite:///var/lib/h.db", SQLite, "/var/lib/h.db", false},
		{"sqlite:rel/h.db", SQLite, filepath.Join(wd, "rel/h.db"), false},
		{"h.db", SQLite, filepath.Join(wd, "h.db"), false},
		{"~/h.db", SQLite, filepath.Join(home, "h.db"), false},
		{"/tmp/odd?name#x.db", SQLite, "/tmp/odd?name#x.db", false},
		{"postgres://u:p@db.example:5433/x", Postgres, "", false},
		{"PostgreSQL://u@db/x", Postgres, "", false},
		{"", "", "", true},
		{"sqlite:", "", "", true},
		{":memory:", "", "", true},
		{"file:x.db?mode=memory", "", "", true},
		// Another database's URL is refused, never taken for a file name
		// (which would create directories named after its credentials).
		{"mysql://u:pw@db.example/x", "", "", true},
		{"https://host/x.db", "", "", true},
		{"C:/data/h.db", SQLite, filepath.Join(wd, "C:/data/h.db"), false},
	}
	for _, tc := range cases {
		t.Run(tc.dsn, func(t *testing.T) {
			loc, err := parseDSN(tc.dsn, time.Second)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "pw") {
				t.Errorf("error %q shows the password", err)
			}
			if err != nil {
				return
			}
			if loc.dialect != tc.dialect || loc.path != tc.path {
				t.Errorf("got %s %q, want %s %q", loc.dialect, loc.path, tc.dialect, tc.path)
			}
			if loc.dialect == Postgres && strings.Contains(loc.display, ":p@") {
				t.Errorf("display %q shows the password", loc.display)
			}
		})
	}
	t.Run("odd path opens", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "odd?name#x %41.db")
		s := mustOpen(t, path, Options{})
		if _, err := s.Save(context.Background(), sampleReport(t0, 1, "app")); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("store not at its path: %v", err)
		}
	})
}

func TestDefaultPath(t *testing.T) {
	cases := []struct{ xdg, home, want string }{
		{"/data", "/home/a", "/data/cdaudit/history.db"},
		{"", "/home/a", "/home/a/.local/share/cdaudit/history.db"},
		{"relative", "/home/a", "/home/a/.local/share/cdaudit/history.db"},
	}
	for _, tc := range cases {
		t.Run(tc.xdg, func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", tc.xdg)
			t.Setenv("HOME", tc.home)
			got, err := DefaultPath()
			if err != nil || got != tc.want {
				t.Errorf("DefaultPath() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestSaveCancelled(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		s := mustOpen(t, dsn(t), Options{})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.Save(ctx, sampleReport(t0, 1, "app")); err == nil {
			t.Fatal("Save with a cancelled context succeeded")
		}
		if n := count(t, s, "audits"); n != 0 {
			t.Errorf("%d audits after a cancelled save", n)
		}
	})
}
