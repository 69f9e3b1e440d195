package parity

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/github"
	"github.com/cdaudit/cdaudit/collectors/github/githubfake"
	"github.com/cdaudit/cdaudit/collectors/gitlab"
	"github.com/cdaudit/cdaudit/collectors/gitlab/gitlabfake"
	"github.com/cdaudit/cdaudit/measure"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/rules"
)

const token = "parity-token"

func now() time.Time { return until }

// collector collects one host's evidence of the window; called again, it
// makes a repeat audit (the same cache and incremental state).
type collector func(t *testing.T) (*model.Evidence, collectors.Result)

func collectWith(c collectors.Collector) collector {
	return func(t *testing.T) (*model.Evidence, collectors.Result) {
		t.Helper()
		ev := &model.Evidence{Window: window}
		res, err := c.Collect(context.Background(), ev)
		if err != nil {
			t.Fatalf("%s Collect: %v", c.Kind(), err)
		}
		return ev, res
	}
}

// gitHubCollector serves the history as GitHub.
func gitHubCollector(t *testing.T, h *history) collector {
	t.Helper()
	srv := githubfake.New(toGitHub(h), githubfake.Options{Token: token, Now: now})
	t.Cleanup(srv.Close)
	c, err := github.New(github.Options{Repo: h.owner + "/" + h.name, Token: token, APIURL: srv.URL,
		CacheDir: t.TempDir(), Now: now})
	if err != nil {
		t.Fatalf("github.New: %v", err)
	}
	return collectWith(c)
}

// gitLabCollector serves the history as GitLab.
func gitLabCollector(t *testing.T, h *history) collector {
	t.Helper()
	srv := gitlabfake.New(toGitLab(h), gitlabfake.Options{Token: token})
	t.Cleanup(srv.Close)
	c, err := gitlab.New(gitlab.Options{Project: h.owner + "/" + h.name, Token: token, BaseURL: srv.BaseURL(),
		CacheDir: t.TempDir(), Now: now, Sleep: func(time.Duration) {}})
	if err != nil {
		t.Fatalf("gitlab.New: %v", err)
	}
	return collectWith(c)
}

// audited is what one host's evidence comes to.
type audited struct {
	ev     *model.Evidence
	res    collectors.Result
	ms     model.Measurements
	levels []model.PracticeResult
}

func audit(ev *model.Evidence, res collectors.Result) audited {
	ms := measure.Compute(ev, measure.Options{})
	levels, _ := rules.Judge(rules.Input{Catalogue: model.MustCatalogue(), Evidence: ev, Measurements: ms, Now: until})
	return audited{ev: ev, res: res, ms: ms, levels: levels}
}

// Host-specific by nature, and so left out of the comparison (everything
// else of every measurement — known, value, n, unit, note — and of every
// practice and dimension level is compared):
//
//   - evidence references of measurements and levels, and the reasons of
//     levels (see lView): they carry each host's URLs, file names and
//     settings;
//   - the hosts' own words (Run.Event, statuses), the raw evidence records
//     and request counts: not compared at all, only what measure and rules
//     make of them;
//   - the test_reports evidence kind, which only GitLab has (see kinds);
//   - the duration of a re-run run, which each host measures its own way:
//     the history places it so that no percentile depends on it (see run
//     1018 in history_test.go; hostSpecific checks the two values);
//   - the measurements below, which one host records and the other cannot.
//     No level of this history depends on them: the test-report level
//     criteria also need coverage, which neither host reports here.
var hostOnly = map[string]string{
	// GitLab reports queued_duration; GitHub gives a run no queue time.
	"ci.queued_seconds.p50": "GitHub reports no queue times",
	// GitLab serves pipeline test reports (JUnit); GitHub has no such API.
	"test.pass_ratio": "GitHub has no test report API",
	"test.cases":      "GitHub has no test report API",
	// Test layers from suite names need test reports too: known (0 e2e,
	// 0 integration, 0 performance suites) on GitLab, unknown on GitHub.
	"test.suites.e2e":         "GitHub has no test report API",
	"test.suites.integration": "GitHub has no test report API",
	"test.suites.performance": "GitHub has no test report API",
	// GitHub can require named status checks; GitLab requires "the
	// pipeline" (pipelines must succeed), which protection.require_checks
	// compares.
	"protection.required_checks": "GitLab cannot name required checks",
}

