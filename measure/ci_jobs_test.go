package measure

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestComputeCIJobKinds(t *testing.T) {
	jobsFixture := func() []model.Run {
		a := ciRun("a", "CI", model.TriggerPush, "main", "s1", "success", 0, 10)
		a.JobsKnown = true
		a.Jobs = []model.Job{{Name: "build", Steps: []string{"Run go test ./..."}, Conclusion: "success"},
			{Name: "lint", Conclusion: "success"}}
		b := ciRun("b", "CI", model.TriggerPullRequest, "f", "s2", "failure", 1, 10)
		b.JobsKnown = true
		b.Jobs = []model.Job{{Name: "Analyze", Steps: []string{"Initialize CodeQL"}, Conclusion: "failure"},
			{Name: "unit tests", Conclusion: "skipped"},
			{Name: "lint", Manual: true}}
		c := ciRun("c", "Nightly", model.TriggerSchedule, "main", "s1", "success", 2, 10)
		c.JobsKnown = true
		c.Jobs = []model.Job{{Name: "test", Conclusion: "success"}}
		d := ciRun("d", "CI", model.TriggerPush, "main", "s3", "success", 3, 10) // jobs unknown
		return []model.Run{a, b, c, d}
	}
	tests := []struct {
		name  string
		kinds []model.Kind
		runs  []model.Run
		want  map[string]ciGot
		notes map[string]string
	}{
		{"jobs", []model.Kind{model.KindRuns, model.KindJobs}, jobsFixture(), map[string]ciGot{
			"ci.jobs.test_ratio": ciK(0.5, 2), "ci.jobs.lint_ratio": ciK(0.5, 2), "ci.jobs.security_ratio": ciK(0.5, 2),
		}, nil},
		{"jobs not collected", []model.Kind{model.KindRuns}, jobsFixture(), map[string]ciGot{
			"ci.jobs.test_ratio": ciU, "ci.jobs.security_ratio": ciU,
		}, map[string]string{"ci.jobs.test_ratio": whyNoJobs}},
		{"runs not collected", []model.Kind{model.KindJobs}, jobsFixture(), map[string]ciGot{
			"ci.jobs.lint_ratio": ciU,
		}, map[string]string{"ci.jobs.lint_ratio": whyNoRuns}},
		{"no runs", []model.Kind{model.KindRuns, model.KindJobs}, nil, map[string]ciGot{
			"ci.jobs.lint_ratio": ciU,
		}, map[string]string{"ci.jobs.lint_ratio": whyNoRunsInWin}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Runs = tc.runs
			ms := model.Measurements{}
			computeCI(ev, Options{}, ms)
			ciCheck(t, ms, tc.want, tc.notes)
		})
	}
}

func TestComputeCIStages(t *testing.T) {
	r1 := ciRun("p1", "", model.TriggerPush, "main", "s1", "success", 0, 300)
	r1.JobsKnown = true
	r1.Jobs = []model.Job{
		{Name: "compile", Stage: "build", StartedAt: ciTP(ciAt(0)), FinishedAt: ciTP(ciAt(0).Add(60e9)), Conclusion: "success"},
		{Name: "t1", Stage: "test", StartedAt: ciTP(ciAt(0).Add(60e9)), FinishedAt: ciTP(ciAt(0).Add(160e9)), Conclusion: "success"},
		{Name: "t2", Stage: "test", StartedAt: ciTP(ciAt(0).Add(60e9)), FinishedAt: ciTP(ciAt(0).Add(200e9)), Conclusion: "success"},
		{Name: "deploy", Stage: "deploy", Manual: true},
	}
	r2 := ciRun("p2", "", model.TriggerPush, "main", "s2", "success", 1, 300)
	r2.JobsKnown = true
	r2.Jobs = []model.Job{
		{Name: "compile", Stage: "build", Duration: ciFP(80), Conclusion: "success"},
		{Name: "t1", Stage: "Test", Duration: ciFP(100), Conclusion: "success"},
	}
	ev := ciEv(model.KindRuns, model.KindJobs)
	ev.Runs = []model.Run{r1, r2}
	ms := model.Measurements{}
	computeCI(ev, Options{}, ms)
	ciCheck(t, ms, map[string]ciGot{
		"ci.stage_duration_seconds.build.p50": ciK(60, 2),
		"ci.stage_duration_seconds.test.p50":  ciK(100, 2),
	}, nil)
	if _, ok := ms["ci.stage_duration_seconds.deploy.p50"]; ok {
		t.Error("an unplayed manual stage got a duration")
	}

	// Many stages: capped.
	r3 := ciRun("p3", "", model.TriggerPush, "main", "s3", "success", 2, 300)
	r3.JobsKnown = true
	for i := range 25 {
		r3.Jobs = append(r3.Jobs, model.Job{Name: "j", Stage: "s" + string(rune('a'+i)), Duration: ciFP(1), Conclusion: "success"})
	}
	ev.Runs = []model.Run{r3}
	ms = model.Measurements{}
	computeCI(ev, Options{}, ms)
	n := 0
	for id := range ms {
		if len(id) > 25 && id[:25] == "ci.stage_duration_seconds" {
			n++
		}
	}
	if n != ciMaxStages {
		t.Errorf("%d stage measurements, want %d", n, ciMaxStages)
	}
}

