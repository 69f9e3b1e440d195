package git

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// Descriptor describes the local clone source: it provides the history of
// the trunk, branches, tags and the tree before any host (PriorityLocal).
var Descriptor = collectors.Descriptor{
	Name:        "git",
	Title:       "local Git",
	Description: "a local clone (work tree or bare) at PATH",
	Provides: []collectors.Provision{
		{Kind: model.KindCommits, Priority: collectors.PriorityLocal},
		{Kind: model.KindMerges, Priority: collectors.PriorityLocal},
		{Kind: model.KindBranches, Priority: collectors.PriorityLocal},
		{Kind: model.KindTags, Priority: collectors.PriorityLocal},
		{Kind: model.KindTree, Priority: collectors.PriorityLocal},
		{Kind: model.KindCommitFiles, Priority: collectors.PriorityLocal},
	},
	ConfigKey: "path",
	New: func(s collectors.Spec) (collectors.Collector, error) {
		return New(s.Path, Options{}), nil
	},
}
