//go:build linux

package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

const roChildEnv = "CDAUDIT_STORE_RO_CHILD" // the store the child reads

// readOnlyCheck reads a store that cannot be written, and tries to write
// it; it returns what went wrong.
func readOnlyCheck(path string) error {
	ctx := context.Background()
	s, err := OpenWith(ctx, path, Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read-only open: %w", err)
	}
	defer s.Close()
	if _, _, err := s.Latest(ctx, "app"); err != nil {
		return fmt.Errorf("Latest: %w", err)
	}
	if _, err := s.Save(ctx, sampleReport(t0, 2, "app")); !errors.Is(err, ErrReadOnly) {
		return fmt.Errorf("Save: %v, want ErrReadOnly", err)
	}
	return nil
}

// TestReadOnlyUnwritable: a store file that is read-only (0444) in a
// directory that is read-only (0555) opens read-only and is read, and
// nothing is created beside it (no -wal, no -shm). Permissions do not bind
// root, so as root the check runs in a child process as nobody.
func TestReadOnlyUnwritable(t *testing.T) {
	if p := os.Getenv(roChildEnv); p != "" {
		if err := readOnlyCheck(p); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	// A directory others may enter (t.TempDir's parent is private).
	top, err := os.MkdirTemp("", "cdaudit-ro-")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(top, "store")
	t.Cleanup(func() {
		os.Chmod(dir, 0o755)
		os.RemoveAll(top)
	})
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "history.db")
	savedStore(t, path)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(top, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	before := stateOf(t, path)

	if os.Geteuid() != 0 {
		if err := readOnlyCheck(path); err != nil {
			t.Fatal(err)
		}
	} else {
		bin := filepath.Join(top, "store.test")
		if err := copyFile(os.Args[0], bin); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "-test.run=^TestReadOnlyUnwritable$", "-test.count=1")
		cmd.Env = append(os.Environ(), roChildEnv+"="+path)
		cmd.Dir = top
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534, NoSetGroups: true},
			Pdeathsig: syscall.SIGKILL}
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			t.Fatalf("as nobody: %s", out)
		}
		if err != nil {
			t.Skipf("cannot run a child as nobody: %v: %s", err, out)
		}
	}
	if !stateOf(t, path).same(before) {
		t.Error("the store file changed")
	}
	if es, err := os.ReadDir(dir); err != nil || len(es) != 1 {
		names := []string{}
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("the store's directory holds %v (%v), want only history.db", names, err)
	}
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
