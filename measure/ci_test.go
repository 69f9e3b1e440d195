package measure

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// ciRunsFixture: trunk pushes with a red streak, PR runs, a still-red
// nightly, a run before the window and one still running.
func ciRunsFixture() []model.Run {
	push, pr, sched := model.TriggerPush, model.TriggerPullRequest, model.TriggerSchedule
	runs := []model.Run{
		ciRun("r1", "CI", push, "main", "c1", "success", 0, 100),
		ciRun("r2", "CI", push, "main", "c2", "failure", 1, 200),
		ciRun("r3", "CI", push, "refs/heads/main", "c3", "timed_out", 2, 300),
		ciRun("r4", "CI", push, "main", "c4", "success", 3, 400),
		ciRun("r5", "CI", pr, "feature", "h1", "success", 4, 50),
		ciRun("r6", "CI", pr, "feature", "h2", "cancelled", 5, 10),
		ciRun("r7", "Nightly", sched, "main", "c4", "failure", 6, 1000),
		ciRun("r8", "CI", push, "main", "c0", "success", -1, 100), // before the window
		{ID: "r9", Name: "CI", Trigger: push, Branch: "main", SHA: "c5", Status: "in_progress", CreatedAt: ciAt(7)},
	}
	runs[0].Queued = ciFP(5)
	runs[1].Queued = ciFP(15)
	return runs
}

func ciCommits(shas ...string) []model.Commit {
	var cs []model.Commit
	for i, s := range shas {
		cs = append(cs, model.Commit{Hash: s, FirstParent: true, Committer: model.Signature{When: ciAt(float64(i))},
			URL: "https://git.example/" + s})
	}
	return cs
}

func TestComputeCIRuns(t *testing.T) {
	runIDs := []string{"ci.runs", "ci.success_ratio", "ci.duration_seconds.p50", "ci.duration_seconds.p90",
		"ci.trunk_duration_seconds.p50", "ci.pr_duration_seconds.p90", "ci.red_to_green_seconds.p50",
		"ci.triggers", "ci.trigger.push.runs", "ci.queued_seconds.p50", "ci.trunk_commit_coverage_ratio",
		"ci.pr_head_coverage_ratio", "coverage.percent", "test.flaky_ratio"}
	tests := []struct {
		name    string
		ev      func() *model.Evidence
		want    map[string]ciGot
		notes   map[string]string
		unknown string // every id in runIDs unknown for this reason
	}{
		{
			name: "full",
			ev: func() *model.Evidence {
				ev := ciEv(model.KindRuns, model.KindCommits, model.KindChanges)
				ev.Runs = ciRunsFixture()
				ev.Commits = append(ciCommits("c1", "c2", "c3", "c4", "c6"),
					model.Commit{Hash: "b1", Committer: model.Signature{When: ciAt(1)}})
				ev.Changes = []model.Change{
					{ID: "1", HeadSHA: "h1", CreatedAt: ciAt(1)},
					{ID: "2", HeadSHA: "h3", CreatedAt: ciAt(2)},
					{ID: "3", CreatedAt: ciAt(2)},
					{ID: "4", HeadSHA: "hx", CreatedAt: ciAt(-5)},
				}
				return ev
			},
			want: map[string]ciGot{
				"ci.runs":                        ciK(8, 8),
				"ci.success_ratio":               ciK(0.5, 6),
				"ci.duration_seconds.p50":        ciK(200, 6),
				"ci.duration_seconds.p90":        ciK(1000, 6),
				"ci.trunk_duration_seconds.p50":  ciK(200, 4),
				"ci.trunk_duration_seconds.p90":  ciK(400, 4),
				"ci.pr_duration_seconds.p50":     ciK(50, 1),
				"ci.pr_duration_seconds.p90":     ciK(50, 1),
				"ci.red_to_green_seconds.p50":    ciK(2*3600+400-200, 1),
				"ci.red_to_green_seconds.p90":    ciK(2*3600+400-200, 1),
				"ci.triggers":                    ciK(3, 3),
				"ci.trigger.push.runs":           ciK(5, 5),
				"ci.trigger.pull_request.runs":   ciK(2, 2),
				"ci.trigger.schedule.runs":       ciK(1, 1),
				"ci.trigger.manual.runs":         ciK(0, 0),
				"ci.queued_seconds.p50":          ciK(5, 2),
				"ci.trunk_commit_coverage_ratio": ciK(0.8, 5),
				"ci.pr_head_coverage_ratio":      ciK(0.5, 2),
			},
			notes: map[string]string{
				"ci.triggers":                 "pull_request, push, schedule",
				"ci.red_to_green_seconds.p50": "1 workflow(s) still red",
			},
		},
		{
			name: "runs collected, none in the window",
			ev: func() *model.Evidence {
				ev := ciEv(model.KindRuns, model.KindCommits, model.KindChanges)
				ev.Runs = []model.Run{ciRun("r8", "CI", model.TriggerPush, "main", "c0", "success", -1, 100)}
				return ev
			},
			want: map[string]ciGot{
				"ci.runs": ciK(0, 0), "ci.success_ratio": ciU, "ci.duration_seconds.p50": ciU,
				"ci.triggers": ciK(0, 0), "ci.trigger.push.runs": ciK(0, 0), "ci.queued_seconds.p50": ciU,
				"ci.trunk_commit_coverage_ratio": ciU, "ci.pr_head_coverage_ratio": ciU,
				"ci.red_to_green_seconds.p50": ciU, "coverage.percent": ciU, "test.flaky_ratio": ciU,
			},
			notes: map[string]string{
				"ci.success_ratio":               whyNoRunsInWin,
				"ci.duration_seconds.p90":        whyNoRunsInWin,
				"ci.queued_seconds.p50":          whyNoRunsInWin,
				"ci.triggers":                    "none",
				"ci.trunk_commit_coverage_ratio": "no first-parent trunk commits",
				"ci.red_to_green_seconds.p50":    "no failed trunk run",
			},
		},
		{
			name: "green trunk, no queue times",
			ev: func() *model.Evidence {
				ev := ciEv(model.KindRuns)
				ev.Runs = []model.Run{ciRun("r1", "CI", model.TriggerPush, "main", "c1", "success", 0, 100)}
				return ev
			},
			want: map[string]ciGot{"ci.red_to_green_seconds.p50": ciU, "ci.queued_seconds.p50": ciU,
				"ci.pr_duration_seconds.p50": ciU, "ci.success_ratio": ciK(1, 1)},
			notes: map[string]string{
				"ci.red_to_green_seconds.p50":    "no failed trunk run in the window",
				"ci.queued_seconds.p50":          "no queue times",
				"ci.pr_duration_seconds.p50":     whyNoRunsInWin,
				"ci.trunk_commit_coverage_ratio": whyNoCommits,
				"ci.pr_head_coverage_ratio":      whyNoChanges,
			},
		},
		{
			name: "default branch unknown",
			ev: func() *model.Evidence {
				ev := ciEv(model.KindRuns)
				ev.DefaultBranch = ""
				ev.Runs = ciRunsFixture()
				return ev
			},
			want: map[string]ciGot{"ci.runs": ciK(8, 8), "ci.trunk_duration_seconds.p50": ciU,
				"ci.red_to_green_seconds.p90": ciU, "coverage.percent": ciU},
			notes: map[string]string{"ci.trunk_duration_seconds.p50": whyNoTrunk,
				"ci.red_to_green_seconds.p90": whyNoTrunk, "coverage.percent": whyNoTrunk},
		},
		{
			name: "runs not collected",
			ev: func() *model.Evidence {
				ev := ciEv(model.KindCommits, model.KindChanges)
				ev.Runs = ciRunsFixture()
				return ev
			},
			unknown: whyNoRuns,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := model.Measurements{}
			computeCI(tc.ev(), Options{}, ms)
			if tc.unknown != "" {
				ciAllIDsUnknown(t, ms, tc.unknown, runIDs...)
				ciAllIDsUnknown(t, ms, tc.unknown, "ci.runs", "ci.trigger.pull_request.runs", "ci.red_to_green_seconds.p90")
				return
			}
			ciCheck(t, ms, tc.want, tc.notes)
		})
	}
}

