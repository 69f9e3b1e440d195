package measure

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

var mon = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday

func sig(email string, at time.Time) model.Signature {
	return model.Signature{Name: email, Email: email, When: at}
}

func commit(h string, parents []string, author string, at time.Time, msg string, fp bool) model.Commit {
	return model.Commit{Hash: h, Parents: parents, Author: sig(author, at), Committer: sig(author, at), Message: msg, FirstParent: fp}
}

func TestPercentileNearestRank(t *testing.T) {
	tests := []struct {
		vals []float64
		p    float64
		want float64
	}{
		{[]float64{15, 20, 35, 40, 50}, 50, 35},
		{[]float64{15, 20, 35, 40, 50}, 90, 50},
		{[]float64{3, 1, 2, 4}, 50, 2},
		{[]float64{7}, 90, 7},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90, 9},
	}
	for _, tt := range tests {
		got, ok := percentile(append([]float64(nil), tt.vals...), tt.p)
		if !ok || got != tt.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", tt.vals, tt.p, got, tt.want)
		}
	}
	if _, ok := percentile(nil, 50); ok {
		t.Error("empty sample has a percentile")
	}
}

func TestWorkingDays(t *testing.T) {
	if got := workingDays(mon, mon.AddDate(0, 0, 28)); got != 20 {
		t.Errorf("4 weeks = %d working days, want 20", got)
	}
	if got := workingDays(mon.AddDate(0, 0, 5), mon.AddDate(0, 0, 7)); got != 0 {
		t.Errorf("a weekend = %d working days", got)
	}
}

func TestSemver(t *testing.T) {
	for tag, want := range map[string]bool{"v1.2.3": true, "1.0.0": true, "1.0.0-rc.1+build.5": true, "v1.2": false,
		"release-1.2.3": false, "v01.2.3": false, "1.2.3-": false, "2026.01.05": false} {
		if IsSemver(tag) != want {
			t.Errorf("IsSemver(%q) = %v", tag, !want)
		}
	}
}

func TestIssuePattern(t *testing.T) {
	for msg, want := range map[string]bool{"fix #12": true, "PAY-123: x": true, "see GH-1": true, "color #fff": false,
		"C#12 notes": false, "x&#123;": false, "UTF-8 text": false, "SHA-256 and PAY-1": true, "CVE-2024-1234": false, "(#9)": true} {
		if ReferencesIssue(msg, DefaultIssuePattern) != want {
			t.Errorf("issue pattern on %q = %v", msg, !want)
		}
	}
}

func TestComputeGit(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 0, 7)}
	ev := &model.Evidence{Window: w, DefaultBranch: "main"}
	ev.Mark(model.KindCommits, model.KindMerges, model.KindBranches, model.KindTags)
	h := func(d int, hour int) time.Time { return mon.AddDate(0, 0, d).Add(time.Duration(hour) * time.Hour) }
	ev.Commits = []model.Commit{
		commit("m2", []string{"d1", "b2"}, "alice@x", h(2, 15), "Merge branch 'f2'", true),
		commit("b2", []string{"b1"}, "Bob@X", h(2, 12), "PAY-2 more", false),
		commit("b1", []string{"d1"}, "bob@x", h(1, 9), "PAY-2 start", false),
		commit("d1", []string{"m1"}, "alice@x", h(1, 10), "direct fix #4", true),
		commit("m1", []string{"c0", "a1"}, "alice@x", h(0, 12), "Merge branch 'f1'", true),
		commit("a1", []string{"c0"}, "alice@x", h(0, 10), "work", false),
		commit("r1", []string{"c0"}, "dependabot[bot]@users.noreply.github.com", h(0, 11), "Revert \"x\"", false),
	}
	ev.Merges = []model.Merge{
		{Hash: "m2", Committed: h(2, 15), FirstAuthored: h(1, 9), Authors: []string{"bob@x"}, BroughtCount: 2},
		{Hash: "m1", Committed: h(0, 12), FirstAuthored: h(0, 10), Authors: []string{"alice@x"}, BroughtCount: 1},
	}
	ev.Tags = []model.Tag{{Name: "v1.0.0", Committed: h(1, 10)}, {Name: "nightly", Committed: h(2, 0)}, {Name: "v0.9.0", Committed: mon.AddDate(0, 0, -3)}}
	ev.Branches = []model.Branch{{Name: "old", LastCommit: mon.AddDate(0, -3, 0)}, {Name: "fresh", LastCommit: h(3, 0)}}
	ms := Compute(ev, Options{})
	want := map[string]float64{
		"git.commits":                   5, // a1, b1, b2, d1, r1
		"git.authors":                   3, // alice, bob (case-folded), dependabot
		"git.trunk_merges":              2,
		"git.branch_lifetime_hours.p50": 2,
		"git.branch_lifetime_hours.p90": 30,
		"git.tags":                      2,
		"git.tags_semver_ratio":         2.0 / 3, // v1.0.0, nightly and the older v0.9.0 (topped up to MinVersionTags)
		"git.issue_ref_ratio":           0.75,    // b1, b2, d1 of the 4 human commits; the bot's r1 is left out
		"git.integrations":              3,       // m1 (alice), d1 (alice), m2 (bob)
		"git.integrating_developers":    2,
		"git.integrations_per_dev_day":  0.3, // 3 / (2 devs × 5 days)
		"git.revert_commits":            1,
		"git.open_branches":             2,
		"git.stale_branch_ratio":        0.25, // 1 stale / (2 open + 2 merged)
	}
	got := map[string]float64{}
	for id := range want {
		v, ok := ms.Get(model.MeasurementID(id))
		if !ok {
			t.Errorf("%s unknown: %s", id, ms[id].Note)
		}
		got[id] = v
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("measurements (-want +got):\n%s", diff)
	}
	if _, ok := ms.Get("git.changes_with_tests_ratio"); ok {
		t.Error("tests-with-changes known without commit files")
	}
}

