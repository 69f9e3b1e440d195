package github

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// startExternalCI starts the fake GitHub with CI on a GitHub App outside
// Actions (githubfake.ExternalCI).
func startExternalCI(t *testing.T) *githubfake.Server {
	t.Helper()
	srv := startScenario(t)
	srv.Update(func(r *githubfake.Repo) { *r = *githubfake.ExternalCI(srv.URL) })
	return srv
}

// checkJob and checkRun build the expected evidence of ExternalCI; times
// are minutes after the commit made ago before now.
func wantCheckJob(id, name, concl string, ago time.Duration, from, to int, retried bool) model.Job {
	st, en := at(ago-time.Duration(from)*time.Minute), at(ago-time.Duration(to)*time.Minute)
	return model.Job{ID: id, Name: name, URL: "https://github.com/acme/shop/runs/" + id, Status: "completed",
		Conclusion: concl, StartedAt: &st, FinishedAt: &en, Duration: secs(time.Duration(to-from) * time.Minute), Retried: retried}
}

func wantCheckRun(c, slug, name, concl, urlID string, ago time.Duration, from, to int, jobs ...model.Job) model.Run {
	sha := githubfake.SHA(c)
	return model.Run{ID: "check:" + sha + ":" + slug, URL: "https://github.com/acme/shop/runs/" + urlID, Name: name,
		Event: "check_run", Trigger: model.TriggerPush, Branch: "main", SHA: sha, Status: "completed", Conclusion: concl,
		CreatedAt: at(ago - time.Duration(from)*time.Minute), StartedAt: atp(ago - time.Duration(from)*time.Minute),
		FinishedAt: atp(ago - time.Duration(to)*time.Minute), Duration: secs(time.Duration(to-from) * time.Minute),
		Jobs: jobs, JobsKnown: true}
}

func wantExternalCIRuns() []model.Run {
	return []model.Run{
		wantCheckRun("c6", "buildkite", "Buildkite", "success", "7001", 2*day, 1, 6,
			wantCheckJob("7001", "build", "success", 2*day, 1, 3, false),
			wantCheckJob("7002", "test", "success", 2*day, 1, 6, false)),
		wantCheckRun("c6", "codecov", "Codecov", "skipped", "7003", 2*day, 7, 7, // neutral: no verdict
			wantCheckJob("7003", "codecov/patch", "skipped", 2*day, 7, 7, false)),
		wantCheckRun("c5", "buildkite", "Buildkite", "success", "7004", 3*day, 1, 13,
			wantCheckJob("7004", "build", "success", 3*day, 1, 2, false),
			wantCheckJob("7005", "test", "failure", 3*day, 2, 5, true), // re-run below
			wantCheckJob("7006", "test", "success", 3*day, 10, 13, false)),
		wantCheckRun("c4", "buildkite", "Buildkite", "failure", "7008", 10*day, 1, 4,
			wantCheckJob("7007", "build", "success", 10*day, 1, 2, false),
			wantCheckJob("7008", "test", "failure", 10*day, 2, 4, false)),
		wantCheckRun("c3", "buildkite", "Buildkite", "timed_out", "7009", 20*day, 1, 61,
			wantCheckJob("7009", "build", "timed_out", 20*day, 1, 61, false)),
	}
}

// checkRunHits counts the check-run listings that reached the server, and
// those answered in full.
func checkRunHits(srv *githubfake.Server) (asked, full []string) {
	for _, h := range srv.Hits() {
		if strings.HasSuffix(h.Path, "/check-runs") {
			sha := strings.TrimSuffix(strings.TrimPrefix(h.Path, "/repos/acme/shop/commits/"), "/check-runs")
			asked = append(asked, sha)
			if h.Status != 304 {
				full = append(full, sha)
			}
		}
	}
	return asked, full
}

