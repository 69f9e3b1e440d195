package githubfake

import (
	"fmt"
	"strconv"
	"time"
)

// Scenario owner and name.
const (
	ScenarioOwner = "acme"
	ScenarioName  = "shop"
)

// ScenarioNow is the scenario's clock: the audit runs at this time and the
// window is the 30 days before it.
var ScenarioNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// ScenarioWindow is [ScenarioNow − 30 days, ScenarioNow).
func ScenarioWindow() (since, until time.Time) { return ScenarioNow.AddDate(0, 0, -30), ScenarioNow }

// SHA makes a readable 40-hex commit id from a short name ("c6" → "c6c6…").
func SHA(name string) string {
	s := fmt.Sprintf("%x", name)
	for len(s) < 40 {
		s += s
	}
	return s[:40]
}

// before returns ScenarioNow minus d.
func before(d time.Duration) time.Time { return ScenarioNow.Add(-d) }

const day = 24 * time.Hour

func ptr[T any](v T) *T { return &v }

// commit builds a commit named name with the given parents, authored at
// authored and committed at committed.
func commit(base, name, msg string, authored, committed time.Time, parents ...string) Commit {
	var c Commit
	c.SHA = SHA(name)
	c.NodeID = "C_" + name
	c.Commit.Author = GitActor{Name: "Ann Author", Email: "ann@example.com", Date: authored}
	c.Commit.Committer = GitActor{Name: "GitHub", Email: "noreply@github.com", Date: committed}
	c.Commit.Message = msg
	c.Commit.Tree.SHA = SHA("t" + name)
	c.URL = base + "/commits/" + c.SHA
	c.HTMLURL = "https://github.com/" + ScenarioOwner + "/" + ScenarioName + "/commit/" + c.SHA
	c.Author = &User{Login: "ann", ID: 11, Type: "User"}
	c.Committer = &User{Login: "web-flow", ID: 19864447, Type: "User"}
	for _, p := range parents {
		c.Parents = append(c.Parents, CommitRef{SHA: SHA(p), URL: base + "/commits/" + SHA(p)})
	}
	return c
}

func user(login string) User { return User{Login: login, ID: int64(len(login)) * 1000, Type: "User"} }

