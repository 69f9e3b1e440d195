package github

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// withLocalClone returns the kinds d is chosen for beside a local clone
// (its history kinds at collectors.PriorityLocal).
func withLocalClone(d collectors.Descriptor) []model.Kind {
	local := collectors.Descriptor{Name: "local"}
	for _, k := range []model.Kind{model.KindCommits, model.KindBranches, model.KindTags, model.KindTree} {
		local.Provides = append(local.Provides, collectors.Provision{Kind: k, Priority: collectors.PriorityLocal})
	}
	return collectors.Choose([]collectors.Descriptor{local, d})[d.Name]
}
