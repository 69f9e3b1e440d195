package cli

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func revParse(t *testing.T, repo, rev string) string {
	t.Helper()
	out, err := exec.Command("git", "--git-dir", repo, "rev-parse", rev+"^{commit}").Output()
	if err != nil {
		t.Fatalf("git rev-parse %s: %v", rev, err)
	}
	return strings.TrimSpace(string(out))
}

// A local clone alone tells nothing of deployments; its release tags,
// opted in, and deployments recorded in the store give the DORA keys.
func TestDeploymentsFromTagsAndRecords(t *testing.T) {
	repo := trunkBased(t)
	db := filepath.Join(t.TempDir(), "history.db")
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--format", "json", "--quiet", "--store", db}

	r, _ := runJSON(t, append([]string{"audit", repo}, win...)...)
	if d := r.Targets[0].DORA; d != nil && d.DeploymentFrequency.Value != nil {
		t.Fatalf("deployment frequency known without deployment records: %+v", d.DeploymentFrequency)
	}

	r, _ = runJSON(t, append([]string{"audit", repo, "--deploy-tags", "v1.*"}, win...)...)
	f := r.Targets[0].DORA.DeploymentFrequency
	if f.Value == nil || *f.Value <= 0 || !strings.Contains(f.Note, "production deployments from release tags matching v1.*") {
		t.Errorf("deployment frequency from tags = %+v", f)
	}
	if lt := r.Targets[0].DORA.LeadTime; lt.Value == nil {
		t.Errorf("lead time from tags unknown: %+v", lt)
	}
	if cfr := r.Targets[0].DORA.ChangeFailureRate; cfr.Value == nil || *cfr.Value != 0 {
		t.Errorf("change failure rate from tags = %+v", cfr)
	}

	// A pipeline records two deployments; the next audit counts them.
	sha := revParse(t, repo, "v1.2.0")
	name := filepath.Base(repo)
	for _, args := range [][]string{
		{"record-deployment", "--target", name, "--env", "production", "--sha", sha, "--status", "failure", "--at", "2026-03-20T10:00:00Z"},
		{"record-deployment", "--target", name, "--env", "production", "--sha", sha, "--status", "success", "--at", "2026-03-20T11:30:00Z"},
	} {
		code, out, errOut := runCLI(t, append(args, "--store", db)...)
		if code != 0 || !strings.HasPrefix(out, "recorded deployment ") {
			t.Fatalf("%v: exit %d: %s%s", args, code, out, errOut)
		}
	}
	r, _ = runJSON(t, append([]string{"audit", repo}, win...)...)
	d := r.Targets[0].DORA
	if d.ChangeFailureRate.Value == nil || *d.ChangeFailureRate.Value != 0.5 ||
		!strings.Contains(d.ChangeFailureRate.Note, "deployments recorded with cdaudit record-deployment") {
		t.Errorf("change failure rate from recorded deployments = %+v", d.ChangeFailureRate)
	}
	if d.RecoveryTime.Value == nil || *d.RecoveryTime.Value != 1.5 {
		t.Errorf("recovery time from recorded deployments = %+v", d.RecoveryTime)
	}
	found := false
	for _, s := range r.Targets[0].Sources {
		found = found || s.Kind == "recorded-deployments"
	}
	if !found {
		t.Errorf("sources %+v name no recorded deployments", r.Targets[0].Sources)
	}
}

func TestRecordDeploymentBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no sha", []string{"--env", "production", "--status", "success"}, "commit \"\": want 7 to 64 hex digits"},
		{"bad sha", []string{"--env", "production", "--sha", "main", "--status", "success"}, "want 7 to 64 hex digits"},
		{"no env", []string{"--sha", "abcdef1", "--status", "success"}, "no environment"},
		{"bad status", []string{"--env", "production", "--sha", "abcdef1", "--status", "ok"}, "status \"ok\": want one of success, failure, error"},
		{"bad time", []string{"--env", "production", "--sha", "abcdef1", "--status", "success", "--at", "yesterday"}, "--at \"yesterday\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"record-deployment", "--target", "app", "--store", db}, c.args...)...)
			if code != ExitError || out != "" || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line containing %q", code, out, errOut, c.want)
			}
		})
	}
}
