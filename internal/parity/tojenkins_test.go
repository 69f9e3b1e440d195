package parity

import (
	"fmt"
	"sort"

	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
	"github.com/cdaudit/cdaudit/model"
)

// toJenkins serves the history's runs as a multibranch Pipeline project:
// the trunk's runs in the main branch job, each change's runs in its PR-N
// job, the tag's in a tag job; CI jobs are stages, JUnit reports test
// results. Jenkins re-runs a build as a new build, so the history given
// must have no re-runs (see TestJenkinsParity).
func toJenkins(h *history) []*jf.Job {
	children := map[string]*jf.Job{}
	var order []string
	child := func(name string) *jf.Job {
		if c := children[name]; c != nil {
			return c
		}
		c := &jf.Job{Name: name, Class: jf.ClassPipeline}
		children[name] = c
		order = append(order, name)
		return c
	}
	for _, r := range h.runs {
		name := h.branch
		cause := jf.Cause{Class: jf.CauseBranch, ShortDescription: "Push event to branch " + h.branch}
		switch r.trigger {
		case model.TriggerPullRequest:
			name = fmt.Sprintf("PR-%d", r.pr)
			cause.ShortDescription = "Pull request updated"
		case model.TriggerTag:
			name = r.branch
			cause = jf.Cause{Class: jf.CauseIndexing, ShortDescription: "Branch indexing"}
		case model.TriggerSchedule:
			cause = jf.Cause{Class: jf.CauseTimer, ShortDescription: "Started by timer"}
		case model.TriggerManual:
			cause = jf.Cause{Class: jf.CauseUser, ShortDescription: "Started by user alice", UserID: "alice"}
		}
		j := child(name)
		b := jf.Build{Number: len(j.Builds) + 1, Start: r.started(), Queued: r.queue, QueueID: int(r.id),
			Duration: r.finished().Sub(r.started()), SHA: sha(r.commit), Branch: "refs/remotes/origin/" + r.branch,
			Causes: []jf.Cause{cause}, Result: "SUCCESS"}
		for _, hj := range r.jobs {
			st := map[string]string{"success": "SUCCESS", "failure": "FAILED", "cancelled": "ABORTED", "skipped": "NOT_EXECUTED"}[hj.concl]
			switch {
			case hj.concl == "failure":
				b.Result = "FAILURE"
			case hj.concl == "cancelled" && b.Result == "SUCCESS":
				b.Result = "ABORTED"
			}
			s := jf.Stage{ID: fmt.Sprint(len(b.Stages)*7 + 6), Name: hj.name, Status: st}
			if hj.concl != "skipped" {
				s.Start, s.Duration = r.jobStart(hj), hj.dur
			}
			b.Stages = append(b.Stages, s)
		}
		if r.tests != nil {
			b.Tests = jenkinsTests(r.tests)
		}
		j.Builds = append(j.Builds, b)
	}
	for _, c := range h.changes {
		if j := children[fmt.Sprintf("PR-%d", c.num)]; j != nil {
			j.Title = c.title
		}
	}
	sort.Strings(order)
	out := &jf.Job{Name: h.name, Class: jf.ClassMultibranch}
	for _, n := range order {
		out.Jobs = append(out.Jobs, children[n])
	}
	return []*jf.Job{out}
}

// jenkinsTests spreads a report's counts over cases.
func jenkinsTests(t *hTests) *jf.TestResult {
	s := jf.Suite{Name: "shop", Duration: t.secs}
	for i := range t.total {
		st := "PASSED"
		switch {
		case i < t.failed:
			st = "FAILED"
		case i < t.failed+t.skipped:
			st = "SKIPPED"
		}
		s.Cases = append(s.Cases, jf.Case{ClassName: "shop.Test", Name: fmt.Sprint("case", i), Status: st})
	}
	return &jf.TestResult{Suites: []jf.Suite{s}}
}
