package measure

import (
	"cmp"
	"slices"
	"time"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// jobRan reports whether a job actually ran (not skipped, not an unplayed
// manual job).
func jobRan(j model.Job) bool {
	if j.Conclusion == "skipped" {
		return false
	}
	return !(j.Manual && j.Conclusion == "")
}

// ciJobKinds: share of completed trunk-push and pull-request runs with at
// least one job of a kind.
func ciJobKinds(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	kinds := []struct {
		id   model.MeasurementID
		kind model.JobKind
	}{
		{model.CIJobsTestRatio, model.JobTest},
		{model.CIJobsLintRatio, model.JobLint},
		{model.CIJobsSecurityRatio, model.JobSecurity},
	}
	why := ciWhyMissing(ev, model.KindRuns, model.KindJobs)
	if why == "" && ev.DefaultBranch == "" {
		why = whyNoTrunk
	}
	if why != "" {
		for _, k := range kinds {
			ms.SetUnknown(k.id, why)
		}
		return
	}
	var sample []model.Run
	for _, r := range runs {
		trunk := r.Trigger == model.TriggerPush && onTrunk(ev, r)
		if (trunk || r.Trigger == model.TriggerPullRequest) && runCompleted(r) && r.JobsKnown {
			sample = append(sample, r)
		}
	}
	// Classify every job once.
	runKinds := make([]map[model.JobKind]bool, len(sample))
	for i, r := range sample {
		runKinds[i] = map[model.JobKind]bool{}
		for _, j := range r.Jobs {
			if !jobRan(j) {
				continue
			}
			for _, k := range vocab.JobKinds(append([]string{j.Name}, j.Steps...)...) {
				runKinds[i][k] = true
			}
		}
	}
	empty := whyNoRunsInWin
	if len(runs) > 0 {
		empty = "no completed trunk-push or pull-request run with known jobs in the window"
	}
	for _, k := range kinds {
		n := 0
		var without, with []model.Ref
		for i := len(sample) - 1; i >= 0; i-- {
			if runKinds[i][k.kind] {
				n++
				if len(with) < 3 {
					with = addRef(with, runRef(sample[i]))
				}
			} else {
				without = addRef(without, runRef(sample[i]))
			}
		}
		refs := without
		if len(refs) == 0 {
			refs = with
		}
		setRatio(ms, k.id, n, len(sample), empty, refs)
	}
}

// ciMaxStages caps the stages reported.
const ciMaxStages = 20

// ciStages: ci.stage_duration_seconds.<stage>.p50 for hosts that report job
// stages. A stage's duration in one run is the span from its first job's
// start to its last job's finish, else its longest job.
func ciStages(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	if !ev.Has(model.KindRuns, model.KindJobs) {
		return
	}
	samples := map[string][]ciSample{}
	for _, r := range runs {
		if !r.JobsKnown {
			continue
		}
		type span struct {
			from, to time.Time
			longest  float64
			timed    bool
			any      bool
		}
		spans := map[string]*span{}
		var order []string
		for _, j := range r.Jobs {
			st := idPart(j.Stage)
			if st == "" || !jobRan(j) {
				continue
			}
			sp := spans[st]
			if sp == nil {
				sp = &span{timed: true}
				spans[st] = sp
				order = append(order, st)
			}
			if j.StartedAt != nil && j.FinishedAt != nil {
				if sp.from.IsZero() || j.StartedAt.Before(sp.from) {
					sp.from = *j.StartedAt
				}
				if j.FinishedAt.After(sp.to) {
					sp.to = *j.FinishedAt
				}
			} else {
				sp.timed = false
			}
			d := -1.0
			switch {
			case j.Duration != nil:
				d = *j.Duration
			case j.StartedAt != nil && j.FinishedAt != nil:
				d = j.FinishedAt.Sub(*j.StartedAt).Seconds()
			}
			if d >= 0 {
				sp.longest = max(sp.longest, d)
				sp.any = true
			}
		}
		for _, st := range order {
			sp := spans[st]
			switch {
			case sp.timed && !sp.from.IsZero():
				samples[st] = append(samples[st], ciSample{sp.to.Sub(sp.from).Seconds(), runRef(r)})
			case sp.any:
				samples[st] = append(samples[st], ciSample{sp.longest, runRef(r)})
			}
		}
	}
	stages := sortedKeys(samples)
	slices.SortStableFunc(stages, func(a, b string) int { return cmp.Compare(len(samples[b]), len(samples[a])) })
	if len(stages) > ciMaxStages {
		stages = stages[:ciMaxStages]
	}
	for _, st := range stages {
		setPctiles(ms, samples[st], "", model.StageDurationP50ID(st))
	}
}
