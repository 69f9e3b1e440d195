package measure

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// computeCI derives CI measurements from runs, jobs, changes, protection and
// test reports. docs/measurements-ci.md defines each.
func computeCI(ev *model.Evidence, opt Options, ms model.Measurements) {
	opt = opt.withDefaults()
	runs := windowRuns(ev)
	ciRunCounts(ev, runs, ms)
	ciDurations(ev, runs, ms)
	ciRedToGreen(ev, runs, ms)
	ciTriggers(ev, runs, ms)
	ciQueued(ev, runs, ms)
	ciCommitCoverage(ev, ms)
	ciHeadCoverage(ev, ms)
	ciJobKinds(ev, runs, ms)
	ciStages(ev, runs, ms)
	ciTestReports(ev, ms)
	ciSuiteLayers(ev, ms)
	ciFlaky(ev, ms)
	ciCoverage(ev, runs, ms)
	changeMeasures(ev, opt, ms)
	protectionMeasures(ev, ms)
}

// ciRunCounts: ci.runs and ci.success_ratio.
func ciRunCounts(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	if !ev.Has(model.KindRuns) {
		ms.SetUnknown(model.CIRuns, whyNoRuns)
		ms.SetUnknown(model.CISuccessRatio, whyNoRuns)
		return
	}
	var refs []model.Ref
	for i := len(runs) - 1; i >= 0; i-- { // the latest runs
		refs = addRef(refs, runRef(runs[i]))
	}
	ms.Set(model.CIRuns, float64(len(runs)), len(runs), refs...)

	var ok, done int
	var failed []model.Ref
	for i := len(runs) - 1; i >= 0; i-- {
		r := runs[i]
		if !runDone(r) {
			continue
		}
		done++
		if r.Succeeded() {
			ok++
		} else {
			failed = addRef(failed, runRef(r))
		}
	}
	empty := whyNoRunsInWin
	if len(runs) > 0 {
		empty = "no run in the window finished with success or failure"
	}
	setRatio(ms, model.CISuccessRatio, ok, done, empty, failed)
}

// ciDurations: run duration percentiles, all runs, trunk pushes and
// pull-request runs.
func ciDurations(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	groups := []struct {
		ids       []model.MeasurementID
		needTrunk bool
		keep      func(model.Run) bool
	}{
		{[]model.MeasurementID{model.CIDurationSecondsP50, model.CIDurationSecondsP90}, false, func(model.Run) bool { return true }},
		{[]model.MeasurementID{model.CITrunkDurationSecondsP50, model.CITrunkDurationSecondsP90}, true, func(r model.Run) bool {
			return r.Trigger == model.TriggerPush && onTrunk(ev, r)
		}},
		{[]model.MeasurementID{model.CIPRDurationSecondsP50, model.CIPRDurationSecondsP90}, false, func(r model.Run) bool { return r.Trigger == model.TriggerPullRequest }},
	}
	for _, g := range groups {
		switch {
		case !ev.Has(model.KindRuns):
			setUnknown(ms, whyNoRuns, g.ids...)
			continue
		case g.needTrunk && ev.DefaultBranch == "":
			setUnknown(ms, whyNoTrunk, g.ids...)
			continue
		}
		var s []ciSample
		seen := 0
		for _, r := range runs {
			if !g.keep(r) {
				continue
			}
			seen++
			if d, ok := runSeconds(r); ok && runDone(r) {
				s = append(s, ciSample{d, runRef(r)})
			}
		}
		empty := whyNoRunsInWin
		if seen > 0 {
			empty = "no finished run of this kind reported a duration"
		}
		setPctiles(ms, s, empty, g.ids...)
	}
}

// ciRedToGreen: per workflow on trunk, from the first failed run of a red
// streak to the finish of the next successful run.
func ciRedToGreen(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	ids := []model.MeasurementID{model.CIRedToGreenSecondsP50, model.CIRedToGreenSecondsP90}
	switch {
	case !ev.Has(model.KindRuns):
		setUnknown(ms, whyNoRuns, ids...)
		return
	case ev.DefaultBranch == "":
		setUnknown(ms, whyNoTrunk, ids...)
		return
	}
	type fin struct {
		r  model.Run
		at time.Time
	}
	byWF := map[string][]fin{}
	for _, r := range runs {
		if !onTrunk(ev, r) || r.Trigger == model.TriggerPullRequest || !runDone(r) {
			continue
		}
		if at, ok := runFinish(r); ok {
			byWF[r.Name] = append(byWF[r.Name], fin{r, at})
		}
	}
	var s []ciSample
	open, failures := 0, 0
	for _, wf := range sortedKeys(byWF) {
		fs := byWF[wf]
		slices.SortStableFunc(fs, func(a, b fin) int { return a.at.Compare(b.at) })
		var red *fin
		for i := range fs {
			switch {
			case fs[i].r.Failed():
				failures++
				if red == nil {
					red = &fs[i]
				}
			case red != nil:
				s = append(s, ciSample{fs[i].at.Sub(red.at).Seconds(), runRef(red.r)})
				red = nil
			}
		}
		if red != nil {
			open++
		}
	}
	empty := "no failed trunk run in the window"
	if failures > 0 {
		empty = "no failed trunk run was followed by a successful one in the window"
	}
	setPctiles(ms, s, empty, ids...)
	if open > 0 {
		note := strconv.Itoa(open) + " workflow(s) still red at the window's end"
		for _, id := range ids {
			addNote(ms, id, note)
		}
	}
}

