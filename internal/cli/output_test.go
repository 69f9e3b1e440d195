//go:build unix

package cli

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Every file the user names (audit --output, baseline -o, badge -o) goes
// through fsx.WriteFile: special files are written, not replaced.
func TestOutputDestinations(t *testing.T) {
	repo := trunkBased(t)
	dir := t.TempDir()
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--quiet"}

	// audit --output through a symbolic link: the target is written, the link kept.
	os.Mkdir(filepath.Join(dir, "reports"), 0o755)
	rep := filepath.Join(dir, "reports", "report.json")
	os.WriteFile(rep, nil, 0o640)
	link := filepath.Join(dir, "report.json")
	os.Symlink(filepath.Join("reports", "report.json"), link)
	if code, _, stderr := runCLI(t, append([]string{"audit", repo, "--format", "json", "--output", link}, win...)...); code != 0 {
		t.Fatalf("audit --output link: exit %d: %s", code, stderr)
	}
	assertLink(t, link)
	if b, _ := os.ReadFile(rep); !strings.Contains(string(b), `"targets"`) {
		t.Errorf("the link's target holds no report: %.100q", b)
	}
	if fi, _ := os.Stat(rep); fi.Mode().Perm() != 0o640 {
		t.Errorf("the replaced report's mode is %v, want 0640 kept", fi.Mode())
	}

	// baseline -o /dev/null (tests run as root in CI: /dev/null must survive).
	if code, _, stderr := runCLI(t, append([]string{"baseline", repo, "-o", os.DevNull}, win...)...); code != 0 {
		t.Fatalf("baseline -o /dev/null: exit %d: %s", code, stderr)
	}
	assertDevNull(t)

	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	dangling := filepath.Join(dir, "dangling.svg")
	os.Symlink(filepath.Join(dir, "reports", "badge.svg"), dangling)
	tests := []struct {
		name, output string
		check        func(t *testing.T, stdout string)
	}{
		{"dev null", os.DevNull, func(t *testing.T, _ string) { assertDevNull(t) }},
		{"dash is stdout", "-", func(t *testing.T, stdout string) {
			if !strings.Contains(stdout, "<svg") {
				t.Errorf("no SVG on stdout: %.100q", stdout)
			}
		}},
		{"dangling link writes its target", dangling, func(t *testing.T, _ string) {
			assertLink(t, dangling)
			if b, _ := os.ReadFile(filepath.Join(dir, "reports", "badge.svg")); !strings.Contains(string(b), "<svg") {
				t.Errorf("target of the dangling link holds no SVG: %.100q", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run("badge "+tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "badge", "--report", rep, "-o", tt.output)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			tt.check(t, stdout)
		})
	}

	t.Run("badge fifo", func(t *testing.T) {
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- err.Error()
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- string(b)
		}()
		if code, _, stderr := runCLI(t, "badge", "--report", rep, "-o", fifo); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if s := <-got; !strings.Contains(s, "<svg") {
			t.Errorf("the FIFO's reader got no SVG: %.100q", s)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
			t.Errorf("%s is no longer a FIFO: %v %v", fifo, fi.Mode(), err)
		}
	})

	t.Run("check --output and --summary", func(t *testing.T) {
		md := filepath.Join(dir, "check.md")
		os.Symlink(filepath.Join("reports", "check.md"), md)
		code, _, stderr := runCLI(t, "check", "--report", rep, "--require", "ci=1", "--output", md, "--summary", os.DevNull, "--quiet")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		assertLink(t, md)
		assertDevNull(t)
		if b, _ := os.ReadFile(filepath.Join(dir, "reports", "check.md")); len(b) == 0 {
			t.Errorf("check --output through a dangling link wrote nothing")
		}
	})

	t.Run("badge directory", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "badge", "--report", rep, "-o", dir)
		if code != ExitError || stdout != "" || !strings.Contains(stderr, "is a directory") ||
			strings.Count(stderr, "\n") != 1 {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line saying it is a directory", code, stdout, stderr)
		}
	})
}

func assertLink(t *testing.T, path string) {
	t.Helper()
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link: %v %v", path, fi.Mode(), err)
	}
}

func assertDevNull(t *testing.T) {
	t.Helper()
	if fi, err := os.Lstat(os.DevNull); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a character device: %v %v", os.DevNull, fi.Mode(), err)
	}
}
