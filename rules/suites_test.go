package rules

import (
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestLayersFromTestReports: interface-level and performance suites that
// the CI's test reports ran (test.suites.*) prove test layers the tree
// shows no directory for.
func TestLayersFromTestReports(t *testing.T) {
	tree := func() *model.Evidence {
		ev := gitEvidence()
		ev.Mark(model.KindTree)
		ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: map[model.Category]int{model.CatTestUnit: 40}}}
		return ev
	}
	for _, tc := range []struct {
		name           string
		ms             model.Measurements
		strategy, why  string
		methodL2Reason string
	}{
		{"the tree alone: one layer", set(), "L1 measured", "tests in 1 layer(s)", "no interface/service-level tests in the tree"},
		{"integration suites in CI test reports", set("test.suites.integration", 3, "test.suites.performance", 0),
			"L2 measured", "test-integration 3 suite(s) in CI test reports", "no performance tests in the tree"},
		{"integration and performance suites", set("test.suites.integration", 3, "test.suites.performance", 1),
			"L2 measured", "test-integration 3 suite(s)", "interface/service-level tests: 3 suite(s) in the CI's test reports"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dims, _, _ := judgeAll(t, tree(), tc.ms)
			s := dims["test-layering.strategy"]
			if g := got(s); !strings.HasPrefix(g, tc.strategy) || !strings.Contains(strings.Join(s.Reasons, "\n"), tc.why) {
				t.Errorf("test-layering.strategy = %s, want %s with %q; reasons:\n%v", g, tc.strategy, tc.why, s.Reasons)
			}
			m := dims["test-layering.method"]
			if !strings.Contains(strings.Join(m.Reasons, "\n"), tc.methodL2Reason) {
				t.Errorf("test-layering.method reasons lack %q:\n%v", tc.methodL2Reason, m.Reasons)
			}
		})
	}
}
