package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// ci judges 构建与持续集成 · 持续集成.
func ci(j *judge) []dimSteps {
	f, m, fb := j.cfg.CIFrequency, j.cfg.CIMethod, j.cfg.CIFeedback
	return []dimSteps{
		{"service", []step{
			anyOf(2, j.runsRecorded(2, "a CI service runs the builds"),
				j.treeHas(2, "CI configuration", model.CatCIConfig)),
		}},
		{"frequency", []step{
			j.atLeast(2, model.GitTeamIntegrationDayRatio, f.L2MinTeamDayRatio, "the share of working days on which the team integrated into trunk"),
			j.coreDevelopers(3, model.GitCoreDevIntegrationDayRatioP50, f.L3MinCoreDayRatio,
				"the median core developer's share of working days with a trunk integration"),
			allOf(4, j.coreDevelopers(4, model.GitCoreDevIntegrationDayRatioP50, f.L3MinCoreDayRatio,
				"the median core developer's share of working days with a trunk integration"),
				j.coreDevelopers(4, model.GitCoreDevIntegrationsPerDayP50, f.L4MinCoreIntegrationsDay,
					"the median core developer's integrations per day with an integration")),
			allOf(5, j.atLeast(5, model.CITrunkCommitCoverageRatio, f.L5MinCoverage, "the share of trunk commits with a CI run"),
				j.optionalAtLeast(5, model.CIPRHeadCoverageRatio, f.L5MinCoverage, "the share of pull/merge request heads with a CI run", model.KindRuns, model.KindChanges)),
		}},
		{"method", []step{
			anyOf(2, j.commitBuild(2), j.productBuild(2, model.TriggerSchedule)),
			allOf(3, j.commitBuild(3),
				j.optionalAtLeast(3, model.CITrunkCommitCoverageRatio, m.L3MinTrunkCoverage, "the share of trunk commits with a CI run", model.KindRuns, model.KindCommits)),
			// tests and static checks on (nearly) every trunk commit and change
			// head: shares over the runs, not one run or a declared job
			allOf(4, j.atLeast(4, model.CIJobsTestRatio, m.L4MinCheckedRunRatio, "the share of trunk and change-head CI runs that ran tests"),
				j.atLeast(4, model.CIJobsLintRatio, m.L4MinCheckedRunRatio, "the share of trunk and change-head CI runs that ran static checks"),
				j.qualityGate(4)),
			anyOf(5, j.treeCond(5, func(t model.TreeFacts) bool { return t.CI.PathFilters },
				"CI is tiered per module (path-filtered pipelines)", "no per-module (path-filtered) pipelines"),
				j.treeCond(5, func(t model.TreeFacts) bool {
					return t.CI.Needs && len(t.CI.JobsOfKind(model.JobTest)) >= 2
				}, "CI is tiered by stage: chained jobs with several test jobs", "no staged pipeline with tiered test jobs")),
		}},
		{"feedback", []step{
			j.feedback(2, 0),
			j.feedback(3, fb.L3MaxMinutes),
			j.feedback(4, fb.L4MaxMinutes),
			j.feedback(5, fb.L5MaxMinutes),
		}},
	}
}

// coreDevelopers is atLeast over a figure of the core developers (the people
// who integrate regularly, docs/measurements.md); with none, no one
// integrates daily, which fails the level.
func (j *judge) coreDevelopers(level int, id model.MeasurementID, min float64, what string) step {
	if n, ok := j.value(model.GitCoreDevelopers); ok && n == 0 {
		m := j.ms[string(model.GitCoreDevelopers)]
		return no(level, fmt.Sprintf("no core developer: none of the %d developers who integrated into trunk did so regularly (%s, n=%d)",
			m.N, model.GitCoreDevelopers, m.N), mref(model.GitCoreDevelopers))
	}
	s := j.atLeast(level, id, min, what)
	if n, ok := j.value(model.GitCoreDevelopers); ok {
		s.reason += fmt.Sprintf(", over %.0f core developer(s)", n)
	}
	return s
}

