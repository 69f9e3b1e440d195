package rules

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// build judges 构建与持续集成 · 构建实践.
func build(j *judge) []dimSteps {
	c := j.cfg.BuildEnvironment
	return []dimSteps{
		{"method", []step{
			j.treeHas(2, "build scripts", model.CatBuildScript),
			anyOf(3, j.treeCond(3, func(f model.TreeFacts) bool { return len(f.CI.Reusable)+len(f.CI.Includes) > 0 },
				"CI configuration shares reusable, centrally maintained parts: "+j.reusableList(),
				"no reusable CI parts (reusable workflows, composite actions, include/extends templates)",
				j.fileRefs(3, model.CatCIConfig)...),
				j.sharedBuild(3)),
			j.runsRecorded(4, "builds run as a service with an API and a UI"),
		}},
		{"environment", []step{
			anyOf(2, j.runsRecorded(2, "builds run on CI servers"),
				j.treeHas(2, "CI configuration (builds on build servers)", model.CatCIConfig)),
			allOf(3, j.treeCond(3, func(f model.TreeFacts) bool { return len(f.CI.Images) > 0 },
				"CI jobs run in standard container images: "+strings.Join(j.images(), ", "),
				"CI jobs do not declare standard container images"),
				j.atMost(3, model.CIDurationSecondsP90, c.L3MaxP90Minutes*60, "the p90 build duration")),
			allOf(4, j.atMost(4, model.CIDurationSecondsP90, c.L4MaxP90Minutes*60, "the p90 build duration"),
				j.treeCond(4, func(f model.TreeFacts) bool { return f.CI.Cache }, "CI caches build inputs", "CI configures no build cache")),
		}},
		{"schedule", []step{
			// only jobs that build or test the product count (rules/schedule.go)
			allOf(2, j.versionRule(2, j.cfg.BuildSchedule.MinSemverRatio),
				anyOf(2, j.commitBuild(2), j.productBuild(2, model.TriggerSchedule))),
			allOf(3, j.commitBuild(3), j.productBuild(3, model.TriggerSchedule)),
			allOf(4, j.onDemandRuns(4),
				anyOf(4, j.trigger(4, model.TriggerPullRequest),
					j.treeCond(4, func(f model.TreeFacts) bool { return f.CI.PathFilters }, "builds are filtered by path (per module)", "no path-filtered builds"))),
		}},
		{"ownership", nil},
	}
}

// sharedBuild holds when a build script includes a build file whose header
// declares it shared and maintained centrally (a Makefile.common synced
// from the organisation's main repository).
func (j *judge) sharedBuild(level int) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	l := j.ev.Tree.Facts.SharedBuild
	if len(l) == 0 {
		return no(level, "no build script includes a shared build file declared as maintained centrally, and no build convention plugins (Gradle buildSrc, precompiled script plugins)")
	}
	var parts []string
	var refs []model.Ref
	for i, f := range l {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		if f.IncludedBy == "" {
			parts = append(parts, fmt.Sprintf("%s (%s)", f.Path, f.Marker))
		} else {
			parts = append(parts, fmt.Sprintf("%s (included by %s; its header: %q)", f.Path, f.IncludedBy, f.Marker))
		}
		refs = append(refs, model.Ref{Kind: model.RefFile, Ref: f.Path})
	}
	return yes(level, "structured build scripts shared and centrally maintained: "+strings.Join(parts, ", "), refs...)
}

func (j *judge) reusableList() string {
	if j.ev.Tree == nil {
		return ""
	}
	l := append(append([]string(nil), j.ev.Tree.Facts.CI.Reusable...), j.ev.Tree.Facts.CI.Includes...)
	if len(l) > 4 {
		l = append(l[:4], "…")
	}
	return strings.Join(l, ", ")
}

func (j *judge) images() []string {
	if j.ev.Tree == nil {
		return nil
	}
	l := j.ev.Tree.Facts.CI.Images
	if len(l) > 4 {
		l = append(append([]string(nil), l[:4]...), "…")
	}
	return l
}

// runsRecorded holds when a CI host recorded runs in the window.
func (j *judge) runsRecorded(level int, what string) step {
	if s, ok := j.needs(level, model.KindRuns); !ok {
		return s
	}
	if len(j.ev.Runs) == 0 {
		return no(level, "the CI host recorded no runs in the window")
	}
	r := j.ev.Runs[0]
	return yes(level, fmt.Sprintf("%s: %d CI runs recorded in the window", what, len(j.ev.Runs)), model.Ref{Kind: model.RefRun, Ref: r.ID, URL: r.URL})
}

// trigger holds when runs show the trigger, or (without run records) CI
// configuration declares it.
func (j *judge) trigger(level int, t model.Trigger) step {
	if j.ev.Has(model.KindRuns) {
		n := 0
		var ref model.Ref
		for _, r := range j.ev.Runs {
			if r.Trigger == t {
				if n == 0 {
					ref = model.Ref{Kind: model.RefRun, Ref: r.ID, URL: r.URL}
				}
				n++
			}
		}
		if n > 0 {
			return yes(level, fmt.Sprintf("%d run(s) triggered by %s", n, t), ref)
		}
	}
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	if j.ev.Tree.Facts.CI.HasTrigger(string(t)) {
		return yes(level, fmt.Sprintf("CI configuration declares the %s trigger", t), j.fileRefs(2, model.CatCIConfig)...)
	}
	return no(level, fmt.Sprintf("no %s trigger in CI configuration or runs", t))
}