// ciTriggers: ci.triggers and ci.trigger.<name>.runs.
func ciTriggers(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	if !ev.Has(model.KindRuns) {
		ms.SetUnknown(model.CITriggers, whyNoRuns)
		for _, t := range vocab.Triggers() {
			ms.SetUnknown(model.TriggerRunsID(t), whyNoRuns)
		}
		return
	}
	counts := map[string]int{}
	refs := map[string][]model.Ref{}
	for i := len(runs) - 1; i >= 0; i-- {
		t := idPart(string(runs[i].Trigger))
		if t == "" {
			t = string(model.TriggerOther)
		}
		counts[t]++
		if len(refs[t]) < 3 {
			refs[t] = addRef(refs[t], runRef(runs[i]))
		}
	}
	names := sortedKeys(counts)
	ms.Set(model.CITriggers, float64(len(names)), len(names))
	if len(names) == 0 {
		addNote(ms, model.CITriggers, "none")
	} else {
		addNote(ms, model.CITriggers, strings.Join(names, ", "))
	}
	for _, t := range vocab.Triggers() {
		if _, ok := counts[string(t)]; !ok {
			counts[string(t)] = 0
		}
	}
	for t, n := range counts {
		ms.Set(model.TriggerRunsID(model.Trigger(t)), float64(n), n, refs[t]...)
	}
}

// ciQueued: ci.queued_seconds.p50 where the host reports queue times.
func ciQueued(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	const id = model.CIQueuedSecondsP50
	if !ev.Has(model.KindRuns) {
		ms.SetUnknown(id, whyNoRuns)
		return
	}
	var s []ciSample
	for _, r := range runs {
		if r.Queued != nil && *r.Queued >= 0 {
			s = append(s, ciSample{*r.Queued, runRef(r)})
		}
	}
	empty := whyNoRunsInWin
	if len(runs) > 0 {
		empty = "the host reported no queue times"
	}
	setPctiles(ms, s, empty, id)
}

// ciCommitCoverage: share of first-parent trunk commits in the window with a
// run on their SHA.
func ciCommitCoverage(ev *model.Evidence, ms model.Measurements) {
	const id = model.CITrunkCommitCoverageRatio
	if why := ciWhyMissing(ev, model.KindCommits, model.KindRuns); why != "" {
		ms.SetUnknown(id, why)
		return
	}
	shas := runSHAs(ev)
	total, covered := 0, 0
	var missing []model.Ref
	for _, c := range ev.Commits {
		if !c.FirstParent || !ev.Window.Contains(c.Committer.When) {
			continue
		}
		total++
		if shas[strings.ToLower(c.Hash)] {
			covered++
		} else {
			missing = addRef(missing, model.Ref{Kind: model.RefCommit, Ref: c.Hash, URL: c.URL})
		}
	}
	setRatio(ms, id, covered, total, "no first-parent trunk commits in the window", missing)
}

// ciHeadCoverage: share of changes created in the window whose head commit
// has a run.
func ciHeadCoverage(ev *model.Evidence, ms model.Measurements) {
	const id = model.CIPRHeadCoverageRatio
	if why := ciWhyMissing(ev, model.KindChanges, model.KindRuns); why != "" {
		ms.SetUnknown(id, why)
		return
	}
	shas := runSHAs(ev)
	total, covered := 0, 0
	var missing []model.Ref
	for _, c := range ev.Changes {
		if c.HeadSHA == "" || !ev.Window.Contains(c.CreatedAt) {
			continue
		}
		total++
		if shas[strings.ToLower(c.HeadSHA)] {
			covered++
		} else {
			missing = addRef(missing, changeRef(c))
		}
	}
	setRatio(ms, id, covered, total, "no change with a known head commit created in the window", missing)
}

// runSHAs is the set of commit SHAs (lower case) any collected run ran on.
func runSHAs(ev *model.Evidence) map[string]bool {
	shas := map[string]bool{}
	for _, r := range ev.Runs {
		if r.SHA != "" {
			shas[strings.ToLower(r.SHA)] = true
		}
	}
	return shas
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
