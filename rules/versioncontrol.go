package rules

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// versionControl judges 配置管理 · 版本控制.
func versionControl(j *judge) []dimSteps {
	c := j.cfg.Branching
	return []dimSteps{
		{"vcs", []step{
			j.gitPresent(2),
			allOf(3, j.gitPresent(3),
				j.treeHas(3, "build scripts", model.CatBuildScript),
				j.treeHas(3, "CI or deployment automation", model.CatCIConfig, model.CatDeployScript, model.CatContainer,
					model.CatKubernetes, model.CatHelm, model.CatIaC)),
			allOf(4,
				j.dbScripts(4),
				j.treeHas(4, "environment configuration", model.CatEnvConfig, model.CatIaC, model.CatHelm, model.CatKustomize, model.CatCompose),
				j.automatedChanges(4)),
		}},
		{"branching", []step{
			describing(j.branchLifetime(2, -1)),
			allOf(3, j.branchLifetime(3, c.L3MaxLifetimeHours),
				j.atLeast(3, model.GitDevCommitDayRatioP50, c.L3MinDevCommitDayRatio, "the median developer's share of working days with a commit")),
			allOf(4, j.branchLifetime(4, c.L4MaxLifetimeHours),
				j.atMost(4, model.GitStaleBranchRatio, c.L4MaxStaleRatio, fmt.Sprintf("the share of branches stale for more than %d days", c.StaleAfterDays))),
		}},
		{"artifacts", []step{
			anyOf(2, j.ciJobKind(2, model.JobPackage, "a CI job publishes packages or images"),
				j.ciJobKind(2, model.JobRelease, "a CI job publishes releases"),
				j.releasesWithAssets(2)),
			j.treeHas(3, "pinned third-party dependencies (lockfiles or vendored code)", model.CatLockfile, model.CatVendor),
		}},
		{"source-of-truth", []step{
			noCriterion(2),
			allOf(3, j.deployAutomated(3, "production deployment is automated from version control"),
				anyOf(3, j.ciJobKind(3, model.JobPackage, "artifacts are built by CI"), j.ciJobKind(3, model.JobRelease, "releases are built by CI"))),
			j.treeHas(4, "pinned local development environments", model.CatDevContainer, model.CatToolchainPin),
		}},
	}
}

// gitPresent holds when the repository's history was read: the source is in
// a (distributed) version control system by construction.
func (j *judge) gitPresent(level int) step {
	if s, ok := j.needs(level, model.KindCommits); !ok {
		if j.ev.Has(model.KindTree) {
			return yes(level, "the source is kept in a git repository")
		}
		return s
	}
	return yes(level, "the source is kept in a git repository (a distributed VCS)")
}

// automatedChanges holds when the VCS takes automated change operations
// (dependency bots, bot-made commits, CI).
func (j *judge) automatedChanges(level int) step {
	bots := unk(level, "the share of trunk commits made by bots is unknown")
	if v, ok := j.value(model.GitBotCommitRatio); ok {
		n := j.ms[string(model.GitBotCommitRatio)].N
		bots = when(level, v > 0, fmt.Sprintf("bots made %s of trunk commits (%s, n=%d)", fmtVal(v, "ratio"), model.GitBotCommitRatio, n),
			fmt.Sprintf("no trunk commit was made by a bot (%s, n=%d)", model.GitBotCommitRatio, n), mref(model.GitBotCommitRatio))
	}
	return anyOf(level, j.treeHas(level, "dependency-update automation", model.CatDependencyBot), bots)
}