// hostOnlyPrefix are measurement families only one host gives.
var hostOnlyPrefix = map[string]string{
	// GitLab jobs belong to stages; Actions jobs have none.
	"ci.stage_duration_seconds.": "GitHub jobs have no stages",
}

func excluded(id string) bool {
	if _, ok := hostOnly[id]; ok {
		return true
	}
	for p := range hostOnlyPrefix {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// mView is a measurement without its evidence references.
type mView struct {
	Known bool
	Value float64
	N     int
	Unit  string
	Note  string
}

func views(ms model.Measurements) map[string]mView {
	out := map[string]mView{}
	for id, m := range ms {
		if excluded(id) {
			continue
		}
		out[id] = mView{Known: m.Known, Value: m.Value, N: m.N, Unit: m.Unit, Note: m.Note}
	}
	return out
}

// lView is a practice's or a dimension's level without its evidence
// references and reasons: those name each host's own files, settings and
// variables (".github/workflows/ci.yml" / ".gitlab-ci.yml", "requires 1
// status check" / "pipelines must succeed"). HeldBack, which names the
// measurement and value that stop the next level, is compared.
type lView struct {
	Level, Measured, LowerBound, UpperBound *int
	Basis                                   model.Basis
	HeldBack                                string
}

func levelViews(ps []model.PracticeResult) map[string]lView {
	out := map[string]lView{}
	for _, p := range ps {
		out[p.ID] = lView{Level: p.Level, UpperBound: p.UpperBound}
		for _, d := range p.Dimensions {
			out[p.ID+"."+d.ID] = lView{Level: d.Level, Measured: d.MeasuredLevel, LowerBound: d.LowerBound, Basis: d.Basis, HeldBack: d.HeldBack}
		}
	}
	return out
}

func kinds(ev *model.Evidence) []string {
	var out []string
	for k, ok := range ev.Have {
		// Only GitLab has test reports (see hostOnly).
		if ok && k != model.KindTestReports {
			out = append(out, string(k))
		}
	}
	sort.Strings(out)
	return out
}

func TestParity(t *testing.T) {
	h := newHistory()
	ghc, glc := gitHubCollector(t, h), gitLabCollector(t, h)
	// The repeat audit reads most of it from each collector's incremental
	// state: parity must hold there too.
	for _, pass := range []string{"first audit", "repeat audit"} {
		gh, gl := audit(ghc(t)), audit(glc(t))
		t.Run(pass, func(t *testing.T) {
			compare(t, gh, gl)
			absolutes(t, "github", gh)
			absolutes(t, "gitlab", gl)
			hostSpecific(t, gh, gl)
		})
	}
}

// want are absolute figures of the history, so that parity cannot hold by
// both hosts coming out empty or unknown.
var want = map[string]mView{
	"ci.runs":                        {Known: true, Value: 19, N: 19, Unit: "runs"},
	"ci.success_ratio":               {Known: true, Value: 13.0 / 18, N: 18, Unit: "ratio"},
	"ci.trigger.tag.runs":            {Known: true, Value: 1, N: 1, Unit: "runs"},
	"ci.trunk_commit_coverage_ratio": {Known: true, Value: 6.0 / 7, N: 7, Unit: "ratio"},
	"ci.pr_head_coverage_ratio":      {Known: true, Value: 4.0 / 5, N: 5, Unit: "ratio"},
	"ci.jobs.security_ratio":         {Known: true, Value: 1, N: 13, Unit: "ratio"},
	"change.count":                   {Known: true, Value: 3, N: 3, Unit: "changes"},
	"change.review_ratio":            {Known: true, Value: 2.0 / 3, N: 3, Unit: "ratio"},
	"change.issue_link_ratio":        {Known: true, Value: 2.0 / 3, N: 3, Unit: "ratio"},
	"test.flaky_ratio":               {Known: true, Value: 2.0 / 86, N: 86, Unit: "ratio"}, // flaky units over every unit observed
	"deploy.count":                   {Known: true, Value: 14, N: 14, Unit: "deployments"},
	"deploy.environments":            {Known: true, Value: 3, N: 14, Unit: "environments"},
	"deploy.production.count":        {Known: true, Value: 5, N: 5, Unit: "deployments"},
	"dora.change_failure_ratio":      {Known: true, Value: 1.0 / 6, N: 6, Unit: "ratio"},
	"dora.recovery_hours.p50":        {Known: true, Value: 3 + 57.0/60 + 40.0/3600, N: 1, Unit: "hours"},
	"protection.required_approvals":  {Known: true, Value: 1, N: 1, Unit: "approvals"},
	"protection.require_checks":      {Known: true, Value: 1, N: 1, Unit: "bool"},
	"git.commits":                    {Known: true, Value: 9, N: 9, Unit: "commits"},
	"git.tags":                       {Known: true, Value: 2, N: 2, Unit: "tags"},
}

func absolutes(t *testing.T, host string, a audited) {
	got := map[string]mView{}
	for id := range want {
		m := a.ms[id]
		got[id] = mView{Known: m.Known, Value: m.Value, N: m.N, Unit: m.Unit}
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("%s: measurements (-want +got):\n%s", host, diff)
	}
}

// hostSpecific checks that what the comparison leaves out does differ
// between the hosts, for the reason given.
func hostSpecific(t *testing.T, gh, gl audited) {
	for id, why := range hostOnly {
		if g, l := gh.ms[id], gl.ms[id]; g.Known == l.Known && g.Value == l.Value || !g.Known && !l.Known {
			t.Errorf("%s is excluded (%s) but does not differ: github %+v, gitlab %+v", id, why, gh.ms[id], gl.ms[id])
		}
	}
	for prefix, why := range hostOnlyPrefix {
		n := 0
		for id, m := range gl.ms {
			if strings.HasPrefix(id, prefix) && m.Known {
				n++
			}
			if _, ok := gh.ms[id]; ok && strings.HasPrefix(id, prefix) {
				t.Errorf("github has %s, excluded as %s", id, why)
			}
		}
		if n == 0 {
			t.Errorf("gitlab has no %s* measurement (%s)", prefix, why)
		}
	}
	// The re-run's duration (see run 1018 in the history).
	dur := func(ev *model.Evidence) float64 {
		for _, r := range ev.Runs {
			if r.ID == "1018" && r.Duration != nil {
				return *r.Duration
			}
		}
		return -1
	}
	if g, l := dur(gh.ev), dur(gl.ev); g != 420 || l != 660 {
		t.Errorf("re-run durations: github %v s, gitlab %v s; want 420 and 660", g, l)
	}
}

// compare asserts that the two hosts' audits agree.
func compare(t *testing.T, gh, gl audited) {
	for name, a := range map[string]audited{"github": gh, "gitlab": gl} {
		if a.res.Partial || len(a.res.Warnings) > 0 {
			t.Errorf("%s: partial=%v warnings=%q", name, a.res.Partial, a.res.Warnings)
		}
	}
	if diff := cmp.Diff(kinds(gh.ev), kinds(gl.ev)); diff != "" {
		t.Errorf("evidence kinds collected (-github +gitlab):\n%s", diff)
	}
	if diff := cmp.Diff(views(gh.ms), views(gl.ms)); diff != "" {
		t.Errorf("measurements (-github +gitlab):\n%s", diff)
	}
	if diff := cmp.Diff(levelViews(gh.levels), levelViews(gl.levels)); diff != "" {
		t.Errorf("levels (-github +gitlab):\n%s", diff)
	}
}
