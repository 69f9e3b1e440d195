package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
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
