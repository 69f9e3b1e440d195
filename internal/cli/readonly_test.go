package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer written by one goroutine, read by another.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// The read-only commands take the config that names the store and have
// no flags that would skip or prune it; serve says what it serves.
func TestReadOnlyCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "named-by-config.db")
	repo := trunkBased(t)
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--quiet"}
	if code, _, stderr := runCLI(t, append([]string{"audit", repo, "--store", db}, win...)...); code != 0 {
		t.Fatalf("audit: %d %s", code, stderr)
	}
	cfg := filepath.Join(dir, "audit.yaml")
	os.WriteFile(cfg, []byte("store: "+db+"\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // on stdout, or stderr for errors
	}{
		{"history --config", []string{"history", "--config", cfg}, ExitOK, "trunk.git"},
		{"history -c, one target", []string{"history", "-c", cfg, "trunk.git"}, ExitOK, "AUDIT"},
		{"badge --config", []string{"badge", "trunk.git", "--config", cfg}, ExitOK, "<svg"},
		{"history --no-store", []string{"history", "--no-store"}, ExitError, "unknown flag: --no-store"},
		{"history --retention", []string{"history", "--retention", "1y"}, ExitError, "unknown flag: --retention"},
		{"badge --no-store", []string{"badge", "x", "--no-store"}, ExitError, "unknown flag: --no-store"},
		{"levels --no-store", []string{"levels", "--no-store"}, ExitError, "unknown flag: --no-store"},
		{"serve --no-store", []string{"serve", "--no-store"}, ExitError, "unknown flag: --no-store"},
		{"serve --retention without --every", []string{"serve", "--retention", "1y", "--config", cfg}, ExitError, "--every"},
		{"history --config, malformed", []string{"history", "--config", filepath.Join(dir, "none.yaml")}, ExitError, "none.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runEnv(t, map[string]string{"CDAUDIT_STORE": ""}, tc.args...)
			text := stdout
			if tc.code != ExitOK {
				text = stderr
			}
			if code != tc.code || !strings.Contains(text, tc.want) {
				t.Errorf("exit %d (want %d), does not say %q:\n%s\n%s", code, tc.code, tc.want, stdout, stderr)
			}
		})
	}

	t.Run("serve --config says what it serves, from the config's store", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var errb lockedBuffer
		done := make(chan int, 1)
		go func() {
			done <- Main(ctx, Env{Args: []string{"serve", "--listen", "127.0.0.1:0", "--config", cfg}, Stdout: &bytes.Buffer{}, Stderr: &errb,
				Getenv: func(string) string { return "" }})
		}()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(errb.String(), "serving") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("exit %d: %s", code, errb.String())
		}
		s := errb.String()
		if strings.Count(s, "\n") != 1 || !strings.Contains(s, "cdaudit: serving http://127.0.0.1:") || !strings.Contains(s, db) ||
			!strings.Contains(s, "read-only") {
			t.Errorf("serve said %q", s)
		}
	})
}
