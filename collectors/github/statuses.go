package github

import (
	"context"
	"net/http"
	"sort"

	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/model"
)

// statusRuns stands in for Actions runs with the commit statuses of the
// default branch's first-parent commits in the window (newest first, up to
// maxStatusCommits): one run per commit and status context. positive says
// the Actions API answered that there are no runs; when the statuses are
// empty too, runs are then recorded as collected and empty, otherwise left
// unknown. Jobs stay unknown: statuses have none.
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
		a.note("commit statuses read for the newest 100 trunk commits only")
		trunk = trunk[:maxStatusCommits]
	}
	c := a.c
	var out []model.Run
	for _, cm := range trunk {
		opt := pageOpts()
		sts, _, err := c.client.Repositories.ListStatuses(ctx, c.owner, c.name, cm.Hash, &opt)
		if err != nil {
			if status(err) == http.StatusNotFound {
				continue
			}
			return err
		}
		out = append(out, statusesToRuns(cm.Hash, a.ev.DefaultBranch, sts)...)
	}
	switch {
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
	a.partialKinds = true // statuses have no jobs
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
