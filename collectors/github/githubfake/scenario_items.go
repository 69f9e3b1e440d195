package githubfake

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

func scenarioPulls(repoAPI, html string, r *Repo) []Pull {
	pull := func(n int, title, body, state string, created, updated time.Time, head, headSHA string) Pull {
		return Pull{URL: repoAPI + "/pulls/" + strconv.Itoa(n), ID: int64(5000 + n), NodeID: "PR_" + strconv.Itoa(n),
			HTMLURL: html + "/pull/" + strconv.Itoa(n), Number: n, State: state, Title: title, User: user("ann"), Body: body,
			CreatedAt: created, UpdatedAt: updated, Head: PullRef{Label: ScenarioOwner + ":" + head, Ref: head, SHA: headSHA},
			Base: PullRef{Label: ScenarioOwner + ":main", Ref: "main", SHA: SHA("c4")}, AuthorAssociation: "MEMBER"}
	}
	review := func(id int64, login, state string, at time.Time) Review {
		rv := Review{ID: id, NodeID: "PRR_" + strconv.FormatInt(id, 10), User: user(login), State: state,
			HTMLURL: html + "/pull/1#pullrequestreview-" + strconv.FormatInt(id, 10), CommitID: SHA("b2")}
		if state != "PENDING" {
			rv.SubmittedAt = ptr(at)
		}
		return rv
	}
	file := func(name string, add, del int) File {
		return File{SHA: SHA("file" + name), Filename: name, Status: "modified", Additions: add, Deletions: del, Changes: add + del,
			BlobURL: html + "/blob/" + SHA("b2") + "/" + name, RawURL: html + "/raw/" + SHA("b2") + "/" + name}
	}
	p1 := pull(1, "Feature A", "Adds feature A.\n\nFixes #10 and closes acme/other#3", "closed", before(6*day), before(2*day), "feature-a", SHA("b2"))
	p1.ClosedAt, p1.MergedAt, p1.MergeCommitSHA = ptr(before(2*day)), ptr(before(2*day)), SHA("c6")
	p1.Labels = []Label{{ID: 1, Name: "enhancement"}}
	p1.Reviews = []Review{
		review(1, "alice", "COMMENTED", before(5*day)),
		review(2, "bob", "CHANGES_REQUESTED", before(5*day)),
		review(3, "bob", "APPROVED", before(3*day)),
		review(4, "carol", "APPROVED", before(3*day)),
		review(5, "dave", "PENDING", time.Time{}),
	}
	p1.Commits = []Commit{r.Commits[3], r.Commits[2]} // b1, b2
	p1.Files = []File{file("a_test.go", 20, 0), file("a.go", 10, 2)}

	p2 := pull(2, "WIP: feature B (#11)", "", "open", before(1*day), before(1*day), "feature-b", SHA("f2"))
	p2.Draft = true
	p2.Commits = []Commit{r.Branches[0].Ahead[0], r.Branches[0].Ahead[1]}
	p2.Files = []File{file("b.go", 5, 1)}

	p3 := pull(3, "Experiment", "Trying something.", "closed", before(15*day), before(14*day), "exp", SHA("x1"))
	p3.ClosedAt = ptr(before(14 * day))
	p3.Commits = []Commit{commit(repoAPI, "x1", "experiment", before(16*day), before(16*day), "c3")}

	p4 := pull(4, "Old change", "", "closed", before(60*day), before(45*day), "old", SHA("o1"))
	p4.ClosedAt, p4.MergedAt, p4.MergeCommitSHA = ptr(before(45*day)), ptr(before(45*day)), SHA("c2")
	return []Pull{p1, p2, p3, p4}
}

