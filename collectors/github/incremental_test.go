package github

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

// paths returns the paths of the requests that reached the handlers with a
// full answer (not 304).
func fullAnswers(srv *githubfake.Server) []string {
	var out []string
	for _, h := range srv.Hits() {
		if h.Status != 304 {
			out = append(out, h.Path)
		}
	}
	return out
}

// restOnly keeps an audit on the REST API.
func restOnly(o *Options) { o.NoGraphQL = true }

func TestIncrementalNightly(t *testing.T) {
	t.Run("rest", func(t *testing.T) { testIncrementalNightly(t, false) })
	t.Run("graphql", func(t *testing.T) { testIncrementalNightly(t, true) })
}

// testIncrementalNightly: with GraphQL, the details of the changed pull
// request, the jobs of the two runs and the outcomes of the two open
// deployments take one query each.
func testIncrementalNightly(t *testing.T, gql bool) {
	srv := startScenario(t)
	e := newEnv(t)
	mode := restOnly
	if gql {
		mode = nil
	}
	if _, _, err := e.collect(t, srv, mode); err != nil {
		t.Fatal(err)
	}
	// Next night: PR #2 got a review, run 107 finished, a new run and a
	// deployment outcome arrived.
	e.now = e.now.Add(day)
	next := e.now
	srv.Update(func(r *githubfake.Repo) {
		p := &r.Pulls[1]
		p.UpdatedAt = next.Add(-time.Hour)
		p.Reviews = append(p.Reviews, githubfake.Review{ID: 9, User: githubfake.User{Login: "erin"}, State: "APPROVED", SubmittedAt: &p.UpdatedAt})
		for i := range r.Runs {
			if r.Runs[i].ID == 107 {
				c := "success"
				r.Runs[i].Status, r.Runs[i].Conclusion = "completed", &c
				r.Runs[i].UpdatedAt = r.Runs[i].RunStartedAt.Add(6 * time.Minute)
			}
		}
		nr := r.Runs[0]
		nr.ID, nr.CreatedAt, nr.RunStartedAt, nr.UpdatedAt = 110, next.Add(-2*time.Hour), next.Add(-2*time.Hour), next.Add(-time.Hour)
		nr.HTMLURL = strings.Replace(nr.HTMLURL, "101", "110", 1)
		nr.Jobs = nil
		r.Runs = append(r.Runs, nr)
		d := &r.Deployments[0]
		d.Statuses = append([]githubfake.DeploymentStatus{{ID: 2052, State: "success", CreatedAt: next.Add(-3 * time.Hour)}}, d.Statuses...)
	})
	srv.ResetHits()
	ev, res, err := e.collect(t, srv, mode)
	if err != nil || res.Partial {
		t.Fatalf("err %v, partial %v, warnings %q", err, res.Partial, res.Warnings)
	}
	got := fullAnswers(srv)
	want := []string{
		"/repos/acme/shop/commits",         // the window moved
		"/repos/acme/shop/pulls",           // PR #2 changed
		"/repos/acme/shop/pulls/2/reviews", // its commits and files are asked too, and answered 304
		"/repos/acme/shop/actions/runs",    // runs created since run 107, which was in progress
		"/repos/acme/shop/actions/runs/110/jobs",
		"/repos/acme/shop/actions/runs/107/jobs",
		"/repos/acme/shop/deployments/205/statuses",
	}
	if gql {
		want = []string{"/repos/acme/shop/commits", "/repos/acme/shop/pulls", githubfake.GraphQLPath,
			"/repos/acme/shop/actions/runs", githubfake.GraphQLPath, "/repos/acme/shop/deployments/205/statuses"}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("full answers (-want +got):\n%s", d)
	}
	if res.Requests.Counted != len(want) {
		t.Errorf("counted %d, want %d", res.Requests.Counted, len(want))
	}
	byID := map[string]model.Change{}
	for _, c := range ev.Changes {
		byID[c.ID] = c
	}
	if byID["2"].Approvals != 1 || byID["1"].Approvals != 2 || !byID["1"].DetailsKnown {
		t.Errorf("changes after the incremental audit: %+v", ev.Changes)
	}
	runs := map[string]model.Run{}
	for _, r := range ev.Runs {
		runs[r.ID] = r
	}
	if r := runs["107"]; r.Status != "completed" || r.Duration == nil || *r.Duration != 360 || !r.JobsKnown {
		t.Errorf("run 107: %+v", r)
	}
	if _, ok := runs["110"]; !ok || len(ev.Runs) != 9 {
		t.Errorf("%d runs, 110 present %v", len(ev.Runs), ok)
	}
	if d := ev.Deployments[0]; d.ID != "205" || d.Status != "success" || d.FinishedAt == nil {
		t.Errorf("deployment 205: %+v", d)
	}
	if !ev.Has(model.KindJobs) {
		t.Error("jobs not complete")
	}
}

func TestWindowReachingBackResyncs(t *testing.T) {
	srv := startScenario(t)
	e := newEnv(t)
	if _, _, err := e.collect(t, srv, nil); err != nil {
		t.Fatal(err)
	}
	srv.ResetHits()
	c, err := New(Options{Repo: "acme/shop", Token: testToken, APIURL: srv.URL, CacheDir: e.cacheDir, Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	ev := &model.Evidence{Window: model.Window{Since: e.now.AddDate(0, 0, -60), Until: e.now}}
	if _, err := c.Collect(t.Context(), ev); err != nil {
		t.Fatal(err)
	}
	var listed bool
	for _, h := range srv.Hits() {
		if h.Path == "/repos/acme/shop/actions/runs" && strings.Contains(h.Query, "2025-12-31T12") {
			listed = true
		}
	}
	if !listed {
		t.Errorf("runs not re-listed from the new window start: %v", srv.Hits())
	}
	ids := map[string]bool{}
	for _, r := range ev.Runs {
		ids[r.ID] = true
	}
	if !ids["108"] || len(ev.Changes) != 4 {
		t.Errorf("older records missing after the re-sync: runs %v, %d changes", ids, len(ev.Changes))
	}
}

// TestRelistFrom: unfinished runs are listed again when that is cheaper than
// reading them one by one.
func TestRelistFrom(t *testing.T) {
	now := githubfake.ScenarioNow
	w := model.Window{Since: now.AddDate(0, 0, -30), Until: now}
	from := now.Add(-time.Hour)
	runs := func(busy int, unfinished ...time.Duration) map[string]model.Run {
		m := map[string]model.Run{}
		for i := range busy { // completed runs, one every 10 minutes back from now
			m["c"+strconv.Itoa(i)] = model.Run{Status: "completed", CreatedAt: now.Add(-time.Duration(i) * 10 * time.Minute)}
		}
		for i, d := range unfinished {
			m["u"+strconv.Itoa(i)] = model.Run{Status: "queued", CreatedAt: now.Add(-d)}
		}
		return m
	}
	tests := []struct {
		name string
		runs map[string]model.Run
		want time.Time
	}{
		{"nothing unfinished", runs(50), from},
		{"quiet repository: list from the oldest", runs(50, 2*day, 5*day), now.Add(-5 * day)},
		{"busy repository: read the old one alone", runs(3000, 2*time.Hour, 20*day), now.Add(-2 * time.Hour)},
		{"unfinished before the window is dropped", runs(10, 40*day), from},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := relistFrom(tc.runs, from, w); !got.Equal(tc.want) {
				t.Errorf("from %v, want %v", got, tc.want)
			}
		})
	}
}
