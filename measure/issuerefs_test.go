package measure

import (
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

func TestCommitReferencesIssue(t *testing.T) {
	links := map[string]bool{"12": true, "13": false}
	for _, tc := range []struct {
		msg   string
		links map[string]bool
		want  bool
	}{
		{"Fix the parser (#13)", nil, false},                          // the squash suffix is the PR's own number
		{"Fix the parser (#13)\n\nCloses #7", nil, true},              // the body names an issue
		{"Fix #7 in the parser (#13)", nil, true},                     // the subject names one before the suffix
		{"Fix the parser (#12)", links, true},                         // the PR links an issue on the host
		{"Fix the parser (#13)", links, false},                        // the PR links none
		{"lib: fix a leak\n\nCloses #9821", nil, true},                // curl: rebase merge, Closes #N in the body
		{"Bump golang.org/x/sys from 0.1 to 0.2 (#3001)", nil, false}, // a bot's squash merge
	} {
		t.Run(tc.msg, func(t *testing.T) {
			if got := CommitReferencesIssue(tc.msg, DefaultIssuePattern, tc.links); got != tc.want {
				t.Errorf("CommitReferencesIssue(%q) = %v, want %v", tc.msg, got, tc.want)
			}
		})
	}
}

// TestIssueRefRatioLeavesOutBots: the share is over the team's commits, the
// squash suffix does not count, and a host's linked issues do.
func TestIssueRefRatioLeavesOutBots(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 0, 7)}
	at := mon.Add(10 * time.Hour)
	ev := &model.Evidence{Window: w, DefaultBranch: "main"}
	ev.Mark(model.KindCommits, model.KindChanges)
	ev.Commits = []model.Commit{
		commit("a", []string{"0"}, "alice@x", at, "Fix the parser (#13)", true),
		commit("b", []string{"a"}, "bob@x", at.Add(time.Hour), "Add a flag (#12)", true),
		commit("c", []string{"b"}, "bob@x", at.Add(2*time.Hour), "Closes #7: crash on empty input (#14)", true),
		commit("d", []string{"c"}, "dependabot[bot]@users.noreply.github.com", at.Add(3*time.Hour), "Bump x from 1 to 2 (#15)", true),
	}
	ev.Changes = []model.Change{{ID: "12", LinkedIssues: []string{"3"}}, {ID: "13"}, {ID: "14"}}
	ms := Compute(ev, Options{})
	m := ms[string(model.GitIssueRefRatio)]
	if !m.Known || m.Value != 2.0/3 || m.N != 3 {
		t.Errorf("git.issue_ref_ratio = %v (n=%d, known %v, %q), want 2/3 of the 3 human commits", m.Value, m.N, m.Known, m.Note)
	}
}

func TestDefaultBotPattern(t *testing.T) {
	for name, want := range map[string]bool{"dependabot[bot]": true, "PrometheusBot": true, "GitLab Renovate Bot": true,
		"GitLab-Argo Bot": true, "gitlab-bot@gitlab.com": true, "Ben Kochie": false, "Talbot Smith": false, "Abbott": false,
		"robot@example.com": false} {
		if got := DefaultBotPattern.MatchString(name); got != want {
			t.Errorf("DefaultBotPattern(%q) = %v, want %v", name, got, want)
		}
	}
}