func scenarioRuns(repoAPI, html string) []Run {
	run := func(id int64, name, event, branch, sha, status, conclusion string, created time.Time, dur time.Duration, attempt int) Run {
		s := strconv.FormatInt(id, 10)
		return Run{ID: id, Name: name, NodeID: "WFR_" + s, HeadBranch: branch, HeadSHA: sha, Path: ".github/workflows/" + name + ".yml",
			DisplayTitle: name + " " + s, RunNumber: int(id - 100), Event: event, Status: status, Conclusion: concl(conclusion),
			WorkflowID: 7000 + int64(len(name)), URL: repoAPI + "/actions/runs/" + s, HTMLURL: html + "/actions/runs/" + s,
			PullRequests: []PullRequestMin{}, CreatedAt: created, UpdatedAt: created.Add(10*time.Second + dur), RunAttempt: attempt,
			RunStartedAt: created.Add(10 * time.Second), JobsURL: repoAPI + "/actions/runs/" + s + "/jobs", Actor: user("ann")}
	}
	r1 := run(101, "CI", "push", "main", SHA("c6"), "completed", "success", before(2*day), 5*time.Minute, 1)
	r1.Jobs = []Job{
		job(&r1, 1001, "build", "success", 10*time.Second, 2*time.Minute+10*time.Second, 1, "Set up job", "Checkout", "Build"),
		job(&r1, 1002, "test", "success", 2*time.Minute+20*time.Second, 5*time.Minute, 1, "Set up job", "Checkout", "Test"),
	}
	r2 := run(102, "CI", "pull_request", "feature-a", SHA("b2"), "completed", "failure", before(5*day), 3*time.Minute, 1)
	r2.PullRequests = []PullRequestMin{{ID: 5001, Number: 1, URL: repoAPI + "/pulls/1"}}
	r2.Jobs = []Job{job(&r2, 1003, "test", "failure", 0, 3*time.Minute, 1, "Set up job", "Test")}
	r3 := run(103, "CI", "push", "main", SHA("c5"), "completed", "success", before(3*day), 4*time.Minute, 2)
	r3.Jobs = []Job{
		job(&r3, 1004, "test", "failure", 0, 2*time.Minute, 1, "Test"),
		job(&r3, 1005, "test", "success", time.Minute, 4*time.Minute, 2, "Test"),
	}
	r4 := run(104, "Nightly", "schedule", "main", SHA("c5"), "completed", "cancelled", before(2*day+12*time.Hour), time.Minute, 1)
	r5 := run(105, "Deploy", "workflow_dispatch", "main", SHA("c5"), "completed", "success", before(3*day-10*time.Minute), 2*time.Minute, 1)
	r5.Jobs = []Job{job(&r5, 1006, "deploy", "success", 0, 2*time.Minute, 1, "Deploy")}
	r6 := run(106, "Release", "push", "v1.1.0", SHA("c5"), "completed", "success", before(3*day-time.Hour), 90*time.Second, 1)
	r6.Jobs = []Job{job(&r6, 1007, "release", "success", 0, 90*time.Second, 1, "Publish")}
	r7 := run(107, "CI", "push", "main", SHA("c6"), "in_progress", "", before(time.Hour), 10*time.Minute, 1)
	r8 := run(108, "CI", "pull_request_target", "dependabot/go", SHA("d1"), "completed", "success", before(40*day), time.Minute, 1)
	r9 := run(109, "Dispatch", "repository_dispatch", "main", SHA("c4"), "completed", "success", before(8*day), 30*time.Second, 1)
	return []Run{r1, r2, r3, r4, r5, r6, r7, r8, r9}
}

