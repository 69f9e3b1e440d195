package rules

import (
	"fmt"

	"github.com/cdaudit/cdaudit/model"
)

// traceability judges 配置管理 · 版本可追溯性.
func traceability(j *judge) []dimSteps {
	c := j.cfg.Traceability
	return []dimSteps{
		{"change-process", []step{
			anyOf(2, j.atLeast(2, model.GitIssueRefRatio, c.L2MinIssueRefRatio, "the share of trunk commits that reference an issue"),
				j.atLeast(2, model.ChangeIssueLinkRatio, c.L2MinIssueRefRatio, "the share of merged changes linked to an issue")),
			allOf(3, anyOf(3, j.atLeast(3, model.GitIssueRefRatio, c.L3MinIssueRefRatio, "the share of trunk commits that reference an issue"),
				j.atLeast(3, model.ChangeIssueLinkRatio, c.L3MinIssueRefRatio, "the share of merged changes linked to an issue")),
				j.requirePR(3)),
			allOf(4, j.deploysRecordCommits(4),
				j.atLeast(4, model.ChangeIssueLinkRatio, c.L3MinIssueRefRatio, "the share of merged changes linked to an issue")),
		}},
		{"change-tracing", []step{
			allOf(2, j.versionTags(2),
				j.atLeast(2, model.GitTagsSemverRatio, c.L2MinSemverRatio, "the share of tags that are semantic versions")),
			j.atLeast(3, model.ChangeIssueLinkRatio, c.L3MinLinkedChangeRatio, "the share of merged changes linked to an issue"),
			allOf(4, j.treeHas(4, "database change scripts", model.CatMigration),
				j.treeHas(4, "environment configuration", model.CatEnvConfig, model.CatIaC, model.CatHelm, model.CatKustomize)),
			allOf(5, j.releasesTagged(5), j.deploysRecordCommits(5)),
		}},
		{"rollback", []step{
			allOf(2, j.gitPresent(2), j.versionTags(2)),
		}},
	}
}

// requirePR holds when the host enforces changes through reviewed pull or
// merge requests on the default branch.
func (j *judge) requirePR(level int) step {
	if s, ok := j.needs(level, model.KindProtection); !ok {
		return s
	}
	p := j.ev.Protection
	ref := model.Ref{Kind: model.RefSetting, Ref: "protection:" + p.Branch}
	if p.RequirePR {
		return yes(level, fmt.Sprintf("the default branch %q takes changes only through pull/merge requests", p.Branch), ref)
	}
	return no(level, fmt.Sprintf("the default branch %q does not require pull/merge requests", p.Branch), ref)
}

// deploysRecordCommits holds when deployment records name the commit they
// shipped.
func (j *judge) deploysRecordCommits(level int) step {
	if s, ok := j.needs(level, model.KindDeployments); !ok {
		return s
	}
	n := 0
	var refs []model.Ref
	for _, d := range j.ev.Deployments {
		if d.SHA != "" {
			n++
			if len(refs) < 4 {
				refs = append(refs, model.Ref{Kind: model.RefDeployment, Ref: d.ID, URL: d.URL})
			}
		}
	}
	if n > 0 && n == len(j.ev.Deployments) {
		return yes(level, fmt.Sprintf("all %d deployment records name the commit they shipped", n), refs...)
	}
	return no(level, fmt.Sprintf("%d of %d deployment records name their commit", n, len(j.ev.Deployments)), refs...)
}

// releasesTagged holds when releases point at tags of the repository.
func (j *judge) releasesTagged(level int) step {
	if s, ok := j.needs(level, model.KindReleases, model.KindTags); !ok {
		return s
	}
	tags := map[string]bool{}
	for _, t := range j.ev.Tags {
		tags[t.Name] = true
	}
	n, ok := 0, 0
	for _, r := range j.ev.Releases {
		if r.Draft {
			continue
		}
		n++
		if tags[r.Tag] {
			ok++
		}
	}
	if n > 0 && ok == n {
		return yes(level, fmt.Sprintf("all %d releases point at tags of the repository", n))
	}
	return no(level, fmt.Sprintf("%d of %d releases point at tags of the repository", ok, n))
}

// versionTags holds when versions were tagged in the window. A repository
// with tags, none of them in the window, has a version rule the window does
// not show: that is unknown, not a failure; one with no tags at all fails.
func (j *judge) versionTags(level int) step {
	s := j.atLeast(level, model.GitTags, 1, "version tags in the window")
	if s.out == fails && len(j.ev.Tags) > 0 {
		return unk(level, fmt.Sprintf("no tag in the window, though the repository has %d older tag(s): widen --since to judge its version rule", len(j.ev.Tags)))
	}
	return s
}
