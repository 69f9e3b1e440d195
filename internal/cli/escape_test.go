package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorLine(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"plain", errors.New("no such file"), "no such file"},
		{"escape sequence", errors.New("repo \x1b[2J\x1b]0;pwned\x07 not found"), `repo \x1b[2J\x1b]0;pwned\a not found`},
		{"newline and carriage return", fmt.Errorf("server said: %w", errors.New("bad\r\nInjected: line")), `server said: bad\r\nInjected: line`},
		{"tab, DEL and C1", errors.New("a\tb\x7fc\u009bd"), `a\tb\x7fc\u009bd`},
		{"invalid UTF-8", errors.New("name \xff\xfe"), `name \xff\xfe`},
		{"bidi override and line separator", errors.New("evil\u202etxt.exe\u2028x"), `evil\u202etxt.exe\u2028x`},
		{"non-ASCII text is kept", errors.New("目标 café ✗"), "目标 café ✗"},
		{"trailing newline dropped", errors.New("fatal: bad object\n"), "fatal: bad object"},
		{"joined failures", &exitError{code: ExitError, err: errors.Join(errors.New("a: gone"), errors.New("b:\x1b[31m red"))},
			`a: gone; b:\x1b[31m red`},
		{"wrapped join keeps its newline escaped", fmt.Errorf("x: %w", errors.Join(errors.New("1"), errors.New("2"))), `x: 1\n2`},
		{"usage error", usageErr("--output %s: %w", "o\nut", errors.New("is a directory")), `--output o\nut: is a directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, errorLine(tt.err)); diff != "" {
				t.Errorf("errorLine (-want +got):\n%s", diff)
			}
		})
	}
}

// The CLI's final error line carries no raw control character, whatever
// the user or a server put into names and paths.
func TestErrorLineFromCLI(t *testing.T) {
	dir := t.TempDir()
	hostile := filepath.Join(dir, "repo\x1b[2J\x1b[31m\nfake: ok\r")
	for _, args := range [][]string{
		{"audit", hostile},
		{"audit", dir, "--config", hostile + ".yaml"},
		{"badge", "--report", hostile},
	} {
		code, _, stderr := runCLI(t, append(args, "--quiet")...)
		if code != ExitError {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
		line := strings.TrimSuffix(stderr, "\n")
		if strings.ContainsFunc(line, needsEscape) || !strings.Contains(line, `repo\x1b[2J\x1b[31m\nfake: ok\r`) {
			t.Errorf("%q: stderr %q, want one line with the path escaped", args, stderr)
		}
	}
}
