package gitlab

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/model"
)

// repeatRequests is what a repeat audit of the unchanged scenario asks
// (no local clone): 10 requests, against 31 for the full audit.
var repeatRequests = []string{
	"GET /projects/42",
	"GET /projects/42/repository/branches?per_page=100",
	"GET /projects/42/repository/tags?per_page=100",
	"GET /projects/42/releases?order_by=released_at&per_page=100&sort=desc",
	"GET /projects/42/merge_requests?order_by=updated_at&per_page=100&sort=desc&state=all&updated_after=2026-01-20T09%3A59%3A00Z",
	"GET /projects/42/environments?per_page=100",
	"GET /projects/42/deployments?order_by=updated_at&per_page=100&sort=asc&updated_after=2026-01-31T23%3A11%3A00Z",
	"GET /projects/42/pipelines?order_by=updated_at&per_page=100&sort=desc&updated_after=2026-01-31T23%3A00%3A00Z",
	"GET /projects/42/protected_branches?per_page=100",
	"GET /projects/42/approval_rules?per_page=100",
}

func TestRepeatAuditUnchanged(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cacheDir bool // a new Collector over the same cache dir
	}{{"same collector, state in memory", false}, {"new collector, state on disk", true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := ""
			if tc.cacheDir {
				dir = t.TempDir()
			}
			h := newHarness(t, scenario(), gitlabFakeOpts(), func(o *Options) { o.CacheDir = dir })
			first, res1, err := h.collect(t)
			if err != nil {
				t.Fatal(err)
			}
			full := len(h.srv.Requests(true))
			if tc.cacheDir {
				c, err := New(h.c.opt)
				if err != nil {
					t.Fatal(err)
				}
				h.c = c
			}
			second, res2, err := h.collect(t)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("repeat audit evidence differs (-first +second):\n%s", diff)
			}
			want := append([]string(nil), repeatRequests...)
			if tc.cacheDir { // a new collector knows the project by the path it was given
				want[0] = "GET /projects/acme%2Fplatform%2Fapi"
			}
			if diff := cmp.Diff(want, h.srv.Requests(true)); diff != "" {
				t.Errorf("repeat audit requests (-want +got):\n%s", diff)
			}
			if full != fullAudit() || res1.Requests.Total != fullAudit() {
				t.Errorf("full audit: server saw %d requests, stats %+v; want %d", full, res1.Requests, fullAudit())
			}
			if res2.Requests.Total != len(repeatRequests) {
				t.Errorf("repeat stats = %+v, want total %d", res2.Requests, len(repeatRequests))
			}
		})
	}
}

func TestRepeatAuditAfterChanges(t *testing.T) {
	h := newHarness(t, scenario(), gitlabFakeOpts(), nil)
	if _, _, err := h.collect(t); err != nil {
		t.Fatal(err)
	}
	h.srv.Requests(true)
	// A new pipeline; MR !2 gets approved; pipeline 103 finishes; a new
	// deployment.
	h.srv.Update(func(d *gitlabfake.Data) {
		d.Pipelines = append(d.Pipelines, &gitlabfake.Pipeline{ID: 105, ProjectID: 42, Status: "success", Source: "web", Ref: "main", SHA: sha("c3"),
			CreatedAt: at(31, 23, 30), UpdatedAt: at(31, 23, 40), StartedAt: tp(at(31, 23, 31)), FinishedAt: tp(at(31, 23, 40)), Duration: fp(540), QueuedDuration: fp(60),
			WebURL: "https://gl.example/p/105", Jobs: []gitlabfake.Job{{ID: 5001, Name: "build", Stage: "build", Status: "success", CreatedAt: at(31, 23, 30), Duration: fp(540)}}})
		for _, p := range d.Pipelines {
			if p.ID == 103 {
				p.Status, p.UpdatedAt, p.FinishedAt, p.Duration, p.QueuedDuration = "success", at(31, 23, 50), tp(at(31, 23, 50)), fp(2940), fp(60)
				p.Jobs[0].Status, p.Jobs[0].FinishedAt, p.Jobs[0].Duration = "success", tp(at(31, 23, 50)), fp(2940)
			}
		}
		for _, m := range d.MergeRequests {
			if m.IID == 2 {
				m.ApprovedBy, m.UpdatedAt = []string{"alice", "bob"}, at(31, 23, 45)
			}
		}
	})
	ev, res, err := h.collect(t)
	if err != nil || res.Partial {
		t.Fatalf("Collect: %v partial=%v %q", err, res.Partial, res.Warnings)
	}
	want := append(append([]string(nil), repeatRequests[:5]...),
		"GET /projects/42/merge_requests/2/commits?per_page=100",
		"GET /projects/42/merge_requests/2/diffs?per_page=100",
		"GET /projects/42/merge_requests/2/closes_issues?per_page=100",
		"GET /projects/42/merge_requests/2/approvals",
		repeatRequests[5], repeatRequests[6], repeatRequests[7],
		"GET /projects/42/pipelines/103",
		"GET /projects/42/pipelines/103/jobs?include_retried=true&per_page=100",
		"GET /projects/42/pipelines/105",
		"GET /projects/42/pipelines/105/jobs?include_retried=true&per_page=100",
		repeatRequests[8], repeatRequests[9])
	if diff := cmp.Diff(want, h.srv.Requests(true)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	byID := map[string]model.Run{}
	for _, r := range ev.Runs {
		byID[r.ID] = r
	}
	if len(ev.Runs) != 5 || byID["105"].Trigger != model.TriggerManual || byID["103"].Conclusion != "success" || *byID["103"].Duration != 2940 {
		t.Errorf("runs after changes: %+v", ev.Runs)
	}
	for _, ch := range ev.Changes {
		if ch.ID == "2" && ch.Approvals != 2 {
			t.Errorf("MR !2 approvals = %d, want 2", ch.Approvals)
		}
		if ch.ID == "1" && len(ch.LinkedIssues) != 3 {
			t.Errorf("MR !1 lost its stored details: %+v", ch)
		}
	}
	if len(ev.TestReports) != 1 {
		t.Errorf("test reports = %+v", ev.TestReports)
	}
}

// A window reaching further back than the stored records forces a full
// collection of the incremental endpoints.
func TestRepeatAuditEarlierWindow(t *testing.T) {
	h := newHarness(t, scenario(), gitlabFakeOpts(), nil)
	if _, _, err := h.collect(t); err != nil {
		t.Fatal(err)
	}
	h.srv.Requests(true)
	ev := &model.Evidence{Window: model.Window{Since: since.Add(-30 * 24 * time.Hour), Until: until}}
	if _, err := h.c.Collect(t.Context(), ev); err != nil {
		t.Fatal(err)
	}
	got := h.srv.Requests(true)
	if len(got) <= len(repeatRequests) {
		t.Errorf("earlier window made only %d requests: %q", len(got), got)
	}
	found := false
	for _, r := range ev.Runs {
		found = found || r.ID == "99"
	}
	if !found {
		t.Errorf("pipeline 99 (in the earlier window) missing")
	}
}
