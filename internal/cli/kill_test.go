package cli

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/store"
)

// TestMain lets a test run this binary as `cdaudit` (CDAUDIT_TEST_MAIN=1),
// so that a real process can be killed in the middle of an audit.
func TestMain(m *testing.M) {
	if os.Getenv("CDAUDIT_TEST_MAIN") == "1" {
		os.Exit(Main(context.Background(), Env{Args: os.Args[1:], Stdout: os.Stdout, Stderr: os.Stderr,
			Version: "test", Getenv: os.Getenv}))
	}
	os.Exit(m.Run())
}

func TestKilledAuditLeavesStoreConsistent(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	repo := trunkBased(t)
	db := filepath.Join(t.TempDir(), "history.db")
	audit := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "audit", repo, "--since", "2026-03-02", "--until", "2026-03-30", "--quiet", "--format", "json")
		cmd.Env = append(os.Environ(), "CDAUDIT_TEST_MAIN=1", "CDAUDIT_STORE="+db)
		return cmd
	}
	// One complete audit first: it must survive every kill that follows.
	if out, err := audit().CombinedOutput(); err != nil {
		t.Fatalf("first audit: %v\n%s", err, out)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 8; i++ {
		cmd := audit()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	conn.Close()
	st, err := store.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatalf("the store does not open after kills: %v", err)
	}
	defer st.Close()
	snaps, err := st.History(context.Background(), "trunk.git", 100)
	if err != nil || len(snaps) == 0 {
		t.Fatalf("the first audit was lost: %d audits, %v", len(snaps), err)
	}
	for _, s := range snaps {
		if len(s.Result.Practices) != 14 || !strings.HasPrefix(s.Result.Name, "trunk") {
			t.Errorf("audit %d is incomplete: %d practices", s.ID, len(s.Result.Practices))
		}
	}
}