func TestComputeCITestReports(t *testing.T) {
	runs := []model.Run{
		ciRun("r1", "CI", model.TriggerPush, "main", "s1", "failure", 0, 10),
		ciRun("r2", "CI", model.TriggerPush, "main", "s2", "success", 1, 10),
		ciRun("old", "CI", model.TriggerPush, "main", "s0", "success", -2, 10),
	}
	reports := []model.TestReport{
		{RunID: "r1", Total: 100, Passed: 95, Failed: 5},
		{RunID: "r2", Total: 50, Passed: 50},
		{RunID: "old", Total: 40, Passed: 0, Failed: 40},
		{RunID: "elsewhere", Total: 10, Passed: 10},
	}
	tests := []struct {
		name    string
		kinds   []model.Kind
		reports []model.TestReport
		want    map[string]ciGot
		notes   map[string]string
	}{
		{"reports", []model.Kind{model.KindRuns, model.KindTestReports}, reports, map[string]ciGot{
			"test.pass_ratio": ciK(155.0/160, 160), "test.cases": ciK(50, 3),
		}, map[string]string{"test.pass_ratio": "over 3 test report(s)"}},
		{"no reports in the window", []model.Kind{model.KindRuns, model.KindTestReports}, reports[2:3], map[string]ciGot{
			"test.pass_ratio": ciU, "test.cases": ciU,
		}, map[string]string{"test.pass_ratio": "no test report in the window"}},
		{"empty reports", []model.Kind{model.KindTestReports}, []model.TestReport{{RunID: "r1"}}, map[string]ciGot{
			"test.pass_ratio": ciU, "test.cases": ciK(0, 1),
		}, map[string]string{"test.pass_ratio": "no test cases"}},
		{"not collected", []model.Kind{model.KindRuns}, reports, map[string]ciGot{
			"test.pass_ratio": ciU, "test.cases": ciU,
		}, map[string]string{"test.pass_ratio": whyNoTestReports, "test.cases": whyNoTestReports}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Runs, ev.TestReports = runs, tc.reports
			ms := model.Measurements{}
			computeCI(ev, Options{}, ms)
			ciCheck(t, ms, tc.want, tc.notes)
		})
	}
}

