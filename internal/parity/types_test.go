package parity

import (
	"sort"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// hCommit is a commit; author is a login (e-mail login@example.com).
type hCommit struct {
	name, msg, author   string
	parents             []string
	authored, committed time.Time
}

// hFile is a file a change touches.
type hFile struct {
	path     string
	add, del int
}

// hChange is a pull / merge request. Number is the PR number and the MR iid.
type hChange struct {
	num                   int
	title, body, author   string
	branch                string
	state                 string // merged, open, closed
	created, updated      time.Time
	merged, closed        time.Time // zero when not
	head, merge           string    // commit names
	commits               []string  // commit names, oldest first
	files                 []hFile
	approvedBy, commentBy []string
	closes                []int // issues of this project the change closes
}

// hJob is a job of a run; offsets are from the run's start. A skipped job
// never started.
type hJob struct {
	name, env  string
	start, dur time.Duration
	concl      string // success, failure, cancelled, skipped
}

// hTests is the test report of a run (JUnit): only GitLab serves one.
type hTests struct {
	total, failed, skipped int
	secs                   float64
}

// hRun is one CI run of the single workflow "CI".
type hRun struct {
	id      int64
	trigger model.Trigger // push, pull_request, schedule, manual, tag
	branch  string        // the PR's source branch, the tag, else the default branch
	pr      int
	commit  string
	created time.Time
	queue   time.Duration
	jobs    []hJob
	tests   *hTests
	// rerun, when set, re-ran the failed jobs that long after the run
	// started (GitHub "re-run failed jobs", GitLab "retry"), and they passed,
	// each taking rerunDur.
	rerun, rerunDur time.Duration
}

func (r hRun) started() time.Time { return r.created.Add(r.queue) }

// hRerun is the second execution of a failed job.
type hRerun struct {
	id         int64
	job        hJob
	start, end time.Time
}

// reruns are the re-executions of the failed jobs, one after another.
func (r hRun) reruns() []hRerun {
	if r.rerun == 0 {
		return nil
	}
	var out []hRerun
	at := r.started().Add(r.rerun)
	for _, j := range r.jobs {
		if j.concl == "failure" {
			out = append(out, hRerun{id: r.jobID(len(r.jobs) + len(out)), job: j, start: at, end: at.Add(r.rerunDur)})
			at = at.Add(r.rerunDur)
		}
	}
	return out
}

func (r hRun) jobStart(j hJob) time.Time { return r.started().Add(j.start) }

func (r hRun) jobEnd(j hJob) time.Time { return r.started().Add(j.start + j.dur) }

// finished is the end of the last job that ran.
func (r hRun) finished() time.Time {
	end := r.started()
	for _, j := range r.jobs {
		if j.concl != "skipped" && r.jobEnd(j).After(end) {
			end = r.jobEnd(j)
		}
	}
	for _, x := range r.reruns() {
		end = x.end
	}
	return end
}

// firstEnd is when the first attempt of the run ended.
func (r hRun) firstEnd() time.Time {
	end := r.started()
	for _, j := range r.jobs {
		if j.concl != "skipped" && r.jobEnd(j).After(end) {
			end = r.jobEnd(j)
		}
	}
	return end
}

// conclusion is failure when a job failed (and was not re-run), else
// cancelled when a job was, else success.
func (r hRun) conclusion() string {
	out := "success"
	for _, j := range r.jobs {
		switch {
		case j.concl == "failure" && r.rerun == 0:
			return "failure"
		case j.concl == "cancelled":
			out = "cancelled"
		}
	}
	return out
}

func (r hRun) jobID(i int) int64 { return r.id*10 + int64(i) }

// hDeployment is a deployment: a deploy job that ran.
type hDeployment struct {
	id            int64 // the job's id
	run           hRun
	env, commit   string
	created, done time.Time
	status        string // success, failure
}

// deployments derives the deployments from the deploy jobs of the runs,
// oldest first.
func (h *history) deployments() []hDeployment {
	var out []hDeployment
	for _, r := range h.runs {
		for i, j := range r.jobs {
			if j.env == "" || j.concl == "skipped" {
				continue
			}
			out = append(out, hDeployment{id: r.jobID(i), run: r, env: j.env, commit: r.commit,
				created: r.jobStart(j), done: r.jobEnd(j), status: j.concl})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].created.Before(out[j].created) })
	return out
}

// hTag, hRelease, hEnv and hBranch are what their names say.
type hTag struct{ name, commit string }

type hRelease struct {
	tag    string
	at     time.Time
	assets int
}

type hEnv struct {
	name, tier string
	created    time.Time
}

type hBranch struct {
	name    string
	commits []string // ahead of trunk, oldest first
}

// history is one delivery history, host-neutral.
type history struct {
	owner, name, branch string
	created             time.Time
	trunk               []hCommit // the default branch's history, newest first
	others              []hCommit // commits only on change branches
	open                []hBranch // unmerged branches
	tags                []hTag
	releases            []hRelease // newest first
	changes             []hChange
	runs                []hRun // oldest first
	envs                []hEnv
	approvals           int      // approvals required on the default branch
	checks              []string // named required checks (GitHub only can name them)
	files               map[string]string
	githubCI, gitlabCI  string // the CI configuration each host reads
}

func (h *history) commit(name string) hCommit {
	for _, l := range [][]hCommit{h.trunk, h.others} {
		for _, c := range l {
			if c.name == name {
				return c
			}
		}
	}
	panic("parity: unknown commit " + name) // a typo in the history
}

func (h *history) tip() hCommit { return h.trunk[0] }
