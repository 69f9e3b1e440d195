package github

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// runCap is GitHub's cap on the results of a filtered run listing.
const runCap = 1000

// runsBlob is what the state keeps of workflow runs (jobs included).
type runsBlob struct {
	Hash string               `json:"hash"`
	Runs map[string]model.Run `json:"runs"`
}

// runs collects the Actions workflow runs created in the window and the jobs
// of completed runs not seen before. Incrementally it lists only runs created
// since the watermark and re-reads the runs that were still going.
func (a *audit) runs(ctx context.Context) error {
	c := a.c
	w := a.ev.Window
	var kept runsBlob
	valid := a.state.Get("runs", &kept) && kept.Hash == a.hash && kept.Runs != nil
	if !valid {
		kept = runsBlob{Hash: a.hash, Runs: map[string]model.Run{}}
	}
	from := w.Since
	wm, incremental := a.state.Watermark("runs", w, a.hash)
	incremental = incremental && valid
	if incremental {
		if wm.At.Add(-overlap).After(from) {
			from = wm.At.Add(-overlap)
		}
		from = relistFrom(kept.Runs, from, w)
	}
	prev := kept.Runs
	if !incremental {
		kept.Runs = map[string]model.Run{} // a full listing; jobs are still reused by run id
	}
	listed, complete, err := a.listRuns(ctx, from, w.Until.Add(-time.Second), 0)
	if status(err) == http.StatusNotFound {
		a.warn("GitHub Actions is not available for this repository (404); looking at commit statuses and check runs instead")
		return a.statusRuns(ctx, false)
	}
	if err != nil {
		return err
	}
	a.runNodes = map[string]string{}
	for _, r := range listed {
		m := a.convertRun(r)
		a.runNodes[m.ID] = r.GetNodeID()
		if p, ok := prev[m.ID]; ok && p.JobsKnown && p.Attempt == m.Attempt && p.Status == m.Status {
			m.Jobs, m.JobsKnown = p.Jobs, true
		}
		kept.Runs[m.ID] = m
	}
	if incremental {
		// Runs that were still going may have finished since.
		for id, m := range kept.Runs {
			if m.Status == "completed" || !m.CreatedAt.Before(from) || !w.Contains(m.CreatedAt) {
				continue
			}
			n, _ := strconv.ParseInt(id, 10, 64)
			r, _, err := c.client.Actions.GetWorkflowRunByID(ctx, c.owner, c.name, n)
			if err != nil {
				if status(err) == http.StatusNotFound {
					delete(kept.Runs, id)
					continue
				}
				return err
			}
			kept.Runs[id] = a.convertRun(r)
		}
	}
	for id, m := range kept.Runs {
		if !w.Contains(m.CreatedAt) {
			delete(kept.Runs, id)
		}
	}
	jobsErr := a.runJobs(ctx, kept.Runs)
	if err := a.state.Put("runs", kept); err != nil {
		return err
	}
	if jobsErr != nil && (stops(jobsErr) || isUnauthorized(jobsErr) || ctx.Err() != nil) {
		return jobsErr
	}
	out := make([]model.Run, 0, len(kept.Runs))
	allJobs := true
	for _, m := range kept.Runs {
		out = append(out, m)
		if m.Status == "completed" && !m.JobsKnown {
			allJobs = false
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID > out[j].ID
	})
	if !complete {
		a.ev.Runs = append(a.ev.Runs, out...)
		a.partialKinds = true
		a.warn(fmt.Sprintf("more than %d runs were created within one minute; the run listing is incomplete", runCap))
		return nil
	}
	a.state.SetWatermark("runs", a.start, w, a.hash)
	if len(out) == 0 {
		a.warn("no GitHub Actions runs in the window; looking at commit statuses and check runs of trunk commits instead")
		return a.statusRuns(ctx, true)
	}
	a.ev.Runs = append(a.ev.Runs, out...)
	a.ev.Mark(model.KindRuns)
	if allJobs {
		a.ev.Mark(model.KindJobs)
	} else {
		a.partialKinds = true
		if jobsErr != nil {
			a.warn("jobs: " + jobsErr.Error())
		}
	}
	return nil
}

