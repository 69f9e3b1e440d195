package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// A fleet shares one request budget per host and token: once the answers
// say how much of the quota is left, a target whose estimated cost does not
// fit is deferred with the reason — neither failed nor audited, and not
// stored — while a failing target stays failed, and the run succeeds.
func TestAuditDefersWhatDoesNotFitTheBudget(t *testing.T) {
	// The server's clock is the real one: its quota resets lie ahead.
	srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: fakeToken, Limit: 50})
	t.Cleanup(srv.Close)
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
	srv.SetOwners(githubfake.Owner{Login: "acme", Type: "Organization", Repos: []githubfake.ListedRepo{
		{Name: "shop", DefaultBranch: "main"}, {Name: "ghost", DefaultBranch: "main"}}})
	cfg := filepath.Join(t.TempDir(), "audit.yaml")
	// One target at a time, in the plan's order: acme/ghost's answers (404)
	// tell the quota left of 50, and acme/shop's first audit, estimated at
	// 60 requests, does not fit.
	if err := os.WriteFile(cfg, []byte("concurrency: 1\ntargets:\n  - github: {org: acme}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runHost(t, fakeToken, append([]string{"audit", "--config", cfg, "--github-api-url", srv.URL,
		"--format", "json", "--quiet"}, hostWindow()...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	type row struct{ Name, Status, Why string }
	var got []row
	for _, tr := range r.Targets {
		why := tr.Deferred
		if tr.Error != "" {
			why = "failed"
		}
		if i := strings.Index(why, " has "); i > 0 {
			why = why[:i] // the figures depend on the listing's cost
		}
		got = append(got, row{tr.Name, tr.Status, why})
	}
	host := strings.TrimPrefix(srv.Server.URL, "http://")
	want := []row{{"acme/ghost", "", "failed"}, {"acme/shop", model.TargetDeferred, "github: the request budget of " + host}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("targets (-want +got)\n%s", d)
	}
	for _, h := range srv.Hits() {
		if strings.Contains(h.Path, "/repos/acme/shop") {
			t.Errorf("a deferred target was collected: %s %s", h.Method, h.Path)
		}
	}
}

func TestWithoutDeferred(t *testing.T) {
	rep := &model.Report{Targets: []model.TargetResult{{Name: "a"}, {Name: "b", Status: model.TargetDeferred}, {Name: "c", Error: "x"}}}
	var names []string
	for _, tr := range withoutDeferred(rep).Targets {
		names = append(names, tr.Name)
	}
	if d := cmp.Diff([]string{"a", "c"}, names); d != "" {
		t.Errorf("stored targets (-want +got)\n%s", d)
	}
	if len(rep.Targets) != 3 {
		t.Error("the report itself lost a target")
	}
}

// --github-app-id and --github-app-key-file authenticate as a GitHub App:
// the fake verifies the JWT with the public key and accepts the minted
// installation token; no token is needed. Bad input is one line, exit 2.
func TestAuditAsGitHubApp(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: fakeToken,
		App: &githubfake.GitHubApp{ID: "4242", Key: &key.PublicKey, InstallationID: 9}})
	t.Cleanup(srv.Close)
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "app.pem")
	pemText := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(keyFile, pemText, 0o600); err != nil {
		t.Fatal(err)
	}
	base := append([]string{"audit", "--github", "acme/shop", "--github-api-url", srv.URL, "--format", "json", "--quiet"}, hostWindow()...)
	code, out, stderr := runHost(t, "", append(base, "--github-app-id", "4242", "--github-app-key-file", keyFile)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Targets) != 1 || r.Targets[0].Sources[0].Status != model.StatusOK || srv.TokensMinted() != 1 {
		t.Fatalf("targets %+v, %d tokens minted; want one audited target and one token", r.Targets, srv.TokensMinted())
	}
	if strings.Contains(out+stderr, "BEGIN RSA") || strings.Contains(out+stderr, "ghs_") {
		t.Error("the key or the installation token appears in the output")
	}
	loose := filepath.Join(dir, "loose.pem")
	notPEM := filepath.Join(dir, "token.pem")
	if err := os.WriteFile(loose, pemText, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(notPEM, []byte("ghp_notakey"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"id without key", []string{"--github-app-id", "4242"}, "go together"},
		{"key readable by others", []string{"--github-app-id", "4242", "--github-app-key-file", loose}, "chmod 600"},
		{"not a key", []string{"--github-app-id", "4242", "--github-app-key-file", notPEM}, "not a PEM file"},
		{"unknown app", []string{"--github-app-id", "999", "--github-app-key-file", keyFile}, "HTTP 401"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runHost(t, "", append(base, tc.args...)...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "panic") {
				t.Fatalf("exit %d, stderr %q; want exit 2 and one line with %q", code, stderr, tc.want)
			}
		})
	}
}

// Several tokens in one variable or file: the targets spread over them,
// round-robin while their quotas are unknown; one token is kept as it is.
func TestPickToken(t *testing.T) {
	h := hostFlags{budgets: &httpx.Budgets{}}
	var got []string
	for range 3 {
		got = append(got, h.pickToken("https://api.github.com/", "ghp_a,ghp_b\n"))
	}
	got = append(got, h.pickToken("https://api.github.com/", "ghp_only"))
	if d := cmp.Diff([]string{"ghp_a", "ghp_b", "ghp_a", "ghp_only"}, got); d != "" {
		t.Errorf("tokens (-want +got)\n%s", d)
	}
}
