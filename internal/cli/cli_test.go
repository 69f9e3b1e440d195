package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), testEnv(t, args, &out, &errb))
	return code, out.String(), errb.String()
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	notRepo := filepath.Join(dir, "plain")
	os.MkdirAll(notRepo, 0o755)
	empty := filepath.Join(dir, "empty.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", empty).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("thresholds:\n  branching:\n    nope: 1\n"), 0o644)
	repo := trunkBased(t)
	corrupt := filepath.Join(dir, "corrupt.git")
	if out, err := exec.Command("git", "clone", "-q", "--bare", "--no-local", repo, corrupt).CombinedOutput(); err != nil {
		t.Fatalf("clone: %v %s", err, out)
	}
	corruptPack(t, corrupt)

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a repository", []string{"audit", notRepo}, "not a git repository"},
		{"missing path", []string{"audit", filepath.Join(dir, "nope")}, "nope"},
		{"empty repository", []string{"audit", empty}, "empty"},
		{"malformed config", []string{"audit", repo, "--config", badCfg}, "bad.yaml:3:5: unknown key"},
		{"missing config", []string{"audit", repo, "--config", filepath.Join(dir, "none.yaml")}, "none.yaml"},
		{"impossible window", []string{"audit", repo, "--since", "2026-05-01", "--until", "2026-04-01"}, "impossible window"},
		{"bad since", []string{"audit", repo, "--since", "last tuesday"}, "--since"},
		{"bad format", []string{"audit", repo, "--format", "pdf"}, "--format"},
		{"unknown flag", []string{"audit", repo, "--frobnicate"}, "unknown flag"},
		{"bad lang", []string{"levels", "--lang", "fr"}, "--lang"},
		{"corrupt object", []string{"audit", corrupt, "--since", "2026-03-02", "--until", "2026-03-30"}, "corrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append(tt.args, "--quiet")...)
			if stdout != "" {
				t.Errorf("a failed audit printed a report: %.200q", stdout)
			}
			if code != ExitError {
				t.Errorf("exit %d, want %d; stderr: %s", code, ExitError, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "cdaudit: ") {
				t.Errorf("want one 'cdaudit: …' line on stderr, got %q", stderr)
			}
			if !strings.Contains(strings.ToLower(stderr), strings.ToLower(tt.want)) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace on stderr: %s", stderr)
			}
		})
	}
}

// corruptPack flips bytes in the middle of every pack file's data.
func corruptPack(t *testing.T, repo string) {
	t.Helper()
	packs, _ := filepath.Glob(filepath.Join(repo, "objects", "pack", "*.pack"))
	if len(packs) == 0 {
		t.Fatal("no pack to corrupt")
	}
	for _, p := range packs {
		os.Chmod(p, 0o644)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(b) / 4; i < len(b)-40; i += 7 {
			b[i] ^= 0x5a
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLevelsCommand(t *testing.T) {
	for _, f := range []string{"text", "json", "markdown"} {
		for _, lang := range []string{"en", "zh"} {
			code, out, stderr := runCLI(t, "levels", "--format", f, "--lang", lang)
			if code != 0 || !strings.Contains(out, "version-control") && !strings.Contains(out, "版本控制") {
				t.Errorf("levels %s %s: exit %d, stderr %q, out %.200q", f, lang, code, stderr, out)
			}
		}
	}
	code, out, _ := runCLI(t, "levels", "--lang", "zh")
	if code != 0 || !strings.Contains(out, "研发人员至少每天向代码主干集成一次") {
		t.Errorf("zh catalogue lacks the seed's wording")
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "cdaudit test ") || !strings.HasSuffix(out, "\n") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestOutputFileAndFormats(t *testing.T) {
	repo := trunkBased(t)
	for _, f := range []string{"text", "markdown", "json"} {
		out := filepath.Join(t.TempDir(), "report."+f)
		code, stdout, stderr := runCLI(t, "audit", repo, "--since", "2026-03-02", "--until", "2026-03-30", "--format", f, "--output", out, "--quiet")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		if stdout != "" {
			t.Errorf("%s: report also went to stdout", f)
		}
		b, err := os.ReadFile(out)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: output file: %v (%d bytes)", f, err, len(b))
		}
	}
}

// testEnv keeps tests' audit history in a temporary store.
func testEnv(t *testing.T, args []string, out, errb *bytes.Buffer) Env {
	db := filepath.Join(t.TempDir(), "history.db")
	return Env{Args: args, Stdout: out, Stderr: errb, Version: "test", Getenv: func(k string) string {
		if k == "CDAUDIT_STORE" {
			return db
		}
		return ""
	}}
}
