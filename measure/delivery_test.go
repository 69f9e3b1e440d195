package measure

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// dlCommits is a trunk c1…c6 (committed at 0, 10, …, 50 h, authored an hour
// earlier) where c4 merges branch commit b1 (authored at 5 h).
func dlCommits() []model.Commit {
	var cs []model.Commit
	parent := ""
	for i, h := range []string{"c1", "c2", "c3", "c4", "c5", "c6"} {
		c := model.Commit{Hash: h, FirstParent: true, URL: "https://git.example/" + h,
			Committer: model.Signature{When: ciAt(float64(10 * i))}, Author: model.Signature{When: ciAt(float64(10*i - 1))}}
		if parent != "" {
			c.Parents = []string{parent}
		}
		if h == "c4" {
			c.Parents = append(c.Parents, "b1")
		}
		parent = h
		cs = append(cs, c)
	}
	// Listed newest first, as git log does, with the branch commit among them.
	b1 := model.Commit{Hash: "b1", Parents: []string{"c1"}, Author: model.Signature{When: ciAt(5)},
		Committer: model.Signature{When: ciAt(6)}}
	return []model.Commit{cs[5], cs[4], cs[3], b1, cs[2], cs[1], cs[0]}
}

func dlDep(id, env, sha, status string, createdH, finishedH float64) model.Deployment {
	return model.Deployment{ID: id, URL: "https://host.example/deploy/" + id, Environment: env, SHA: sha,
		Status: status, CreatedAt: ciAt(createdH), FinishedAt: ciTP(ciAt(finishedH))}
}

func dlRecordsFixture() []model.Deployment {
	return []model.Deployment{
		dlDep("d1", "production", "c2", "success", 12, 13), // the baseline
		dlDep("d2", "production", "c4", "failure", 32, 33),
		dlDep("d3", "production", "c4", "success", 34, 35), // ships c3, c4, b1
		dlDep("d5", "staging", "c6", "success", 51, 51.5),
		dlDep("d4", "production", "c6", "inactive", 52, 54), // ships c5, c6
		dlDep("d6", "production", "c3", "success", 60, 61),  // an older version again: ships nothing
	}
}

func dlChanges() []model.Change {
	return []model.Change{
		{ID: "1", MergeSHA: "c4", CreatedAt: ciAt(20), MergedAt: ciTP(ciAt(28)), State: "merged"},
		{ID: "2", MergeSHA: "c6", CreatedAt: ciAt(40), MergedAt: ciTP(ciAt(49.5)), State: "merged"},
	}
}

var dlIDs = []string{"deploy.count", "deploy.environments", "deploy.production.count",
	"deploy.production.days_per_week", "dora.deployment_frequency_per_day", "dora.change_failure_ratio",
	"dora.recovery_hours.p50", "dora.lead_time_hours.p50", "dora.lead_time_from_merge_hours.p50"}

