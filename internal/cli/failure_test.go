package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A collector failure is one line on stderr: the error when nothing could
// be audited, a warning naming the target when the others were.
func TestCollectorFailureOneLine(t *testing.T) {
	repo := trunkBased(t)
	cfg := filepath.Join(t.TempDir(), "audit.yaml")
	os.WriteFile(cfg, []byte("targets:\n  - name: good\n    path: "+repo+"\n  - name: gone\n    path: /nonexistent/repo\n"), 0o644)
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--no-store"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"the only target", []string{"audit", "/nonexistent/repo"}, ExitError, "cdaudit: repo: no evidence could be collected: not a git repository"},
		{"one of two targets", []string{"audit", "--config", cfg}, ExitOK, `msg="target failed" err="gone: no evidence`},
		{"check, the only target", []string{"check", "/nonexistent/repo"}, ExitError, "not a git repository"},
		{"baseline, one of two targets", []string{"baseline", "--config", cfg, "-o", filepath.Join(t.TempDir(), "b.json")}, ExitOK, "gone: no evidence"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append(tc.args, win...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			var failLines []string
			for _, l := range strings.Split(strings.TrimRight(stderr, "\n"), "\n") {
				if strings.Contains(l, "not a git repository") {
					failLines = append(failLines, l)
				}
			}
			if len(failLines) != 1 || !strings.Contains(failLines[0], tc.want) {
				t.Errorf("want one line saying %q, got:\n%s", tc.want, stderr)
			}
		})
	}
}
