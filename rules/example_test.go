package rules_test

import (
	"fmt"
	"time"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/rules"
)

// Judge reads evidence and measurements and gives every dimension of the
// catalogue a level with its reasons; what was not collected stays unknown.
func ExampleJudge() {
	cat, err := model.LoadCatalogue()
	if err != nil {
		panic(err)
	}
	ev := &model.Evidence{Target: "app"}
	ev.Mark(model.KindCommits, model.KindMerges, model.KindBranches)
	ms := model.Measurements{}
	ms.Set(model.GitIntegrations, 120, 120)
	ms.Set(model.GitCommits, 300, 300)
	ms.Set(model.GitTrunkMerges, 60, 60)
	ms.Set(model.GitBranchLifetimeHoursP50, 20, 60)
	ms.Set(model.GitDevCommitDayRatioP50, 0.9, 6)
	ms.Set(model.GitStaleBranchRatio, 0.05, 80)

	practices, _ := rules.Judge(rules.Input{Catalogue: cat, Evidence: ev, Measurements: ms,
		Now: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)})
	for _, p := range practices {
		if p.ID != "version-control" {
			continue
		}
		fmt.Println(p.ID, model.PracticeLevel(p))
		for _, d := range p.Dimensions {
			if d.ID == "branching" {
				fmt.Println(" ", d.ID, model.DimensionLevel(d), "-", d.Reasons[len(d.Reasons)-1])
			}
		}
	}
	// Output:
	// version-control unknown (≤ 4)
	//   branching 4 - levels above L4 cannot be proven from evidence: they need an attestation
}
