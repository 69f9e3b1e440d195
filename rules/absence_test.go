package rules

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// Absence in the tree proves nothing about what lives outside it: without
// host records a missing deploy job or environment is unknown, with them it fails.
func TestAbsenceNeedsHostRecords(t *testing.T) {
	tree := func() *model.Evidence {
		ev := gitEvidence()
		ev.Mark(model.KindTree)
		ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: map[model.Category]int{model.CatCIConfig: 1},
			CI: model.CIFacts{Jobs: []model.CIJob{{File: "ci.yml", Name: "build", Kinds: []model.JobKind{model.JobBuild}}}}}}
		return ev
	}
	local := tree()
	withHost := tree()
	withHost.Mark(model.KindDeployments, model.KindEnvironments)
	deployed := tree()
	deployed.Mark(model.KindDeployments, model.KindEnvironments)
	deployed.Deployments = []model.Deployment{{ID: "1", Environment: "staging", Status: "success"}}
	tests := []struct {
		name string
		ev   *model.Evidence
		want map[string]string
	}{
		{"local clone only", local, map[string]string{"pipeline.process": "unknown ≥1", "environment.types": "unknown ≥1"}},
		{"host says none", withHost, map[string]string{"pipeline.process": "L1 measured", "environment.types": "L1 measured"}},
		// deployments no CI job makes: whether tests gate them is not in the tree
		{"host records deployments", deployed, map[string]string{"pipeline.process": "unknown ≥2", "environment.types": "L2 measured"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dims, _, _ := judgeAll(t, tt.ev, model.Measurements{})
			gotm := map[string]string{}
			for k := range tt.want {
				gotm[k] = got(dims[k])
			}
			if diff := cmp.Diff(tt.want, gotm); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestShortHistoryIsUnknownNotLow(t *testing.T) {
	ev := gitEvidence()
	ev.Mark(model.KindHistory)
	ev.CollectedAt = window.Until
	dims, _, _ := judgeAll(t, ev, model.Measurements{})
	if g := got(dims["metrics.data"]); g != "unknown ≥1" {
		t.Errorf("first audit: metrics.data = %s, want unknown ≥1", g)
	}
	for i := 1; i <= 12; i++ {
		ev.History = append(ev.History, model.HistoryPoint{At: window.Until.Add(-time.Duration(i) * 24 * time.Hour)})
	}
	dims, _, _ = judgeAll(t, ev, model.Measurements{})
	if g := got(dims["metrics.data"]); g != "L4 measured" {
		t.Errorf("13 daily audits: metrics.data = %s, want L4", g)
	}
	if g := got(dims["improvement.timeliness"]); g != "L4 measured" {
		t.Errorf("13 daily audits: improvement.timeliness = %s, want L4", g)
	}
}

// TestTagsStandingAtTheWindowEnd: a version rule is shown by the tags as
// they stood at the window's end, made in the window or before it.
func TestTagsStandingAtTheWindowEnd(t *testing.T) {
	ms := set("git.tags", 0, "git.commits", 10, "git.integrations", 10)
	ev := gitEvidence()
	dims, _, _ := judgeAll(t, ev, ms)
	if g := got(dims["traceability.rollback"]); g != "L1 measured" {
		t.Errorf("no tags at all: rollback = %s, want L1", g)
	}
	ev.Tags = []model.Tag{{Name: "v1.0.0", Committed: window.Since.AddDate(-1, 0, 0)}}
	dims, _, _ = judgeAll(t, ev, ms)
	if g := got(dims["traceability.rollback"]); g != "L2 measured" {
		t.Errorf("an older tag standing at the window's end: rollback = %s, want L2", g)
	}
	ev.Tags = []model.Tag{{Name: "v1.0.0", Committed: window.Until.AddDate(0, 0, 1)}}
	dims, _, _ = judgeAll(t, ev, ms)
	if g := got(dims["traceability.rollback"]); g != "L1 measured" {
		t.Errorf("only a tag made after the window: rollback = %s, want L1", g)
	}
}
