package measure

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// dlDeploy is one deployment: a host record, or inferred from a CI run.
type dlDeploy struct {
	env, sha    string
	created, at time.Time // at: when it finished, else its creation
	status      string    // "success", "failed" or "other"
	prod        bool
	rollback    bool
	ref         model.Ref
	name        string // the record's ref or tag name, for hotfixes and incident links
	id          string // the record's id
	source      string // model.Deployment.Source, srcRuns, "" for host records
}

func (d dlDeploy) ok() bool     { return d.status == "success" }
func (d dlDeploy) failed() bool { return d.status == "failed" }

// dlSource is what the evidence tells about deployments.
type dlSource struct {
	all, prod []dlDeploy // oldest first (by at)
	allWhy    string     // non-empty: deployments unknown
	prodWhy   string     // non-empty: production deployments unknown
	allNote   string
	prodNote  string
}

// deployStatus maps a record's final status onto success / failed / other.
// A superseded deployment ("inactive") had succeeded.
func deployStatus(s string) string {
	switch strings.ToLower(s) {
	case "success", "inactive":
		return "success"
	case "failure", "failed", "error":
		return "failed"
	}
	return "other"
}

// dlRecords converts the host's deployment records.
func dlRecords(ev *model.Evidence, opt Options) []dlDeploy {
	tiers := map[string]string{}
	for _, e := range ev.Environments {
		if e.Tier != "" {
			tiers[e.Name] = strings.ToLower(e.Tier)
		}
	}
	var out []dlDeploy
	for _, d := range ev.Deployments {
		x := dlDeploy{env: d.Environment, sha: d.SHA, created: d.CreatedAt, at: d.CreatedAt,
			status: deployStatus(d.Status), rollback: d.Rollback, name: d.Ref, id: d.ID, source: d.Source,
			ref: model.Ref{Kind: model.RefDeployment, Ref: d.ID, URL: d.URL}}
		if d.FinishedAt != nil {
			x.at = *d.FinishedAt
		}
		switch t, ok := tiers[d.Environment]; {
		case d.Production != nil:
			x.prod = *d.Production
		case ok:
			x.prod = t == "production"
		default:
			x.prod = opt.ProductionEnv.MatchString(d.Environment)
		}
		out = append(out, x)
	}
	return out
}