func TestCheckRunsStandIn(t *testing.T) {
	srv := startExternalCI(t)
	e := newEnv(t)
	ev, res, err := e.collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Partial {
		t.Errorf("partial; warnings %q", res.Warnings)
	}
	if d := cmp.Diff(wantExternalCIRuns(), ev.Runs); d != "" {
		t.Errorf("runs (-want +got):\n%s", d)
	}
	if !ev.Has(model.KindRuns, model.KindJobs) {
		t.Errorf("runs and jobs not both known: %v", kinds(ev))
	}
	asked, _ := checkRunHits(srv)
	if len(asked) != 4 { // c6, c5, c4, c3: the first-parent commits in the window
		t.Errorf("check runs asked for %d commits: %v", len(asked), asked)
	}
	for _, h := range srv.Hits() {
		if strings.HasSuffix(h.Path, "/check-runs") && !strings.Contains(h.Query, "filter=all") {
			t.Errorf("check runs listed without filter=all (re-runs lost): %s?%s", h.Path, h.Query)
		}
	}

	// A repeat audit asks no commit again: every answer was final.
	srv.ResetHits()
	ev2, res2, err := e.collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(wantExternalCIRuns(), ev2.Runs); d != "" {
		t.Errorf("repeat runs (-want +got):\n%s", d)
	}
	if asked, _ := checkRunHits(srv); len(asked) != 0 {
		t.Errorf("repeat audit asked check runs of %v", asked)
	}
	if res2.Requests.Counted > 5 {
		t.Errorf("repeat audit counted %d requests; hits %v", res2.Requests.Counted, srv.Hits())
	}
}