func TestComputeDelivery(t *testing.T) {
	all := []model.Kind{model.KindDeployments, model.KindCommits, model.KindMerges, model.KindChanges}
	tests := []struct {
		name    string
		kinds   []model.Kind
		edit    func(ev *model.Evidence)
		want    map[string]ciGot
		notes   map[string]string
		refs    map[string][]string
		unknown string
	}{
		{
			name: "deployment records", kinds: all,
			want: map[string]ciGot{
				"deploy.count":                        ciK(6, 6),
				"deploy.environments":                 ciK(2, 6),
				"deploy.production.count":             ciK(4, 4),
				"deploy.production.days_per_week":     ciK(0.75, 3),
				"dora.deployment_frequency_per_day":   ciK(4.0/28, 4),
				"dora.change_failure_ratio":           ciK(0.4, 5), // d2 failed, d4 rolled back by d6
				"dora.recovery_hours.p50":             ciK(2, 2),   // d2 → d3: 2 h, d4 → d6: 7 h
				"dora.lead_time_hours.p50":            ciK(15, 5),  // 16, 6, 30 (b1), 15, 5
				"dora.lead_time_from_merge_hours.p50": ciK(4.5, 2),
			},
			notes: map[string]string{
				"deploy.environments":       "production, staging",
				"deploy.production.count":   "1 failed",
				"dora.change_failure_ratio": "1 failed, 1 rolled back (each deployment counted once); incidents not collected",
				"dora.lead_time_hours.p50":  "from first commit",
			},
			refs: map[string][]string{
				"dora.change_failure_ratio": {"deployment:d2", "deployment:d4"},
				"dora.recovery_hours.p50":   {"deployment:d4", "deployment:d2"},
				"dora.lead_time_hours.p50":  {"commit:b1", "commit:c3", "commit:c5", "commit:c4", "commit:c6"},
			},
		},
		{
			name: "without merge records only first-parent commits count", kinds: all[:1:1],
			edit: func(ev *model.Evidence) { ev.Mark(model.KindCommits) },
			want: map[string]ciGot{
				"dora.lead_time_hours.p50":            ciK(6, 4), // 16, 6, 15, 5
				"dora.lead_time_from_merge_hours.p50": ciU,
			},
			notes: map[string]string{
				"dora.lead_time_hours.p50":            "only first-parent commits counted",
				"dora.lead_time_from_merge_hours.p50": whyNoChanges,
			},
		},
		{
			name: "host flag and environment tier", kinds: all,
			edit: func(ev *model.Evidence) {
				no, yes := false, true
				ev.Deployments[0].Production = &no // "production" but the host says it is not
				ev.Deployments[3].Environment = "customer-a"
				ev.Deployments[3].Production = &yes
				ev.Deployments = append(ev.Deployments, dlDep("d7", "eu-1", "c6", "success", 70, 71))
				ev.Environments = []model.Environment{{Name: "eu-1", Tier: "production"}}
			},
			want: map[string]ciGot{
				"deploy.production.count":   ciK(5, 5),     // d3, customer-a, d4, d6, d7
				"dora.change_failure_ratio": ciK(2.0/6, 6), // d2 failed, d6 rolls d4 back
				"dora.lead_time_hours.p50":  ciK(2.5, 2),   // d3 is now the baseline; customer-a ships c5 (12.5), c6 (2.5)
			},
			notes: map[string]string{"dora.lead_time_hours.p50": "baseline"},
		},
		{
			name: "a production deployment before the window is the baseline", kinds: all,
			edit: func(ev *model.Evidence) {
				ev.Deployments = append(ev.Deployments, dlDep("d0", "production", "c0", "success", -30, -29))
			},
			want: map[string]ciGot{
				"deploy.count":             ciK(6, 6),
				"dora.lead_time_hours.p50": ciK(14, 7), // + c1 (14), c2 (4)
			},
		},
		{
			name: "records collected, none in the window", kinds: all,
			edit: func(ev *model.Evidence) { ev.Deployments = nil },
			want: map[string]ciGot{
				"deploy.count": ciK(0, 0), "deploy.environments": ciK(0, 0), "deploy.production.count": ciK(0, 0),
				"deploy.production.days_per_week": ciK(0, 0), "dora.deployment_frequency_per_day": ciK(0, 0),
				"dora.change_failure_ratio": ciU, "dora.recovery_hours.p50": ciU, "dora.lead_time_hours.p50": ciU,
			},
			notes: map[string]string{
				"deploy.environments":       "none",
				"dora.change_failure_ratio": "no production deployment",
				"deploy.production.count":   "no deployment record for a production environment",
			},
		},
		{
			name: "no failures", kinds: all,
			edit:  func(ev *model.Evidence) { ev.Deployments = ev.Deployments[2:5] },
			want:  map[string]ciGot{"dora.change_failure_ratio": ciK(0, 2), "dora.recovery_hours.p50": ciU},
			notes: map[string]string{"dora.recovery_hours.p50": "no production deployment in the window failed or caused a failure"},
		},
		{
			name: "not recovered", kinds: all,
			edit:  func(ev *model.Evidence) { ev.Deployments = ev.Deployments[:2] },
			want:  map[string]ciGot{"dora.change_failure_ratio": ciK(0.5, 2), "dora.recovery_hours.p50": ciU},
			notes: map[string]string{"dora.recovery_hours.p50": "1 failure(s) not yet recovered"},
		},
		{
			name: "commits not collected", kinds: []model.Kind{model.KindDeployments},
			want:  map[string]ciGot{"deploy.production.count": ciK(4, 4), "dora.lead_time_hours.p50": ciU},
			notes: map[string]string{"dora.lead_time_hours.p50": whyNoCommits},
		},
		{
			name: "rollback", kinds: all,
			edit:  func(ev *model.Evidence) { ev.Deployments[5].Rollback = true },
			want:  map[string]ciGot{"dora.change_failure_ratio": ciK(0.4, 5)},
			notes: map[string]string{"dora.change_failure_ratio": "1 rolled back"},
		},
		{
			name: "empty window", kinds: all,
			edit: func(ev *model.Evidence) { ev.Window.Until = ev.Window.Since },
			want: map[string]ciGot{"deploy.count": ciK(0, 0), "deploy.production.days_per_week": ciU,
				"dora.deployment_frequency_per_day": ciU},
			notes: map[string]string{"deploy.production.days_per_week": "the window is empty"},
		},
		{name: "nothing collected", unknown: whyNoDeploys},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Commits, ev.Deployments, ev.Changes = dlCommits(), dlRecordsFixture(), dlChanges()
			ev.Merges = []model.Merge{{Hash: "c4", Brought: []string{"b1"}, BroughtCount: 1}}
			if tc.edit != nil {
				tc.edit(ev)
			}
			ms := model.Measurements{}
			computeDelivery(ev, Options{}, ms)
			if tc.unknown != "" {
				ciAllIDsUnknown(t, ms, tc.unknown, dlIDs...)
				return
			}
			ciCheck(t, ms, tc.want, tc.notes)
			for id, want := range tc.refs {
				if d := cmp.Diff(want, ciRefs(ms, id)); d != "" {
					t.Errorf("%s refs (-want +got):\n%s", id, d)
				}
			}
		})
	}
}