// branchLifetime holds when the median merged-branch lifetime is at most max
// hours (max < 0: when lifetimes are seen at all, which reaches L2, the
// description of branches that live as long as they do). Lifetimes count
// only developers' branches, over at least min_merges of them; a clone shows
// no branch behind a squash or rebase merge, so when most trunk changes are
// single commits and no host records tell the pull/merge requests'
// lifetimes, they are unknown. Only host records can show that a trunk takes
// direct commits alone.
func (j *judge) branchLifetime(level int, max float64) step {
	c := j.cfg.Branching
	host := j.ev.Has(model.KindChanges)
	if n, ok := j.value(model.GitTrunkMerges); ok && n == 0 && host {
		if merged := j.mergedChanges(); merged == 0 {
			if c, ok := j.value(model.GitCommits); ok && c > 0 {
				return yes(level, "no merged branches and no merged pull/merge requests: every change was committed to trunk directly", mref(model.GitTrunkMerges))
			}
		}
	}
	if r, ok := j.value(model.GitMergedChangeRatio); ok && !host && r < 0.5 {
		m := j.ms[string(model.GitMergedChangeRatio)]
		return unk(level, fmt.Sprintf("%s of the developers' %d trunk changes are merge commits (%s): the rest are squash or rebase merges or direct commits, "+
			"whose branches a clone does not keep; branch lifetimes need the host's pull/merge request records", fmtVal(r, "ratio"), m.N, model.GitMergedChangeRatio))
	}
	m, ok := j.ms[string(model.GitBranchLifetimeHoursP50)]
	if ok && m.Known && m.N < c.MinMerges {
		return unk(level, fmt.Sprintf("too few: %d merged developer branch(es) with a known lifetime in the window, %d needed to show a habit (%s)",
			m.N, c.MinMerges, model.GitBranchLifetimeHoursP50))
	}
	if max < 0 {
		if !ok || !m.Known {
			return j.atMost(level, model.GitBranchLifetimeHoursP50, 0, "the median merged-branch lifetime")
		}
		return yes(level, fmt.Sprintf("branch lifetimes are seen: the median merged-branch lifetime is %s (%s, n=%d)",
			fmtVal(m.Value, m.Unit), model.GitBranchLifetimeHoursP50, m.N), append([]model.Ref{mref(model.GitBranchLifetimeHoursP50)}, m.Evidence...)...)
	}
	return j.atMost(level, model.GitBranchLifetimeHoursP50, max, "the median merged-branch lifetime")
}

// mergedChanges counts the merged pull/merge requests into trunk in the
// window.
func (j *judge) mergedChanges() int {
	n := 0
	for _, c := range j.ev.Changes {
		if c.Merged() && j.ev.Window.Contains(*c.MergedAt) {
			n++
		}
	}
	return n
}

// dbScripts holds when database change scripts are in the tree. Without
// any, what the product's manifests depend on decides: no database client
// or ORM means the criterion does not apply (it holds, saying so); a
// database client means the changes live in code or elsewhere (unknown).
func (j *judge) dbScripts(level int) step {
	s := j.treeHas(level, "database change scripts", model.CatMigration)
	if s.out != fails || j.ev.Tree == nil || len(j.ev.Tree.Facts.Migrations.Tools) > 0 {
		return s
	}
	var clients []string
	for _, t := range j.ev.Tree.Facts.Tools {
		if c, ok := strings.CutPrefix(t, "db:"); ok {
			clients = append(clients, c)
		}
	}
	if len(clients) == 0 {
		return yes(level, "no database change scripts, and no database client or ORM among the dependencies: the product has no database to change (not applicable)")
	}
	return unk(level, "no database change scripts in the tree, but the product depends on a database client ("+strings.Join(clients, ", ")+"): its changes may live in code or elsewhere (attest which)")
}

// ciJobKind holds when CI declares (or was seen running) a job of kind k.
func (j *judge) ciJobKind(level int, k model.JobKind, what string) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	jobs := j.ev.Tree.Facts.CI.JobsOfKind(k)
	if len(jobs) > 0 {
		var refs []model.Ref
		for _, jb := range jobs {
			if len(refs) < 4 {
				refs = append(refs, model.Ref{Kind: model.RefFile, Ref: jb.File + "#" + jb.Name})
			}
		}
		return yes(level, fmt.Sprintf("%s: %d %s job(s) in CI configuration, e.g. %q", what, len(jobs), k, jobs[0].Name), refs...)
	}
	return j.orCIElsewhere(no(level, fmt.Sprintf("no %s job in CI configuration", k)))
}

func (j *judge) releasesWithAssets(level int) step {
	if s, ok := j.needs(level, model.KindReleases); !ok {
		return s
	}
	for _, r := range j.ev.Releases {
		if r.Assets > 0 {
			return yes(level, fmt.Sprintf("release %s publishes %d asset(s)", r.Tag, r.Assets), model.Ref{Kind: model.RefRelease, Ref: r.Tag, URL: r.URL})
		}
	}
	return no(level, "no release with assets")
}
