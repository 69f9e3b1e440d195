package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
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