func TestComputeCIFlaky(t *testing.T) {
	job := func(name, concl string, startH float64, retried bool) model.Job {
		return model.Job{ID: name + concl + ciAt(startH).Format("15:04"), Name: name, Conclusion: concl,
			StartedAt: ciTP(ciAt(startH)), Retried: retried}
	}
	withJobs := func(r model.Run, attempt int, jobs ...model.Job) model.Run {
		r.Attempt, r.JobsKnown, r.Jobs = attempt, true, jobs
		return r
	}
	push, pr := model.TriggerPush, model.TriggerPullRequest
	runs := []model.Run{
		// GitLab: a retried job in the same pipeline, then green.
		withJobs(ciRun("p1", "", push, "main", "s1", "success", 0, 10), 0,
			job("unit", "success", 1, false), job("unit", "failure", 0, true), job("lint", "success", 0, false)),
		// GitHub: a run re-attempted, each attempt its own record.
		withJobs(ciRun("r2", "CI", push, "main", "s2", "failure", 2, 10), 1, job("test", "failure", 2, false)),
		withJobs(ciRun("r2", "CI", push, "main", "s2", "success", 2, 10), 2, job("test", "success", 3, false)),
		// Failed twice: attempted twice, not flaky.
		withJobs(ciRun("r3", "CI", push, "main", "s3", "failure", 4, 10), 1, job("test", "failure", 4, false)),
		withJobs(ciRun("r3", "CI", push, "main", "s3", "failure", 4, 10), 2, job("test", "failure", 5, false)),
		// Push red, pull request green on the same commit: different triggers, not a retry.
		withJobs(ciRun("r4", "CI", push, "f", "s4", "failure", 6, 10), 1, job("test", "failure", 6, false)),
		withJobs(ciRun("r5", "CI", pr, "f", "s4", "success", 6, 10), 1, job("test", "success", 6.5, false)),
	}
	runLevel := []model.Run{
		ciRun("r2", "CI", push, "main", "s2", "failure", 2, 10),
		ciRun("r2", "CI", push, "main", "s2", "success", 3, 10),
	}
	runLevel[0].Attempt, runLevel[1].Attempt = 1, 2
	tests := []struct {
		name  string
		kinds []model.Kind
		runs  []model.Run
		want  ciGot
		refs  []string
		note  string
	}{
		// Flaky units over every unit observed (6), not over the retried ones.
		{"jobs", []model.Kind{model.KindRuns, model.KindJobs}, runs, ciK(2.0/6, 6),
			[]string{"run:p1", "run:r2"}, ""},
		{"whole runs without job records", []model.Kind{model.KindRuns}, runLevel, ciK(1, 1),
			[]string{"run:r2"}, "whole runs compared"},
		// Runs and no retry: 0, measured.
		{"no retries", []model.Kind{model.KindRuns, model.KindJobs}, runs[5:], ciK(0, 2), nil, ""},
		{"no runs in the window", []model.Kind{model.KindRuns, model.KindJobs}, nil, ciU, nil,
			"no finished job or run"},
		{"runs not collected", []model.Kind{model.KindJobs}, runs, ciU, nil, whyNoRuns},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Runs = tc.runs
			ms := model.Measurements{}
			computeCI(ev, Options{}, ms)
			ciCheck(t, ms, map[string]ciGot{"test.flaky_ratio": tc.want}, map[string]string{"test.flaky_ratio": tc.note})
			if d := cmp.Diff(tc.refs, ciRefs(ms, "test.flaky_ratio")); d != "" {
				t.Errorf("refs (-want +got):\n%s", d)
			}
		})
	}
}

func TestComputeCICoverage(t *testing.T) {
	cov := func(r model.Run, c float64) model.Run { r.Coverage = &c; return r }
	jobCov := ciRun("r6", "CI", model.TriggerPush, "main", "s6", "success", 9, 10)
	jobCov.Jobs = []model.Job{{Name: "a", Coverage: ciFP(60)}, {Name: "b", Coverage: ciFP(80)}, {Name: "c"}}
	tests := []struct {
		name string
		runs []model.Run
		want ciGot
		ref  []string
		note string
	}{
		{"latest trunk run", []model.Run{
			cov(ciRun("r1", "CI", model.TriggerPush, "main", "s1", "success", 0, 10), 70),
			cov(ciRun("r4", "CI", model.TriggerSchedule, "main", "s4", "success", 3, 10), 75),
			cov(ciRun("r5", "CI", model.TriggerPullRequest, "f", "s5", "success", 4, 10), 90),
			ciRun("r7", "CI", model.TriggerPush, "main", "s7", "success", 5, 10),
		}, ciK(75, 2), []string{"run:r4"}, "trend needs earlier audits"},
		{"mean of job coverage", []model.Run{jobCov}, ciK(70, 1), []string{"run:r6"}, ""},
		{"none reported", []model.Run{ciRun("r7", "CI", model.TriggerPush, "main", "s7", "success", 5, 10)},
			ciU, nil, "no trunk run in the window reported coverage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(model.KindRuns)
			ev.Runs = tc.runs
			ms := model.Measurements{}
			computeCI(ev, Options{}, ms)
			ciCheck(t, ms, map[string]ciGot{"coverage.percent": tc.want}, map[string]string{"coverage.percent": tc.note})
			if d := cmp.Diff(tc.ref, ciRefs(ms, "coverage.percent")); d != "" {
				t.Errorf("refs (-want +got):\n%s", d)
			}
		})
	}
}
