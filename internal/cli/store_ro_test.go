package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/store"
)

// storeFile is what a read-only command must leave as it was.
type storeFile struct {
	data  []byte
	mtime time.Time
}

func statStore(t *testing.T, db string) storeFile {
	t.Helper()
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	return storeFile{b, fi.ModTime()}
}

// readOnlyCommands are history, badge and serve without --every.
func readOnlyCommands(t *testing.T) map[string][]string {
	return map[string][]string{
		"history":        {"history"},
		"history TARGET": {"history", "trunk.git"},
		"badge":          {"badge", "trunk.git"},
		"serve":          {"serve", "--listen", freePort(t), "--quiet"},
	}
}

func TestReadOnlyCommandsNeverCreateAStore(t *testing.T) {
	for name, args := range readOnlyCommands(t) {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "sub", "history.db")
			code, out, stderr := runWithStore(t, db, args...)
			want := "no store at " + db
			if code != 2 || out != "" || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line with %q", code, out, stderr, want)
			}
			if _, err := os.Stat(filepath.Dir(db)); !os.IsNotExist(err) {
				t.Errorf("%s created the store's directory (%v)", name, err)
			}
		})
	}
}

func TestReadOnlyCommandsLeaveTheStoreAlone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	repo := trunkBased(t)
	if code, _, stderr := runWithStore(t, db, "audit", repo, "--since", "2026-03-02", "--until", "2026-03-30", "--quiet"); code != 0 {
		t.Fatalf("audit: %d %s", code, stderr)
	}
	before := statStore(t, db)
	for _, name := range []string{"history", "history TARGET", "badge"} {
		if code, out, stderr := runWithStore(t, db, readOnlyCommands(t)[name]...); code != 0 || out == "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, code, out, stderr)
		}
	}
	if after := statStore(t, db); !bytes.Equal(after.data, before.data) || !after.mtime.Equal(before.mtime) {
		t.Error("a read-only command changed the store file")
	}

	// The store of an older cdaudit (its newest migration not applied) is
	// not migrated by a read-only command.
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(`DELETE FROM schema_migrations WHERE version = ?`, store.KnownSchemaVersion(store.SQLite))
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	before = statStore(t, db)
	for name, args := range readOnlyCommands(t) {
		code, _, stderr := runWithStore(t, db, args...)
		if code != 2 || !strings.Contains(stderr, "needs migration") || !strings.Contains(stderr, "run an audit") {
			t.Errorf("%s on an older store: exit %d, stderr %q; want 2 and \"needs migration…run an audit\"", name, code, stderr)
		}
	}
	if after := statStore(t, db); !bytes.Equal(after.data, before.data) || !after.mtime.Equal(before.mtime) {
		t.Error("a read-only command changed the older store")
	}
}

// TestConcurrentAuditsCreateOneStore: 8 cdaudit processes audit into one
// store that does not exist yet, at once, each several times: every audit
// is saved (issue 10: 2 of 168 were lost, "not a cdaudit store" and
// "locked").
func TestConcurrentAuditsCreateOneStore(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 8 processes")
	}
	const procs, audits = 8, 3
	repo := trunkBased(t)
	db := filepath.Join(t.TempDir(), "new", "history.db")
	var wg sync.WaitGroup
	for p := range procs {
		wg.Go(func() {
			for i := range audits {
				// Distinct windows, so that every audit is its own record.
				until := time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC).Add(time.Duration(p*audits+i) * time.Minute)
				cmd := exec.Command(os.Args[0], "audit", repo, "--since", "2026-03-02",
					"--until", until.Format(time.RFC3339), "--quiet", "--format", "json", "--output", os.DevNull)
				cmd.Env = append(os.Environ(), "CDAUDIT_TEST_MAIN=1", "CDAUDIT_STORE="+db)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("process %d, audit %d: %v\n%s", p, i, err, out)
				}
			}
		})
	}
	wg.Wait()
	st, err := store.OpenWith(context.Background(), db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snaps, err := st.History(context.Background(), "trunk.git", 0)
	if err != nil || len(snaps) != procs*audits {
		t.Errorf("%d audits saved (%v), want %d", len(snaps), err, procs*audits)
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("store file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
