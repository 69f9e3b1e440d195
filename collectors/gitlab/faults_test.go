package gitlab

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

func TestProjectFaults(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mod     func(*Options)
		fault   *gitlabfake.Fault
		want    error
		message string
	}{
		{name: "unknown project", mod: func(o *Options) { o.Project = "acme/nope" }, want: ErrNotFound, message: `"acme/nope"`},
		{name: "unknown numeric id", mod: func(o *Options) { o.Project = "7" }, want: ErrNotFound, message: `"7"`},
		{name: "bad token", mod: func(o *Options) { o.Token = "glpat-wrong-token-value" }, want: ErrUnauthorized, message: "refused the token"},
		{name: "forbidden", fault: &gitlabfake.Fault{Path: regexp.MustCompile(`^/projects/[^/]+$`), Status: 403, Times: -1}, want: ErrForbidden, message: "may not read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, scenario(), gitlabFakeOpts(), tc.mod)
			if tc.fault != nil {
				h.srv.AddFault(tc.fault)
			}
			ev, _, err := h.collect(t)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("message %q lacks %q", err, tc.message)
			}
			if len(ev.Have) != 0 {
				t.Errorf("kinds marked after a failed start: %v", ev.Have)
			}
			if strings.Contains(err.Error(), "glpat-") {
				t.Errorf("token in error: %v", err)
			}
		})
	}
}

// Transient faults are retried below client-go, in httpx, and counted once.
func TestTransientFaultsRetried(t *testing.T) {
	h := newHarness(t, scenario(), gitlabFakeOpts(), nil)
	h.srv.AddFault(&gitlabfake.Fault{Path: regexp.MustCompile(`^/projects/42/pipelines$`), Status: 429, Times: 1, RetryAfter: "7"})
	h.srv.AddFault(&gitlabfake.Fault{Path: regexp.MustCompile(`^/projects/42/merge_requests$`), Status: 502, Times: 2})
	h.srv.AddFault(&gitlabfake.Fault{Path: regexp.MustCompile(`^/projects/42/pipelines/101/jobs$`), Status: 503, Times: 1})
	ev, res, err := h.collect(t)
	if err != nil || res.Partial {
		t.Fatalf("Collect: %v partial=%v %q", err, res.Partial, res.Warnings)
	}
	cmpEvidence(t, expected(t), ev)
	st := res.Requests
	if st.Total != fullAudit()+4 || st.Retries < 3 || st.RateLimited != 1 {
		t.Errorf("stats = %+v, want total %d, ≥3 retries, 1 rate limited", st, fullAudit()+4)
	}
	waited := false
	for _, d := range h.slept {
		waited = waited || d == 7*time.Second
	}
	if !waited {
		t.Errorf("Retry-After 7 not honoured; slept %v", h.slept)
	}
}

func TestRateLimitBeyondMaxWait(t *testing.T) {
	h := newHarness(t, scenario(), gitlabFakeOpts(), nil)
	h.srv.AddFault(&gitlabfake.Fault{Path: regexp.MustCompile(`^/projects/42/merge_requests$`), Status: 429, Times: -1, RetryAfter: "3600"})
	ev, res, err := h.collect(t)
	var rl *httpx.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("err = %v, want a *httpx.RateLimitError", err)
	}
	if !res.Partial {
		t.Error("not partial")
	}
	for _, k := range []model.Kind{model.KindReleases, model.KindCommits, model.KindTree} {
		if !ev.Has(k) {
			t.Errorf("%s collected before the limit is unmarked", k)
		}
	}
	for _, k := range []model.Kind{model.KindChanges, model.KindRuns, model.KindDeployments, model.KindEnvironments, model.KindProtection} {
		if ev.Has(k) {
			t.Errorf("%s marked although the limit stopped the collection", k)
		}
	}
	for _, r := range h.srv.Requests(false) {
		if strings.Contains(r, "/pipelines") || strings.Contains(r, "/deployments") {
			t.Errorf("asked %s after the rate limit", r)
		}
	}
}