// dlRunsFixture: production deployments seen only in CI.
func dlRunsFixture() []model.Run {
	withJob := func(r model.Run, j model.Job) model.Run {
		r.JobsKnown, r.Jobs = true, []model.Job{j}
		return r
	}
	push := model.TriggerPush
	return []model.Run{
		ciRun("x1", "Deploy to production", push, "main", "c2", "success", 12, 3600),
		withJob(ciRun("x2", "CI", push, "main", "c4", "failure", 32, 3600),
			model.Job{Name: "deploy", Environment: "prod-eu", Conclusion: "failure", FinishedAt: ciTP(ciAt(33))}),
		withJob(ciRun("x3", "CI", push, "main", "c4", "success", 34, 3600),
			model.Job{Name: "deploy", Environment: "prod-eu", Conclusion: "success", FinishedAt: ciTP(ciAt(35))}),
		withJob(ciRun("x4", "CI", push, "feat-1", "f1", "success", 36, 60),
			model.Job{Name: "review", Environment: "review/feat-1", Conclusion: "success"}),
		ciRun("x5", "Deploy to production", push, "feat-1", "f1", "success", 37, 60), // not trunk
		withJob(ciRun("x6", "Release", model.TriggerTag, "v1.0.0", "c6", "success", 52, 3600),
			model.Job{Name: "release to production", Conclusion: "success", FinishedAt: ciTP(ciAt(54))}),
		ciRun("x7", "Build", push, "main", "c6", "success", 53, 60),
	}
}

func TestComputeDeliveryFromRuns(t *testing.T) {
	tests := []struct {
		name  string
		kinds []model.Kind
		deps  []model.Deployment
		edit  func([]model.Run) []model.Run
		want  map[string]ciGot
		notes map[string]string
	}{
		{
			name: "no deployment records", kinds: []model.Kind{model.KindRuns, model.KindJobs, model.KindCommits},
			want: map[string]ciGot{
				"deploy.count":              ciK(5, 5), // x1, x2, x3, x4, x6
				"deploy.environments":       ciK(3, 5),
				"deploy.production.count":   ciK(3, 3),
				"dora.change_failure_ratio": ciK(0.25, 4),
				"dora.recovery_hours.p50":   ciK(2, 1),
				"dora.lead_time_hours.p50":  ciK(6, 4), // x3 ships c3 (16), c4 (6); x6 ships c5 (15), c6 (5)
			},
			notes: map[string]string{
				"deploy.environments":       "prod-eu, production, review/feat-1",
				"deploy.count":              "no deployment records",
				"deploy.production.count":   "inferred from CI runs",
				"dora.change_failure_ratio": "inferred from CI runs",
			},
		},
		{
			name: "records without production ones", kinds: []model.Kind{model.KindDeployments, model.KindRuns, model.KindJobs},
			deps:  []model.Deployment{dlDep("p1", "github-pages", "c2", "success", 1, 2)},
			want:  map[string]ciGot{"deploy.count": ciK(1, 1), "deploy.environments": ciK(1, 1), "deploy.production.count": ciK(3, 3)},
			notes: map[string]string{"deploy.production.count": "no production deployment records"},
		},
		{
			name: "two deploy jobs, one failed: one failed deployment", kinds: []model.Kind{model.KindRuns, model.KindJobs},
			edit: func([]model.Run) []model.Run {
				r := ciRun("y1", "CI", model.TriggerPush, "main", "c5", "failure", 40, 600)
				r.JobsKnown = true
				r.Jobs = []model.Job{
					{Name: "deploy-a", Environment: "production", Conclusion: "success", FinishedAt: ciTP(ciAt(40.1))},
					{Name: "deploy-b", Environment: "production", Conclusion: "timed_out",
						StartedAt: ciTP(ciAt(40)), Duration: ciFP(720)},
				}
				return []model.Run{r}
			},
			want: map[string]ciGot{"deploy.count": ciK(1, 1), "deploy.production.count": ciK(0, 0),
				"dora.change_failure_ratio": ciK(1, 1)},
		},
		{
			name: "runs without job records", kinds: []model.Kind{model.KindRuns},
			want: map[string]ciGot{"deploy.production.count": ciK(1, 1), "dora.change_failure_ratio": ciK(0, 1)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Runs, ev.Commits, ev.Deployments = dlRunsFixture(), dlCommits(), tc.deps
			if tc.edit != nil {
				ev.Runs = tc.edit(ev.Runs)
			}
			ms := model.Measurements{}
			computeDelivery(ev, Options{}, ms)
			ciCheck(t, ms, tc.want, tc.notes)
		})
	}
}

