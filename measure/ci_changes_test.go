package measure

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func ciChangesFixture() []model.Change {
	merged := func(id string, createdH, mergedH float64) model.Change {
		return model.Change{ID: id, URL: "https://host.example/pr/" + id, Title: "Change " + id, Author: "alice",
			State: "merged", CreatedAt: ciAt(createdH), MergedAt: ciTP(ciAt(mergedH)), TargetBranch: "main"}
	}
	c1 := merged("1", 0, 10)
	c1.Title, c1.FirstCommit, c1.Additions, c1.Deletions = "Fix #12", ciTP(ciAt(-5)), 10, 5
	c1.DetailsKnown, c1.Approvals, c1.Files = true, 1, []string{"cmd/main.go", "cmd/main_test.go"}
	c2 := merged("2", 0, 100)
	c2.Title, c2.LinkedIssues, c2.Additions, c2.Deletions = "Refactor", []string{"7"}, 100, 100
	c2.DetailsKnown, c2.Files = true, []string{"pkg/a.go", "README.md"}
	c3 := merged("3", 0, 30)
	c3.Title, c3.Author = "Tidy", "bob"
	c3.SourceBranch = "feature/ABC-1-tidy"
	c4 := merged("4", 0, 1)
	c4.Author, c4.Title, c4.DetailsKnown = "dependabot[bot]", "Bump x", true
	c4.Files, c4.Additions, c4.Deletions = []string{"go.mod", "go.sum"}, 2, 2
	c5 := model.Change{ID: "5", State: "open", CreatedAt: ciAt(3)}
	c6 := merged("6", 0, 5)
	c6.TargetBranch = "release-1"
	c7 := merged("7", -50, -10)
	return []model.Change{c1, c2, c3, c4, c5, c6, c7}
}

func TestComputeCIChanges(t *testing.T) {
	ids := []string{"change.count", "change.lifetime_hours.p50", "change.lifetime_hours.p90",
		"change.first_commit_to_merge_hours.p50", "change.size_lines.p50", "change.review_ratio",
		"change.issue_link_ratio", "change.with_tests_ratio"}
	tests := []struct {
		name    string
		kinds   []model.Kind
		changes []model.Change
		want    map[string]ciGot
		notes   map[string]string
		unknown string
	}{
		{name: "merged changes", kinds: []model.Kind{model.KindChanges}, changes: ciChangesFixture(),
			want: map[string]ciGot{
				"change.count":                           ciK(4, 4),
				"change.lifetime_hours.p50":              ciK(10, 4),
				"change.lifetime_hours.p90":              ciK(100, 4),
				"change.first_commit_to_merge_hours.p50": ciK(15, 1),
				"change.size_lines.p50":                  ciK(15, 3),
				"change.review_ratio":                    ciK(1.0/3, 3),
				"change.issue_link_ratio":                ciK(1, 3),
				"change.with_tests_ratio":                ciK(0.5, 2),
			},
			notes: map[string]string{"change.issue_link_ratio": "1 bot-authored change(s) left out"}},
		{name: "none merged in the window", kinds: []model.Kind{model.KindChanges}, changes: ciChangesFixture()[4:],
			want: map[string]ciGot{
				"change.count": ciK(0, 0), "change.lifetime_hours.p50": ciU, "change.review_ratio": ciU,
				"change.issue_link_ratio": ciU, "change.with_tests_ratio": ciU, "change.size_lines.p50": ciU,
			},
			notes: map[string]string{"change.lifetime_hours.p50": "no change merged into trunk in the window",
				"change.with_tests_ratio": "no change merged into trunk in the window"}},
		{name: "listing only", kinds: []model.Kind{model.KindChanges}, changes: ciChangesFixture()[2:3],
			want: map[string]ciGot{
				"change.count": ciK(1, 1), "change.lifetime_hours.p50": ciK(30, 1), "change.review_ratio": ciU,
				"change.issue_link_ratio": ciK(1, 1), "change.with_tests_ratio": ciU,
				"change.first_commit_to_merge_hours.p50": ciU,
			},
			notes: map[string]string{"change.review_ratio": "no merged change with review details"}},
		{name: "not collected", changes: ciChangesFixture(), unknown: whyNoChanges},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Changes = tc.changes
			ms := model.Measurements{}
			computeCI(ev, Options{}, ms)
			if tc.unknown != "" {
				ciAllIDsUnknown(t, ms, tc.unknown, ids...)
				return
			}
			ciCheck(t, ms, tc.want, tc.notes)
		})
	}
}

