package gitlab

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/model"
)

// glPipeline is the single-pipeline payload, with nullable numbers kept
// nullable (client-go's type turns a null duration into 0).
type glPipeline struct {
	ID             int64      `json:"id"`
	Status         string     `json:"status"`
	Source         string     `json:"source"`
	Ref            string     `json:"ref"`
	SHA            string     `json:"sha"`
	Name           string     `json:"name"`
	Tag            bool       `json:"tag"`
	WebURL         string     `json:"web_url"`
	CreatedAt      *time.Time `json:"created_at"`
	UpdatedAt      *time.Time `json:"updated_at"`
	StartedAt      *time.Time `json:"started_at"`
	FinishedAt     *time.Time `json:"finished_at"`
	Duration       *float64   `json:"duration"`
	QueuedDuration *float64   `json:"queued_duration"`
	Coverage       *string    `json:"coverage"`
}

// glJob is one job of a pipeline listing.
type glJob struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Stage        string     `json:"stage"`
	Status       string     `json:"status"`
	WebURL       string     `json:"web_url"`
	AllowFailure bool       `json:"allow_failure"`
	StartedAt    *time.Time `json:"started_at"`
	FinishedAt   *time.Time `json:"finished_at"`
	Duration     *float64   `json:"duration"`
	Coverage     *float64   `json:"coverage"`
	Retried      *bool      `json:"retried"` // not in the documented entity; honoured if sent
	Artifacts    []struct {
		FileType string `json:"file_type"`
	} `json:"artifacts"`
}

// collectPipelines lists the pipelines updated in the window (or since the
// watermark) and, for those created in the window that are new or changed,
// reads the pipeline (durations), its jobs (retries included) and, for
// finished pipelines with JUnit artifacts, the test report.
func (r *run) collectPipelines(ctx context.Context) error {
	c, w := r.c, r.ev.Window
	st := r.snap.Pipes
	after := w.Since
	if st == nil {
		st = &pipeState{mark: mark{Covered: w.Since}, Items: map[string]pipeItem{}}
	} else {
		after = st.Watermark.Add(-overlap)
	}
	opt := &gl.ListProjectPipelinesOptions{
		ListOptions: gl.ListOptions{PerPage: perPage},
		OrderBy:     gl.Ptr("updated_at"), Sort: gl.Ptr("desc"),
	}
	if !after.IsZero() {
		opt.UpdatedAfter = gl.Ptr(after)
	}
	list, err := listAll(ctx, "pipelines", func(o ...gl.RequestOptionFunc) ([]*gl.PipelineInfo, *gl.Response, error) {
		return c.api.Pipelines.ListProjectPipelines(c.projectRef(), opt, o...)
	})
	if err != nil {
		if unavailable(err) {
			return fmt.Errorf("%w: %w", errNoCI, err)
		}
		return err
	}
	failed, reportsMissing := 0, 0
	var pending []string // ids whose details are read below
	listed := map[string]bool{}
	for _, p := range list {
		if p == nil {
			continue
		}
		id := strconv.FormatInt(p.ID, 10)
		listed[id] = true
		up := tval(p.UpdatedAt)
		if up.After(st.Watermark) {
			st.Watermark = up
		}
		if !inWindow(w, tval(p.CreatedAt)) {
			continue
		}
		if old, ok := st.Items[id]; ok && old.UpdatedAt.Equal(up) && old.Complete && old.ReportDone {
			continue
		}
		st.Items[id] = pipeItem{UpdatedAt: up, Run: listedRun(p)}
		pending = append(pending, id)
	}
	if st.Watermark.IsZero() {
		st.Watermark = after
	}
	// Pipelines whose details or report failed last time are asked again,
	// listed or not.
	for id, it := range st.Items {
		if (it.Complete && it.ReportDone) || !inWindow(w, it.Run.CreatedAt) || listed[id] {
			continue
		}
		pending = append(pending, id)
	}
	if err := r.pipeDetails(ctx, st.Items, pending, after); err != nil {
		return err
	}
	var runs []model.Run
	for id, it := range st.Items {
		created := it.Run.CreatedAt
		if !w.Since.IsZero() && created.Before(w.Since) {
			delete(st.Items, id)
			continue
		}
		if !inWindow(w, created) {
			continue
		}
		if !it.Complete {
			failed++
		}
		if !it.ReportDone {
			reportsMissing++
		}
		run := it.Run
		run.Jobs = append([]model.Job(nil), it.Run.Jobs...)
		runs = append(runs, run)
		if it.Report != nil {
			r.ev.TestReports = append(r.ev.TestReports, *it.Report)
		}
	}
	sort.Slice(runs, func(i, j int) bool { return idLess(runs[i].ID, runs[j].ID) })
	sort.Slice(r.ev.TestReports, func(i, j int) bool { return idLess(r.ev.TestReports[i].RunID, r.ev.TestReports[j].RunID) })
	r.ev.Runs = append(r.ev.Runs, runs...)
	st.Covered = w.Since // older items were pruned
	r.snap.Pipes = st
	r.fresh[epPipes] = true
	r.ev.Mark(model.KindRuns)
	if failed > 0 {
		r.warn(fmt.Sprintf("details or jobs of %d pipeline(s) could not be read: jobs unknown", failed))
		r.res.Partial = true
	} else {
		r.ev.Mark(model.KindJobs)
	}
	if failed > 0 || reportsMissing > 0 {
		if reportsMissing > 0 {
			r.warn(fmt.Sprintf("test reports of %d pipeline(s) could not be read: test reports unknown", reportsMissing))
		}
		r.res.Partial = true
	} else {
		r.ev.Mark(model.KindTestReports)
	}
	return nil
}

