package measure

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// Reasons for unknown host measurements.
const (
	whyNoRuns        = "no CI run records collected"
	whyNoJobs        = "no CI job records collected"
	whyNoChanges     = "no pull/merge request records collected"
	whyNoCommits     = "no trunk commit records collected"
	whyNoMerges      = "no trunk merge records collected"
	whyNoTestReports = "no test report records collected"
	whyNoProtection  = "default-branch protection not collected"
	whyNoDeploys     = "no deployment records collected"
	whyNoTrunk       = "default branch not known"
	whyNoRunsInWin   = "no runs in the window"
)

// ciMaxRefs caps the evidence references of one measurement.
const ciMaxRefs = 10

// ciWhyMissing names the first kind among ks that was not collected.
func ciWhyMissing(ev *model.Evidence, ks ...model.Kind) string {
	for _, k := range ev.Missing(ks...) {
		switch k {
		case model.KindRuns:
			return whyNoRuns
		case model.KindJobs:
			return whyNoJobs
		case model.KindChanges:
			return whyNoChanges
		case model.KindCommits:
			return whyNoCommits
		case model.KindMerges:
			return whyNoMerges
		case model.KindTestReports:
			return whyNoTestReports
		case model.KindProtection:
			return whyNoProtection
		case model.KindDeployments:
			return whyNoDeploys
		default:
			return "no " + string(k) + " records collected"
		}
	}
	return ""
}

// ciSample is one value of a distribution and the record it comes from.
type ciSample struct {
	v   float64
	ref model.Ref
}

// samplePct is the nearest-rank percentile of a non-empty sample.
func samplePct(s []ciSample, p float64) float64 {
	vals := make([]float64, len(s))
	for i, x := range s {
		vals[i] = x.v
	}
	v, _ := percentile(vals, p)
	return v
}

// topRefs returns the refs of the largest samples (at most ciMaxRefs,
// distinct, non-empty).
func topRefs(s []ciSample) []model.Ref {
	c := slices.Clone(s)
	slices.SortStableFunc(c, func(a, b ciSample) int { return cmp.Compare(b.v, a.v) })
	var refs []model.Ref
	for _, x := range c {
		refs = addRef(refs, x.ref)
	}
	return refs
}

// addRef appends r unless it is empty, already present or the cap is reached.
func addRef(refs []model.Ref, r model.Ref) []model.Ref {
	if r.Ref == "" || len(refs) >= ciMaxRefs || slices.Contains(refs, r) {
		return refs
	}
	return append(refs, r)
}

// setPctiles stores each percentile id (ids end in .p<N>) over s; with an
// empty sample each is unknown with the reason empty.
func setPctiles(ms model.Measurements, s []ciSample, empty string, ids ...model.MeasurementID) {
	for _, id := range ids {
		if len(s) == 0 {
			ms.SetUnknown(id, empty)
			continue
		}
		p, _ := id.Percentile()
		ms.Set(id, samplePct(s, float64(p)), len(s), topRefs(s)...)
	}
}

// setUnknown stores each id as unknown with the reason why.
func setUnknown(ms model.Measurements, why string, ids ...model.MeasurementID) {
	for _, id := range ids {
		ms.SetUnknown(id, why)
	}
}

// setRatio stores num/den, or unknown with the reason empty when den is 0.
func setRatio(ms model.Measurements, id model.MeasurementID, num, den int, empty string, refs []model.Ref) {
	if den == 0 {
		ms.SetUnknown(id, empty)
		return
	}
	ms.Set(id, float64(num)/float64(den), den, refs...)
}

// addNote appends a note to a stored measurement.
func addNote(ms model.Measurements, id model.MeasurementID, note string) {
	m, ok := ms[string(id)]
	if !ok || note == "" {
		return
	}
	if m.Note != "" {
		m.Note += "; "
	}
	m.Note += note
	ms[string(id)] = m
}

// idPart turns a host name (trigger, stage) into a measurement id part:
// lower case, [a-z0-9_] only.
func idPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), "_")
}

// Run helpers.

func runRef(r model.Run) model.Ref {
	id := r.ID
	if id == "" {
		id = r.SHA
	}
	return model.Ref{Kind: model.RefRun, Ref: id, URL: r.URL}
}

func changeRef(c model.Change) model.Ref {
	return model.Ref{Kind: model.RefChange, Ref: c.ID, URL: c.URL}
}

// runDone reports whether the run finished with a verdict (success, failure
// or timed out).
func runDone(r model.Run) bool { return r.Succeeded() || r.Failed() }

// runCompleted reports whether the run completed and was not skipped.
func runCompleted(r model.Run) bool {
	if r.Conclusion == "skipped" {
		return false
	}
	return r.Conclusion != "" || r.Status == "completed"
}

// runSeconds is the run's duration: the host's figure, else finish − start.
func runSeconds(r model.Run) (float64, bool) {
	if r.Duration != nil {
		return *r.Duration, *r.Duration >= 0
	}
	if r.StartedAt != nil && r.FinishedAt != nil {
		d := r.FinishedAt.Sub(*r.StartedAt).Seconds()
		return d, d >= 0
	}
	return 0, false
}

// runFinish is when the run finished: its finish time, else start + duration.
func runFinish(r model.Run) (time.Time, bool) {
	if r.FinishedAt != nil {
		return *r.FinishedAt, true
	}
	if r.StartedAt != nil && r.Duration != nil {
		return r.StartedAt.Add(time.Duration(*r.Duration * float64(time.Second))), true
	}
	return time.Time{}, false
}

// onTrunk reports whether the run ran on the default branch.
func onTrunk(ev *model.Evidence, r model.Run) bool {
	return ev.DefaultBranch != "" && strings.TrimPrefix(r.Branch, "refs/heads/") == ev.DefaultBranch
}

// windowRuns returns the runs created in the window, one record per run id
// (the latest attempt), oldest first.
func windowRuns(ev *model.Evidence) []model.Run {
	if !ev.Has(model.KindRuns) {
		return nil
	}
	latest := map[string]int{}
	var out []model.Run
	for _, r := range ev.Runs {
		if !ev.Window.Contains(r.CreatedAt) {
			continue
		}
		if r.ID != "" {
			if i, ok := latest[r.ID]; ok {
				if r.Attempt > out[i].Attempt {
					out[i] = r
				}
				continue
			}
			latest[r.ID] = len(out)
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b model.Run) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}