// TestCheckRunsIncremental: a commit whose check runs were still going is
// asked again the next night, and only it.
func TestCheckRunsIncremental(t *testing.T) {
	srv := startExternalCI(t)
	c6 := githubfake.SHA("c6")
	srv.Update(func(r *githubfake.Repo) {
		x := &r.CheckRuns[c6][1] // test: still running
		x.Status, x.Conclusion, x.CompletedAt = "in_progress", nil, nil
	})
	e := newEnv(t)
	ev, _, err := e.collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := ev.Runs[0]; r.Status != "in_progress" || r.Conclusion != "" || r.FinishedAt != nil || r.Duration != nil {
		t.Errorf("run of c6 while its test runs: %+v", r)
	}
	srv.Update(func(r *githubfake.Repo) {
		x := &r.CheckRuns[c6][1]
		end := x.StartedAt.Add(5 * time.Minute)
		x.Status, x.Conclusion, x.CompletedAt = "completed", ptrTo("success"), &end
	})
	e.now = e.now.Add(day)
	srv.ResetHits()
	ev, _, err = e.collect(t, srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	asked, full := checkRunHits(srv)
	if d := cmp.Diff([]string{c6}, asked); d != "" {
		t.Errorf("commits asked (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{c6}, full); d != "" {
		t.Errorf("full answers (-want +got):\n%s", d)
	}
	// The window moved a day: c3 (20 days back) is still in it.
	if d := cmp.Diff(wantExternalCIRuns(), ev.Runs); d != "" {
		t.Errorf("runs (-want +got):\n%s", d)
	}
}

func TestCheckRunsWithStatuses(t *testing.T) {
	sha := githubfake.SHA
	tests := []struct {
		name        string
		repo        func(r *githubfake.Repo)
		faults      []githubfake.Fault
		wantIDs     []string
		wantKinds   []string
		wantPartial bool
		wantWarn    string
	}{
		{
			name: "Actions disabled: statuses and check runs; Actions' own check runs left out",
			repo: func(r *githubfake.Repo) {
				checks := githubfake.ExternalCI("").CheckRuns
				r.NoActions = true // the scenario's Actions check runs on c6 and c5 stay, and are left out
				r.CheckRuns[sha("c4")] = checks[sha("c4")]
			},
			wantIDs: []string{"status:" + sha("c6") + ":ci/jenkins", "status:" + sha("c5") + ":ci/jenkins",
				"check:" + sha("c4") + ":buildkite"},
			wantKinds:   allKindsBut(model.KindJobs), // statuses have no jobs
			wantPartial: true,
		},
		{
			name: "a status of the same name as a check run is left out",
			repo: func(r *githubfake.Repo) {
				r.Runs = nil
				r.CheckRuns = githubfake.ExternalCI("").CheckRuns
				for i := range r.CheckRuns[sha("c6")] {
					r.CheckRuns[sha("c6")][i].Name = "ci/jenkins"
				}
			},
			wantIDs: []string{"check:" + sha("c6") + ":buildkite", "check:" + sha("c6") + ":codecov",
				"status:" + sha("c5") + ":ci/jenkins", "check:" + sha("c5") + ":buildkite",
				"check:" + sha("c4") + ":buildkite", "check:" + sha("c3") + ":buildkite"},
			wantKinds:   allKindsBut(model.KindJobs),
			wantPartial: true,
		},
		{
			name: "check runs forbidden: runs unknown, the statuses kept",
			repo: func(r *githubfake.Repo) { r.Runs = nil },
			faults: []githubfake.Fault{{Path: "/check-runs", Status: 403,
				Body: `{"message":"Resource not accessible by personal access token","documentation_url":"https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference","status":"403"}`}},
			wantIDs:     []string{"status:" + sha("c6") + ":ci/jenkins", "status:" + sha("c5") + ":ci/jenkins"},
			wantKinds:   allKindsBut(model.KindRuns, model.KindJobs),
			wantPartial: true,
			wantWarn:    "check runs not readable",
		},
		{
			name:      "only Actions' check runs and no statuses: runs known empty",
			repo:      func(r *githubfake.Repo) { r.Runs, r.Statuses = nil, nil },
			wantKinds: allKindsBut(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := startScenario(t)
			srv.Update(tc.repo)
			for _, f := range tc.faults {
				srv.AddFault(f)
			}
			ev, res, err := newEnv(t).collect(t, srv, nil)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range ev.Runs {
				ids = append(ids, r.ID)
			}
			if d := cmp.Diff(tc.wantIDs, ids); d != "" {
				t.Errorf("runs (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantKinds, kinds(ev)); d != "" {
				t.Errorf("kinds (-want +got):\n%s", d)
			}
			if res.Partial != tc.wantPartial {
				t.Errorf("partial %v, want %v (warnings %q)", res.Partial, tc.wantPartial, res.Warnings)
			}
			if tc.wantWarn != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), tc.wantWarn) {
				t.Errorf("no warning with %q in %q", tc.wantWarn, res.Warnings)
			}
		})
	}
}

func TestCheckRunsToRuns(t *testing.T) {
	committed := githubfake.ScenarioNow.Add(-time.Hour)
	cm := model.Commit{Hash: "abc", Committer: model.Signature{When: committed}}
	ts := func(m int) *gh.Timestamp { return &gh.Timestamp{Time: committed.Add(time.Duration(m) * time.Minute)} }
	tp := func(m int) *time.Time { t := committed.Add(time.Duration(m) * time.Minute); return &t }
	ci := &gh.App{Slug: ptrTo("ci"), Name: ptrTo("CI")}
	cr := func(id int64, name, status, concl string, start, end *gh.Timestamp) *gh.CheckRun {
		c := &gh.CheckRun{ID: &id, Name: &name, Status: &status, StartedAt: start, CompletedAt: end, App: ci,
			HTMLURL: ptrTo("u" + name)}
		if concl != "" {
			c.Conclusion = &concl
		}
		return c
	}
	tests := []struct {
		name string
		in   []*gh.CheckRun
		want []model.Run
	}{
		{
			name: "one running, one queued: in progress, started at the earliest",
			in:   []*gh.CheckRun{cr(2, "b", "queued", "", nil, nil), cr(1, "a", "in_progress", "", ts(2), nil)},
			want: []model.Run{{ID: "check:abc:ci", URL: "ua", Name: "CI", Event: "check_run", Trigger: model.TriggerPush,
				Branch: "main", SHA: "abc", Status: "in_progress", CreatedAt: *tp(2), StartedAt: tp(2), JobsKnown: true,
				Jobs: []model.Job{{ID: "1", Name: "a", URL: "ua", Status: "in_progress", StartedAt: tp(2)},
					{ID: "2", Name: "b", URL: "ub", Status: "queued"}}}},
		},
		{
			name: "nothing started: created at the commit; queued",
			in:   []*gh.CheckRun{cr(1, "a", "queued", "", nil, nil)},
			want: []model.Run{{ID: "check:abc:ci", URL: "ua", Name: "CI", Event: "check_run", Trigger: model.TriggerPush,
				Branch: "main", SHA: "abc", Status: "queued", CreatedAt: committed, JobsKnown: true,
				Jobs: []model.Job{{ID: "1", Name: "a", URL: "ua", Status: "queued"}}}},
		},
		{
			name: "cancelled outranks success; action_required is a failure and outranks both",
			in: []*gh.CheckRun{cr(1, "a", "completed", "success", ts(1), ts(3)), cr(2, "b", "completed", "cancelled", ts(1), ts(2)),
				cr(3, "c", "completed", "action_required", ts(1), ts(4))},
			want: []model.Run{{ID: "check:abc:ci", URL: "uc", Name: "CI", Event: "check_run", Trigger: model.TriggerPush,
				Branch: "main", SHA: "abc", Status: "completed", Conclusion: "failure", CreatedAt: *tp(1), StartedAt: tp(1),
				FinishedAt: tp(4), Duration: secs(3 * time.Minute), JobsKnown: true,
				Jobs: []model.Job{
					{ID: "1", Name: "a", URL: "ua", Status: "completed", Conclusion: "success", StartedAt: tp(1), FinishedAt: tp(3), Duration: secs(2 * time.Minute)},
					{ID: "2", Name: "b", URL: "ub", Status: "completed", Conclusion: "cancelled", StartedAt: tp(1), FinishedAt: tp(2), Duration: secs(time.Minute)},
					{ID: "3", Name: "c", URL: "uc", Status: "completed", Conclusion: "failure", StartedAt: tp(1), FinishedAt: tp(4), Duration: secs(3 * time.Minute)},
				}}},
		},
		{
			name: "GitHub Actions' check runs are left out",
			in: []*gh.CheckRun{{ID: ptrTo(int64(9)), Name: ptrTo("build"), Status: ptrTo("completed"), Conclusion: ptrTo("failure"),
				App: &gh.App{Slug: ptrTo("github-actions"), Name: ptrTo("GitHub Actions")}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, checkRunsToRuns(cm, "main", tc.in)); d != "" {
				t.Errorf("runs (-want +got):\n%s", d)
			}
		})
	}
}

func TestCheckConclusion(t *testing.T) {
	for in, want := range map[string]string{
		"success": "success", "failure": "failure", "cancelled": "cancelled", "skipped": "skipped", "timed_out": "timed_out",
		"action_required": "failure", "startup_failure": "failure", "stale": "cancelled", "neutral": "skipped", "new-word": "skipped",
	} {
		if got := checkConclusion(in); got != want {
			t.Errorf("checkConclusion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckEntryFinal(t *testing.T) {
	committed := githubfake.ScenarioNow
	done := model.Run{Status: "completed"}
	going := model.Run{Status: "in_progress"}
	tests := []struct {
		name  string
		entry checkEntry
		want  bool
	}{
		{"all completed", checkEntry{Asked: committed.Add(time.Minute), Runs: []model.Run{done, done}}, true},
		{"one still going", checkEntry{Asked: committed.Add(48 * time.Hour), Runs: []model.Run{done, going}}, false},
		{"none, asked soon after the commit", checkEntry{Asked: committed.Add(time.Hour)}, false},
		{"none, asked a day after the commit", checkEntry{Asked: committed.Add(checkSettle)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.entry.final(committed); got != tc.want {
				t.Errorf("final = %v, want %v", got, tc.want)
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }
