package github

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// TestTreeAsOfWindowEnd: a host-only audit of a past window reads the tree
// at the branch's newest commit before the window's end (the commits
// listing with until, then that commit's tree) and names it as trunk; a
// window ending now reads the head's tree (with no extra request: the
// request counts of BenchmarkAPIEconomy are unchanged).
func TestTreeAsOfWindowEnd(t *testing.T) {
	srv := startScenario(t)
	var head, older githubfake.Commit
	srv.Update(func(r *githubfake.Repo) {
		head, older = r.Commits[0], r.Commits[1]
		r.FilesAt = map[string]map[string]string{older.SHA: {
			"Jenkinsfile": "pipeline { agent any\n stages { stage('test') { steps { sh 'go test ./...' } } } }\n",
			"main.go":     "package main\n\nfunc main() {}\n",
		}}
	})
	type view struct {
		Trunk     string
		Committed time.Time
		Tree      string
		Paths     []string
	}
	until := older.Commit.Committer.Date.Add(time.Minute)
	if !head.Commit.Committer.Date.After(until) {
		t.Fatalf("scenario: head committed %v, not after %v", head.Commit.Committer.Date, until)
	}
	for _, tc := range []struct {
		name   string
		window model.Window
		want   view
	}{
		{"window ending now", model.Window{}, view{head.SHA, head.Commit.Committer.Date.UTC(), head.SHA, nil}},
		{"past window", model.Window{Since: until.AddDate(0, 0, -30), Until: until},
			view{older.SHA, older.Commit.Committer.Date.UTC(), older.SHA, []string{"Jenkinsfile", "main.go"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.window = tc.window
			ev, res, err := e.collect(t, srv, nil)
			if err != nil || res.Partial {
				t.Fatalf("err %v, partial %v (%q)", err, res.Partial, res.Warnings)
			}
			if !ev.Has(model.KindTree) {
				t.Fatal("tree not collected")
			}
			got := view{ev.TrunkTip, ev.TrunkTipAt, ev.Tree.Commit, ev.Tree.Paths}
			if tc.want.Paths == nil {
				got.Paths = nil
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("trunk and tree (-want +got):\n%s", d)
			}
		})
	}
}
