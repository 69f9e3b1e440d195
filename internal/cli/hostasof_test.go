package cli

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// TestHostOnlyTrunkAsOf: an audit without a local clone names trunk as of
// the window's end in the report, the head for a window ending now and the
// newest commit before --until for a past window, whose tree it read.
func TestHostOnlyTrunkAsOf(t *testing.T) {
	srv := startGitHub(t)
	var head, older githubfake.Commit
	srv.Update(func(r *githubfake.Repo) {
		head, older = r.Commits[0], r.Commits[1]
		r.FilesAt = map[string]map[string]string{older.SHA: {"Jenkinsfile": "pipeline { agent any }\n", "main.go": "package main\n"}}
	})
	_, now := githubfake.ScenarioWindow()
	past := older.Commit.Committer.Date.Add(time.Minute)
	for _, tc := range []struct {
		name  string
		until time.Time
		want  model.TrunkAt
	}{
		{"window ending now", now, model.TrunkAt{Commit: head.SHA, Committed: head.Commit.Committer.Date.UTC()}},
		{"past window", past, model.TrunkAt{Commit: older.SHA, Committed: older.Commit.Committer.Date.UTC()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runHost(t, fakeToken, "audit", "--github", "acme/shop", "--github-api-url", srv.URL,
				"--since", tc.until.AddDate(0, 0, -30).Format(time.RFC3339), "--until", tc.until.Format(time.RFC3339), "--format", "json", "--quiet")
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var r model.Report
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			if r.Targets[0].Trunk == nil {
				t.Fatal("no trunk in the report")
			}
			if d := cmp.Diff(tc.want, *r.Targets[0].Trunk); d != "" {
				t.Errorf("trunk (-want +got):\n%s", d)
			}
		})
	}
}
