package rules

import (
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// TestBuildScheduleCountsProductBuilds: only scheduled jobs that build or
// test the product make a periodic build (build.schedule L3); when what
// starts CI lives outside the tree, absence is unknown, not a low level;
// a declared manual trigger does not show on-demand builds (L4).
func TestBuildScheduleCountsProductBuilds(t *testing.T) {
	job := func(file, name string, kinds []model.JobKind, scanner bool, trig ...string) model.CIJob {
		return model.CIJob{File: file, Name: name, Kinds: kinds, Scanner: scanner, Triggers: trig}
	}
	test := []model.JobKind{model.JobTest}
	build := []model.JobKind{model.JobBuild}
	ci := job(".github/workflows/ci.yml", "test", test, false, "push", "pull_request", "manual")
	for _, tc := range []struct {
		name    string
		systems []string
		jobs    []model.CIJob
		runs    []model.Run
		want    string
	}{
		{"housekeeping and scanner schedules are not periodic builds", []string{"github-actions"}, []model.CIJob{ci,
			job(".github/workflows/stale.yml", "lock", nil, false, "schedule"),
			job(".github/workflows/codeql.yml", "c", []model.JobKind{model.JobBuild, model.JobSecurity}, true, "push", "schedule")},
			nil, "L2 measured"},
		{"a nightly fuzz run tests the product; on-demand builds need run records", []string{"github-actions"}, []model.CIJob{ci,
			job(".github/workflows/fuzz.yml", "fuzz", test, false, "schedule", "manual")},
			nil, "unknown ≥3"},
		{"on-demand runs recorded", []string{"github-actions"}, []model.CIJob{ci,
			job(".github/workflows/fuzz.yml", "fuzz", test, false, "schedule")},
			[]model.Run{{ID: "1", Trigger: model.TriggerManual}, {ID: "2", Trigger: model.TriggerPush}}, "L4 measured"},
		{"a Jenkinsfile without triggers, housekeeping workflows", []string{"github-actions", "jenkins"}, []model.CIJob{
			job(".github/workflows/labeler.yml", "triage", nil, false, "pull_request", "push"),
			job("Jenkinsfile", "pipeline", nil, false)},
			nil, "unknown ≥1"},
		{"a Jenkinsfile without triggers, and Jenkins runs whose stages build and test on push and by timer", []string{"jenkins"}, []model.CIJob{
			job("Jenkinsfile", "pipeline", nil, false)},
			[]model.Run{{ID: "1", Trigger: model.TriggerPush, JobsKnown: true, Jobs: []model.Job{{Name: "Build"}, {Name: "Test"}}},
				{ID: "2", Trigger: model.TriggerSchedule, JobsKnown: true, Jobs: []model.Job{{Name: "Build"}}},
				{ID: "3", Trigger: model.TriggerSchedule, JobsKnown: true, Jobs: []model.Job{{Name: "Deploy to production"}}}},
			"L3 measured"},
		{"stages named like builds count only where the tree leaves the triggers to the server", []string{"github-actions"}, []model.CIJob{
			job(".github/workflows/labeler.yml", "triage", nil, false, "push", "schedule")},
			[]model.Run{{ID: "1", Trigger: model.TriggerSchedule, JobsKnown: true, Jobs: []model.Job{{Name: "build"}}}},
			"L1 measured"},
		{"GitLab keeps pipeline schedules in its settings", []string{"gitlab-ci"}, []model.CIJob{
			job(".gitlab-ci.yml", "build", build, false, "push", "pull_request")},
			nil, "unknown ≥2"},
		{"tests on pull requests only, a nightly product build (miniflux): every commit is built before it lands", []string{"github-actions"}, []model.CIJob{
			job(".github/workflows/tests.yml", "unit", test, false, "pull_request", "manual"),
			job(".github/workflows/docker.yml", "image", build, false, "schedule", "tag"),
			job(".github/workflows/codeql.yml", "c", []model.JobKind{model.JobBuild, model.JobSecurity}, true, "push")},
			nil, "unknown ≥3"},
		{"no product build at all", []string{"github-actions"}, []model.CIJob{
			job(".github/workflows/labeler.yml", "triage", nil, false, "push")},
			nil, "L1 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tags = []model.Tag{{Name: "v1.0.0", Committed: window.Since.Add(time.Hour)}}
			ev.Tree = &model.Tree{Facts: model.TreeFacts{CI: model.CIFacts{Systems: tc.systems, Jobs: tc.jobs, Triggers: []string{"push", "schedule", "manual", "pull_request"}}}}
			if tc.runs != nil {
				ev.Mark(model.KindRuns)
				ev.Runs = tc.runs
			}
			dims, _, _ := judgeAll(t, ev, set("git.tags", 1, "git.tags_semver_ratio", 1.0, "git.commits", 10, "git.integrations", 10))
			if g := got(dims["build.schedule"]); g != tc.want {
				t.Errorf("build.schedule = %s, want %s; reasons:\n%v", g, tc.want, dims["build.schedule"].Reasons)
			}
		})
	}
}