// optionalAtLeast is atLeast, except that when the evidence kinds were
// collected and the measurement is still unknown, its sample was empty (no
// pull requests, say), which does not block the level.
func (j *judge) optionalAtLeast(level int, id model.MeasurementID, min float64, what string, kinds ...model.Kind) step {
	if m, ok := j.ms[string(id)]; ok && !m.Known && j.ev.Has(kinds...) {
		return yes(level, fmt.Sprintf("%s: no sample (%s)", what, m.Note))
	}
	return j.atLeast(level, id, min, what)
}

// ciKind holds when runs (or, without run records, CI configuration) show a
// job of kind k.
func (j *judge) ciKind(level int, k model.JobKind) step {
	id := map[model.JobKind]model.MeasurementID{model.JobTest: model.CIJobsTestRatio, model.JobLint: model.CIJobsLintRatio,
		model.JobSecurity: model.CIJobsSecurityRatio}[k]
	if id != "" {
		if v, ok := j.value(id); ok {
			if v > 0 {
				return yes(level, fmt.Sprintf("%s of CI runs include a %s job (%s)", fmtVal(v, "ratio"), k, id), mref(id))
			}
			return no(level, fmt.Sprintf("no CI run in the window includes a %s job (%s)", k, id), mref(id))
		}
	}
	return j.ciJobKind(level, k, fmt.Sprintf("CI runs %s jobs", k))
}

// qualityGate holds when the host blocks merging on CI results (as the
// host's settings stand today: see todays).
func (j *judge) qualityGate(level int) step { return j.todays(j.qualityGateNow(level)) }

func (j *judge) qualityGateNow(level int) step {
	if s, ok := j.needs(level, model.KindProtection); !ok {
		return s
	}
	p := j.ev.Protection
	ref := model.Ref{Kind: model.RefSetting, Ref: "protection:" + p.Branch}
	// a required check gates quality only when it tests or lints: a DCO,
	// CLA or label check does not
	var gates []string
	for _, c := range p.RequiredChecks {
		k := vocab.JobKinds(strings.ToLower(c))
		if slices.Contains(k, model.JobTest) || slices.Contains(k, model.JobLint) {
			gates = append(gates, c)
		}
	}
	checked := j.ev.Tree != nil && (len(j.ev.Tree.Facts.CI.JobsOfKind(model.JobTest)) > 0 || len(j.ev.Tree.Facts.CI.JobsOfKind(model.JobLint)) > 0)
	switch {
	case len(gates) > 0:
		return yes(level, fmt.Sprintf("the default branch requires %d test or lint check(s) to pass (quality gate): %s", len(gates), listShort(gates)), ref)
	case p.PipelineMustSucceed && checked:
		return yes(level, "merge requests can merge only when the pipeline, which runs tests or static checks, succeeds (quality gate)", ref)
	case len(p.RequiredChecks) > 0:
		return no(level, fmt.Sprintf("none of the %d required status check(s) is a test or lint check (%s): no quality gate", len(p.RequiredChecks), listShort(p.RequiredChecks)), ref)
	}
	return no(level, "the default branch requires no test or lint check to pass (no quality gate)", ref)
}

// feedback judges the time to feedback and resolution of an integration
// problem: the median time from a red trunk run to the next green one, or,
// when trunk was never red in the window, the p90 trunk build time.
func (j *judge) feedback(level int, maxMinutes float64) step {
	if s, ok := j.needs(level, model.KindRuns); !ok {
		return s
	}
	if level == 2 {
		if len(j.ev.Runs) == 0 {
			return no(level, "no CI runs in the window give feedback")
		}
		return yes(level, fmt.Sprintf("%d CI runs report integration problems", len(j.ev.Runs)))
	}
	if _, ok := j.value(model.CIRedToGreenSecondsP50); ok {
		return j.atMost(level, model.CIRedToGreenSecondsP50, maxMinutes*60, "the median time from a red trunk run to the next green one")
	}
	s := j.atMost(level, model.CITrunkDurationSecondsP90, maxMinutes*60, "trunk was never red in the window; the p90 trunk build time")
	return s
}
