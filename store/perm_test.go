//go:build unix

package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestStoreFilesPrivate: a new store file, its -wal and its -shm are 0600
// whatever the umask (the process's umask is set for the test's duration;
// the package's tests do not run in parallel).
func TestStoreFilesPrivate(t *testing.T) {
	for _, umask := range []int{0, 0o022, 0o277} {
		t.Run(fmt.Sprintf("umask %03o", umask), func(t *testing.T) {
			old := syscall.Umask(umask)
			defer syscall.Umask(old)
			path := filepath.Join(t.TempDir(), "history.db")
			s := mustOpen(t, path, Options{})
			if _, err := s.Save(context.Background(), sampleReport(t0, 1, "app")); err != nil {
				t.Fatal(err)
			}
			// While the store is open, all three files exist.
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if got := fi.Mode().Perm(); got != 0o600 {
					t.Errorf("%s: mode %v, want -rw-------", filepath.Base(p), got)
				}
			}
		})
	}

	t.Run("an existing file keeps its mode", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "history.db")
		if err := os.WriteFile(path, nil, 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
		mustOpen(t, path, Options{})
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
			t.Errorf("mode %v, %v; want -rw-r----- as the owner set it", fi.Mode().Perm(), err)
		}
	})
}
