package gitlab

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

// TestTreeAsOfWindowEnd: without a local clone, a past window's tree is read
// at the branch's newest commit before the window's end (the commits
// listing with ref_name, until and per_page=1, then the tree and files at
// that commit) and named as trunk; a window ending after the head reads the
// head's tree with no extra request.
func TestTreeAsOfWindowEnd(t *testing.T) {
	type view struct {
		Trunk     string
		Committed time.Time
		Tree      string
		Paths     []string
	}
	for _, tc := range []struct {
		name   string
		until  time.Time
		want   view
		asksOf bool
	}{
		{"window ending after the head", until, view{sha("c3"), at(6, 9, 0), sha("c3"), nil}, false},
		{"window ending before the head", at(5, 12, 0), view{sha("c2"), at(5, 9, 0), sha("c2"), []string{"Jenkinsfile", "main.go"}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := scenario()
			d.TreesAt = map[string][]gitlabfake.TreeEntry{sha("c2"): {
				{ID: sha("j1"), Name: "Jenkinsfile", Type: "blob", Path: "Jenkinsfile", Mode: "100644"},
				{ID: sha("m1"), Name: "main.go", Type: "blob", Path: "main.go", Mode: "100644"},
			}}
			d.FilesAt = map[string]map[string]string{sha("c2"): {
				"Jenkinsfile": "pipeline { agent any\n stages { stage('test') { steps { sh 'go test ./...' } } } }\n",
				"main.go":     "package main\n\nfunc main() {}\n",
			}}
			h := newHarness(t, d, gitlabFakeOpts(), nil)
			ev := &model.Evidence{Window: model.Window{Since: since, Until: tc.until}}
			res, err := h.c.Collect(context.Background(), ev)
			if err != nil || res.Partial {
				t.Fatalf("Collect: %v partial=%v %q", err, res.Partial, res.Warnings)
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
			asked := false
			for _, r := range h.srv.Requests(false) {
				if strings.Contains(r, "/repository/commits?") && strings.Contains(r, "per_page=1") && strings.Contains(r, "until=") &&
					strings.Contains(r, "ref_name=main") {
					asked = true
				}
			}
			if asked != tc.asksOf {
				t.Errorf("asked for the commit before the window's end: %v, want %v", asked, tc.asksOf)
			}
		})
	}
}
