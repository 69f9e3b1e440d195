package githubfake

import (
	"strconv"
	"time"
)

// Apps whose check runs the scenarios carry. GitHub Actions' app id is
// GitHub's own (15368).
var (
	ActionsApp   = app(15368, "github-actions", "GitHub Actions", "github")
	BuildkiteApp = app(8001, "buildkite", "Buildkite", "buildkite")
	CodecovApp   = app(8002, "codecov", "Codecov", "codecov")
)

func app(id int64, slug, name, owner string) *App {
	at := ScenarioNow.AddDate(-5, 0, 0)
	return &App{ID: id, Slug: slug, NodeID: "A_" + slug, Owner: User{Login: owner, ID: id * 10, Type: "Organization"},
		Name: name, ExternalURL: "https://" + slug + ".example.com", HTMLURL: "https://github.com/apps/" + slug,
		CreatedAt: at, UpdatedAt: at}
}

// NewCheckRun builds a check run of app on commit sha in check suite suite.
// A run is completed when conclusion is set; end is then its completion,
// otherwise ignored; a zero start leaves started_at null.
func NewCheckRun(repoAPI string, id int64, a *App, suite int64, sha, name, status, conclusion string, start, end time.Time) CheckRun {
	s := strconv.FormatInt(id, 10)
	c := CheckRun{ID: id, HeadSHA: sha, NodeID: "CR_" + s, ExternalID: "ext-" + s, URL: repoAPI + "/check-runs/" + s,
		HTMLURL:    "https://github.com/" + ScenarioOwner + "/" + ScenarioName + "/runs/" + s,
		DetailsURL: a.ExternalURL + "/builds/" + s, Status: status, Conclusion: concl(conclusion), Name: name,
		CheckSuite: CheckSuiteRef{ID: suite}, App: a, PullRequests: []PullRequestMin{},
		Output: CheckOutput{Title: ptr(name + " " + status), Summary: ptr("")}}
	if !start.IsZero() {
		c.StartedAt = ptr(start)
	}
	if conclusion != "" {
		c.CompletedAt = ptr(end)
	}
	return c
}

// actionsCheckRuns are the check runs GitHub Actions records for the jobs
// of workflow runs (a job's check run has the job's id).
func actionsCheckRuns(repoAPI string, runs []Run) map[string][]CheckRun {
	out := map[string][]CheckRun{}
	for _, r := range runs {
		for _, j := range r.Jobs {
			c := NewCheckRun(repoAPI, j.ID, ActionsApp, 9000+r.ID, r.HeadSHA, j.Name, j.Status, "", j.StartedAt, time.Time{})
			c.HTMLURL, c.DetailsURL = j.HTMLURL, j.HTMLURL
			c.Conclusion, c.CompletedAt = j.Conclusion, j.CompletedAt
			out[r.HeadSHA] = append(out[r.HeadSHA], c)
		}
	}
	return out
}

// ExternalCI returns the scenario repository with its CI on a GitHub App
// outside Actions (Buildkite) and a coverage app (Codecov): no workflow
// runs, no commit statuses, and check runs on the trunk commits c6, c5, c4
// and c3 (minutes after each commit):
//
//	c6  Buildkite build success (1–3 min), test success (1–6 min);
//	    Codecov codecov/patch neutral (7 min)
//	c5  Buildkite build success (1–2 min), test failure (2–5 min), test
//	    re-run success (10–13 min)
//	c4  Buildkite build success (1–2 min), test failure (2–4 min)
//	c3  Buildkite build timed_out (1–61 min)
func ExternalCI(apiBase string) *Repo {
	r := Scenario(apiBase)
	repoAPI := apiBase + "repos/" + ScenarioOwner + "/" + ScenarioName
	r.Runs, r.Statuses = nil, nil
	bk := func(id int64, commitAgo time.Duration, c, name, conclusion string, from, to time.Duration) CheckRun {
		at := before(commitAgo)
		return NewCheckRun(repoAPI, id, BuildkiteApp, 9100+int64(commitAgo/day), SHA(c), name, "completed", conclusion,
			at.Add(from), at.Add(to))
	}
	cov := NewCheckRun(repoAPI, 7003, CodecovApp, 9200, SHA("c6"), "codecov/patch", "completed", "neutral",
		before(2*day).Add(7*time.Minute), before(2*day).Add(7*time.Minute))
	r.CheckRuns = map[string][]CheckRun{
		SHA("c6"): {
			bk(7001, 2*day, "c6", "build", "success", time.Minute, 3*time.Minute),
			bk(7002, 2*day, "c6", "test", "success", time.Minute, 6*time.Minute),
			cov,
		},
		SHA("c5"): {
			bk(7004, 3*day, "c5", "build", "success", time.Minute, 2*time.Minute),
			bk(7005, 3*day, "c5", "test", "failure", 2*time.Minute, 5*time.Minute),
			bk(7006, 3*day, "c5", "test", "success", 10*time.Minute, 13*time.Minute),
		},
		SHA("c4"): {
			bk(7007, 10*day, "c4", "build", "success", time.Minute, 2*time.Minute),
			bk(7008, 10*day, "c4", "test", "failure", 2*time.Minute, 4*time.Minute),
		},
		SHA("c3"): {
			bk(7009, 20*day, "c3", "build", "timed_out", time.Minute, 61*time.Minute),
		},
	}
	return r
}
