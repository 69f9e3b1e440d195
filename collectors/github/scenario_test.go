package github

import (
	"bytes"
	"context"
	"log/slog"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/classify"
	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

const testToken = "ghp_t0k3nT0k3nT0k3nT0k3nT0k3nT0k3nXYZ"

// fakeClock is the audit clock; the HTTP layer's waits advance it.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

// startScenario starts the fake GitHub with the canonical repository.
func startScenario(t *testing.T) *githubfake.Server {
	t.Helper()
	srv := githubfake.New(&githubfake.Repo{}, githubfake.Options{Token: testToken, Now: func() time.Time { return githubfake.ScenarioNow }})
	t.Cleanup(srv.Close)
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.Scenario(srv.URL) })
	return srv
}

type env struct {
	cacheDir string
	logs     *bytes.Buffer
	now      time.Time
	window   model.Window // the audited window; zero: the 30 days up to now
}

func newEnv(t *testing.T) *env {
	return &env{cacheDir: t.TempDir(), logs: &bytes.Buffer{}, now: githubfake.ScenarioNow}
}

// collect runs one audit of the scenario repository.
func (e *env) collect(t *testing.T, srv *githubfake.Server, mod func(*Options)) (*model.Evidence, collectors.Result, error) {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hc, err := httpx.New(httpx.Options{CacheDir: e.cacheDir, MaxWait: time.Minute, Logger: logger,
		Sleep: func(time.Duration) {}, Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Repo: githubfake.ScenarioOwner + "/" + githubfake.ScenarioName, Token: testToken, APIURL: srv.URL,
		CacheDir: e.cacheDir, Now: func() time.Time { return e.now }, MaxWait: time.Minute, Logger: logger, HTTP: hc}
	if mod != nil {
		mod(&opt)
	}
	c, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{Window: model.Window{Since: e.now.AddDate(0, 0, -30), Until: e.now}}
	if !e.window.Until.IsZero() {
		ev.Window = e.window
	}
	res, err := c.Collect(context.Background(), ev)
	return ev, res, err
}

func at(d time.Duration) time.Time   { return githubfake.ScenarioNow.Add(-d).UTC() }
func atp(d time.Duration) *time.Time { t := at(d); return &t }
func secs(d time.Duration) *float64  { s := d.Seconds(); return &s }

const day = 24 * time.Hour

// mapReader reads files from the scenario's map.
type mapReader map[string]string

func (m mapReader) ReadFile(_ context.Context, p string) ([]byte, error) { return []byte(m[p]), nil }

// wantScenario is the exact evidence the canonical repository gives.
func wantScenario(t *testing.T, srv *githubfake.Server) *model.Evidence {
	t.Helper()
	sha := githubfake.SHA
	html := "https://github.com/acme/shop"
	commit := func(name, msg string, authored, committed time.Duration, first bool, parents ...string) model.Commit {
		c := model.Commit{Hash: sha(name), Message: msg, FirstParent: first, URL: html + "/commit/" + sha(name),
			Author:    model.Signature{Name: "Ann Author", Email: "ann@example.com", When: at(authored)},
			Committer: model.Signature{Name: "GitHub", Email: "noreply@github.com", When: at(committed)}}
		for _, p := range parents {
			c.Parents = append(c.Parents, sha(p))
		}
		return c
	}
	var files map[string]string
	srv.Update(func(r *githubfake.Repo) { files = r.Files })
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	facts, err := classify.Classify(context.Background(), paths, mapReader(files))
	if err != nil {
		t.Fatal(err)
	}
	runURL := func(id int) string { return html + "/actions/runs/" + strconv.Itoa(id) }
	run := func(id int, name, event string, trig model.Trigger, branch, c, concl string, created, dur time.Duration, attempt int) model.Run {
		r := model.Run{ID: strconv.Itoa(id), URL: runURL(id), Name: name, Event: event, Trigger: trig, Branch: branch,
			SHA: sha(c), Status: "completed", Conclusion: concl, Attempt: attempt, CreatedAt: at(created),
			StartedAt: atp(created - 10*time.Second), FinishedAt: atp(created - 10*time.Second - dur), Duration: secs(dur), JobsKnown: true}
		return r
	}
	job := func(r model.Run, id int, name, concl string, start, end time.Duration, attempt int, steps ...string) model.Job {
		st := r.StartedAt.Add(start)
		en := r.StartedAt.Add(end)
		return model.Job{ID: strconv.Itoa(id), Name: name, URL: r.URL + "/job/" + strconv.Itoa(id), Status: "completed",
			Conclusion: concl, StartedAt: &st, FinishedAt: &en, Duration: secs(end - start), Attempt: attempt, Steps: steps}
	}
	r1 := run(101, "CI", "push", model.TriggerPush, "main", "c6", "success", 2*day, 5*time.Minute, 1)
	r1.Jobs = []model.Job{
		job(r1, 1001, "build", "success", 10*time.Second, 2*time.Minute+10*time.Second, 1, "Set up job", "Checkout", "Build"),
		job(r1, 1002, "test", "success", 2*time.Minute+20*time.Second, 5*time.Minute, 1, "Set up job", "Checkout", "Test"),
	}
	r2 := run(102, "CI", "pull_request", model.TriggerPullRequest, "feature-a", "b2", "failure", 5*day, 3*time.Minute, 1)
	r2.PullNumber = "1"
	r2.Jobs = []model.Job{job(r2, 1003, "test", "failure", 0, 3*time.Minute, 1, "Set up job", "Test")}
	r3 := run(103, "CI", "push", model.TriggerPush, "main", "c5", "success", 3*day, 4*time.Minute, 2)
	// Every attempt's jobs: the failed first attempt was retried.
	r3first := job(r3, 1004, "test", "failure", 0, 2*time.Minute, 1, "Test")
	r3first.Retried = true
	r3.Jobs = []model.Job{r3first, job(r3, 1005, "test", "success", time.Minute, 4*time.Minute, 2, "Test")}
	r4 := run(104, "Nightly", "schedule", model.TriggerSchedule, "main", "c5", "cancelled", 2*day+12*time.Hour, time.Minute, 1)
	r5 := run(105, "Deploy", "workflow_dispatch", model.TriggerManual, "main", "c5", "success", 3*day-10*time.Minute, 2*time.Minute, 1)
	r5.Jobs = []model.Job{job(r5, 1006, "deploy", "success", 0, 2*time.Minute, 1, "Deploy")}
	r6 := run(106, "Release", "push", model.TriggerTag, "v1.1.0", "c5", "success", 3*day-time.Hour, 90*time.Second, 1)
	r6.Jobs = []model.Job{job(r6, 1007, "release", "success", 0, 90*time.Second, 1, "Publish")}
	r7 := model.Run{ID: "107", URL: runURL(107), Name: "CI", Event: "push", Trigger: model.TriggerPush, Branch: "main",
		SHA: sha("c6"), Status: "in_progress", Attempt: 1, CreatedAt: at(time.Hour), StartedAt: atp(time.Hour - 10*time.Second)}
	r9 := run(109, "Dispatch", "repository_dispatch", model.TriggerAPI, "main", "c4", "success", 8*day, 30*time.Second, 1)

	yes := true
	var no *bool // GitHub's false says nothing: the collector leaves it unset
	depURL := func(id int) string { return html + "/actions/runs/" + strconv.Itoa(id) + "/job/" + strconv.Itoa(id*10) }
	dep := func(id, env, c string, created time.Duration, prod *bool, status string, fin *time.Time, url, runID string) model.Deployment {
		return model.Deployment{ID: id, URL: url, Environment: env, SHA: sha(c), Ref: "main", Creator: "deploy-bot",
			CreatedAt: at(created), FinishedAt: fin, Status: status, Production: prod, Task: "deploy", RunID: runID}
	}
	return &model.Evidence{
		Target: "acme/shop", Window: model.Window{Since: at(30 * day), Until: at(0)},
		DefaultBranch: "main", TrunkTip: sha("c6"), TrunkTipAt: at(2 * day),
		Commits: []model.Commit{
			commit("c6", "Merge pull request #1 from acme/feature-a\n\nFeature A", 2*day, 2*day, true, "c5", "b2"),
			commit("c5", "fix: typo (#7)", 3*day+time.Hour, 3*day, true, "c4"),
			commit("b2", "feature A: tests", 5*day, 5*day, false, "b1"),
			commit("b1", "feature A", 6*day, 6*day, false, "c4"),
			commit("c4", "refactor", 10*day, 10*day, true, "c3"),
			commit("c3", "release 1.0", 20*day, 20*day, true, "c2"),
		},
		Branches: []model.Branch{{Name: "feature-b", Head: sha("f2"), LastCommit: at(day), FirstCommit: at(4 * day), Ahead: 2}},
		Tags: []model.Tag{
			{Name: "v1.1.0", Target: sha("c5"), Committed: at(3 * day), Annotated: true},
			{Name: "v1.0.0", Target: sha("c3"), Committed: at(20 * day), Annotated: true},
			{Name: "v0.9.0", Target: sha("c2")}, // lightweight
		},
		Releases: []model.Release{
			{Tag: "v1.1.0", Name: "Release v1.1.0", URL: html + "/releases/tag/v1.1.0", CreatedAt: at(3*day - time.Hour), Assets: 2, Description: "Notes for v1.1.0"},
			{Tag: "v1.0.0", Name: "Release v1.0.0", URL: html + "/releases/tag/v1.0.0", CreatedAt: at(20*day - time.Hour), Assets: 1, Description: "Notes for v1.0.0"},
		},
		Changes: []model.Change{
			{ID: "3", URL: html + "/pull/3", Title: "Experiment", Author: "ann", State: "closed", CreatedAt: at(15 * day),
				UpdatedAt: at(14 * day), ClosedAt: atp(14 * day), FirstCommit: atp(16 * day), SourceBranch: "exp", TargetBranch: "main",
				HeadSHA: sha("x1"), DetailsKnown: true},
			{ID: "2", URL: html + "/pull/2", Title: "WIP: feature B (#11)", Author: "ann", State: "open", Draft: true,
				CreatedAt: at(day), UpdatedAt: at(day), FirstCommit: atp(4 * day), SourceBranch: "feature-b", TargetBranch: "main",
				HeadSHA: sha("f2"), Additions: 5, Deletions: 1, ChangedFiles: 1, Files: []string{"b.go"},
				LinkedIssues: []string{"#11"}, DetailsKnown: true},
			{ID: "1", URL: html + "/pull/1", Title: "Feature A", Author: "ann", State: "merged", CreatedAt: at(6 * day),
				UpdatedAt: at(2 * day), MergedAt: atp(2 * day), ClosedAt: atp(2 * day), FirstCommit: atp(6 * day),
				SourceBranch: "feature-a", TargetBranch: "main", HeadSHA: sha("b2"), MergeSHA: sha("c6"),
				Additions: 30, Deletions: 2, ChangedFiles: 2, Files: []string{"a.go", "a_test.go"}, Reviews: 4, Approvals: 2,
				LinkedIssues: []string{"#10", "acme/other#3"}, Labels: []string{"enhancement"}, DetailsKnown: true},
		},
		Runs: []model.Run{r7, r1, r4, r6, r5, r3, r2, r9},
		Deployments: []model.Deployment{
			dep("205", "production", "c6", time.Hour, &yes, "queued", nil, "", ""),
			dep("206", "preview-pr-2", "f2", day, no, "unknown", nil, "", ""),
			dep("201", "production", "c6", 2*day-10*time.Minute, &yes, "success", atp(2*day-15*time.Minute), depURL(101), "101"),
			dep("202", "staging", "c6", 2*day-5*time.Minute, no, "success", atp(2*day-7*time.Minute), "", ""),
			dep("203", "production", "c5", 3*day, &yes, "failure", atp(3*day-5*time.Minute), depURL(105), "105"),
			dep("204", "staging", "c4", 9*day, no, "success", atp(9*day-3*time.Minute), "", ""),
		},
		Environments: []model.Environment{
			// production_environment on its deployments gives the tier.
			{Name: "production", URL: html + "/deployments/activity_log?environments_filter=production", CreatedAt: at(300 * day),
				Tier: "production", ProtectionRules: []string{"branch_policy", "required_reviewers"}},
			{Name: "staging", URL: html + "/deployments/activity_log?environments_filter=staging", CreatedAt: at(200 * day),
				ProtectionRules: []string{"wait_timer"}},
			// transient_environment on its deployment (and its name) make it dynamic.
			{Name: "preview-pr-2", URL: html + "/deployments/activity_log?environments_filter=preview-pr-2", CreatedAt: at(day),
				Dynamic: true},
		},
		Protection: &model.Protection{Branch: "main", Protected: true, RequirePR: true, RequiredApprovals: 2, RequireCodeOwners: true,
			RequiredChecks: []string{"CI / test", "ci/build"}, PipelineMustSucceed: true, RequireLinearHistory: true,
			Source: "branch_protection"},
		Tree: &model.Tree{Commit: sha("c6"), Paths: paths, FileCount: len(paths), Facts: facts},
		Have: map[model.Kind]bool{model.KindCommits: true, model.KindBranches: true, model.KindTags: true,
			model.KindReleases: true, model.KindChanges: true, model.KindRuns: true, model.KindJobs: true,
			model.KindDeployments: true, model.KindEnvironments: true, model.KindProtection: true, model.KindTree: true},
	}
}

// evidenceOpts compares evidence, Tree.Paths included.
var evidenceOpts = cmp.Options{cmpopts.EquateEmpty(), cmp.AllowUnexported(), cmpopts.IgnoreFields(model.Evidence{}, "CollectedAt")}

func TestScenarioEvidence(t *testing.T) {
	srv := startScenario(t)
	e := newEnv(t)
	ev, res, err := e.collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Partial || len(res.Warnings) > 0 {
		t.Errorf("partial %v, warnings %q", res.Partial, res.Warnings)
	}
	want := wantScenario(t, srv)
	if d := cmp.Diff(want, ev, evidenceOpts); d != "" {
		t.Errorf("evidence (-want +got):\n%s", d)
	}
	if res.Requests == nil || res.Requests.Total == 0 || res.Requests.Total != res.Requests.Counted {
		t.Errorf("requests %+v", res.Requests)
	}
	if got := srv.Counted(); got != res.Requests.Counted {
		t.Errorf("server counted %d requests, collector %d", got, res.Requests.Counted)
	}

	// The repeat audit gives the same evidence for a handful of counted requests.
	srv.ResetHits()
	ev2, res2, err := e.collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, ev2, evidenceOpts); d != "" {
		t.Errorf("repeat evidence (-want +got):\n%s", d)
	}
	if res2.Requests.Counted > 5 {
		t.Errorf("repeat audit counted %d requests (%+v); hits %v", res2.Requests.Counted, res2.Requests, srv.Hits())
	}
}
