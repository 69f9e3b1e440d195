package jenkins

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

type wfRun struct {
	Status string `json:"status"`
	Stages []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Status   string `json:"status"`
		Start    int64  `json:"startTimeMillis"`
		Duration int64  `json:"durationMillis"`
	} `json:"stages"`
}

type jTestResult struct {
	Duration float64 `json:"duration"`
	Suites   []struct {
		Name     string  `json:"name"`
		Duration float64 `json:"duration"`
		Cases    []struct {
			ClassName string  `json:"className"`
			Name      string  `json:"name"`
			Status    string  `json:"status"`
			Duration  float64 `json:"duration"`
		} `json:"cases"`
	} `json:"suites"`
}

const testTree = "duration,suites[name,duration,cases[className,name,status,duration]]"

// details reads the stages (Pipeline jobs) and the test result of one
// finished build. A Pipeline REST API answering 404 turns stage reads off
// for the rest of the audit (errNoWfapi).
func (r *run) details(ctx context.Context, jk jobKind, b *buildRec) error {
	n := strconv.Itoa(buildNumber(b.Run.ID))
	base := jobURL(jk.path) + "/" + n
	what := strings.Join(jk.path, "/") + " #" + n
	if jk.pipeline {
		if r.noWfapi {
			return errNoWfapi
		}
		var wf wfRun
		if err := r.c.getJSON(ctx, what+" stages", base+"/wfapi/describe", "", &wf); err != nil {
			if codeOf(err) == http.StatusNotFound {
				r.noWfapi = true
				return errNoWfapi
			}
			return err
		}
		b.Run.Jobs, b.Deploys = r.stages(jk, &b.Run, wf)
	} else {
		b.Run.Jobs = []model.Job{buildJob(&b.Run)}
		b.Deploys = nil
		if env, ok := r.c.deployEnv(jk.path[len(jk.path)-1]); ok {
			b.Deploys = append(b.Deploys, deployment(&b.Run, b.Run.ID, env, b.Run.Conclusion, *b.Run.StartedAt, b.Run.FinishedAt))
		}
	}
	b.Run.JobsKnown = true
	if b.Counts != nil && b.Counts.Total > 0 {
		var tr jTestResult
		err := r.c.getJSON(ctx, what+" test result", base+"/testReport/api/json", testTree, &tr)
		switch {
		case codeOf(err) == http.StatusNotFound: // no report kept (e.g. discarded)
		case err != nil:
			return err
		default:
			b.Counts = toReport(&b.Run, &tr)
		}
	}
	b.Detail = true
	return nil
}

// stages maps the wfapi stages onto jobs, and deploy stages onto
// deployments.
func (r *run) stages(jk jobKind, run *model.Run, wf wfRun) ([]model.Job, []model.Deployment) {
	var jobs []model.Job
	var deps []model.Deployment
	for _, s := range wf.Stages {
		st, concl := stageStatus(s.Status)
		j := model.Job{ID: run.ID + "/" + s.ID, Name: s.Name, Stage: s.Name, Status: st, Conclusion: concl}
		if s.Start > 0 {
			t := time.UnixMilli(s.Start).UTC()
			j.StartedAt = &t
			if st == "completed" {
				d := float64(s.Duration) / 1000
				j.Duration = &d
				f := t.Add(time.Duration(s.Duration) * time.Millisecond)
				j.FinishedAt = &f
			}
		}
		if env, ok := r.c.deployEnv(s.Name); ok && concl != "skipped" {
			j.Environment = env
			if j.StartedAt != nil {
				deps = append(deps, deployment(run, j.ID, env, concl, *j.StartedAt, j.FinishedAt))
			}
		}
		jobs = append(jobs, j)
	}
	return jobs, deps
}

// buildJob is the single job of a freestyle build.
func buildJob(run *model.Run) model.Job {
	return model.Job{ID: run.ID + "/build", Name: run.Name, Status: run.Status, Conclusion: run.Conclusion,
		StartedAt: run.StartedAt, FinishedAt: run.FinishedAt, Duration: run.Duration}
}

func deployment(run *model.Run, id, env, concl string, start time.Time, fin *time.Time) model.Deployment {
	st := map[string]string{"success": "success", "failure": "failure", "cancelled": "canceled", "": "in_progress"}[concl]
	if st == "" {
		st = "unknown"
	}
	ref := run.Branch
	return model.Deployment{ID: id, URL: run.URL, Environment: env, SHA: run.SHA, Ref: ref, CreatedAt: start,
		FinishedAt: fin, Status: st, Task: "deploy", RunID: run.ID}
}

// deployEnv applies the deploy rules to a stage or job name.
func (c *Collector) deployEnv(name string) (string, bool) {
	for _, d := range c.deploy {
		m := d.re.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		if d.env != "" {
			return d.env, true
		}
		for _, g := range m[1:] {
			if g != "" {
				return strings.ToLower(g), true
			}
		}
		return "production", true
	}
	return "", false
}

// toReport maps a junit-plugin test result; repeated cases (a retry plugin,
// surefire reruns kept as cases) count once with their last status.
func toReport(run *model.Run, tr *jTestResult) *model.TestReport {
	rep := &model.TestReport{RunID: run.ID, SHA: run.SHA, Duration: tr.Duration}
	det := &model.TestDetail{Source: "jenkins", Layers: map[string]int{}}
	for _, s := range tr.Suites {
		type cs struct {
			status   string
			runs     int
			everFail bool
		}
		byKey := map[string]*cs{}
		var order []string
		for _, c := range s.Cases {
			k := c.ClassName + "." + c.Name
			x := byKey[k]
			if x == nil {
				x = &cs{}
				byKey[k] = x
				order = append(order, k)
			}
			x.runs++
			x.status = c.Status
			x.everFail = x.everFail || c.Status == "FAILED" || c.Status == "REGRESSION"
		}
		ts := model.TestSuite{Name: s.Name, Duration: s.Duration}
		for _, k := range order {
			x := byKey[k]
			ts.Total++
			switch x.status {
			case "FAILED", "REGRESSION":
				ts.Failed++
				rep.Failed++
			case "SKIPPED":
				ts.Skipped++
				rep.Skipped++
			default:
				rep.Passed++
			}
			if x.runs > 1 {
				det.Retried++
				if x.everFail && (x.status == "PASSED" || x.status == "FIXED") {
					det.Flaky++
					if len(det.FlakyTests) < model.MaxFlakyNames {
						det.FlakyTests = append(det.FlakyTests, k)
					}
				}
			}
		}
		rep.Total += ts.Total
		det.Layers[layerOf(s.Name)] += ts.Total
		rep.Suites = append(rep.Suites, ts)
	}
	rep.Detail = det
	return rep
}