func TestComputeCIChangeRefs(t *testing.T) {
	ev := ciEv(model.KindChanges)
	ev.Changes = ciChangesFixture()
	ms := model.Measurements{}
	computeCI(ev, Options{}, ms)
	for id, want := range map[string][]string{
		"change.review_ratio":       {"change:2", "change:4"},
		"change.with_tests_ratio":   {"change:2"},
		"change.lifetime_hours.p90": {"change:2", "change:3", "change:1", "change:4"},
	} {
		if d := cmp.Diff(want, ciRefs(ms, id)); d != "" {
			t.Errorf("%s refs (-want +got):\n%s", id, d)
		}
	}
}

func TestComputeCIProtection(t *testing.T) {
	ids := []string{"protection.required_approvals", "protection.required_checks", "protection.require_pr",
		"protection.require_checks"}
	tests := []struct {
		name    string
		kinds   []model.Kind
		p       *model.Protection
		want    []ciGot
		note    string
		unknown string
	}{
		{name: "github", kinds: []model.Kind{model.KindProtection},
			p: &model.Protection{Branch: "main", Protected: true, RequirePR: true, RequiredApprovals: 2,
				RequiredChecks: []string{"ci", "lint"}, Source: "rulesets"},
			want: []ciGot{ciK(2, 1), ciK(2, 1), ciK(1, 1), ciK(1, 1)}, note: "ci, lint"},
		{name: "gitlab pipelines must succeed", kinds: []model.Kind{model.KindProtection},
			p:    &model.Protection{Branch: "main", Protected: true, RequirePR: true, PipelineMustSucceed: true},
			want: []ciGot{ciK(0, 1), ciK(0, 1), ciK(1, 1), ciK(1, 1)}},
		{name: "unprotected", kinds: []model.Kind{model.KindProtection},
			want: []ciGot{ciK(0, 1), ciK(0, 1), ciK(0, 1), ciK(0, 1)}, note: "not protected"},
		{name: "not collected", p: &model.Protection{Protected: true, RequiredApprovals: 1}, unknown: whyNoProtection},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Protection = tc.p
			ms := model.Measurements{}
			computeCI(ev, Options{}, ms)
			if tc.unknown != "" {
				ciAllIDsUnknown(t, ms, tc.unknown, ids...)
				return
			}
			want := map[string]ciGot{}
			for i, id := range ids {
				want[id] = tc.want[i]
			}
			ciCheck(t, ms, want, map[string]string{"protection.required_checks": tc.note})
			if r := ms["protection.require_pr"].Evidence; len(r) != 1 || r[0].Kind != model.RefSetting {
				t.Errorf("refs = %v, want one setting", r)
			}
		})
	}
}

func TestProtectionApprovalsUnknown(t *testing.T) {
	ev := &model.Evidence{DefaultBranch: "main"}
	ev.Mark(model.KindProtection)
	ev.Protection = &model.Protection{Branch: "main", Protected: true, RequirePR: true, PipelineMustSucceed: true, ApprovalsUnknown: true}
	ms := model.Measurements{}
	protectionMeasures(ev, ms)
	if m := ms["protection.required_approvals"]; m.Known {
		t.Errorf("required approvals known (%v) though the host did not say", m.Value)
	}
	if v, ok := ms.Get("protection.require_checks"); !ok || v != 1 {
		t.Errorf("require_checks = %v %v, want 1", v, ok)
	}
}

func TestReviewRatioSkipsUnknownApprovals(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ev := &model.Evidence{DefaultBranch: "main", Window: model.Window{Since: at.AddDate(0, 0, -30), Until: at}}
	ev.Mark(model.KindChanges)
	merged := at.AddDate(0, 0, -1)
	ev.Changes = []model.Change{{ID: "1", State: "merged", MergedAt: &merged, CreatedAt: merged.Add(-time.Hour), TargetBranch: "main",
		DetailsKnown: true, ApprovalsUnknown: true}}
	ms := Compute(ev, Options{})
	if m := ms["change.review_ratio"]; m.Known {
		t.Errorf("review ratio %v known from approvals the host would not tell", m.Value)
	}
}
