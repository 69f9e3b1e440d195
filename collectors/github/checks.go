package github

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
)

// actionsSlug is GitHub Actions' app: its check runs are the jobs of
// workflow runs, collected as such.
const actionsSlug = "github-actions"

// checkSettle is how long after a commit an empty check-run answer is
// taken as final: apps create their check runs within minutes of a push,
// so a commit asked about a day after it was made and still without check
// runs is not asked again.
const checkSettle = 24 * time.Hour

// errChecksForbidden says the token may not read check runs (a
// fine-grained token or app without the checks permission).
var errChecksForbidden = errors.New("check runs not readable with this token (403)")

// checksBlob is what the state keeps of check runs: per commit, the runs
// its answer gave (Actions' left out) and when it was asked.
type checksBlob struct {
	Hash    string                `json:"hash"`
	Commits map[string]checkEntry `json:"commits"`
}

type checkEntry struct {
	Asked time.Time   `json:"asked"`
	Runs  []model.Run `json:"runs"`
}

// final reports whether a commit need not be asked again: every run it had
// was completed, and it had some or was asked long enough after the commit.
func (e checkEntry) final(committed time.Time) bool {
	for _, r := range e.Runs {
		if r.Status != "completed" {
			return false
		}
	}
	return len(e.Runs) > 0 || e.Asked.Sub(committed) >= checkSettle
}

// checkRuns returns the check runs of the given trunk commits folded into
// runs (one per commit and app, Actions' left out), by commit SHA. Commits
// whose last answer was final come from the incremental state; the others
// are asked (GET commits/{sha}/check-runs?filter=all). A 403 that is not a
// rate limit gives what was had and errChecksForbidden.
func (a *audit) checkRuns(ctx context.Context, trunk []model.Commit) (map[string][]model.Run, error) {
	var kept checksBlob
	if !a.state.Get("checkruns", &kept) || kept.Hash != a.hash || kept.Commits == nil {
		kept = checksBlob{Hash: a.hash, Commits: map[string]checkEntry{}}
	}
	next := checksBlob{Hash: a.hash, Commits: map[string]checkEntry{}}
	out := map[string][]model.Run{}
	var err error
	for _, cm := range trunk {
		e, ok := kept.Commits[cm.Hash]
		if !ok || !e.final(cm.Committer.When) {
			if err != nil {
				if ok {
					next.Commits[cm.Hash] = e // keep the last answer for a later audit
				}
				continue
			}
			var crs []*gh.CheckRun
			crs, err = a.listCheckRuns(ctx, cm.Hash)
			if err != nil {
				if ok {
					next.Commits[cm.Hash] = e
				}
				continue
			}
			e = checkEntry{Asked: a.start, Runs: checkRunsToRuns(cm, a.ev.DefaultBranch, crs)}
		}
		next.Commits[cm.Hash] = e
		out[cm.Hash] = e.Runs
	}
	if perr := a.state.Put("checkruns", next); perr != nil && err == nil {
		err = perr
	}
	return out, err
}

// listCheckRuns lists every check run of a commit, re-runs included; a
// commit GitHub does not know has none.
func (a *audit) listCheckRuns(ctx context.Context, sha string) ([]*gh.CheckRun, error) {
	c := a.c
	all := "all"
	opt := &gh.ListCheckRunsOptions{Filter: &all, ListOptions: pageOpts()}
	var out []*gh.CheckRun
	for {
		page, resp, err := c.client.Checks.ListCheckRunsForRef(ctx, c.owner, c.name, sha, opt)
		if err != nil {
			switch {
			case status(err) == http.StatusNotFound || status(err) == http.StatusUnprocessableEntity:
				return nil, nil
			case status(err) == http.StatusForbidden && !isRateLimit(err):
				return nil, errChecksForbidden
			}
			return nil, err
		}
		out = append(out, page.CheckRuns...)
		next, err := nextPage(opt.Page, resp)
		if err != nil {
			return nil, err
		}
		if next == 0 {
			return out, nil
		}
		opt.Page = next
	}
}

