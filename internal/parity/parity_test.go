package parity

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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

// collectGitHub serves the history as GitHub and collects it.
func collectGitHub(t *testing.T, h *history) (*model.Evidence, collectors.Result) {
	t.Helper()
	srv := githubfake.New(toGitHub(h), githubfake.Options{Token: token, Now: now})
	t.Cleanup(srv.Close)
	c, err := github.New(github.Options{Repo: h.owner + "/" + h.name, Token: token, APIURL: srv.URL,
		CacheDir: t.TempDir(), Now: now})
	if err != nil {
		t.Fatalf("github.New: %v", err)
	}
	ev := &model.Evidence{Window: window}
	res, err := c.Collect(context.Background(), ev)
	if err != nil {
		t.Fatalf("github Collect: %v", err)
	}
	return ev, res
}

// collectGitLab serves the history as GitLab and collects it.
func collectGitLab(t *testing.T, h *history) (*model.Evidence, collectors.Result) {
	t.Helper()
	srv := gitlabfake.New(toGitLab(h), gitlabfake.Options{Token: token})
	t.Cleanup(srv.Close)
	c, err := gitlab.New(gitlab.Options{Project: h.owner + "/" + h.name, Token: token, BaseURL: srv.BaseURL(),
		CacheDir: t.TempDir(), Now: now, Sleep: func(time.Duration) {}})
	if err != nil {
		t.Fatalf("gitlab.New: %v", err)
	}
	ev := &model.Evidence{Window: window}
	res, err := c.Collect(context.Background(), ev)
	if err != nil {
		t.Fatalf("gitlab Collect: %v", err)
	}
	return ev, res
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

// Host-specific by nature, and so left out of the comparison:
//
//   - evidence references of measurements and levels: they carry each
//     host's URLs (and GitLab names a run by its pipeline, GitHub by its
//     workflow run);
//   - the hosts' own words (Run.Event, statuses) and request counts: they
//     are not compared at all, only what measure and rules make of them;
//   - the measurements below, which one host records and the other cannot.
var hostOnly = map[string]string{
	// GitLab reports queued_duration; GitHub gives a run no queue time.
	"ci.queued_seconds.p50": "GitHub reports no queue times",
	// GitLab serves pipeline test reports (JUnit); GitHub has no such API.
	"test.pass_ratio": "GitHub has no test report API",
	"test.cases":      "GitHub has no test report API",
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

// lView is a dimension's level without reasons' evidence references.
type lView struct {
	Level, Measured, LowerBound *int
	Basis                       model.Basis
	HeldBack                    string
}

func levelViews(ps []model.PracticeResult) map[string]lView {
	out := map[string]lView{}
	for _, p := range ps {
		out[p.ID] = lView{Level: p.Level, LowerBound: p.UpperBound}
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
	gh := audit(collectGitHub(t, h))
	gl := audit(collectGitLab(t, h))

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
