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
			anyOf(2, j.atLeastN(2, model.GitIssueRefRatio, c.L2MinIssueRefRatio, c.MinChanges, "the share of non-bot trunk commits that reference an issue"),
				j.atLeastN(2, model.ChangeIssueLinkRatio, c.L2MinIssueRefRatio, c.MinChanges, "the share of merged changes linked to an issue")),
			allOf(3, anyOf(3, j.atLeastN(3, model.GitIssueRefRatio, c.L3MinIssueRefRatio, c.MinChanges, "the share of non-bot trunk commits that reference an issue"),
				j.atLeastN(3, model.ChangeIssueLinkRatio, c.L3MinIssueRefRatio, c.MinChanges, "the share of merged changes linked to an issue")),
				j.requirePR(3)),
			allOf(4, j.deploysRecordCommits(4),
				j.atLeast(4, model.ChangeIssueLinkRatio, c.L3MinIssueRefRatio, "the share of merged changes linked to an issue")),
		}},
		{"change-tracing", []step{
			allOf(2, j.versionTags(2), j.versionRule(2, c.L2MinSemverRatio)),
			j.atLeastN(3, model.ChangeIssueLinkRatio, c.L3MinLinkedChangeRatio, c.MinChanges, "the share of merged changes linked to an issue"),
			allOf(4, j.dbScripts(4),
				j.treeHas(4, "environment configuration", model.CatEnvConfig, model.CatIaC, model.CatHelm, model.CatKustomize)),
			allOf(5, j.releasesTagged(5), j.deploysRecordCommits(5)),
		}},
		{"rollback", []step{
			allOf(2, j.gitPresent(2), j.versionTags(2)),
		}},
	}
}

// requirePR holds when the host enforces changes through reviewed pull or
// merge requests on the default branch (as the host's settings stand today:
// see todays).
func (j *judge) requirePR(level int) step { return j.todays(j.requirePRNow(level)) }

func (j *judge) requirePRNow(level int) step {
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

// versionTags holds when version tags stood at the window's end: a version
// rule is a convention of the repository, shown by the tags as they stood,
// not only by those made in the window. A repository with no tags fails —
// unknown when the deployment is done outside what was read, whose records
// may name the versions.
func (j *judge) versionTags(level int) step {
	if s, ok := j.needs(level, model.KindTags); !ok {
		return s
	}
	stood := 0
	var newest model.Tag
	for _, t := range j.ev.Tags {
		if !t.Committed.After(j.ev.Window.Until) {
			if stood == 0 || t.Committed.After(newest.Committed) {
				newest = t
			}
			stood++
		}
	}
	ref := model.Ref{Kind: model.RefTag, Ref: newest.Name}
	inWindow, _ := j.ms.Get(model.GitTags)
	if stood == 0 {
		// a service's versions may be the deployment system's (release
		// numbers, commits deployed), a library's the registry's
		return j.orElsewhere(no(level, "no tags stood at the window's end"))
	}
	return yes(level, fmt.Sprintf("%d tag(s) stood at the window's end, %d made in the window", stood, int(inWindow)), ref)
}

// versionRule holds when at least min of the sampled tags follow one of the
// repository's version schemes (measure.VersionScheme, or a sequence of
// measure.SequenceNumber); the reason names the schemes.
func (j *judge) versionRule(level int, min float64) step {
	s := j.atLeastN(level, model.GitTagsSemverRatio, min, j.cfg.Traceability.MinTags, "the share of tags that follow a version scheme of the repository")
	if m, ok := j.ms[string(model.GitTagsSemverRatio)]; ok && m.Known && m.Note != "" {
		s.reason += ": " + m.Note
	}
	return s
}