// checkRunsToRuns folds a trunk commit's check runs into one run per app
// (GitHub Actions' skipped), each check run a job, ordered by app slug. A
// check run that a later one of the same name re-ran is marked Retried;
// the run's status, outcome, start and finish come from the jobs that were
// not: it is completed when they all are, and its conclusion is the worst
// of theirs (failure, timed_out, cancelled, success, skipped). Its URL is
// that of the check run that decided the conclusion, else of the first.
func checkRunsToRuns(cm model.Commit, branch string, crs []*gh.CheckRun) []model.Run {
	type group struct {
		app  *gh.App
		runs []*gh.CheckRun
	}
	by := map[string]*group{}
	var slugs []string
	for _, cr := range crs {
		slug := cr.GetApp().GetSlug()
		if slug == actionsSlug {
			continue
		}
		g, ok := by[slug]
		if !ok {
			g = &group{app: cr.GetApp()}
			by[slug] = g
			slugs = append(slugs, slug)
		}
		g.runs = append(g.runs, cr)
	}
	sort.Strings(slugs)
	var out []model.Run
	for _, slug := range slugs {
		g := by[slug]
		sort.Slice(g.runs, func(i, j int) bool { return g.runs[i].GetID() < g.runs[j].GetID() })
		name := g.app.GetName()
		if name == "" {
			name = "check runs"
		}
		m := model.Run{ID: "check:" + cm.Hash + ":" + slug, Name: name, Event: "check_run", Trigger: model.TriggerPush,
			Branch: branch, SHA: cm.Hash, JobsKnown: true}
		latest := map[string]int64{}
		for _, cr := range g.runs {
			latest[cr.GetName()] = max(latest[cr.GetName()], cr.GetID())
		}
		var start, finish *time.Time
		done := true
		anyRunning := false
		for _, cr := range g.runs {
			j := checkJob(cr)
			j.Retried = cr.GetID() < latest[cr.GetName()]
			m.Jobs = append(m.Jobs, j)
			if j.StartedAt != nil && (m.CreatedAt.IsZero() || j.StartedAt.Before(m.CreatedAt)) {
				m.CreatedAt = *j.StartedAt
			}
			if j.Retried {
				continue
			}
			if j.StartedAt != nil && (start == nil || j.StartedAt.Before(*start)) {
				start = j.StartedAt
			}
			if j.Status != "completed" {
				done = false
				anyRunning = anyRunning || j.Status == "in_progress"
				continue
			}
			if j.FinishedAt != nil && (finish == nil || j.FinishedAt.After(*finish)) {
				finish = j.FinishedAt
			}
			if worse(j.Conclusion, m.Conclusion) {
				m.Conclusion, m.URL = j.Conclusion, j.URL
			}
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = cm.Committer.When
		}
		m.StartedAt = start
		switch {
		case done:
			m.Status = "completed"
			m.FinishedAt = finish
			if start != nil && finish != nil && !finish.Before(*start) {
				d := finish.Sub(*start).Seconds()
				m.Duration = &d
			}
		case anyRunning:
			m.Status, m.Conclusion = "in_progress", ""
		default:
			m.Status, m.Conclusion = "queued", ""
		}
		if m.URL == "" && len(m.Jobs) > 0 {
			m.URL = m.Jobs[0].URL
		}
		out = append(out, m)
	}
	return out
}

// checkJob maps a check run onto a job.
func checkJob(cr *gh.CheckRun) model.Job {
	j := model.Job{ID: strconv.FormatInt(cr.GetID(), 10), Name: cr.GetName(), URL: cr.GetHTMLURL()}
	switch cr.GetStatus() {
	case "completed":
		j.Status = "completed"
		j.Conclusion = checkConclusion(cr.GetConclusion())
	case "in_progress":
		j.Status = "in_progress"
	default: // queued, and Actions' waiting, requested, pending
		j.Status = "queued"
	}
	if cr.StartedAt != nil {
		t := cr.GetStartedAt().UTC()
		j.StartedAt = &t
	}
	if j.Status == "completed" && cr.CompletedAt != nil {
		t := cr.GetCompletedAt().UTC()
		j.FinishedAt = &t
		if j.StartedAt != nil && !t.Before(*j.StartedAt) {
			d := t.Sub(*j.StartedAt).Seconds()
			j.Duration = &d
		}
	}
	return j
}

// checkConclusion maps a check run's conclusion onto the model's success,
// failure, cancelled, skipped and timed_out: action_required (the check
// did not pass and waits for someone) and startup_failure count as
// failures; stale (GitHub gave up on a run that never finished) as
// cancelled; neutral (finished without a verdict) as skipped, like an
// unknown word, so that it counts neither way.
func checkConclusion(s string) string {
	switch s {
	case "success", "failure", "cancelled", "skipped", "timed_out":
		return s
	case "action_required", "startup_failure":
		return "failure"
	case "stale":
		return "cancelled"
	}
	return "skipped"
}

// conclusionRank orders conclusions from the worst.
var conclusionRank = map[string]int{"failure": 5, "timed_out": 4, "cancelled": 3, "success": 2, "skipped": 1}

// worse reports whether conclusion a outranks b.
func worse(a, b string) bool { return conclusionRank[a] > conclusionRank[b] }