func concl(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// job builds a completed job of run.
func job(run *Run, id int64, name, conclusion string, start, end time.Duration, attempt int, steps ...string) Job {
	st := run.RunStartedAt.Add(start)
	en := run.RunStartedAt.Add(end)
	j := Job{ID: id, RunID: run.ID, RunURL: run.URL, NodeID: "J_" + strconv.FormatInt(id, 10),
		HeadBranch: run.HeadBranch, HeadSHA: run.HeadSHA, URL: run.URL + "/jobs/" + strconv.FormatInt(id, 10),
		HTMLURL: run.HTMLURL + "/job/" + strconv.FormatInt(id, 10), Status: "completed", Conclusion: concl(conclusion),
		CreatedAt: st, StartedAt: st, CompletedAt: &en, Name: name, RunAttempt: attempt,
		Labels: []string{"ubuntu-latest"}, WorkflowName: run.Name}
	for i, s := range steps {
		j.Steps = append(j.Steps, Step{Name: s, Status: "completed", Conclusion: concl("success"), Number: i + 1, StartedAt: &st, CompletedAt: &en})
	}
	return j
}

// Scenario returns the canonical repository: a month of commits, pull
// requests, Actions runs, deployments and protection whose evidence the
// collector tests state exactly. apiBase is the API URL of the server
// (Server.URL), used in payload url fields; "" is fine.
func Scenario(apiBase string) *Repo {
	repoAPI := apiBase + "repos/" + ScenarioOwner + "/" + ScenarioName
	html := "https://github.com/" + ScenarioOwner + "/" + ScenarioName
	r := &Repo{Owner: ScenarioOwner, Name: ScenarioName, DefaultBranch: "main",
		CreatedAt: ScenarioNow.AddDate(-1, 0, 0)}

	// Default branch history, newest first. c6 merges PR #1 (b1, b2).
	r.Commits = []Commit{
		commit(repoAPI, "c6", "Merge pull request #1 from acme/feature-a\n\nFeature A", before(2*day), before(2*day), "c5", "b2"),
		commit(repoAPI, "c5", "fix: typo (#7)", before(3*day+time.Hour), before(3*day), "c4"),
		commit(repoAPI, "b2", "feature A: tests", before(5*day), before(5*day), "b1"),
		commit(repoAPI, "b1", "feature A", before(6*day), before(6*day), "c4"),
		commit(repoAPI, "c4", "refactor", before(10*day), before(10*day), "c3"),
		commit(repoAPI, "c3", "release 1.0", before(20*day), before(20*day), "c2"),
		commit(repoAPI, "c2", "initial import", before(40*day), before(40*day), "c1"),
	}
	f1 := commit(repoAPI, "f1", "feature B start", before(4*day), before(4*day), "c6")
	f2 := commit(repoAPI, "f2", "feature B more", before(1*day), before(1*day), "f1")
	r.Branches = []Branch{
		{Name: "feature-b", SHA: f2.SHA, Ahead: []Commit{f1, f2}},
		{Name: "main", SHA: SHA("c6"), Protected: true},
		{Name: "merged-old", SHA: SHA("c3"), Behind: 3},
	}
	tag := func(name, c string) Tag {
		return Tag{Name: name, Commit: CommitRef{SHA: SHA(c), URL: repoAPI + "/commits/" + SHA(c)},
			ZipballURL: repoAPI + "/zipball/" + name, TarballURL: repoAPI + "/tarball/" + name, NodeID: "T_" + name}
	}
	r.Tags = []Tag{tag("v1.1.0", "c5"), tag("v1.0.0", "c3"), tag("v0.9.0", "c2")}
	r.Tags[0].Annotated, r.Tags[1].Annotated = true, true // v0.9.0 is lightweight
	rel := func(id int64, tagName string, at time.Time, assets int) Release {
		x := Release{URL: repoAPI + "/releases/" + strconv.FormatInt(id, 10), HTMLURL: html + "/releases/tag/" + tagName,
			ID: id, TagName: tagName, TargetCommitish: "main", Name: "Release " + tagName, Body: "Notes for " + tagName,
			CreatedAt: at.Add(-time.Hour), PublishedAt: ptr(at), Author: user("releaser")}
		for i := range assets {
			x.Assets = append(x.Assets, Asset{ID: id*10 + int64(i), Name: fmt.Sprintf("shop-%d.tar.gz", i), Size: 1024})
		}
		return x
	}
	r.Releases = []Release{
		rel(303, "v1.1.0", before(3*day-time.Hour), 2),
		rel(302, "v1.0.0", before(20*day-time.Hour), 1),
		rel(301, "v0.9.0", before(40*day), 0),
	}

	r.Pulls = scenarioPulls(repoAPI, html, r)
	r.Runs = scenarioRuns(repoAPI, html)
	r.CheckRuns = actionsCheckRuns(repoAPI, r.Runs)
	r.Deployments = scenarioDeployments(repoAPI, html)
	r.Environments = []Environment{
		{ID: 1, NodeID: "E_1", Name: "production", URL: repoAPI + "/environments/production", HTMLURL: html + "/deployments/activity_log?environments_filter=production",
			CreatedAt: before(300 * day), UpdatedAt: before(10 * day),
			ProtectionRules: []EnvProtectionRule{{ID: 11, NodeID: "R_11", Type: "required_reviewers"}, {ID: 12, NodeID: "R_12", Type: "branch_policy"}}},
		{ID: 2, NodeID: "E_2", Name: "staging", URL: repoAPI + "/environments/staging", HTMLURL: html + "/deployments/activity_log?environments_filter=staging",
			CreatedAt: before(200 * day), UpdatedAt: before(10 * day),
			ProtectionRules: []EnvProtectionRule{{ID: 21, NodeID: "R_21", Type: "wait_timer", WaitTimer: ptr(5)}}},
		{ID: 3, NodeID: "E_3", Name: "preview-pr-2", URL: repoAPI + "/environments/preview-pr-2", HTMLURL: html + "/deployments/activity_log?environments_filter=preview-pr-2",
			CreatedAt: before(1 * day), UpdatedAt: before(1 * day)},
	}
	p := &Protection{URL: repoAPI + "/branches/main/protection"}
	p.RequiredStatusChecks = &struct {
		Strict   bool     `json:"strict"`
		Contexts []string `json:"contexts"`
		Checks   []struct {
			Context string `json:"context"`
			AppID   *int64 `json:"app_id"`
		} `json:"checks"`
	}{Strict: true, Contexts: []string{"ci/build", "CI / test"}}
	p.RequiredStatusChecks.Checks = append(p.RequiredStatusChecks.Checks, struct {
		Context string `json:"context"`
		AppID   *int64 `json:"app_id"`
	}{Context: "ci/build"}, struct {
		Context string `json:"context"`
		AppID   *int64 `json:"app_id"`
	}{Context: "CI / test", AppID: ptr(int64(15368))})
	p.RequiredPullRequestReviews = &struct {
		DismissStaleReviews          bool `json:"dismiss_stale_reviews"`
		RequireCodeOwnerReviews      bool `json:"require_code_owner_reviews"`
		RequiredApprovingReviewCount int  `json:"required_approving_review_count"`
		RequireLastPushApproval      bool `json:"require_last_push_approval"`
	}{DismissStaleReviews: true, RequireCodeOwnerReviews: true, RequiredApprovingReviewCount: 2}
	p.EnforceAdmins = &Enabled{Enabled: true}
	p.RequiredLinearHistory = &Enabled{Enabled: true}
	p.AllowForcePushes = &Enabled{Enabled: false}
	p.AllowDeletions = &Enabled{Enabled: false}
	r.Protection = p
	r.Rules = []Rule{
		{Type: "pull_request", RulesetSourceType: "Repository", RulesetSource: ScenarioOwner + "/" + ScenarioName, RulesetID: 42,
			Parameters: map[string]any{"required_approving_review_count": 1, "require_code_owner_review": false,
				"dismiss_stale_reviews_on_push": false, "require_last_push_approval": false, "required_review_thread_resolution": false}},
		{Type: "deletion", RulesetSourceType: "Repository", RulesetSource: ScenarioOwner + "/" + ScenarioName, RulesetID: 42},
	}
	r.Files = map[string]string{
		".github/workflows/ci.yml":     "name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go build ./...\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go test ./...\n",
		".github/workflows/deploy.yml": "name: Deploy\non: workflow_dispatch\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ./deploy.sh\n",
		"go.mod":                       "module example.com/shop\n\ngo 1.22\n",
		"main.go":                      "package main\n\nfunc main() {}\n",
		"main_test.go":                 "package main\n\nimport \"testing\"\n\nfunc TestMain(t *testing.T) {}\n",
		"Dockerfile":                   "FROM golang:1.22\nCOPY . .\nRUN go build -o /shop\n",
		"deploy.sh":                    "#!/bin/sh\nkubectl apply -f k8s/\n",
		"k8s/deploy.yml":               "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n",
		"docs/README.md":               "# Shop\n",
	}
	r.Statuses = map[string][]Status{
		SHA("c6"): {
			status(repoAPI, 2, "ci/jenkins", "success", before(2*day-6*time.Minute)),
			status(repoAPI, 1, "ci/jenkins", "pending", before(2*day-time.Minute)),
		},
		SHA("c5"): {
			status(repoAPI, 4, "ci/jenkins", "error", before(3*day-4*time.Minute)),
			status(repoAPI, 3, "ci/jenkins", "pending", before(3*day-time.Minute)),
		},
	}
	return r
}

func status(repoAPI string, id int64, ctx, state string, at time.Time) Status {
	return Status{URL: repoAPI + "/statuses/" + strconv.FormatInt(id, 10), ID: id, NodeID: "S_" + strconv.FormatInt(id, 10),
		State: state, Description: "Jenkins " + state, TargetURL: "https://ci.example.com/job/shop/" + strconv.FormatInt(id, 10),
		Context: ctx, CreatedAt: at, UpdatedAt: at, Creator: user("jenkins")}
}