func TestComputeCIRefs(t *testing.T) {
	ev := ciEv(model.KindRuns, model.KindCommits)
	ev.Runs = ciRunsFixture()
	ev.Commits = ciCommits("c1", "c6", "c7")
	ms := model.Measurements{}
	computeCI(ev, Options{}, ms)
	for id, want := range map[string][]string{
		"ci.success_ratio":               {"run:r7", "run:r3", "run:r2"},                               // failed runs, latest first
		"ci.duration_seconds.p90":        {"run:r7", "run:r4", "run:r3", "run:r2", "run:r1", "run:r5"}, // slowest first
		"ci.red_to_green_seconds.p50":    {"run:r2"},                                                   // the run that turned trunk red
		"ci.trunk_commit_coverage_ratio": {"commit:c6", "commit:c7"},                                   // commits without a run
		"ci.trigger.schedule.runs":       {"run:r7"},
	} {
		if d := cmp.Diff(want, ciRefs(ms, id)); d != "" {
			t.Errorf("%s refs (-want +got):\n%s", id, d)
		}
	}
	if got := ms["ci.success_ratio"].Evidence[0].URL; got != "https://ci.example/r7" {
		t.Errorf("ref URL = %q", got)
	}
}

func TestComputeCIRefsCapped(t *testing.T) {
	ev := ciEv(model.KindRuns)
	for i := range 30 {
		ev.Runs = append(ev.Runs, ciRun("f"+strconv.Itoa(i), "CI", model.TriggerPush, "main", "s", "failure", float64(i), float64(i)))
	}
	ms := model.Measurements{}
	computeCI(ev, Options{}, ms)
	for _, id := range []string{"ci.runs", "ci.success_ratio", "ci.duration_seconds.p50"} {
		if n := len(ms[id].Evidence); n != ciMaxRefs {
			t.Errorf("%s: %d refs, want %d", id, n, ciMaxRefs)
		}
	}
	if v, _ := ms.Get("ci.success_ratio"); v != 0 {
		t.Errorf("success ratio = %v, want 0", v)
	}
}

func TestRunSecondsAndDedup(t *testing.T) {
	ev := ciEv(model.KindRuns)
	r := ciRun("r1", "CI", model.TriggerPush, "main", "c1", "failure", 0, 100)
	r.Attempt = 1
	r2 := ciRun("r1", "CI", model.TriggerPush, "main", "c1", "success", 0.5, 30)
	r2.Attempt = 2
	r2.Duration = ciFP(42) // the host's figure wins
	r3 := model.Run{ID: "r3", Trigger: model.TriggerPush, Branch: "main", Conclusion: "success", CreatedAt: ciAt(1)}
	ev.Runs = []model.Run{r, r2, r3}
	ms := model.Measurements{}
	computeCI(ev, Options{}, ms)
	ciCheck(t, ms, map[string]ciGot{
		"ci.runs":                 ciK(2, 2),
		"ci.success_ratio":        ciK(1, 2),
		"ci.duration_seconds.p50": ciK(42, 1), // r3 has no duration
	}, nil)
}