// relistFrom decides how runs still going at the last audit are read again:
// by listing from the creation of the oldest of them (one request a page of
// 100 runs) or one by one. It returns the listing start that needs the
// fewest requests, counting a page per 100 known runs created since then
// plus one request per unfinished run older than it.
func relistFrom(runs map[string]model.Run, from time.Time, w model.Window) time.Time {
	var unf []time.Time
	for _, m := range runs {
		if m.Status != "completed" && m.CreatedAt.Before(from) && w.Contains(m.CreatedAt) {
			unf = append(unf, m.CreatedAt)
		}
	}
	sort.Slice(unf, func(i, j int) bool { return unf[i].After(unf[j]) })
	pages := func(t time.Time) int {
		n := 0
		for _, m := range runs {
			if !m.CreatedAt.Before(t) {
				n++
			}
		}
		return n/100 + 1
	}
	best, bestFrom := pages(from)+len(unf), from
	for i, t := range unf {
		if cost := pages(t) + len(unf) - i - 1; cost <= best {
			best, bestFrom = cost, t
		}
	}
	return bestFrom
}

// listRuns lists the runs created in [from, to] (both inclusive, whole
// seconds). A range with more results than GitHub's cap is split in halves;
// complete is false when a range of one minute still exceeds it.
func (a *audit) listRuns(ctx context.Context, from, to time.Time, depth int) (runs []*gh.WorkflowRun, complete bool, err error) {
	c := a.c
	if to.Before(from) {
		return nil, true, nil
	}
	opt := &gh.ListWorkflowRunsOptions{Created: from.UTC().Format(time.RFC3339) + ".." + to.UTC().Format(time.RFC3339), ListOptions: pageOpts()}
	complete = true
	for {
		page, resp, err := c.client.Actions.ListRepositoryWorkflowRuns(ctx, c.owner, c.name, opt)
		if err != nil {
			return nil, false, err
		}
		if opt.Page == 0 && page.GetTotalCount() > runCap {
			if to.Sub(from) > time.Minute && depth < 30 {
				mid := from.Add(to.Sub(from) / 2).Truncate(time.Second)
				left, lc, err := a.listRuns(ctx, from, mid, depth+1)
				if err != nil {
					return nil, false, err
				}
				right, rc, err := a.listRuns(ctx, mid.Add(time.Second), to, depth+1)
				if err != nil {
					return nil, false, err
				}
				return append(left, right...), lc && rc, nil
			}
			complete = false
		}
		runs = append(runs, page.WorkflowRuns...)
		next, err := nextPage(opt.Page, resp)
		if err != nil {
			return nil, false, err
		}
		if next == 0 {
			return runs, complete, nil
		}
		opt.Page = next
	}
}

// convertRun maps a workflow run. GitHub gives a run no completion time:
// for a completed run, updated_at is taken as FinishedAt (the last change of
// a completed run is its completion, unless it was touched later) and
// Duration is updated_at − run_started_at of the latest attempt.
func (a *audit) convertRun(r *gh.WorkflowRun) model.Run {
	m := model.Run{
		ID:         strconv.FormatInt(r.GetID(), 10),
		URL:        r.GetHTMLURL(),
		Name:       r.GetName(),
		Event:      r.GetEvent(),
		Branch:     r.GetHeadBranch(),
		SHA:        r.GetHeadSHA(),
		Status:     r.GetStatus(),
		Conclusion: r.GetConclusion(),
		Attempt:    r.GetRunAttempt(),
		CreatedAt:  r.GetCreatedAt().UTC(),
	}
	m.Trigger = a.trigger(m.Event, m.Branch)
	if r.RunStartedAt != nil {
		t := r.GetRunStartedAt().UTC()
		m.StartedAt = &t
	}
	if m.Status == "completed" && r.UpdatedAt != nil {
		t := r.GetUpdatedAt().UTC()
		m.FinishedAt = &t
		if m.StartedAt != nil && !t.Before(*m.StartedAt) {
			d := t.Sub(*m.StartedAt).Seconds()
			m.Duration = &d
		}
	}
	if len(r.PullRequests) > 0 {
		m.PullNumber = strconv.Itoa(r.PullRequests[0].GetNumber())
	}
	return m
}

