package releasetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type gitlabTemplate struct {
	Variables map[string]string `yaml:"variables"`
	Job       struct {
		Image struct {
			Name       string   `yaml:"name"`
			Entrypoint []string `yaml:"entrypoint"`
		} `yaml:"image"`
		Script    []string `yaml:"script"`
		Artifacts struct {
			When  string   `yaml:"when"`
			Paths []string `yaml:"paths"`
		} `yaml:"artifacts"`
	} `yaml:"cdaudit"`
}

// fakeGate records its arguments, writes the summary and exits with
// FAKE_EXIT, like a gate that failed after writing its report.
const fakeGate = `#!/bin/sh
[ "$1" = version ] && { echo "cdaudit v1.2.3"; exit 0; }
printf '%s\n' "$@" > args.txt
[ -n "${FAKE_NO_SUMMARY:-}" ] && exit "$FAKE_EXIT"
echo "## cdaudit summary" > cdaudit-summary.md
exit "$FAKE_EXIT"
`

func TestGitLabTemplate(t *testing.T) {
	var g gitlabTemplate
	readYAML(t, "ci/cdaudit.gitlab-ci.yml", &g)
	if g.Job.Image.Name != "ghcr.io/cdaudit/cdaudit:${CDAUDIT_VERSION}" || len(g.Job.Image.Entrypoint) != 1 || g.Job.Image.Entrypoint[0] != "" {
		t.Errorf("image %+v: want the release image with an empty entrypoint", g.Job.Image)
	}
	if g.Job.Artifacts.When != "always" {
		t.Errorf("artifacts when %q: the report is kept when the gate fails", g.Job.Artifacts.When)
	}
	script := strings.Join(g.Job.Script, "\n")
	for _, tc := range []struct {
		name, since string
		exit        string
		noSummary   bool
		wantSince   bool
	}{
		{"gate passes", "", "0", false, false},
		{"gate fails, summary still printed", "30d", "1", false, true},
		{"error before any summary", "", "2", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			os.MkdirAll(bin, 0o755)
			if err := os.WriteFile(filepath.Join(bin, "cdaudit"), []byte(fakeGate), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("sh", "-c", script)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=" + bin + ":" + os.Getenv("PATH"), "FAKE_EXIT=" + tc.exit}
			for k, v := range g.Variables {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			cmd.Env = append(cmd.Env, "CDAUDIT_SINCE="+tc.since, "CDAUDIT_REQUIRE=ci=3", "GITLAB_TOKEN=x",
				"CI_PROJECT_ID=42", "CI_SERVER_URL=https://gitlab.example.com")
			if tc.noSummary {
				cmd.Env = append(cmd.Env, "FAKE_NO_SUMMARY=1")
			}
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if want := tc.exit; want != string(rune('0'+code)) {
				t.Errorf("exit %d, want %s (the gate's)", code, want)
			}
			summary, _ := os.ReadFile(filepath.Join(dir, "cdaudit-summary.md"))
			if len(summary) == 0 || !strings.Contains(string(out), strings.TrimSpace(string(summary))) {
				t.Errorf("summary %q not written or not printed in the log %q", summary, out)
			}
			b, _ := os.ReadFile(filepath.Join(dir, "args.txt"))
			want := []string{"check", ".", "--unknown", "ignore", "--no-store", "--format", "markdown", "--output", "cdaudit.md",
				"--summary", "cdaudit-summary.md"}
			if tc.wantSince {
				want = append(want, "--since", tc.since)
			}
			want = append(want, "--require", "ci=3", "--gitlab", "42", "--gitlab-url", "https://gitlab.example.com")
			if d := cmp.Diff(want, strings.Fields(string(b))); d != "" {
				t.Errorf("cdaudit arguments (-want +got):\n%s", d)
			}
		})
	}
}
