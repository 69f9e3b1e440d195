package jenkins

import (
	"fmt"
	"strings"
	"testing"
	"time"

	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
	"github.com/cdaudit/cdaudit/model"
)

const (
	user  = "auditor"
	token = "11aa22bb33cc44dd55ee66ff77889900aa"
)

var (
	since  = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	until  = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	window = model.Window{Since: since, Until: until}
)

func now() time.Time { return until }

func day(d, h int) time.Time { return since.AddDate(0, 0, d-1).Add(time.Duration(h) * time.Hour) }

func sha(n int) string { return fmt.Sprintf("%040x", n*7919) }

// pipelineBuild is a Pipeline build: build, test, deploy to staging and,
// on success, to production.
func pipelineBuild(n int, start time.Time, result string, cause jf.Cause) jf.Build {
	b := jf.Build{Number: n, Result: result, Start: start, Duration: 10 * time.Minute, Queued: 30 * time.Second,
		QueueID: 1000 + n, SHA: sha(n), Branch: "refs/remotes/origin/main", Causes: []jf.Cause{cause}}
	stage := func(id, name, status string, off, dur time.Duration) jf.Stage {
		return jf.Stage{ID: id, Name: name, Status: status, Start: start.Add(off), Duration: dur}
	}
	b.Stages = []jf.Stage{stage("6", "Build", "SUCCESS", 0, 2*time.Minute)}
	testStatus := "SUCCESS"
	if result != "SUCCESS" {
		testStatus = "FAILED"
	}
	b.Stages = append(b.Stages, stage("14", "Test", testStatus, 2*time.Minute, 4*time.Minute))
	if result == "SUCCESS" {
		b.Stages = append(b.Stages, stage("20", "Deploy to staging", "SUCCESS", 6*time.Minute, time.Minute),
			stage("27", "Deploy (production)", "SUCCESS", 8*time.Minute, 2*time.Minute))
	} else {
		b.Stages = append(b.Stages, stage("20", "Deploy to staging", "NOT_EXECUTED", 0, 0))
	}
	failing := "PASSED"
	if result != "SUCCESS" {
		failing = "REGRESSION"
	}
	b.Tests = &jf.TestResult{Suites: []jf.Suite{
		{Name: "com.acme.OrderTest", Duration: 1.5, Cases: []jf.Case{
			{ClassName: "com.acme.OrderTest", Name: "creates", Status: "PASSED", Duration: 0.5},
			{ClassName: "com.acme.OrderTest", Name: "rejects", Status: failing, Duration: 0.5},
			{ClassName: "com.acme.OrderTest", Name: "later", Status: "SKIPPED"},
		}},
		{Name: "com.acme.PaymentIT", Duration: 3, Cases: []jf.Case{
			{ClassName: "com.acme.PaymentIT", Name: "pays", Status: "FAILED", Duration: 1},
			{ClassName: "com.acme.PaymentIT", Name: "pays", Status: "PASSED", Duration: 1},
		}},
	}}
	return b
}

var (
	scm   = jf.Cause{Class: jf.CauseSCM, ShortDescription: "Started by an SCM change"}
	timer = jf.Cause{Class: jf.CauseTimer, ShortDescription: "Started by timer"}
	human = jf.Cause{Class: jf.CauseUser, ShortDescription: "Started by user Ada", UserID: "ada"}
	up    = jf.Cause{Class: jf.CauseUpstream, ShortDescription: "Started by upstream project", UpstreamProject: "libs/core", UpstreamBuild: 9}
	index = jf.Cause{Class: jf.CauseIndexing, ShortDescription: "Branch indexing"}
)

// folderPipeline is team/app: a Pipeline job in a folder with five builds
// in the window (one failed, one rebuilt, one running) and one before it.
func folderPipeline() []*jf.Job {
	app := &jf.Job{Name: "app", Class: jf.ClassPipeline, Builds: []jf.Build{
		pipelineBuild(1, since.Add(-48*time.Hour), "SUCCESS", scm),
		pipelineBuild(2, day(2, 10), "SUCCESS", scm),
		pipelineBuild(3, day(3, 10), "FAILURE", timer),
		pipelineBuild(4, day(4, 10), "SUCCESS", human),
		pipelineBuild(5, day(5, 10), "SUCCESS", up),
		{Number: 6, Building: true, Start: day(30, 10), SHA: sha(6), Branch: "origin/main", Causes: []jf.Cause{scm}},
	}}
	app.Builds[3].SHA = sha(3) // build 4 rebuilds build 3's revision
	return []*jf.Job{{Name: "team", Class: jf.ClassFolder, Jobs: []*jf.Job{app}}}
}

// multibranch is svc with main, a change request and a feature branch.
func multibranch() []*jf.Job {
	mainJob := &jf.Job{Name: "main", Class: jf.ClassPipeline, Builds: []jf.Build{
		pipelineBuild(7, day(6, 9), "SUCCESS", index), pipelineBuild(8, day(7, 9), "UNSTABLE", scm)}}
	pr := &jf.Job{Name: "PR-12", Class: jf.ClassPipeline, DisplayName: "PR-12", Title: "Faster checkout",
		Builds: []jf.Build{pipelineBuild(1, day(6, 8), "SUCCESS", jf.Cause{Class: jf.CauseBranch, ShortDescription: "Pull request #12 opened"})}}
	feat := &jf.Job{Name: "feature%2Fx", DisplayName: "feature/x", Class: jf.ClassPipeline,
		Builds: []jf.Build{pipelineBuild(1, day(6, 7), "SUCCESS", index)}}
	tag := &jf.Job{Name: "v1.2.0", Class: jf.ClassPipeline, Builds: []jf.Build{pipelineBuild(1, day(8, 7), "SUCCESS", index)}}
	return []*jf.Job{{Name: "svc", Class: jf.ClassMultibranch, Jobs: []*jf.Job{mainJob, pr, feat, tag}}}
}

// many is a freestyle job with n builds, one an hour back from until.
func many(n int) []*jf.Job {
	j := &jf.Job{Name: "big", Class: jf.ClassFreestyle}
	for i := 1; i <= n; i++ {
		j.Builds = append(j.Builds, jf.Build{Number: i, Result: "SUCCESS", Start: until.Add(-time.Duration(n-i+1) * time.Hour),
			Duration: time.Minute, SHA: sha(i), Branch: "origin/main", Causes: []jf.Cause{scm}})
	}
	return []*jf.Job{j}
}

// countLists counts build-listing requests (job /api/json).
func countLists(reqs []string) (lists, details int) {
	for _, r := range reqs {
		p, _, _ := strings.Cut(r, "?")
		if strings.HasSuffix(p, "/wfapi/describe") || strings.HasSuffix(p, "/testReport/api/json") {
			details++
		} else {
			lists++
		}
	}
	return
}

func newCollector(t testing.TB, srv *jf.Server, job string, mod func(*Options)) *Collector {
	t.Helper()
	opt := Options{BaseURL: srv.URL, Job: job, User: user, Token: token, Now: now, CacheDir: t.TempDir(),
		Sleep: func(time.Duration) {}}
	if mod != nil {
		mod(&opt)
	}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