func scenarioDeployments(repoAPI, html string) []Deployment {
	dep := func(id int64, env, sha string, created time.Time, prod, transient bool, sts ...DeploymentStatus) Deployment {
		s := strconv.FormatInt(id, 10)
		d := Deployment{URL: repoAPI + "/deployments/" + s, ID: id, NodeID: "DE_" + s, SHA: SHA(sha), Ref: "main", Task: "deploy",
			Payload: map[string]any{}, OriginalEnvironment: env, Environment: env, Creator: user("deploy-bot"),
			CreatedAt: created, UpdatedAt: created, StatusesURL: repoAPI + "/deployments/" + s + "/statuses",
			RepositoryURL: repoAPI, TransientEnvironment: transient, ProductionEnvironment: prod}
		for i := range sts {
			sts[i].DeploymentURL, sts[i].RepositoryURL, sts[i].Environment = d.URL, repoAPI, env
			sts[i].URL = d.StatusesURL + "/" + strconv.FormatInt(sts[i].ID, 10)
		}
		d.Statuses = sts
		return d
	}
	st := func(id int64, state string, at time.Time, logURL string) DeploymentStatus {
		return DeploymentStatus{ID: id, NodeID: "DES_" + strconv.FormatInt(id, 10), State: state, Creator: user("deploy-bot"),
			Description: "Deployment " + state, CreatedAt: at, UpdatedAt: at, LogURL: logURL, TargetURL: logURL,
			EnvironmentURL: "https://shop.example.com"}
	}
	run := func(id int) string { return html + "/actions/runs/" + strconv.Itoa(id) + "/job/" + strconv.Itoa(id*10) }
	return []Deployment{
		dep(205, "production", "c6", before(time.Hour), true, false, st(2051, "pending", before(time.Hour), "")),
		dep(206, "preview-pr-2", "f2", before(day), false, true),
		dep(201, "production", "c6", before(2*day-10*time.Minute), true, false,
			st(2012, "success", before(2*day-15*time.Minute), run(101)), st(2011, "in_progress", before(2*day-11*time.Minute), run(101))),
		dep(202, "staging", "c6", before(2*day-5*time.Minute), false, false, st(2021, "success", before(2*day-7*time.Minute), "")),
		dep(203, "production", "c5", before(3*day), true, false,
			st(2033, "inactive", before(2*day-15*time.Minute), ""), st(2032, "failure", before(3*day-5*time.Minute), run(105)),
			st(2031, "in_progress", before(3*day-time.Minute), run(105))),
		dep(204, "staging", "c4", before(9*day), false, false,
			st(2042, "inactive", before(2*day-7*time.Minute), ""), st(2041, "success", before(9*day-3*time.Minute), "")),
		dep(207, "production", "c2", before(35*day), true, false, st(2071, "success", before(35*day-time.Minute), "")),
	}
}

// Scaled returns the scenario with its pull requests, workflow runs and
// deployments repeated factor times (new numbers and ids, spread over the
// window), for benchmarks of a busier repository.
func Scaled(apiBase string, factor int) *Repo {
	r := Scenario(apiBase)
	since, _ := ScenarioWindow()
	span := ScenarioNow.Sub(since)
	pulls, runs, deps := r.Pulls, r.Runs, r.Deployments
	for k := 1; k < factor; k++ {
		shift := -time.Duration(k) * span / time.Duration(factor) / 4
		for _, p := range pulls {
			p.Number += 100 * k
			p.NodeID = "PR_" + strconv.Itoa(p.Number)
			p.HTMLURL = fmt.Sprintf("https://github.com/%s/%s/pull/%d", ScenarioOwner, ScenarioName, p.Number)
			p.CreatedAt, p.UpdatedAt = p.CreatedAt.Add(shift), p.UpdatedAt.Add(shift)
			r.Pulls = append(r.Pulls, p)
		}
		for _, run := range runs {
			run.ID += int64(1000 * k)
			run.NodeID = "WFR_" + strconv.FormatInt(run.ID, 10)
			run.CreatedAt, run.RunStartedAt, run.UpdatedAt = run.CreatedAt.Add(shift), run.RunStartedAt.Add(shift), run.UpdatedAt.Add(shift)
			jobs := make([]Job, len(run.Jobs))
			for i, j := range run.Jobs {
				j.ID += int64(100000 * k)
				j.RunID = run.ID
				jobs[i] = j
			}
			run.Jobs = jobs
			r.Runs = append(r.Runs, run)
		}
		for _, d := range deps {
			d.ID += int64(1000 * k)
			d.NodeID = "DE_" + strconv.FormatInt(d.ID, 10)
			d.CreatedAt = d.CreatedAt.Add(shift)
			r.Deployments = append(r.Deployments, d)
		}
	}
	sort.SliceStable(r.Deployments, func(i, j int) bool { return r.Deployments[i].CreatedAt.After(r.Deployments[j].CreatedAt) })
	return r
}
