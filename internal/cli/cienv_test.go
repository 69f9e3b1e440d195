package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	gitcol "github.com/cdaudit/cdaudit/collectors/git"
)

// ciClone makes a checkout as a CI runner does: init, the runner's
// fetches from src, a detached HEAD at rev.
func ciClone(t *testing.T, src, rev string, fetches ...[]string) string {
	dir := filepath.Join(t.TempDir(), "builds", "app")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "init", "-q")
	git(t, dir, "remote", "add", "origin", "file://"+src)
	git(t, dir, "config", "--unset-all", "remote.origin.fetch") // only the runner's refspecs
	for _, f := range fetches {
		git(t, dir, append([]string{"fetch", "-q", "--no-tags", "origin"}, f...)...)
	}
	git(t, dir, "checkout", "-q", "--detach", rev)
	return dir
}

func runEnv(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	db := filepath.Join(t.TempDir(), "history.db")
	code := Main(context.Background(), Env{Args: args, Stdout: &out, Stderr: &errb, Version: "test", Getenv: func(k string) string {
		if v, ok := vars[k]; ok || k != "CDAUDIT_STORE" {
			return v
		}
		return db
	}})
	return code, out.String(), errb.String()
}

// TestGateInCICheckouts runs `cdaudit check` in the checkouts GitLab,
// GitHub Actions and Jenkins make, with their variables.
func TestGateInCICheckouts(t *testing.T) {
	src := trunkBased(t)
	git(t, src, "update-ref", "refs/pipelines/7", "main~3")
	git(t, src, "update-ref", "refs/pull/3/merge", "main~1")
	all := []string{"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"}
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"ref":"refs/heads/feature","repository":{"default_branch":"main"}}`), 0o644)
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--require", "version-control.branching=3", "--format", "json", "-o", "-"}

	type tc struct {
		name string
		dir  string
		vars func(dir string) map[string]string
		code int
		says []string // on stderr (errors) or in the report (warnings)
	}
	gitlab := func(dir string) map[string]string {
		return map[string]string{"GITLAB_CI": "true", "CI_PROJECT_DIR": dir, "CI_DEFAULT_BRANCH": "main"}
	}
	github := func(dir string) map[string]string {
		return map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_BASE_REF": "main"}
	}
	jenkins := func(dir string) map[string]string {
		return map[string]string{"JENKINS_URL": "https://ci.example.com/", "WORKSPACE": dir, "CHANGE_TARGET": "main"}
	}
	for _, c := range []tc{
		{"GitLab MR pipeline, default depth", ciClone(t, src, "refs/pipelines/7", []string{"--depth=20", "+refs/pipelines/7:refs/pipelines/7"}),
			gitlab, ExitError, []string{`trunk "main" (from CI_DEFAULT_BRANCH)`, "GIT_DEPTH: 0"}},
		{"GitLab MR pipeline, GIT_DEPTH 0", ciClone(t, src, "refs/pipelines/7", append([]string{"+refs/pipelines/7:refs/pipelines/7"}, all...)),
			gitlab, ExitOK, []string{`"default_branch": "main"`}},
		{"GitHub pull_request, fetch-depth 1", ciClone(t, src, "refs/remotes/pull/3/merge", []string{"--depth=1", "+refs/pull/3/merge:refs/remotes/pull/3/merge"}),
			github, ExitError, []string{"GITHUB_BASE_REF", "fetch-depth: 0"}},
		{"GitHub pull_request, fetch-depth 0", ciClone(t, src, "refs/remotes/pull/3/merge", all, []string{"+refs/pull/3/merge:refs/remotes/pull/3/merge"}),
			github, ExitOK, []string{`"default_branch": "main"`}},
		{"GitHub push to a feature branch: the event's default branch", ciClone(t, src, "refs/remotes/origin/main", all),
			func(dir string) map[string]string {
				return map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_EVENT_PATH": event}
			}, ExitOK, []string{`"default_branch": "main"`}},
		{"Jenkins multibranch PR", ciClone(t, src, "refs/remotes/origin/PR-3", []string{"+refs/pull/3/merge:refs/remotes/origin/PR-3", "+refs/heads/main:refs/remotes/origin/main"}),
			jenkins, ExitOK, []string{`"default_branch": "main"`}},
		{"Jenkins shallow clone", ciClone(t, src, "refs/remotes/origin/main", []string{"--depth=3", "+refs/heads/main:refs/remotes/origin/main"}),
			jenkins, ExitOK, []string{"shallow clone", "git fetch --unshallow"}},
		{"Jenkins branch build, no trunk fetched, no CHANGE_TARGET", ciClone(t, src, "refs/remotes/origin/feature", []string{"+refs/heads/main:refs/remotes/origin/feature"}),
			func(dir string) map[string]string {
				return map[string]string{"JENKINS_URL": "https://ci.example.com/", "WORKSPACE": dir}
			},
			ExitError, []string{"HEAD is detached", "--branch"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := runEnv(t, c.vars(c.dir), append([]string{"check", c.dir, "--quiet"}, win...)...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstderr: %s\nstdout: %.400s", code, c.code, stderr, out)
			}
			text := out
			if code == ExitError {
				text = stderr
				if n := strings.Count(stderr, "\n"); n != 1 {
					t.Errorf("error in %d lines: %q", n, stderr)
				}
			}
			for _, s := range c.says {
				if !strings.Contains(text, s) {
					t.Errorf("does not say %q:\n%.2000s", s, text)
				}
			}
		})
	}
	t.Run("--branch HEAD audits the detached checkout", func(t *testing.T) {
		dir := ciClone(t, src, "refs/remotes/pull/3/merge", []string{"--depth=1", "+refs/pull/3/merge:refs/remotes/pull/3/merge"})
		code, out, stderr := runEnv(t, github(dir), append([]string{"check", dir, "--quiet", "--branch", "HEAD"}, win...)...)
		if code == ExitError || !strings.Contains(out, "fetch-depth: 0") {
			t.Errorf("exit %d: %s\n%.1000s", code, stderr, out)
		}
	})
}

func TestCICheckoutOf(t *testing.T) {
	ws := t.TempDir()
	inside := filepath.Join(ws, "sub")
	os.MkdirAll(inside, 0o755)
	event := filepath.Join(t.TempDir(), "event.json")
	os.WriteFile(event, []byte(`{"repository":{"default_branch":"trunk"}}`), 0o644)
	for _, tc := range []struct {
		name string
		vars map[string]string
		path string
		want ciCheckout
	}{
		{"no CI", nil, ws, ciCheckout{}},
		{"GitHub pull_request", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws, "GITHUB_BASE_REF": "main",
			"GITHUB_EVENT_PATH": event}, inside,
			ciCheckout{gitcol.CIGitHub, []gitcol.TrunkHint{{Branch: "main", Source: "GITHUB_BASE_REF"}}}},
		{"GitHub push: the event", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws, "GITHUB_EVENT_PATH": event}, ws,
			ciCheckout{gitcol.CIGitHub, []gitcol.TrunkHint{{Branch: "trunk", Source: "the event's repository.default_branch"}}}},
		{"GitHub, unreadable event", map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": ws}, ws, ciCheckout{ci: gitcol.CIGitHub}},
		{"GitLab", map[string]string{"GITLAB_CI": "true", "CI_PROJECT_DIR": ws, "CI_DEFAULT_BRANCH": "main"}, ws,
			ciCheckout{gitcol.CIGitLab, []gitcol.TrunkHint{{Branch: "main", Source: "CI_DEFAULT_BRANCH"}}}},
		{"Jenkins", map[string]string{"JENKINS_URL": "https://ci/", "WORKSPACE": ws, "CHANGE_TARGET": "develop"}, ws,
			ciCheckout{gitcol.CIJenkins, []gitcol.TrunkHint{{Branch: "develop", Source: "CHANGE_TARGET"}}}},
		{"a clone outside the workspace is not the checkout", map[string]string{"GITLAB_CI": "true", "CI_PROJECT_DIR": inside,
			"CI_DEFAULT_BRANCH": "main"}, ws, ciCheckout{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &app{env: Env{Getenv: func(k string) string { return tc.vars[k] }}}
			got := a.ciCheckoutOf(tc.path)
			if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(ciCheckout{})); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
