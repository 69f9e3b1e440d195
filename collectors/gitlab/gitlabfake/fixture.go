package gitlabfake

import (
	"fmt"
	"strings"
	"time"
)

// Fixture sizes: the busy project of issue 12 (as the GitHub fake's
// fixture), a 90-day history of a first audit.
const (
	FixtureMRs         = 189
	FixturePipelines   = 492
	FixtureDeployments = 216
)

// FixtureNow is the end of the fixture's history; every item lies within
// the 90 days before it.
var FixtureNow = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// FixturePath is the fixture project's path.
const FixturePath = "acme/shop"

// Fixture returns a project with FixtureMRs merge requests (merged, open
// and closed; 2 commits and 2 changed files each; one in ten closes an
// issue it names in its description), FixturePipelines pipelines (3 jobs
// each, a JUnit test report on the finished ones, one test job retried in
// ten pipelines, merge-request pipelines among them) and FixtureDeployments
// deployments to a production and a staging environment. Durations are
// whole seconds (GraphQL's CiJob.duration is an integer).
//
// webRoot is the instance's web root (the server's BaseURL), which the
// web URLs start with, as GitLab's do.
func Fixture(webRoot string) *Data {
	now := FixtureNow
	web := strings.TrimRight(webRoot, "/") + "/" + FixturePath
	d := &Data{
		Project: Project{ID: 7, Name: "shop", PathWithNamespace: FixturePath, DefaultBranch: "main", WebURL: web,
			MergeMethod: "merge", BuildsAccessLevel: "enabled", Visibility: "private"},
		Environments: []Environment{
			{ID: 1, Name: "production", Slug: "production", State: "available", Tier: "production", CreatedAt: now.AddDate(-1, 0, 0), UpdatedAt: now.AddDate(-1, 0, 0)},
			{ID: 2, Name: "staging", Slug: "staging", State: "available", Tier: "staging", CreatedAt: now.AddDate(-1, 0, 0), UpdatedAt: now.AddDate(-1, 0, 0)},
		},
	}
	tip := Commit{ID: fmt.Sprintf("%040x", 1), Title: "tip", Message: "tip", AuthorName: "alice", AuthoredDate: now.Add(-time.Hour),
		CommittedDate: now.Add(-time.Hour), CreatedAt: now.Add(-time.Hour)}
	d.Commits = []Commit{tip}
	d.Branches = []Branch{{Name: "main", Default: true, Protected: true, Commit: tip}}
	d.Tree = []TreeEntry{{ID: "b1", Name: "main.go", Type: "blob", Path: "main.go", Mode: "100644"}}
	users := []string{"alice", "bob", "carol"}
	for i := 1; i <= FixtureMRs; i++ {
		created := now.Add(-time.Duration(i) * 11 * time.Hour)
		m := &MergeRequest{ID: int64(5000 + i), IID: int64(i), ProjectID: 7, Title: fmt.Sprintf("change %d", i),
			State: "merged", CreatedAt: created, UpdatedAt: created.Add(3 * time.Hour), TargetBranch: "main",
			SourceBranch: fmt.Sprintf("feature/%d", i), Author: User{ID: 1, Username: users[i%3], Name: users[i%3], State: "active"},
			SHA: fmt.Sprintf("%040x", 100000+i), WebURL: fmt.Sprintf("%s/-/merge_requests/%d", web, i), Labels: []string{}}
		switch {
		case i%7 == 0:
			m.State = "closed"
			m.ClosedAt = tp(created.Add(3 * time.Hour))
		case i%9 == 0:
			m.State = "opened"
		default:
			m.MergedAt = tp(created.Add(3 * time.Hour))
			m.MergeCommitSHA = sp(fmt.Sprintf("%040x", 200000+i))
		}
		for k := 2; k >= 1; k-- {
			at := created.Add(-time.Duration(k) * time.Hour)
			m.Commits = append(m.Commits, Commit{ID: fmt.Sprintf("%040x", 300000+10*i+k), Title: fmt.Sprintf("step %d", k),
				Message: fmt.Sprintf("step %d of change %d", k, i), AuthorName: users[i%3], AuthoredDate: at, CommittedDate: at, CreatedAt: at})
		}
		m.Diffs = []Diff{
			{OldPath: "main.go", NewPath: "main.go", AMode: "100644", BMode: "100644", Diff: "@@ -1,2 +1,3 @@\n-a\n+b\n+c\n"},
			{OldPath: fmt.Sprintf("pkg/f%d.go", i), NewPath: fmt.Sprintf("pkg/f%d.go", i), BMode: "100644", NewFile: true, Diff: "@@ -0,0 +1,1 @@\n+x\n"},
		}
		if i%2 == 0 {
			m.ApprovedBy = []string{users[(i+1)%3]}
		}
		if i%10 == 0 {
			m.Description = fmt.Sprintf("Closes #%d", 900+i)
			m.ClosesIssues = []any{Issue{ID: int64(90000 + i), IID: int64(900 + i), ProjectID: 7, Title: "bug", State: "closed"}}
		}
		d.MergeRequests = append(d.MergeRequests, m)
	}
	for i := 1; i <= FixturePipelines; i++ {
		created := now.Add(-time.Duration(i) * 4 * time.Hour)
		id := int64(10000 + i)
		p := &Pipeline{ID: id, IID: int64(i), ProjectID: 7, Status: "success", Source: "push", Ref: "main",
			SHA: fmt.Sprintf("%040x", 400000+i), WebURL: fmt.Sprintf("%s/-/pipelines/%d", web, id),
			CreatedAt: created, UpdatedAt: created.Add(20 * time.Minute), User: User{ID: 1, Username: "alice"}}
		switch {
		case i%3 == 0:
			p.Source, p.Ref = "merge_request_event", fmt.Sprintf("refs/merge-requests/%d/head", 1+i%FixtureMRs)
		case i%11 == 0:
			p.Source, p.Ref, p.Tag = "push", fmt.Sprintf("v1.%d.0", i), true
		}
		switch {
		case i%50 == 1:
			p.Status = "running"
		case i%5 == 0:
			p.Status = "failed"
		}
		jobStatus := func(name string) string {
			if p.Status == "running" && name != "build" {
				return "pending"
			}
			if p.Status == "failed" && name == "test" {
				return "failed"
			}
			if p.Status == "failed" && name == "deploy" {
				return "skipped"
			}
			return "success"
		}
		var jid int64 = id * 10
		job := func(name, stage string, start time.Duration, secs float64, junit, retried bool) Job {
			jid++
			st := jobStatus(name)
			if retried {
				st = "failed"
			}
			j := Job{ID: jid, Name: name, Stage: stage, Status: st, Ref: p.Ref, CreatedAt: created,
				WebURL: fmt.Sprintf("%s/-/jobs/%d", web, jid), Retried: retried, Artifacts: []JobArtifact{}}
			if st != "pending" && st != "skipped" {
				j.StartedAt, j.FinishedAt = tp(created.Add(start)), tp(created.Add(start+time.Duration(secs)*time.Second))
				j.Duration = fp(secs)
			}
			if junit {
				j.Artifacts = append(j.Artifacts, JobArtifact{FileType: "junit", Filename: "junit.xml.gz", Size: 512})
			}
			return j
		}
		p.Jobs = append(p.Jobs, job("build", "build", time.Minute, 120, false, false))
		if i%10 == 0 {
			p.Jobs = append(p.Jobs, job("test", "test", 3*time.Minute, 60, true, true))
		}
		p.Jobs = append(p.Jobs, job("test", "test", 5*time.Minute, 240, true, false))
		p.Jobs = append(p.Jobs, job("deploy", "deploy", 10*time.Minute, 30, false, false))
		if p.Status != "running" {
			p.StartedAt, p.FinishedAt = tp(created.Add(time.Minute)), tp(created.Add(11*time.Minute))
			p.Duration, p.QueuedDuration = fp(600), fp(12)
			p.Coverage = sp("81.5")
			tr := &TestReport{TotalTime: 42, TotalCount: 100, SuccessCount: 98, SkippedCount: 2,
				TestSuites: []TestSuite{{Name: "unit", TotalTime: 42, TotalCount: 100, SuccessCount: 98, SkippedCount: 2, TestCases: []TestCase{}}}}
			if p.Status == "failed" {
				tr.SuccessCount, tr.FailedCount = 95, 3
				tr.TestSuites[0].SuccessCount, tr.TestSuites[0].FailedCount = 95, 3
			}
			p.TestReport = tr
		}
		d.Pipelines = append(d.Pipelines, p)
	}
	for i := 1; i <= FixtureDeployments; i++ {
		p := d.Pipelines[i-1]
		dj := p.Jobs[len(p.Jobs)-1]
		dp := Deployment{ID: int64(20000 + i), IID: int64(i), Ref: p.Ref, SHA: p.SHA, Status: "success",
			CreatedAt: p.CreatedAt.Add(10 * time.Minute), UpdatedAt: p.CreatedAt.Add(11 * time.Minute), User: User{ID: 1, Username: "alice"},
			Deployable: &Deployable{ID: dj.ID, Name: dj.Name, Stage: dj.Stage, Status: dj.Status, Ref: p.Ref, Tag: p.Tag,
				CreatedAt: p.CreatedAt, StartedAt: dj.StartedAt, FinishedAt: dj.FinishedAt, Duration: dj.Duration}}
		dp.Deployable.Pipeline.ID, dp.Deployable.Pipeline.SHA, dp.Deployable.Pipeline.Ref, dp.Deployable.Pipeline.Status = p.ID, p.SHA, p.Ref, p.Status
		if dj.Status != "success" {
			dp.Status = "canceled"
		}
		env := d.Environments[i%2]
		dp.Environment.ID, dp.Environment.Name = env.ID, env.Name
		d.Deployments = append(d.Deployments, dp)
	}
	return d
}

func tp(t time.Time) *time.Time { return &t }
func fp(f float64) *float64     { return &f }
func sp(s string) *string       { return &s }