func TestUnknownWhenNotCollected(t *testing.T) {
	ms := Compute(&model.Evidence{Window: model.Window{Since: mon, Until: mon.AddDate(0, 0, 7)}}, Options{})
	for _, id := range []string{"git.commits", "git.authors", "git.trunk_merges", "git.branch_lifetime_hours.p50", "git.tags",
		"git.issue_ref_ratio", "ci.runs", "dora.change_failure_ratio"} {
		m, ok := ms[id]
		if !ok {
			t.Errorf("%s missing: unknown measurements must be reported", id)
			continue
		}
		if m.Known || m.Note == "" {
			t.Errorf("%s = %+v, want unknown with a note", id, m)
		}
	}
}

func TestCommitsWithTests(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 0, 7)}
	ev := &model.Evidence{Window: w}
	ev.Mark(model.KindCommits, model.KindCommitFiles)
	at := mon.Add(time.Hour)
	c := func(h string, merge bool, files ...string) model.Commit {
		p := []string{"p"}
		if merge {
			p = append(p, "q")
		}
		x := commit(h, p, "a@x", at, "m", true)
		x.Files = files
		return x
	}
	ev.Commits = []model.Commit{
		c("1", false, "pkg/a.go", "pkg/a_test.go"),
		c("2", false, "pkg/b.go"),
		c("3", true, "pkg/c.go", "pkg/c_test.go"),
		c("4", false, "README.md"),
	}
	ms := Compute(ev, Options{})
	if v, _ := ms.Get("git.changes_with_tests_ratio"); v != 2.0/3 {
		t.Errorf("changes with tests = %v, want 2/3", v)
	}
	if v, _ := ms.Get("git.commits_with_tests_ratio"); v != 0.5 {
		t.Errorf("commits with tests = %v, want 1/2", v)
	}
}

func TestMergesFromHostRecords(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 0, 7)}
	ev := &model.Evidence{Window: w, DefaultBranch: "main"}
	ev.Mark(model.KindCommits, model.KindChanges, model.KindBranches)
	h := func(d, hour int) time.Time { return mon.AddDate(0, 0, d).Add(time.Duration(hour) * time.Hour) }
	first := h(0, 9)
	merged := h(0, 15)
	squashFirst, squashMerged := h(1, 8), h(1, 10)
	ev.Commits = []model.Commit{
		commit("m1", []string{"c0", "x"}, "web-flow@github.com", merged, "Merge pull request #1", true),
		commit("s1", []string{"m1"}, "bob@x", squashMerged, "Squashed (#2)", true),
	}
	ev.Changes = []model.Change{
		{ID: "1", Author: "alice", State: "merged", MergedAt: &merged, FirstCommit: &first, MergeSHA: "m1", TargetBranch: "main"},
		{ID: "2", Author: "bob", State: "merged", MergedAt: &squashMerged, FirstCommit: &squashFirst, MergeSHA: "s1", TargetBranch: "main"},
	}
	ms := Compute(ev, Options{})
	for id, want := range map[string]float64{"git.trunk_merges": 1, "git.branch_lifetime_hours.p50": 2, "git.branch_lifetime_hours.p90": 6,
		"git.integrations": 2, "git.integrating_developers": 2, "git.stale_branch_ratio": 0} {
		if v, ok := ms.Get(model.MeasurementID(id)); !ok || v != want {
			t.Errorf("%s = %v (known %v), want %v; note %q", id, v, ok, want, ms[id].Note)
		}
	}
	if !strings.Contains(ms["git.branch_lifetime_hours.p50"].Note, "pull/merge request") {
		t.Errorf("note does not say where the figure comes from: %q", ms["git.branch_lifetime_hours.p50"].Note)
	}
}
