package github

import (
	"context"
	"errors"
	"net/http"
	"sort"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
)

// statusRuns stands in for Actions runs with the commit statuses and the
// check runs (of apps other than GitHub Actions) of the default branch's
// first-parent commits in the window (newest first, up to
// maxStatusCommits): one run per commit and status context, and one per
// commit and app whose check runs are its jobs. positive says the Actions
// API answered that there are no runs; when there are neither statuses nor
// check runs either, runs are then recorded as collected and empty,
// otherwise left unknown. Jobs are known when every run came from check
// runs: statuses have none.
func (a *audit) statusRuns(ctx context.Context, positive bool) error {
	var commits []model.Commit
	if a.ev.Has(model.KindCommits) {
		commits = a.ev.Commits
	} else {
		var err error
		if commits, err = a.fetchCommits(ctx); err != nil {
			return err
		}
	}
	var trunk []model.Commit
	for _, cm := range commits {
		if cm.FirstParent && a.ev.Window.Contains(cm.Committer.When) {
			trunk = append(trunk, cm)
		}
	}
	sort.SliceStable(trunk, func(i, j int) bool { return trunk[i].Committer.When.After(trunk[j].Committer.When) })
	if len(trunk) > maxStatusCommits {
		a.note("commit statuses and check runs read for the newest 100 trunk commits only")
		trunk = trunk[:maxStatusCommits]
	}
	checks, cerr := a.checkRuns(ctx, trunk)
	checksKnown := cerr == nil
	switch {
	case errors.Is(cerr, errChecksForbidden):
		a.warn("check runs: " + cerr.Error() + "; runs from them are unknown")
	case cerr != nil:
		return cerr
	}
	c := a.c
	var out []model.Run
	statuses := false
	for _, cm := range trunk {
		opt := pageOpts()
		sts, _, err := c.client.Repositories.ListStatuses(ctx, c.owner, c.name, cm.Hash, &opt)
		if err != nil && status(err) != http.StatusNotFound {
			return err
		}
		names := map[string]bool{}
		for _, r := range checks[cm.Hash] {
			for _, j := range r.Jobs {
				names[j.Name] = true
			}
		}
		for _, r := range statusesToRuns(cm.Hash, a.ev.DefaultBranch, sts) {
			if !names[r.Name] { // a check run of the same name tells the same, with jobs
				out = append(out, r)
				statuses = true
			}
		}
		out = append(out, checks[cm.Hash]...)
	}
	switch {
	case !checksKnown:
		a.ev.Runs = append(a.ev.Runs, out...)
		a.partialKinds = true
		return nil
	case len(out) == 0 && !positive:
		a.partialKinds = true
		return nil
	case len(out) == 0:
		// The host positively has no runs: runs, and so their jobs, are
		// known to be none.
		a.ev.Mark(model.KindRuns, model.KindJobs)
		return nil
	}
	a.ev.Runs = append(a.ev.Runs, out...)
	a.ev.Mark(model.KindRuns)
	if statuses {
		a.partialKinds = true // statuses have no jobs
	} else {
		a.ev.Mark(model.KindJobs)
	}
	return nil
}

// statusesToRuns folds a commit's statuses (newest first) into one run per
// context: the newest status gives the outcome and the finish, the oldest
// the start. An "error" state counts as a failure; "pending" is in progress.
func statusesToRuns(sha, branch string, sts []*gh.RepoStatus) []model.Run {
	type fold struct{ newest, oldest *gh.RepoStatus }
	by := map[string]*fold{}
	var order []string
	for _, s := range sts {
		f, ok := by[s.GetContext()]
		if !ok {
			f = &fold{newest: s}
			by[s.GetContext()] = f
			order = append(order, s.GetContext())
		}
		f.oldest = s
	}
	var out []model.Run
	for _, ctxName := range order {
		f := by[ctxName]
		m := model.Run{
			ID: "status:" + sha + ":" + ctxName, URL: f.newest.GetTargetURL(), Name: ctxName,
			Event: "commit_status", Trigger: model.TriggerOther, Branch: branch, SHA: sha,
			CreatedAt: f.oldest.GetCreatedAt().UTC(),
		}
		start := f.oldest.GetCreatedAt().UTC()
		m.StartedAt = &start
		switch f.newest.GetState() {
		case "pending":
			m.Status = "in_progress"
		default:
			m.Status = "completed"
			m.Conclusion = f.newest.GetState()
			if m.Conclusion == "error" {
				m.Conclusion = "failure"
			}
			fin := f.newest.GetUpdatedAt().UTC()
			m.FinishedAt = &fin
			if f.oldest != f.newest && !fin.Before(start) {
				d := fin.Sub(start).Seconds()
				m.Duration = &d
			}
		}
		out = append(out, m)
	}
	return out
}
