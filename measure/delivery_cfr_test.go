package measure

import (
	"regexp"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// dlTags tags c2, c4 and c6 as releases (c4's tag annotated 5 hours after
// its commit) and c5 as a nightly build.
func dlTags() []model.Tag {
	return []model.Tag{
		{Name: "v1.0", Target: "c2", Committed: ciAt(10)},
		{Name: "v1.1", Target: "c4", Committed: ciAt(30), Annotated: true, Tagged: ciTP(ciAt(35))},
		{Name: "nightly-5", Target: "c5", Committed: ciAt(40)},
		{Name: "v1.2", Target: "c6", Committed: ciAt(50)},
	}
}

func TestDeploymentsFromOtherRecords(t *testing.T) {
	base := []model.Kind{model.KindCommits, model.KindMerges, model.KindChanges}
	tests := []struct {
		name  string
		kinds []model.Kind
		from  DeployFrom
		edit  func(ev *model.Evidence)
		want  map[string]ciGot
		notes map[string]string
	}{
		{
			// A local clone alone: no CI, no deployment records, only tags.
			name: "release tags", kinds: append([]model.Kind{model.KindTags}, base...), from: DeployFrom{Tags: "v*"},
			want: map[string]ciGot{
				"deploy.count":                    ciK(3, 3),
				"deploy.production.count":         ciK(3, 3),
				"deploy.production.days_per_week": ciK(0.75, 3),
				"dora.change_failure_ratio":       ciK(0, 3),
				// v1.0 is the baseline; v1.1 (tagged at 35 h) ships c3, c4, b1: 16, 6, 30 h; v1.2 ships c5, c6: 11, 1 h
				"dora.lead_time_hours.p50": ciK(11, 5),
			},
			notes: map[string]string{
				"deploy.production.count":  "production deployments from release tags matching v*",
				"dora.lead_time_hours.p50": "production deployments from release tags matching v*",
				"deploy.count":             "no deployment records: release tags matching v* taken as production deployments",
			},
		},
		{
			name: "tags replace the host's production records", kinds: append([]model.Kind{model.KindTags, model.KindDeployments}, base...),
			from: DeployFrom{Tags: "v1.[02]"},
			edit: func(ev *model.Evidence) { ev.Deployments = dlRecordsFixture() },
			want: map[string]ciGot{
				"deploy.count":            ciK(6, 6), // the records still count as deployments
				"deploy.production.count": ciK(2, 2),
			},
			notes: map[string]string{"deploy.production.count": "from release tags matching v1.[02]"},
		},
		{
			name: "tags not collected", kinds: base, from: DeployFrom{Tags: "v*"},
			want: map[string]ciGot{"deploy.count": ciU, "deploy.production.count": ciU, "dora.change_failure_ratio": ciU},
			notes: map[string]string{
				"deploy.production.count":   "deployments from release tags matching v*: tags not collected",
				"dora.change_failure_ratio": "tags not collected",
			},
		},
		{
			name: "releases", kinds: append([]model.Kind{model.KindTags, model.KindReleases}, base...), from: DeployFrom{Releases: true},
			edit: func(ev *model.Evidence) {
				ev.Releases = []model.Release{
					{Tag: "v1.2", CreatedAt: ciAt(52), URL: "https://host/r/v1.2"},
					{Tag: "v1.3-rc1", CreatedAt: ciAt(53), Prerelease: true},
					{Tag: "v1.0", CreatedAt: ciAt(12)},
					{Tag: "v2.0", CreatedAt: ciAt(60), Draft: true},
				}
			},
			want: map[string]ciGot{
				"deploy.production.count":  ciK(2, 2),
				"dora.lead_time_hours.p50": ciK(23, 5), // v1.2 ships c3…c6 and b1 after the v1.0 baseline
			},
			notes: map[string]string{"deploy.production.count": "production deployments from releases"},
		},
		{
			name: "recorded and Argo CD deployments beside the host's", kinds: append([]model.Kind{model.KindDeployments}, base...),
			edit: func(ev *model.Evidence) {
				ev.Deployments = dlRecordsFixture()[:3]
				ev.Deployments = append(ev.Deployments,
					model.Deployment{ID: "recorded-1", Source: model.DeploySourceRecorded, Environment: "production", SHA: "c6",
						Status: "success", CreatedAt: ciAt(55)},
					model.Deployment{ID: "7", Source: model.DeploySourceArgoCD, Environment: "production-eu", SHA: "c6",
						Status: "success", CreatedAt: ciAt(56)})
			},
			want: map[string]ciGot{"deploy.production.count": ciK(4, 4)},
			notes: map[string]string{"deploy.production.count": "production deployments from the host's deployment records and " +
				"deployments recorded with cdaudit record-deployment and Argo CD application history"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(tc.kinds...)
			ev.Commits, ev.Changes, ev.Tags = dlCommits(), dlChanges(), dlTags()
			ev.Merges = []model.Merge{{Hash: "c4", Brought: []string{"b1"}, BroughtCount: 1}}
			if tc.edit != nil {
				tc.edit(ev)
			}
			ms := model.Measurements{}
			computeDelivery(ev, Options{DeployFrom: tc.from}, ms)
			ciCheck(t, ms, tc.want, tc.notes)
		})
	}
}

// dlProd is a successful production deployment record.
func dlProd(id, sha, ref string, h float64) model.Deployment {
	d := dlDep(id, "production", sha, "success", h, h)
	d.Ref = ref
	return d
}

func TestChangeFailureRate(t *testing.T) {
	tests := []struct {
		name      string
		deps      []model.Deployment
		incidents []model.Incident // nil: incidents not collected
		opt       Options
		want      map[string]ciGot
		notes     map[string]string
		refs      map[string][]string
	}{
		{
			name:  "hotfix by ref",
			deps:  []model.Deployment{dlProd("a", "c2", "main", 12), dlProd("b", "c3", "main", 22), dlProd("c", "c4", "hotfix/login", 32)},
			want:  map[string]ciGot{"dora.change_failure_ratio": ciK(1.0/3, 3), "dora.recovery_hours.p50": ciK(10, 1)},
			notes: map[string]string{"dora.change_failure_ratio": "1 followed by a hotfix (each deployment counted once); incidents not collected"},
			refs:  map[string][]string{"dora.change_failure_ratio": {"deployment:b"}},
		},
		{
			name: "hotfix by the commit's subject, configurable pattern",
			deps: []model.Deployment{dlProd("a", "c2", "", 12), dlProd("b", "c3", "", 22)},
			opt:  Options{HotfixPattern: regexp.MustCompile(`^fix!`)},
			want: map[string]ciGot{"dora.change_failure_ratio": ciK(0.5, 2)},
		},
		{
			name: "redeploying an earlier commit is a rollback",
			deps: []model.Deployment{dlProd("a", "c2", "", 12), dlProd("b", "c4", "", 32), dlProd("c", "c2", "", 33), dlProd("d", "c2", "", 34)},
			want: map[string]ciGot{"dora.change_failure_ratio": ciK(0.25, 4), "dora.recovery_hours.p50": ciK(1, 1)},
			refs: map[string][]string{"dora.change_failure_ratio": {"deployment:b"}},
		},
		{
			name: "incidents: by reference, by time, none; each deployment counted once",
			deps: []model.Deployment{dlProd("a", "c2", "v1", 12), dlProd("b", "c3", "v2", 22), dlDep("f", "production", "c4", "failure", 30, 31),
				dlProd("c", "c4", "v3", 32), dlProd("d", "c5", "v4", 42)},
			incidents: []model.Incident{
				// names v2 although deployment c came later: b is counted, recovered in 5 h
				{ID: "INC-1", Opened: ciAt(40), Resolved: ciTP(ciAt(45)), Refs: []string{"v2"}},
				// a second incident on b changes nothing
				{ID: "INC-2", Opened: ciAt(41), Refs: []string{"b"}},
				// 6 h after d: d is counted, not yet recovered
				{ID: "INC-3", Opened: ciAt(48)},
				// 3 days after the last deployment: follows none
				{ID: "INC-4", Opened: ciAt(120)},
				// after the failed deployment f: it already counts
				{ID: "INC-5", Opened: ciAt(31.5), Refs: []string{"f"}},
			},
			want: map[string]ciGot{"dora.change_failure_ratio": ciK(3.0/5, 5), "dora.recovery_hours.p50": ciK(1, 2)},
			notes: map[string]string{
				"dora.change_failure_ratio": "1 failed, 2 followed by an incident (each deployment counted once); 1 incident(s) followed no production deployment",
				"dora.recovery_hours.p50":   "1 failure(s) not yet recovered",
			},
			refs: map[string][]string{"dora.change_failure_ratio": {"deployment:b", "deployment:f", "deployment:d"}},
		},
		{
			name:      "an incident names the commit",
			deps:      []model.Deployment{dlProd("a", "0123456789abcdef", "", 12), dlProd("b", "fedcba9876543210", "", 13)},
			incidents: []model.Incident{{ID: "1", Opened: ciAt(20), Resolved: ciTP(ciAt(23)), Refs: []string{"0123456"}}},
			want:      map[string]ciGot{"dora.change_failure_ratio": ciK(0.5, 2), "dora.recovery_hours.p50": ciK(3, 1)},
			refs:      map[string][]string{"dora.change_failure_ratio": {"deployment:a"}},
		},
		{
			name: "incident window", opt: Options{IncidentWindow: 2 * 60 * 60 * 1e9},
			deps:      []model.Deployment{dlProd("a", "c2", "", 12)},
			incidents: []model.Incident{{ID: "1", Opened: ciAt(15)}},
			want:      map[string]ciGot{"dora.change_failure_ratio": ciK(0, 1)},
			notes:     map[string]string{"dora.change_failure_ratio": "1 incident(s) followed no production deployment"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev := ciEv(model.KindDeployments, model.KindCommits)
			ev.Commits, ev.Deployments = dlCommits(), tc.deps
			for i := range ev.Commits {
				ev.Commits[i].Message = "change " + ev.Commits[i].Hash
			}
			ev.Commits[4].Message = "fix! c3 broke login" // c3
			if tc.incidents != nil {
				ev.Mark(model.KindIncidents)
				ev.Incidents = tc.incidents
			}
			ms := model.Measurements{}
			computeDelivery(ev, tc.opt.withDefaults(), ms)
			ciCheck(t, ms, tc.want, tc.notes)
			for id, want := range tc.refs {
				if got := ciRefs(ms, id); !sameSet(got, want) {
					t.Errorf("%s refs = %v, want %v", id, got, want)
				}
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}