// trigger normalises an Actions event. A push whose head_branch is a tag
// (and no branch) is a tag push; so is a release, and a create of a tag.
func (a *audit) trigger(event, ref string) model.Trigger {
	isTag := func() bool {
		tags := a.tagNames
		if tags == nil {
			tags = map[string]bool{}
			for _, t := range a.ev.Tags {
				tags[t.Name] = true
			}
		}
		return tags[ref] && !a.branchNames[ref]
	}
	switch t, _ := vocab.GitHubTrigger(event); {
	case t == model.TriggerPush && isTag():
		return model.TriggerTag
	case event == "create" && isTag():
		return model.TriggerTag
	default:
		return t
	}
}

// runJobs fetches the jobs of completed runs whose jobs are not known yet,
// newest first, up to the cap. It asks for every execution (filter=all),
// not only the latest: a job that failed and passed when its run was
// re-run is then two jobs, the earlier one marked Retried, as GitLab's
// retried jobs are, so that flaky jobs show.
func (a *audit) runJobs(ctx context.Context, runs map[string]model.Run) error {
	c := a.c
	var need []model.Run
	for _, m := range runs {
		if m.Status == "completed" && !m.JobsKnown {
			need = append(need, m)
		}
	}
	sort.Slice(need, func(i, j int) bool { return need[i].CreatedAt.After(need[j].CreatedAt) })
	if len(need) > c.opt.MaxJobRuns {
		a.note(fmt.Sprintf("jobs of %d runs not fetched (cap per audit); later audits fetch them", len(need)-c.opt.MaxJobRuns))
		need = need[:c.opt.MaxJobRuns]
	}
	done, err := a.gqlRunJobs(ctx, need, a.runNodes)
	if err != nil {
		return err
	}
	for _, m := range need {
		if jobs, ok := done[m.ID]; ok {
			m.Jobs, m.JobsKnown = jobs, true
			runs[m.ID] = m
			continue
		}
		id, _ := strconv.ParseInt(m.ID, 10, 64)
		opt := &gh.ListWorkflowJobsOptions{Filter: "all", ListOptions: pageOpts()}
		var jobs []model.Job
		for {
			page, resp, err := c.client.Actions.ListWorkflowJobs(ctx, c.owner, c.name, id, opt)
			if err != nil {
				return fmt.Errorf("run %s: %w", m.ID, err)
			}
			for _, j := range page.Jobs {
				jobs = append(jobs, convertJob(j))
			}
			next, err := nextPage(opt.Page, resp)
			if err != nil {
				return fmt.Errorf("run %s: jobs: %w", m.ID, err)
			}
			if next == 0 {
				break
			}
			opt.Page = next
		}
		markSuperseded(jobs)
		m.Jobs, m.JobsKnown = jobs, true
		runs[m.ID] = m
	}
	return nil
}

func convertJob(j *gh.WorkflowJob) model.Job {
	m := model.Job{
		ID:         strconv.FormatInt(j.GetID(), 10),
		Name:       j.GetName(),
		URL:        j.GetHTMLURL(),
		Status:     j.GetStatus(),
		Conclusion: j.GetConclusion(),
		Attempt:    int(j.GetRunAttempt()),
	}
	if j.StartedAt != nil {
		t := j.GetStartedAt().UTC()
		m.StartedAt = &t
	}
	if j.CompletedAt != nil {
		t := j.GetCompletedAt().UTC()
		m.FinishedAt = &t
		if m.StartedAt != nil && !t.Before(*m.StartedAt) {
			d := t.Sub(*m.StartedAt).Seconds()
			m.Duration = &d
		}
	}
	for _, s := range j.Steps {
		m.Steps = append(m.Steps, s.GetName())
	}
	return m
}

// markSuperseded marks as Retried every job that a later attempt of its
// run executed again (same name, higher run attempt).
func markSuperseded(jobs []model.Job) {
	latest := map[string]int{}
	for _, j := range jobs {
		latest[j.Name] = max(latest[j.Name], j.Attempt)
	}
	for i, j := range jobs {
		jobs[i].Retried = j.Attempt < latest[j.Name]
	}
}