// dlFromRuns infers deployments from CI runs: a job with an environment is
// a deployment to it; on trunk (or a tag) a run or job named like a
// production deployment (opt.DeployWorkflow), or a job deploying to an
// environment matching opt.ProductionEnv, is a production deployment.
func dlFromRuns(ev *model.Evidence, opt Options) []dlDeploy {
	jobs := ev.Has(model.KindJobs)
	seen := map[string]bool{}
	var out []dlDeploy
	for _, r := range ev.Runs {
		if r.ID != "" {
			k := r.ID + "\x00" + strconv.Itoa(r.Attempt)
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		eligible := onTrunk(ev, r) || r.Trigger == model.TriggerTag
		runAt, ok := runFinish(r)
		if !ok {
			runAt = r.CreatedAt
		}
		byEnv := map[string]*dlDeploy{}
		var order []string
		put := func(env string, prod bool, status string, at time.Time) {
			d := byEnv[env]
			if d == nil {
				d = &dlDeploy{env: env, sha: r.SHA, created: r.CreatedAt, at: at, status: status,
					prod: prod, ref: runRef(r), name: r.Branch, id: r.ID, source: srcRuns}
				byEnv[env] = d
				order = append(order, env)
				return
			}
			d.prod = d.prod || prod
			d.at = maxTime(d.at, at)
			switch {
			case d.status == "failed" || status == "failed":
				d.status = "failed"
			case d.status == "success" && status == "success":
			default:
				d.status = "other"
			}
		}
		if jobs && r.JobsKnown {
			for _, j := range r.Jobs {
				if !jobRan(j) {
					continue
				}
				env := j.Environment
				prod := eligible && (opt.DeployWorkflow.MatchString(j.Name) ||
					env != "" && opt.ProductionEnv.MatchString(env))
				if env == "" && !prod {
					continue
				}
				if env == "" {
					env = "production"
				}
				put(env, prod, jobStatus(j.Conclusion), jobFinish(j, runAt))
			}
		}
		hasProd := false
		for _, d := range byEnv {
			hasProd = hasProd || d.prod
		}
		if eligible && !hasProd && opt.DeployWorkflow.MatchString(r.Name) {
			put("production", true, jobStatus(r.Conclusion), runAt)
		}
		for _, env := range order {
			out = append(out, *byEnv[env])
		}
	}
	return out
}

func jobStatus(conclusion string) string {
	switch conclusion {
	case "success":
		return "success"
	case "failure", "timed_out":
		return "failed"
	}
	return "other"
}

func jobFinish(j model.Job, def time.Time) time.Time {
	switch {
	case j.FinishedAt != nil:
		return *j.FinishedAt
	case j.StartedAt != nil && j.Duration != nil:
		return j.StartedAt.Add(time.Duration(*j.Duration * float64(time.Second)))
	}
	return def
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// deploySource decides where deployments come from: the host's records,
// and for production, when no record is a production one, CI runs. When
// derived sources are configured (Options.DeployFrom), production
// deployments come from them and from the explicitly sourced records
// (Argo CD, recorded) instead.
func deploySource(ev *model.Evidence, opt Options) dlSource {
	var src dlSource
	const inferred = "inferred from CI runs/jobs on trunk or tags named like a production deployment " +
		"or deploying to a production environment"
	records := ev.Has(model.KindDeployments)
	runs := ev.Has(model.KindRuns)
	if records {
		src.all = dlRecords(ev, opt)
	}
	derived, names, why := dlFromEvidence(ev, opt)
	for _, d := range src.all {
		if d.prod && (!opt.DeployFrom.Set() || d.source != "") {
			src.prod = append(src.prod, d)
		}
	}
	switch {
	case opt.DeployFrom.Set():
		src.prod = append(src.prod, derived...)
		if len(why) > 0 && len(src.prod) == 0 {
			src.prodWhy = "deployments from " + strings.Join(names, " and ") + ": " + strings.Join(why, ", ")
			if !records {
				src.allWhy = src.prodWhy
			}
		}
		if !records {
			src.all = slices.Clone(src.prod)
			src.allNote = "no deployment records: " + strings.Join(names, " and ") + " taken as production deployments"
		}
	case records && len(src.prod) > 0:
	case runs:
		fromRuns := dlFromRuns(ev, opt)
		for _, d := range fromRuns {
			if d.prod {
				src.prod = append(src.prod, d)
			}
		}
		src.prodNote = "no production deployment records: " + inferred
		if !records {
			src.all = fromRuns
			src.allNote = "no deployment records: inferred from CI jobs that name an environment and from production deploy runs"
		}
	case records:
		src.prodNote = "no deployment record for a production environment"
	default:
		src.allWhy = whyNoDeploys + " and no CI run records to infer them from"
	}
	if n := fromNote(src.prod, names); n != "" {
		src.prodNote = joinNotes(n, src.prodNote)
	}
	byAt := func(a, b dlDeploy) int { return a.at.Compare(b.at) }
	slices.SortStableFunc(src.all, byAt)
	slices.SortStableFunc(src.prod, byAt)
	return src
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// deliveryIDs are the delivery measurements and their units.
var deliveryIDs = []model.MeasurementID{
	model.DeployCount,
	model.DeployEnvironments,
	model.DeployProductionCount,
	model.DeployProductionDaysPerWeek,
	model.DORADeploymentFrequencyPerDay,
	model.DORAChangeFailureRatio,
	model.DORARecoveryHoursP50,
	model.DORALeadTimeHoursP50,
	model.DORALeadTimeFromMergeHoursP50,
}

// computeDelivery derives deployment measurements and the DORA keys.
func computeDelivery(ev *model.Evidence, opt Options, ms model.Measurements) {
	opt = opt.withDefaults()
	src := deploySource(ev, opt)
	if src.allWhy != "" {
		for _, x := range deliveryIDs {
			ms.SetUnknown(x, src.allWhy)
		}
		return
	}
	dlCounts(ev, src, ms)
	if src.prodWhy != "" {
		for _, x := range deliveryIDs[2:] {
			ms.SetUnknown(x, src.prodWhy)
		}
		return
	}
	dlProduction(ev, src, ms)
	dlFailures(ev, opt, src, ms)
	dlLeadTime(ev, src, ms)
	for _, x := range deliveryIDs[2:] {
		addNote(ms, x, src.prodNote)
	}
}

// dlCounts: deploy.count and deploy.environments.
func dlCounts(ev *model.Evidence, src dlSource, ms model.Measurements) {
	envs := map[string]bool{}
	n := 0
	var refs []model.Ref
	for i := len(src.all) - 1; i >= 0; i-- {
		d := src.all[i]
		if !ev.Window.Contains(d.created) {
			continue
		}
		n++
		refs = addRef(refs, d.ref)
		if d.env != "" {
			envs[d.env] = true
		}
	}
	ms.Set(model.DeployCount, float64(n), n, refs...)
	names := sortedKeys(envs)
	ms.Set(model.DeployEnvironments, float64(len(names)), n)
	if len(names) > 20 {
		names = append(names[:20:20], "…")
	}
	if len(names) == 0 {
		names = []string{"none"}
	}
	addNote(ms, model.DeployEnvironments, strings.Join(names, ", "))
	addNote(ms, model.DeployCount, src.allNote)
	addNote(ms, model.DeployEnvironments, src.allNote)
}

// dlProduction: production deployment counts and frequency.
func dlProduction(ev *model.Evidence, src dlSource, ms model.Measurements) {
	var okN, failN int
	days := map[string]bool{}
	var okRefs []model.Ref
	for i := len(src.prod) - 1; i >= 0; i-- {
		d := src.prod[i]
		if !ev.Window.Contains(d.created) {
			continue
		}
		switch {
		case d.ok():
			okN++
			okRefs = addRef(okRefs, d.ref)
			days[d.at.UTC().Format(time.DateOnly)] = true
		case d.failed():
			failN++
		}
	}
	ms.Set(model.DeployProductionCount, float64(okN), okN, okRefs...)
	addNote(ms, model.DeployProductionCount, "successful production deployments; "+strconv.Itoa(failN)+" failed")
	dur := ev.Window.Duration()
	if dur <= 0 {
		ms.SetUnknown(model.DeployProductionDaysPerWeek, "the window is empty")
		ms.SetUnknown(model.DORADeploymentFrequencyPerDay, "the window is empty")
	} else {
		ms.Set(model.DeployProductionDaysPerWeek, float64(len(days))/(dur.Hours()/(24*7)), len(days), okRefs...)
		ms.Set(model.DORADeploymentFrequencyPerDay, float64(okN)/(dur.Hours()/24), okN, okRefs...)
	}
}
