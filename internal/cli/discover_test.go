package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

// startOrg serves the scenario repository acme/shop inside an organisation
// that also lists a repository the token cannot read (acme/ghost: 404 on
// every repository route), an archived one and a fork.
func startOrg(t *testing.T) *githubfake.Server {
	t.Helper()
	srv := startGitHub(t)
	srv.SetOwners(
		githubfake.Owner{Login: "acme", Type: "Organization", Repos: []githubfake.ListedRepo{
			{Name: "shop", DefaultBranch: "main", Language: "Go", Topics: []string{"payments"}},
			{Name: "ghost", DefaultBranch: "main", Language: "Java"},
			{Name: "attic", DefaultBranch: "master", Archived: true},
			{Name: "forked", DefaultBranch: "main", Fork: true},
		}},
		githubfake.Owner{Login: "locked", Type: "Organization", Forbidden: true},
	)
	return srv
}

func hostWindow() []string {
	since, until := githubfake.ScenarioWindow()
	return []string{"--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339)}
}

// One repository failing among many is `failed` with its reason; the
// others are audited, archived repositories and forks are left out, and
// each target carries its language label.
func TestAuditGitHubOrg(t *testing.T) {
	srv := startOrg(t)
	code, out, stderr := runHost(t, fakeToken, append([]string{"audit", "--github-org", "acme", "--github-api-url", srv.URL,
		"--format", "json", "--quiet"}, hostWindow()...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out+stderr, "TESTTOKEN") {
		t.Fatal("the token appears in the output")
	}
	var r model.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name, Language string
		Failed         bool
	}
	var got []row
	for _, tr := range r.Targets {
		got = append(got, row{tr.Name, tr.Labels["language"], tr.Error != ""})
		if tr.Error != "" && !strings.Contains(tr.Error, "not found") {
			t.Errorf("%s failed without its reason: %q", tr.Name, tr.Error)
		}
	}
	want := []row{{"acme/ghost", "Java", true}, {"acme/shop", "Go", false}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("targets (-want +got)\n%s", d)
	}
}

func TestAuditOrgBadInput(t *testing.T) {
	srv := startOrg(t)
	gl := gitlabfake.New(&gitlabfake.Data{}, gitlabfake.Options{})
	t.Cleanup(gl.Close)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown organisation", []string{"--github-org", "nobody", "--github-api-url", srv.URL}, "organisation or user nobody not found"},
		{"token without read:org", []string{"--github-org", "locked", "--github-api-url", srv.URL}, "needs read:org"},
		{"unknown group", []string{"--gitlab-group", "nobody", "--gitlab-url", gl.BaseURL()}, `group "nobody"`},
		{"bad shard", []string{"--github-org", "acme", "--github-api-url", srv.URL, "--shard", "2/2"}, "--shard"},
		{"org and repository", []string{"--github-org", "acme", "--github", "acme/shop", "--github-api-url", srv.URL}, "give one of"},
		{"nothing passes", []string{"--github-org", "acme", "--include", "zzz*", "--github-api-url", srv.URL}, "no repository passes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runHost(t, fakeToken, append([]string{"audit", "--quiet"}, tc.args...)...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit 2 and one line with %q", code, stderr, tc.want)
			}
			if strings.Contains(stderr, "TESTTOKEN") || strings.Contains(stderr, "panic") {
				t.Fatalf("stderr: %s", stderr)
			}
		})
	}
}

// A config's discovery entry and an explicit target, sharded in two: the
// shards' targets are disjoint and together the whole set; an explicit
// target is not audited twice.
func TestAuditConfigDiscoveryShards(t *testing.T) {
	srv := startOrg(t)
	cfg := filepath.Join(t.TempDir(), "audit.yaml")
	text := "targets:\n  - github: acme/shop\n    labels: {team: web}\n  - github: {org: acme, forks: true}\n    labels: {system: core}\n"
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	all := map[string]int{}
	for _, shard := range []string{"0/2", "1/2"} {
		code, out, stderr := runHost(t, fakeToken, append([]string{"audit", "--config", cfg, "--github-api-url", srv.URL,
			"--format", "json", "--quiet", "--shard", shard}, hostWindow()...)...)
		if code == 2 {
			// Every target of this shard failed: the one line names them.
			for _, m := range regexp.MustCompile(`(acme/\w+): no evidence`).FindAllStringSubmatch(stderr, -1) {
				all[m[1]]++
			}
			continue
		}
		if code != 0 {
			t.Fatalf("shard %s: exit %d: %s", shard, code, stderr)
		}
		if strings.TrimSpace(out) == "" {
			continue // an empty shard prints nothing and succeeds
		}
		var r model.Report
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		for _, tr := range r.Targets {
			all[tr.Name]++
			if tr.Name == "acme/shop" && tr.Labels["team"] != "web" {
				t.Errorf("explicit target's labels lost: %v", tr.Labels)
			}
			if tr.Name == "acme/forked" && tr.Labels["system"] != "core" {
				t.Errorf("entry labels missing on a discovered target: %v", tr.Labels)
			}
		}
	}
	if d := cmp.Diff(map[string]int{"acme/shop": 1, "acme/ghost": 1, "acme/forked": 1}, all); d != "" {
		t.Errorf("targets over both shards (-want +got)\n%s", d)
	}
}

func TestProgressLine(t *testing.T) {
	p := &progress{total: 3}
	p.target("acme/shop")
	p.step(120)
	p.targetDone(model.TargetResult{Sources: []model.SourceStatus{{Requests: &model.RequestStats{Total: 40}}, {}}})
	if got, want := p.line(), "1/3 targets · acme/shop (120 commits) · 40 requests"; got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
	p.stage("acme/api: pull requests")
	if got, want := p.line(), "1/3 targets · acme/api: pull requests · 40 requests"; got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
	var nilp *progress
	nilp.stage("x") // a nil progress draws nothing and does not panic
}

// A shard that holds no target succeeds with nothing to do (one pod of a
// job with more shards than targets).
func TestAuditEmptyShard(t *testing.T) {
	srv := startOrg(t)
	reports := 0
	for _, shard := range []string{"0/2", "1/2"} {
		code, out, stderr := runHost(t, fakeToken, append([]string{"audit", "--github-org", "acme", "--include", "shop",
			"--github-api-url", srv.URL, "--format", "json", "--quiet", "--shard", shard}, hostWindow()...)...)
		if code != 0 {
			t.Fatalf("shard %s: exit %d: %s", shard, code, stderr)
		}
		if strings.TrimSpace(out) != "" {
			reports++
		}
	}
	if reports != 1 {
		t.Errorf("%d shards printed a report, want 1", reports)
	}
}