func TestDegradedEvidence(t *testing.T) {
	for _, tc := range []struct {
		name      string
		data      func(d *gitlabfake.Data)
		fault     *gitlabfake.Fault
		unmarked  []model.Kind
		warning   string
		partial   bool
		checkEvid func(t *testing.T, ev *model.Evidence)
	}{
		{
			name: "free tier: no approvals API", data: func(d *gitlabfake.Data) { d.NoApprovals = true },
			warning: "approval", partial: true,
			checkEvid: func(t *testing.T, ev *model.Evidence) {
				if !ev.Has(model.KindChanges) {
					t.Error("changes unmarked")
				}
				for _, ch := range ev.Changes {
					if ch.State != "closed" && (!ch.ApprovalsUnknown || ch.Approvals != 0 || !ch.DetailsKnown) {
						t.Errorf("MR %s: approvals unknown=%v approvals=%d details=%v", ch.ID, ch.ApprovalsUnknown, ch.Approvals, ch.DetailsKnown)
					}
				}
				if ev.Protection == nil || !ev.Protection.Protected || !ev.Protection.PipelineMustSucceed || !ev.Protection.ApprovalsUnknown {
					t.Errorf("protection not filled as far as known, approvals not marked unknown: %+v", ev.Protection)
				}
			},
		},
		{
			name: "CI disabled", data: func(d *gitlabfake.Data) { d.CIDisabled = true },
			unmarked: []model.Kind{model.KindRuns, model.KindJobs, model.KindTestReports, model.KindDeployments, model.KindEnvironments},
			warning:  "CI/CD is disabled", partial: true,
		},
		{
			name: "no pipelines at all", data: func(d *gitlabfake.Data) { d.Pipelines, d.Deployments, d.Environments = nil, nil, nil },
			checkEvid: func(t *testing.T, ev *model.Evidence) {
				if !ev.Has(model.KindRuns, model.KindJobs, model.KindTestReports, model.KindDeployments, model.KindEnvironments) || len(ev.Runs) != 0 {
					t.Errorf("an empty CI history is not collected-and-empty: have=%v runs=%d", ev.Have, len(ev.Runs))
				}
			},
		},
		{
			name:     "test report keeps failing",
			fault:    &gitlabfake.Fault{Path: regexp.MustCompile(`/pipelines/101/test_report$`), Status: 500, Times: -1},
			unmarked: []model.Kind{model.KindTestReports}, warning: "test reports of 1 pipeline", partial: true,
			checkEvid: func(t *testing.T, ev *model.Evidence) {
				if !ev.Has(model.KindRuns, model.KindJobs) || len(ev.TestReports) != 0 {
					t.Errorf("have=%v reports=%d", ev.Have, len(ev.TestReports))
				}
			},
		},
		{
			name:     "pipeline jobs keep failing",
			fault:    &gitlabfake.Fault{Path: regexp.MustCompile(`/pipelines/102/jobs$`), Status: 500, Times: -1},
			unmarked: []model.Kind{model.KindJobs, model.KindTestReports}, warning: "jobs unknown", partial: true,
			checkEvid: func(t *testing.T, ev *model.Evidence) {
				for _, r := range ev.Runs {
					if (r.ID == "102") == r.JobsKnown {
						t.Errorf("run %s jobs known = %v", r.ID, r.JobsKnown)
					}
				}
			},
		},
		{
			name:    "merge request diffs keep failing",
			fault:   &gitlabfake.Fault{Path: regexp.MustCompile(`/merge_requests/1/diffs$`), Status: 500, Times: -1},
			warning: "details of 1 merge request", partial: true,
			checkEvid: func(t *testing.T, ev *model.Evidence) {
				for _, ch := range ev.Changes {
					if ch.ID == "1" && (ch.DetailsKnown || ch.FirstCommit != nil) {
						t.Errorf("MR !1 details should be unknown: %+v", ch)
					}
				}
			},
		},
		{
			name:     "tree unavailable",
			fault:    &gitlabfake.Fault{Path: regexp.MustCompile(`/repository/tree$`), Status: 404, Times: -1},
			unmarked: []model.Kind{model.KindTree}, warning: "tree not collected", partial: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := scenario()
			if tc.data != nil {
				tc.data(d)
			}
			h := newHarness(t, d, gitlabFakeOpts(), nil)
			if tc.fault != nil {
				h.srv.AddFault(tc.fault)
			}
			ev, res, err := h.collect(t)
			if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			if res.Partial != tc.partial {
				t.Errorf("partial = %v, want %v (warnings %q)", res.Partial, tc.partial, res.Warnings)
			}
			for _, k := range tc.unmarked {
				if ev.Has(k) {
					t.Errorf("%s marked", k)
				}
			}
			all := []model.Kind{model.KindCommits, model.KindBranches, model.KindTags, model.KindTree, model.KindReleases, model.KindChanges,
				model.KindRuns, model.KindJobs, model.KindTestReports, model.KindDeployments, model.KindEnvironments, model.KindProtection}
			for _, k := range all {
				if !ev.Has(k) && !containsKind(tc.unmarked, k) {
					t.Errorf("%s unmarked (warnings %q)", k, res.Warnings)
				}
			}
			if tc.warning != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), tc.warning) {
				t.Errorf("warnings %q lack %q", res.Warnings, tc.warning)
			}
			if tc.checkEvid != nil {
				tc.checkEvid(t, ev)
			}
		})
	}
}

func containsKind(ks []model.Kind, k model.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// A test report that failed once is asked again by the next audit.
func TestFailedReportRetriedNextAudit(t *testing.T) {
	h := newHarness(t, scenario(), gitlabFakeOpts(), nil)
	h.srv.AddFault(&gitlabfake.Fault{Path: regexp.MustCompile(`/pipelines/101/test_report$`), Status: 500, Times: 4})
	if ev, _, _ := h.collect(t); ev.Has(model.KindTestReports) {
		t.Fatal("test reports marked despite the failure")
	}
	ev, res, err := h.collect(t)
	if err != nil || res.Partial || !ev.Has(model.KindTestReports) || len(ev.TestReports) != 1 {
		t.Fatalf("second audit: err=%v partial=%v reports=%d %q", err, res.Partial, len(ev.TestReports), res.Warnings)
	}
}
