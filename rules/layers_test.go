package rules

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestLayerNeedsMoreThanOneFile: test-layering.method counts a layer only
// with enough files; a CI security scanner is not a security test layer; a
// layer that can live outside the tree is unknown when none is seen, not L1.
func TestLayerNeedsMoreThanOneFile(t *testing.T) {
	for _, tc := range []struct {
		name    string
		counts  map[model.Category]int
		scanner bool
		want    string
	}{
		{"unit tests only: interface tests may sit among them", map[model.Category]int{model.CatTestUnit: 200}, false, "unknown ≥1"},
		{"one integration file is no layer", map[model.Category]int{model.CatTestUnit: 200, model.CatTestIntegration: 1, model.CatTestPerformance: 2}, false, "L1 measured"},
		{"interface layer, no performance tests in the tree", map[model.Category]int{model.CatTestUnit: 200, model.CatTestIntegration: 40}, false, "unknown ≥1"},
		{"one benchmark file and a CI scanner: L2, not L3", map[model.Category]int{model.CatTestUnit: 300, model.CatTestIntegration: 40, model.CatTestPerformance: 1}, true, "L2 measured"},
		{"systematic performance and security tests", map[model.Category]int{model.CatTestUnit: 300, model.CatTestIntegration: 40, model.CatTestPerformance: 5, model.CatTestSecurity: 2}, false, "L3 measured"},
		{"UI tests only", map[model.Category]int{model.CatTestE2E: 30}, false, "L1 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			counts := map[model.Category]int{model.CatSource: 500}
			for c, n := range tc.counts {
				counts[c] = n
			}
			ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: counts}}
			if tc.scanner {
				ev.Tree.Facts.CI.Jobs = []model.CIJob{{File: ".github/workflows/codeql.yml", Name: "analyze", Kinds: []model.JobKind{model.JobSecurity}, Scanner: true}}
			}
			dims, _, _ := judgeAll(t, ev, set())
			if g := got(dims["test-layering.method"]); g != tc.want {
				t.Errorf("test-layering.method = %s, want %s; reasons:\n%v", g, tc.want, dims["test-layering.method"].Reasons)
			}
		})
	}
}
