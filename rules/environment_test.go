package rules

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestElasticEnvironmentsNeedMoreThanReviewApps: per-change review
// environments prove isolated workspaces (types L3); "environments of every
// kind allocated elastically" (L5) needs elastic provisioning besides them.
func TestElasticEnvironmentsNeedMoreThanReviewApps(t *testing.T) {
	for _, tc := range []struct {
		name    string
		scaling int
		want    string
	}{
		{"review apps only", 0, "L4 measured"},
		{"review apps and autoscaling", 2, "L5 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{
				Counts:       map[model.Category]int{model.CatAutoscaling: tc.scaling, model.CatContainer: 1},
				Environments: []string{"review/pr-1", "staging", "test", "development", "production"},
			}}
			dims, _, _ := judgeAll(t, ev, set("git.commits", 10))
			if g := got(dims["environment.types"]); g != tc.want {
				t.Errorf("environment.types = %s, want %s; reasons:\n%v", g, tc.want, dims["environment.types"].Reasons)
			}
		})
	}
}