// listedRun is what the listing tells of a pipeline (no durations).
func listedRun(p *gl.PipelineInfo) model.Run {
	s, concl := runStatus(p.Status)
	run := model.Run{
		ID: strconv.FormatInt(p.ID, 10), URL: p.WebURL, Name: p.Name, Event: p.Source,
		Trigger: trigger(p.Source, false), Branch: p.Ref, SHA: p.SHA,
		Status: s, Conclusion: concl, CreatedAt: tval(p.CreatedAt),
	}
	if iid := mrIIDFromRef(p.Ref); iid != "" {
		run.PullNumber, run.Branch = iid, ""
	}
	return run
}

// pipelineDetails fills durations, jobs and the test report of one pipeline.
func (r *run) pipelineDetails(ctx context.Context, id int64, it *pipeItem) error {
	c := r.c
	what := fmt.Sprintf("pipeline %d", id)
	base := fmt.Sprintf("%s/pipelines/%d", c.projectPath(), id)
	var p glPipeline
	if _, err := c.getJSON(ctx, what, base, nil, &p); err != nil {
		return err
	}
	run := &it.Run
	run.Status, run.Conclusion = runStatus(p.Status)
	run.Trigger = trigger(p.Source, p.Tag)
	run.StartedAt, run.FinishedAt = tptr(p.StartedAt), tptr(p.FinishedAt)
	run.Duration, run.Queued = p.Duration, p.QueuedDuration
	if p.Coverage != nil {
		if f, err := strconv.ParseFloat(*p.Coverage, 64); err == nil {
			run.Coverage = &f
		}
	}
	jobs, err := listJSON[glJob](ctx, c, what+" jobs", base+"/jobs",
		&gl.ListJobsOptions{ListOptions: gl.ListOptions{PerPage: perPage}, IncludeRetried: gl.Ptr(true)})
	if err != nil {
		return err
	}
	run.Jobs = nil
	junit := false
	for _, j := range jobs {
		mj := toJob(j)
		junit = junit || mj.JUnit
		run.Jobs = append(run.Jobs, mj)
	}
	markRetried(run.Jobs)
	for i, j := range jobs {
		if j.Retried != nil {
			run.Jobs[i].Retried = *j.Retried
		}
	}
	sort.Slice(run.Jobs, func(a, b int) bool { return idLess(run.Jobs[a].ID, run.Jobs[b].ID) })
	run.JobsKnown = true
	it.Complete = true

	it.ReportDone, it.Report = true, nil
	if run.Status != "completed" || !junit {
		return nil
	}
	var tr gl.PipelineTestReport
	if _, err := c.getJSON(ctx, what+" test report", base+"/test_report", nil, &tr); err != nil {
		it.ReportDone = false
		return err
	}
	it.Report = toReport(run, &tr)
	return nil
}

func toJob(j glJob) model.Job {
	s, concl := runStatus(j.Status)
	mj := model.Job{
		ID: strconv.FormatInt(j.ID, 10), Name: j.Name, URL: j.WebURL, Stage: j.Stage,
		Status: s, Conclusion: concl, StartedAt: tptr(j.StartedAt), FinishedAt: tptr(j.FinishedAt),
		Duration: j.Duration, AllowFailure: j.AllowFailure, Manual: j.Status == "manual", Coverage: j.Coverage,
	}
	for _, a := range j.Artifacts {
		if a.FileType == "junit" {
			mj.JUnit = true
		}
	}
	return mj
}

// toReport maps a pipeline test report; an empty one (no parsed suites)
// gives none.
func toReport(run *model.Run, tr *gl.PipelineTestReport) *model.TestReport {
	if tr.TotalCount == 0 && len(tr.TestSuites) == 0 {
		return nil
	}
	rep := &model.TestReport{
		RunID: run.ID, SHA: run.SHA, Total: int(tr.TotalCount), Passed: int(tr.SuccessCount),
		Failed: int(tr.FailedCount), Skipped: int(tr.SkippedCount), Errored: int(tr.ErrorCount),
		Duration: tr.TotalTime,
	}
	for _, s := range tr.TestSuites {
		if s == nil {
			continue
		}
		rep.Suites = append(rep.Suites, model.TestSuite{
			Name: s.Name, Total: int(s.TotalCount), Failed: int(s.FailedCount + s.ErrorCount),
			Skipped: int(s.SkippedCount), Duration: s.TotalTime,
		})
	}
	return rep
}