func TestDORA(t *testing.T) {
	set := func(days, lead, cfr, rec float64) model.Measurements {
		ms := model.Measurements{}
		ms.Set(DORAFrequencyID, days, 1)
		ms.Set(DORALeadTimeID, lead, 1)
		ms.Set(DORAFailureID, cfr, 1)
		ms.Set(DORARecoveryID, rec, 1)
		return ms
	}
	clusters := func(d *model.DORA) [4]string {
		return [4]string{d.DeploymentFrequency.Cluster, d.LeadTime.Cluster, d.ChangeFailureRate.Cluster, d.RecoveryTime.Cluster}
	}
	tests := []struct {
		name string
		ms   model.Measurements
		want [4]string
	}{
		{"elite", set(5, 23.9, 0.05, 0.5), [4]string{"elite", "elite", "elite", "elite"}},
		{"high", set(1, 24, 0.10, 1), [4]string{"high", "high", "high", "high"}},
		{"medium", set(0.23, 24*7, 0.15, 24), [4]string{"medium", "medium", "medium", "medium"}},
		{"low", set(0.2, 24*30, 0.16, 24*7), [4]string{"low", "low", "low", "low"}},
		{"zero deployments", set(0, 0, 0, 0), [4]string{"low", "elite", "elite", "elite"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, clusters(DORA(tc.ms))); d != "" {
				t.Errorf("clusters (-want +got):\n%s", d)
			}
		})
	}

	t.Run("unknown keys", func(t *testing.T) {
		ms := model.Measurements{}
		ms.Set(DORAFrequencyID, 2, 8)
		ms.SetUnknown(DORALeadTimeID, whyNoCommits)
		got := DORA(ms)
		want := &model.DORA{
			DeploymentFrequency: model.DORAKey{Measurement: string(DORAFrequencyID), Value: ciFP(2), Unit: "days/week", Cluster: "high"},
			LeadTime:            model.DORAKey{Measurement: string(DORALeadTimeID), Unit: "hours", Note: whyNoCommits},
			ChangeFailureRate:   model.DORAKey{Measurement: string(DORAFailureID), Unit: "ratio", Note: "not measured"},
			RecoveryTime:        model.DORAKey{Measurement: string(DORARecoveryID), Unit: "hours", Note: "not measured"},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("DORA (-want +got):\n%s", d)
		}
	})
	t.Run("nothing measured", func(t *testing.T) {
		if got := DORA(model.Measurements{}); got != nil {
			t.Errorf("DORA = %+v, want nil", got)
		}
	})
	t.Run("from computed measurements", func(t *testing.T) {
		ev := ciEv(model.KindDeployments, model.KindCommits, model.KindMerges)
		ev.Commits, ev.Deployments = dlCommits(), dlRecordsFixture()
		ev.Merges = []model.Merge{{Hash: "c4", Brought: []string{"b1"}, BroughtCount: 1}}
		ms := model.Measurements{}
		computeDelivery(ev, Options{}, ms)
		if d := cmp.Diff([4]string{"medium", "elite", "low", "high"}, clusters(DORA(ms))); d != "" {
			t.Errorf("clusters (-want +got):\n%s", d)
		}
	})
}
