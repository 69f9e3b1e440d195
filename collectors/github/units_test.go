package github

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gh "github.com/google/go-github/v62/github"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/model"
)

func TestLinkedIssues(t *testing.T) {
	tests := []struct {
		title, body string
		want        []string
	}{
		{"Fix login", "Fixes #12", []string{"#12"}},
		{"Fix login (#7)", "closes: #8, resolved acme/api#9", []string{"#8", "acme/api#9", "#7"}},
		{"x", "Resolves https://github.com/acme/web/issues/44", []string{"acme/web#44"}},
		{"x", "see #5, fixing nothing; prefix#6", nil},
		{"Refs #3 and #3", "fix #3", []string{"#3"}},
		{"", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.title+"|"+tc.body, func(t *testing.T) {
			if d := cmp.Diff(tc.want, linkedIssues(tc.title, tc.body)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestCountReviews(t *testing.T) {
	rv := func(u, s string) *gh.PullRequestReview {
		return &gh.PullRequestReview{User: &gh.User{Login: gh.String(u)}, State: gh.String(s)}
	}
	tests := []struct {
		name               string
		in                 []*gh.PullRequestReview
		reviews, approvals int
	}{
		{"none", nil, 0, 0},
		{"approve after changes", []*gh.PullRequestReview{rv("a", "CHANGES_REQUESTED"), rv("a", "APPROVED")}, 2, 1},
		{"changes after approve", []*gh.PullRequestReview{rv("a", "APPROVED"), rv("a", "CHANGES_REQUESTED")}, 2, 0},
		{"comment keeps approval", []*gh.PullRequestReview{rv("a", "APPROVED"), rv("a", "COMMENTED")}, 2, 1},
		{"dismissed", []*gh.PullRequestReview{rv("a", "APPROVED"), rv("a", "DISMISSED")}, 2, 0},
		{"pending ignored", []*gh.PullRequestReview{rv("a", "PENDING"), rv("b", "APPROVED")}, 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, a := countReviews(tc.in)
			if r != tc.reviews || a != tc.approvals {
				t.Errorf("got %d/%d, want %d/%d", r, a, tc.reviews, tc.approvals)
			}
		})
	}
}

func TestTrigger(t *testing.T) {
	a := &audit{ev: &model.Evidence{}, tagNames: map[string]bool{"v1": true, "both": true}, branchNames: map[string]bool{"main": true, "both": true}}
	tests := []struct {
		event, ref string
		want       model.Trigger
	}{
		{"push", "main", model.TriggerPush},
		{"push", "v1", model.TriggerTag},
		{"push", "both", model.TriggerPush},
		{"pull_request", "x", model.TriggerPullRequest},
		{"pull_request_target", "x", model.TriggerPullRequest},
		{"schedule", "main", model.TriggerSchedule},
		{"workflow_dispatch", "main", model.TriggerManual},
		{"repository_dispatch", "main", model.TriggerAPI},
		{"workflow_run", "main", model.TriggerUpstream},
		{"workflow_call", "main", model.TriggerUpstream},
		{"release", "v1", model.TriggerTag},
		{"create", "v1", model.TriggerTag},
		{"create", "main", model.TriggerOther},
		{"merge_group", "gh-readonly-queue/main", model.TriggerPullRequest}, // vocab: a merge queue checks a pull request
		{"dynamic", "main", model.TriggerOther},
	}
	for _, tc := range tests {
		if got := a.trigger(tc.event, tc.ref); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.event, tc.ref, got, tc.want)
		}
	}
}

// TestRunCapSplit: more than 1,000 runs in the window are listed by
// splitting the created range.
func TestRunCapSplit(t *testing.T) {
	srv := startScenario(t)
	since, until := githubfake.ScenarioWindow()
	const n = 2500
	srv.Update(func(r *githubfake.Repo) {
		base := r.Runs[0]
		r.Runs = nil
		step := until.Sub(since) / n
		for i := range n {
			run := base
			run.ID = int64(10000 + i)
			run.Status, run.Conclusion = "in_progress", nil
			run.CreatedAt = since.Add(time.Duration(i) * step)
			run.RunStartedAt, run.UpdatedAt = run.CreatedAt, run.CreatedAt
			r.Runs = append(r.Runs, run)
		}
	})
	e := newEnv(t)
	ev, res, err := e.collect(t, srv, nil)
	if err != nil || res.Partial {
		t.Fatalf("err %v partial %v warnings %q", err, res.Partial, res.Warnings)
	}
	if len(ev.Runs) != n || !ev.Has(model.KindRuns) {
		t.Fatalf("%d runs, want %d", len(ev.Runs), n)
	}
	seen := map[string]bool{}
	for _, r := range ev.Runs {
		if seen[r.ID] {
			t.Fatalf("run %s twice", r.ID)
		}
		seen[r.ID] = true
	}
	listings := 0
	for _, h := range srv.Hits() {
		if h.Path == "/repos/acme/shop/actions/runs" {
			listings++
		}
	}
	// 2,500 runs: the whole window, its halves (1,250 each, still over the
	// cap), and four quarters of 625 (7 pages) — 1 + 2 + 4 + 4×6 more pages.
	if listings != 31 {
		t.Errorf("%d run listings", listings)
	}
}

func TestCollectorInterface(t *testing.T) {
	c, err := New(Options{Repo: "a/b"})
	if err != nil {
		t.Fatal(err)
	}
	var _ collectors.Collector = c
	if c.Kind() != "github" {
		t.Error(c.Kind())
	}
}
