package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

const fakeToken = "ghp_TESTTOKEN0123456789abcdefDONOTPRINT"

func startGitHub(t *testing.T) *githubfake.Server {
	t.Helper()
	srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: fakeToken, Now: func() time.Time { return githubfake.ScenarioNow }})
	t.Cleanup(srv.Close)
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
	return srv
}

func runHost(t *testing.T, token string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	db := filepath.Join(t.TempDir(), "h.db")
	cache := t.TempDir()
	env := Env{Args: args, Stdout: &out, Stderr: &errb, Version: "test", Getenv: func(k string) string {
		switch k {
		case "GITHUB_TOKEN":
			return token
		case "CDAUDIT_STORE":
			return db
		case "CDAUDIT_CACHE_DIR":
			return cache
		}
		return ""
	}}
	code := Main(context.Background(), env)
	return code, out.String(), errb.String()
}

func TestGitHubAuditEndToEnd(t *testing.T) {
	srv := startGitHub(t)
	since, until := githubfake.ScenarioWindow()
	win := []string{"--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339)}
	code, out, stderr := runHost(t, fakeToken, append([]string{"audit", "--github", "acme/shop", "--github-api-url", srv.URL,
		"--format", "json", "--log-level", "debug"}, win...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out+stderr, fakeToken) || strings.Contains(out+stderr, "TESTTOKEN") {
		t.Fatal("the token appears in the output or the logs")
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	tr := r.Targets[0]
	if len(tr.Sources) != 1 || tr.Sources[0].Kind != "github" || tr.Sources[0].Status != model.StatusOK || tr.Sources[0].Requests == nil {
		t.Errorf("sources = %+v", tr.Sources)
	}
	if m := tr.Measurements["ci.runs"]; !m.Known || m.Value == 0 {
		t.Errorf("ci.runs = %+v", m)
	}
	if tr.DORA == nil || tr.DORA.DeploymentFrequency.Cluster == "" {
		t.Errorf("DORA clusters missing: %+v", tr.DORA)
	}
	for _, f := range []string{"text", "markdown", "html", "prometheus"} {
		if code, out, stderr := runHost(t, fakeToken, append([]string{"audit", "--github", "acme/shop", "--github-api-url", srv.URL, "--format", f}, win...)...); code != 0 || strings.Contains(out+stderr, fakeToken) {
			t.Errorf("%s: exit %d or token printed: %s", f, code, stderr)
		}
	}
}

func TestGitHubBadInput(t *testing.T) {
	srv := startGitHub(t)
	tests := []struct {
		name, token, repo, api, want string
	}{
		{"bad token", "ghp_wrong", "acme/shop", srv.URL, "401"},
		{"unknown repository", fakeToken, "acme/nope", srv.URL, "not found"},
		{"enterprise URL without /api/v3/", fakeToken, "acme/shop", strings.TrimSuffix(srv.URL, "api/v3/"), "/api/v3/"},
		{"malformed repository", fakeToken, "just-a-name", srv.URL, "OWNER/REPO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runHost(t, tt.token, "audit", "--github", tt.repo, "--github-api-url", tt.api, "--quiet", "--format", "json")
			if code != ExitError {
				t.Errorf("exit %d, want 2; stderr %s", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
			if strings.Contains(out+stderr, tt.token) {
				t.Error("token printed")
			}
		})
	}
}

func TestGitLabAuditEndToEnd(t *testing.T) {
	const token = "glpat-SECRETTOKEN-DONOTPRINT"
	now := time.Now().UTC().Truncate(time.Second)
	d := &gitlabfake.Data{
		Project: gitlabfake.Project{ID: 42, Name: "shop", PathWithNamespace: "acme/shop", DefaultBranch: "main",
			WebURL: "https://gitlab.example.com/acme/shop", BuildsAccessLevel: "enabled", Visibility: "private"},
		Commits: []gitlabfake.Commit{{ID: strings.Repeat("a", 40), ShortID: "aaaaaaaa", Title: "PAY-1 start", Message: "PAY-1 start",
			AuthorName: "Alice", AuthorEmail: "alice@example.com", AuthoredDate: now.Add(-48 * time.Hour),
			CommitterName: "Alice", CommitterEmail: "alice@example.com", CommittedDate: now.Add(-48 * time.Hour)}},
		Files: map[string]string{".gitlab-ci.yml": "stages: [test]\nunit:\n  stage: test\n  script: [go test ./...]\n"},
		Tree:  []gitlabfake.TreeEntry{{ID: strings.Repeat("b", 40), Name: ".gitlab-ci.yml", Type: "blob", Path: ".gitlab-ci.yml", Mode: "100644"}},
	}
	for _, prefix := range []string{"", "/gitlab"} {
		srv := gitlabfake.New(d, gitlabfake.Options{Token: token, Prefix: prefix})
		t.Cleanup(srv.Close)
		for _, base := range []string{srv.URL + prefix, srv.URL + prefix + "/api/v4/"} {
			var out, errb bytes.Buffer
			cache := t.TempDir()
			env := Env{Args: []string{"audit", "--gitlab", "acme/shop", "--gitlab-url", base, "--format", "json", "--log-level", "debug", "--no-store"},
				Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
					switch k {
					case "GITLAB_TOKEN":
						return token
					case "CDAUDIT_CACHE_DIR":
						return cache
					}
					return ""
				}}
			if code := Main(context.Background(), env); code != 0 {
				t.Fatalf("%s: exit %d: %s", base, code, errb.String())
			}
			if strings.Contains(out.String()+errb.String(), "SECRETTOKEN") {
				t.Fatal("the token appears in the output or the logs")
			}
			var r model.Report
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if s := r.Targets[0].Sources; len(s) != 1 || s[0].Kind != "gitlab" || s[0].Status == model.StatusFailed {
				t.Errorf("%s: sources %+v", base, s)
			}
		}
	}
	// An unknown project and a rejected token are exit 2 with one clear line.
	srv := gitlabfake.New(d, gitlabfake.Options{Token: token})
	t.Cleanup(srv.Close)
	for _, tc := range []struct{ project, token, want string }{{"acme/nope", token, "not found"}, {"acme/shop", "glpat-wrong", "refused the token"}} {
		var out, errb bytes.Buffer
		env := Env{Args: []string{"audit", "--gitlab", tc.project, "--gitlab-url", srv.URL, "--no-store", "--quiet"}, Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string {
				if k == "GITLAB_TOKEN" {
					return tc.token
				}
				return ""
			}}
		if code := Main(context.Background(), env); code != ExitError || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%s: exit %d, stderr %q (want %q)", tc.project, code, errb.String(), tc.want)
		}
	}
}

func TestLocalCloneWithGitHub(t *testing.T) {
	srv := startGitHub(t)
	repo := trunkBased(t)
	code, out, stderr := runHost(t, fakeToken, "audit", repo, "--github", "acme/shop", "--github-api-url", srv.URL,
		"--since", "2026-03-02", "--until", "2026-03-30", "--format", "json", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, s := range r.Targets[0].Sources {
		kinds = append(kinds, s.Kind+":"+s.Status)
	}
	if strings.Join(kinds, " ") != "git:ok github:ok" {
		t.Errorf("sources = %v, want the clone first, then GitHub", kinds)
	}
	// The history comes from the clone, not the host.
	if m := r.Targets[0].Measurements["git.commits"]; !m.Known || m.Value != 60 {
		t.Errorf("git.commits = %+v, want the clone's 60", m)
	}
}

func TestCorruptStoreIsAnError(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(db, bytes.Repeat([]byte("not a database "), 500), 0o644); err != nil {
		t.Fatal(err)
	}
	repo := trunkBased(t)
	code, _, stderr := runWithStore(t, db, "audit", repo, "--quiet")
	if code != ExitError || !strings.Contains(stderr, "not a cdaudit store") {
		t.Errorf("corrupt store: exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(db); !bytes.HasPrefix(b, []byte("not a database")) {
		t.Error("the corrupt store was overwritten")
	}
}
