package parity

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/jenkins"
	jf "github.com/cdaudit/cdaudit/collectors/jenkins/jenkinsfake"
)

// jenkinsCollector serves the history's runs as a Jenkins multibranch
// project with deploy stages named as the history's deploy jobs.
func jenkinsCollector(t *testing.T, h *history) collector {
	t.Helper()
	srv := jf.New(toJenkins(h), jf.Options{User: "auditor", Token: token, Prefix: "/jenkins"})
	t.Cleanup(srv.Close)
	c, err := jenkins.New(jenkins.Options{BaseURL: srv.URL, Job: h.name, User: "auditor", Token: token,
		CacheDir: t.TempDir(), Now: now, Sleep: func(time.Duration) {},
		Deploy: []jenkins.DeployRule{{Match: "^deploy-review$", Environment: "review/feature-export"}, {Match: "^deploy-(.+)$"}}})
	if err != nil {
		t.Fatalf("jenkins.New: %v", err)
	}
	return collectWith(c)
}

// jenkinsFamilies are the host-neutral figures a Jenkins job serves: runs,
// their durations, results and triggers, stages as jobs, test reports and
// deployments. Everything else (commits, changes, protection…) Jenkins
// does not know: those stay unknown on its side.
var jenkinsFamilies = []string{"ci.", "test.", "deploy."}

// jenkinsOnly are figures of those families that a Jenkins job alone
// cannot give.
var jenkinsOnly = map[string]string{
	// These need trunk commits or change records, which a Jenkins job does
	// not hold (a local clone audited beside it gives the commits).
	"ci.trunk_commit_coverage_ratio":    "needs trunk commits",
	"deploy.production_per_integration": "needs trunk commits",
	"ci.pr_head_coverage_ratio":         "needs change records (Jenkins change-request jobs are not marked as complete changes)",
}

// jenkinsOnlyPrefix: GitLab stages are build/test/deploy, Jenkins stages
// are the history's job names.
var jenkinsOnlyPrefix = []string{"ci.stage_duration_seconds."}

// TestJenkinsParity: the history without re-runs (Jenkins re-runs a build
// as a new build) served by GitLab and by Jenkins gives the same run, test
// and deployment figures. GitLab is the reference: like Jenkins it reports
// queue times and test reports.
func TestJenkinsParity(t *testing.T) {
	h := newHistory()
	for i := range h.runs {
		h.runs[i].rerun, h.runs[i].rerunDur = 0, 0
	}
	glc, jkc := gitLabCollector(t, h), jenkinsCollector(t, h)
	for _, pass := range []string{"first audit", "repeat audit"} {
		gl, jk := audit(glc(t)), audit(jkc(t))
		t.Run(pass, func(t *testing.T) {
			if jk.res.Partial || len(jk.res.Warnings) > 0 {
				t.Errorf("jenkins: partial=%v warnings=%q", jk.res.Partial, jk.res.Warnings)
			}
			want, got := map[string]mView{}, map[string]mView{}
			for id, m := range gl.ms {
				if !inFamilies(id) {
					continue
				}
				want[id] = mView{Known: m.Known, Value: m.Value, N: m.N, Unit: m.Unit, Note: m.Note}
				j := jk.ms[id]
				got[id] = mView{Known: j.Known, Value: j.Value, N: j.N, Unit: j.Unit, Note: j.Note}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("measurements (-gitlab +jenkins):\n%s", d)
			}
			for id, why := range jenkinsOnly {
				if m := jk.ms[id]; m.Known {
					t.Errorf("%s is excluded (%s) but Jenkins knows it: %+v", id, why, m)
				}
			}
			for _, id := range []string{"ci.runs", "ci.success_ratio", "test.pass_ratio", "deploy.count", "deploy.production.count", "ci.queued_seconds.p50", "ci.trunk_duration_seconds.p50"} {
				if m := jk.ms[id]; !m.Known || m.Value == 0 {
					t.Errorf("jenkins %s = %+v, want known and non-zero", id, m)
				}
			}
		})
	}
}

func inFamilies(id string) bool {
	if _, ok := jenkinsOnly[id]; ok {
		return false
	}
	for _, p := range jenkinsOnlyPrefix {
		if strings.HasPrefix(id, p) {
			return false
		}
	}
	for _, f := range jenkinsFamilies {
		if strings.HasPrefix(id, f) {
			return true
		}
	}
	return false
}
