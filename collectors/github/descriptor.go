package github

import (
	"slices"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// dialect is the API's rate-limit dialect, declared by Descriptor and
// given to the HTTP layer.
const dialect = httpx.DialectGitHub

// Descriptor describes the GitHub source. Commits, branches, tags and the
// tree it provides below a local clone (which then provides them).
var Descriptor = collectors.Descriptor{
	Name:        "github",
	Title:       "GitHub",
	Description: "a GitHub repository OWNER/REPO through the REST and GraphQL APIs",
	Provides: []collectors.Provision{
		{Kind: model.KindCommits, Priority: collectors.PriorityHost},
		{Kind: model.KindBranches, Priority: collectors.PriorityHost},
		{Kind: model.KindTags, Priority: collectors.PriorityHost},
		{Kind: model.KindTree, Priority: collectors.PriorityHost},
		{Kind: model.KindReleases, Priority: collectors.PriorityHost},
		{Kind: model.KindChanges, Priority: collectors.PriorityHost},
		{Kind: model.KindRuns, Priority: collectors.PriorityHost},
		{Kind: model.KindJobs, Priority: collectors.PriorityHost},
		{Kind: model.KindDeployments, Priority: collectors.PriorityHost},
		{Kind: model.KindEnvironments, Priority: collectors.PriorityHost},
		{Kind: model.KindProtection, Priority: collectors.PriorityHost},
	},
	Dialect:   dialect,
	Flag:      "github",
	ConfigKey: "github",
	TokenEnv:  "GITHUB_TOKEN",
	New: func(s collectors.Spec) (collectors.Collector, error) {
		return New(Options{Repo: s.Ref, Token: s.Token, APIURL: s.BaseURL, CacheDir: s.CacheDir, MaxWait: s.MaxWait,
			Timeout: s.Timeout, InsecureHTTP: s.InsecureHTTP, Kinds: s.Kinds})
	},
}

// Select implements collectors.Selective: the kinds left out (commits,
// branches, tags and the tree when a local clone provides them) cost no
// request.
func (c *Collector) Select(kinds []model.Kind) { c.opt.Kinds = kinds }

// wants reports whether this collection is to provide k.
func (c *Collector) wants(k model.Kind) bool {
	return c.opt.Kinds == nil || slices.Contains(c.opt.Kinds, k)
}
