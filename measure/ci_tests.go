package measure

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// ciTestReports: test.pass_ratio and test.cases over the test reports of
// runs created in the window.
func ciTestReports(ev *model.Evidence, ms model.Measurements) {
	if !ev.Has(model.KindTestReports) {
		ms.SetUnknown(model.TestPassRatio, whyNoTestReports)
		ms.SetUnknown(model.TestCases, whyNoTestReports)
		return
	}
	runs := map[string]model.Run{}
	for _, r := range ev.Runs {
		runs[r.ID] = r
	}
	var total, passed int
	var cases, failed []ciSample
	for _, tr := range ev.TestReports {
		r, ok := runs[tr.RunID]
		if ok && !ev.Window.Contains(r.CreatedAt) {
			continue
		}
		ref := model.Ref{Kind: model.RefRun, Ref: tr.RunID, URL: r.URL}
		total += tr.Total
		passed += tr.Passed
		cases = append(cases, ciSample{float64(tr.Total), ref})
		if bad := tr.Failed + tr.Errored; bad > 0 {
			failed = append(failed, ciSample{float64(bad), ref})
		}
	}
	empty := "no test report in the window"
	if len(cases) > 0 {
		empty = "the test reports in the window hold no test cases"
	}
	if total == 0 {
		ms.SetUnknown(model.TestPassRatio, empty)
	} else {
		ms.Set(model.TestPassRatio, float64(passed)/float64(total), total, topRefs(failed)...)
		addNote(ms, model.TestPassRatio, "over "+strconv.Itoa(len(cases))+" test report(s); n counts test cases")
	}
	if len(cases) == 0 {
		ms.SetUnknown(model.TestCases, "no test report in the window")
		return
	}
	ms.Set(model.TestCases, samplePct(cases, 50), len(cases), topRefs(cases)...)
	addNote(ms, model.TestCases, "median test cases per report")
}

// flakyObs is one attempt of a job (or of a whole run whose jobs are not
// known) on one commit.
type flakyObs struct {
	at         time.Time
	runAttempt int
	jobAttempt int
	retried    bool
	failed     bool
	ref        model.Ref
}

// ciFlaky: test.flaky_ratio — among (commit, workflow, trigger, job)
// units attempted at least twice in the window, the share where a failed
// attempt was followed by a successful one.
func ciFlaky(ev *model.Evidence, ms model.Measurements) {
	const id = model.TestFlakyRatio
	if !ev.Has(model.KindRuns) {
		ms.SetUnknown(id, whyNoRuns)
		return
	}
	jobs := ev.Has(model.KindJobs)
	units := map[string][]flakyObs{}
	seenRun := map[string]bool{}
	seenJob := map[string]bool{}
	add := func(key string, o flakyObs) { units[key] = append(units[key], o) }
	for _, r := range ev.Runs {
		if !ev.Window.Contains(r.CreatedAt) || r.SHA == "" {
			continue
		}
		runKey := r.ID + "\x00" + strconv.Itoa(r.Attempt)
		if r.ID != "" {
			if seenRun[runKey] {
				continue
			}
			seenRun[runKey] = true
		}
		base := strings.ToLower(r.SHA) + "\x00" + r.Name + "\x00" + string(r.Trigger) + "\x00"
		runAt := r.CreatedAt
		if r.StartedAt != nil {
			runAt = *r.StartedAt
		}
		if !jobs || !r.JobsKnown {
			if runDone(r) {
				add(base, flakyObs{at: runAt, runAttempt: r.Attempt, failed: r.Failed(), ref: runRef(r)})
			}
			continue
		}
		for _, j := range r.Jobs {
			if j.Conclusion != "success" && j.Conclusion != "failure" && j.Conclusion != "timed_out" {
				continue
			}
			if j.ID != "" {
				jk := j.ID + "\x00" + strconv.Itoa(j.Attempt)
				if seenJob[jk] {
					continue
				}
				seenJob[jk] = true
			}
			at := runAt
			switch {
			case j.StartedAt != nil:
				at = *j.StartedAt
			case j.FinishedAt != nil:
				at = *j.FinishedAt
			}
			ref := runRef(r)
			if j.URL != "" {
				ref = model.Ref{Kind: model.RefJob, Ref: j.ID, URL: j.URL}
			}
			add(base+j.Name, flakyObs{at: at, runAttempt: r.Attempt, jobAttempt: j.Attempt,
				retried: j.Retried, failed: j.Conclusion != "success", ref: ref})
		}
	}
	// The share among every unit observed: a project with many runs and no
	// retry has ratio 0, measured, not unknown.
	flaky := 0
	var refs []model.Ref
	for _, key := range sortedKeys(units) {
		obs := units[key]
		if len(obs) < 2 {
			continue
		}
		slices.SortStableFunc(obs, func(a, b flakyObs) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			if c := cmp.Compare(a.runAttempt, b.runAttempt); c != 0 {
				return c
			}
			if c := cmp.Compare(a.jobAttempt, b.jobAttempt); c != 0 {
				return c
			}
			return cmp.Compare(boolInt(!a.retried), boolInt(!b.retried)) // superseded attempts first
		})
		var firstFail *flakyObs
		for i, o := range obs {
			if o.failed {
				if firstFail == nil {
					firstFail = &obs[i]
				}
			} else if firstFail != nil {
				flaky++
				refs = addRef(refs, firstFail.ref)
				break
			}
		}
	}
	setRatio(ms, id, flaky, len(units), "no finished job or run on a known commit in the window", refs)
	if !jobs {
		addNote(ms, id, "whole runs compared: no job records")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ciCoverage: coverage.percent from the latest trunk run that reports it.
func ciCoverage(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	const id = model.CoveragePercent
	switch {
	case !ev.Has(model.KindRuns):
		ms.SetUnknown(id, whyNoRuns)
		return
	case ev.DefaultBranch == "":
		ms.SetUnknown(id, whyNoTrunk)
		return
	}
	n := 0
	var latest *model.Run
	var latestCov float64
	for i := range runs {
		r := runs[i]
		if !onTrunk(ev, r) || r.Trigger == model.TriggerPullRequest {
			continue
		}
		c, ok := runCoverage(r)
		if !ok {
			continue
		}
		n++
		if latest == nil || !r.CreatedAt.Before(latest.CreatedAt) {
			latest, latestCov = &runs[i], c
		}
	}
	if latest == nil {
		ms.SetUnknown(id, "no trunk run in the window reported coverage")
		return
	}
	ms.Set(id, latestCov, n, runRef(*latest))
	addNote(ms, id, "latest trunk run reporting coverage; the trend needs earlier audits")
}

// runCoverage is the run's coverage, else the mean of its jobs' coverage.
func runCoverage(r model.Run) (float64, bool) {
	if r.Coverage != nil {
		return *r.Coverage, true
	}
	sum, n := 0.0, 0
	for _, j := range r.Jobs {
		if j.Coverage != nil {
			sum += *j.Coverage
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}
