package rules

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestCIMethodL4NeedsSharesAndATestGate: ci.method L4 needs tests and
// static checks on (nearly) every trunk and change-head run, not one run,
// and a required check that tests or lints; a DCO check is no quality gate.
func TestCIMethodL4NeedsSharesAndATestGate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		test   float64
		lint   float64
		checks []string
		want   string
	}{
		{"every run tests and lints; a test check is required", 0.97, 0.95, []string{"DCO", "test (ubuntu-latest)"}, "L4 measured"},
		{"one run in five ran the tests", 0.2, 0.95, []string{"test"}, "L3 measured"},
		{"only a DCO check is required", 1, 1, []string{"DCO", "license/cla"}, "L3 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree, model.KindRuns, model.KindProtection)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{CI: model.CIFacts{Triggers: []string{"push", "pull_request"},
				Jobs: []model.CIJob{{File: ".github/workflows/ci.yml", Name: "test", Kinds: []model.JobKind{model.JobTest}, Triggers: []string{"push", "pull_request"}},
					{File: ".github/workflows/ci.yml", Name: "lint", Kinds: []model.JobKind{model.JobLint}, Triggers: []string{"push", "pull_request"}}}}}}
			ev.Runs = []model.Run{{ID: "1", Trigger: model.TriggerPush}}
			ev.Protection = &model.Protection{Branch: "main", RequiredChecks: tc.checks}
			ms := set("git.commits", 10, "git.integrations", 10, "ci.trunk_commit_coverage_ratio", 1.0,
				"ci.jobs.test_ratio", tc.test, "ci.jobs.lint_ratio", tc.lint)
			dims, _, _ := judgeAll(t, ev, ms)
			if g := got(dims["ci.method"]); g != tc.want {
				t.Errorf("ci.method = %s, want %s; reasons:\n%v", g, tc.want, dims["ci.method"].Reasons)
			}
		})
	}
}
