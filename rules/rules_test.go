package rules

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/cdaudit/cdaudit/model"
)

var (
	t0     = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	window = model.Window{Since: t0, Until: t0.AddDate(0, 0, 90)}
)

func cat(t *testing.T) *model.Catalogue {
	t.Helper()
	c, err := model.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func judgeAll(t *testing.T, ev *model.Evidence, ms model.Measurements, atts ...model.Attestation) (map[string]model.DimensionResult, map[string]model.PracticeResult, []string) {
	t.Helper()
	if ev.Window.Until.IsZero() {
		ev.Window = window
	}
	ps, warns := Judge(Input{Catalogue: cat(t), Evidence: ev, Measurements: ms, Attestations: atts, Now: window.Until})
	dims := map[string]model.DimensionResult{}
	prs := map[string]model.PracticeResult{}
	for _, p := range ps {
		prs[p.ID] = p
		for _, d := range p.Dimensions {
			dims[p.ID+"."+d.ID] = d
		}
	}
	return dims, prs, warns
}

// got renders a dimension as "L3 measured", "unknown ≥2", "L4 attested".
func got(d model.DimensionResult) string {
	switch {
	case d.Level == nil && d.LowerBound != nil:
		return "unknown ≥" + itoa(*d.LowerBound)
	case d.Level == nil:
		return "unknown"
	}
	return "L" + itoa(*d.Level) + " " + string(d.Basis)
}

func itoa(i int) string { return string(rune('0' + i)) }

func set(pairs ...any) model.Measurements {
	ms := model.Measurements{}
	for i := 0; i+1 < len(pairs); i += 2 {
		ms.Set(model.MeasurementID(pairs[i].(string)), toF(pairs[i+1]), 10)
	}
	return ms
}

func toF(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	panic("bad value")
}

func gitEvidence() *model.Evidence {
	ev := &model.Evidence{Target: "t", Window: window}
	ev.Mark(model.KindCommits, model.KindMerges, model.KindBranches, model.KindTags)
	return ev
}

func TestBranchingAndFrequency(t *testing.T) {
	hostNoChanges := func() *model.Evidence {
		ev := gitEvidence()
		ev.Mark(model.KindChanges)
		return ev
	}
	tests := []struct {
		name          string
		ev            func() *model.Evidence
		ms            model.Measurements
		wantBranching string
		wantFrequency string
	}{
		{
			name: "trunk-based: branches merged within hours, daily integration",
			ms: set("git.integrations", 400, "git.commits", 500, "git.trunk_merges", 350, "git.merged_change_ratio", 0.9,
				"git.branch_lifetime_hours.p50", 5.0, "git.dev_commit_day_ratio.p50", 0.9, "git.stale_branch_ratio", 0.02,
				"git.team_integration_day_ratio", 1.0, "git.core_developers", 6, "git.core_dev_integration_day_ratio.p50", 0.85,
				"git.core_dev_integrations_per_day.p50", 1.4),
			wantBranching: "L4 measured",
			wantFrequency: "L3 measured",
		},
		{
			name: "several integrations a day, direct commits only (host records show no PRs); L5 needs CI records",
			ev:   hostNoChanges,
			ms: set("git.integrations", 900, "git.commits", 900, "git.trunk_merges", 0,
				"git.dev_commit_day_ratio.p50", 0.95, "git.stale_branch_ratio", 0.0,
				"git.team_integration_day_ratio", 1.0, "git.core_developers", 4, "git.core_dev_integration_day_ratio.p50", 0.95,
				"git.core_dev_integrations_per_day.p50", 2.5),
			wantBranching: "L4 measured",
			wantFrequency: "unknown ≥4",
		},
		{
			name: "long-lived branches merged in batches",
			ms: set("git.integrations", 12, "git.commits", 300, "git.trunk_merges", 12, "git.merged_change_ratio", 1.0,
				"git.branch_lifetime_hours.p50", 24*30.0, "git.dev_commit_day_ratio.p50", 0.5, "git.stale_branch_ratio", 0.4,
				"git.team_integration_day_ratio", 0.04, "git.core_developers", 0),
			wantBranching: "L2 measured",
			wantFrequency: "L1 measured",
		},
		{
			name: "short branches but many stale ones; the team integrates weekly, nobody daily",
			ms: set("git.integrations", 100, "git.commits", 300, "git.trunk_merges", 100, "git.merged_change_ratio", 0.8,
				"git.branch_lifetime_hours.p50", 30.0, "git.dev_commit_day_ratio.p50", 0.85, "git.stale_branch_ratio", 0.3,
				"git.team_integration_day_ratio", 0.3, "git.core_developers", 3, "git.core_dev_integration_day_ratio.p50", 0.2),
			wantBranching: "L3 measured",
			wantFrequency: "L2 measured",
		},
		{
			// curl, tldr: rebase or squash merges leave single commits on
			// trunk; the regulars integrate nearly every working day.
			name: "squash merges in a clone: lifetimes unknown; regulars integrate daily",
			ms: set("git.integrations", 1200, "git.commits", 1200, "git.trunk_merges", 3, "git.merged_change_ratio", 0.01,
				"git.branch_lifetime_hours.p50", 2.0, "git.dev_commit_day_ratio.p50", 0.05,
				"git.team_integration_day_ratio", 1.0, "git.core_developers", 3, "git.core_dev_integration_day_ratio.p50", 0.72,
				"git.core_dev_integrations_per_day.p50", 3.0),
			wantBranching: "unknown ≥1",
			wantFrequency: "unknown ≥4",
		},
		{
			name: "a team that integrates just every day but for a holiday reaches L3, not missed by 1 %",
			ms: set("git.team_integration_day_ratio", 1.0, "git.core_developers", 5, "git.core_dev_integration_day_ratio.p50", 0.66,
				"git.core_dev_integrations_per_day.p50", 1.0),
			wantBranching: "unknown ≥1",
			wantFrequency: "L3 measured",
		},
		{
			name: "too few merged branches to show a habit",
			ms: set("git.integrations", 6, "git.commits", 6, "git.trunk_merges", 5, "git.merged_change_ratio", 0.8,
				"git.team_integration_day_ratio", 0.06, "git.core_developers", 0),
			wantBranching: "unknown ≥1",
			wantFrequency: "L1 measured",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := gitEvidence()
			if tt.ev != nil {
				ev = tt.ev()
			}
			ms := tt.ms
			if strings.HasPrefix(tt.name, "too few") {
				ms.Set(model.GitBranchLifetimeHoursP50, 20, 4)
			}
			dims, _, _ := judgeAll(t, ev, ms)
			if g := got(dims["version-control.branching"]); g != tt.wantBranching {
				t.Errorf("branching = %s, want %s; reasons:\n%s", g, tt.wantBranching, strings.Join(dims["version-control.branching"].Reasons, "\n"))
			}
			if g := got(dims["ci.frequency"]); g != tt.wantFrequency {
				t.Errorf("ci.frequency = %s, want %s; reasons:\n%s", g, tt.wantFrequency, strings.Join(dims["ci.frequency"].Reasons, "\n"))
			}
		})
	}
}

func TestReasonsCiteValuesAndCriterion(t *testing.T) {
	ms := set("git.integrations", 12, "git.commits", 300, "git.trunk_merges", 12, "git.branch_lifetime_hours.p50", 720.0,
		"git.dev_commit_day_ratio.p50", 0.5, "git.team_integration_day_ratio", 0.04)
	dims, _, _ := judgeAll(t, gitEvidence(), ms)
	r := strings.Join(dims["ci.frequency"].Reasons, "\n")
	for _, want := range []string{"L2", "4 %", "git.team_integration_day_ratio", "n=10", "does not hold"} {
		if !strings.Contains(r, want) {
			t.Errorf("reasons lack %q:\n%s", want, r)
		}
	}
	if dims["ci.frequency"].HeldBack == "" {
		t.Error("held_back is empty")
	}
	b := strings.Join(dims["version-control.branching"].Reasons, "\n")
	if strings.Contains(b, "L2 “") && strings.Contains(b, "holds") || !strings.Contains(b, "describes the level reached") {
		t.Errorf("branching's L2 cell must read as a description of the level, not a finding that holds:\n%s", b)
	}
}

func TestNothingCollectedIsUnknownNotLow(t *testing.T) {
	dims, prs, _ := judgeAll(t, &model.Evidence{Target: "t"}, model.Measurements{})
	c := cat(t)
	for _, p := range c.Practices {
		for _, d := range p.Dimensions {
			r := dims[p.ID+"."+d.ID]
			if d.AutomaticMax == 1 {
				if got(r) != "unknown ≥1" || !r.NeedsAttestation || r.MeasuredLevel != nil {
					t.Errorf("%s.%s = %s, want unknown ≥1, needing attestation (never measured L1)", p.ID, d.ID, got(r))
				}
				continue
			}
			if r.Level != nil && *r.Level > 1 {
				t.Errorf("%s.%s = %s without evidence", p.ID, d.ID, got(r))
			}
		}
	}
	if prs["ci"].Level != nil {
		t.Errorf("ci practice level = %d without evidence, want null", *prs["ci"].Level)
	}
}

func TestEveryDimensionHasRulesUpToItsAutomaticMax(t *testing.T) {
	c := cat(t)
	j := &judge{ev: &model.Evidence{}, ms: model.Measurements{}, cfg: func() *Config { d := Defaults(); return &d }()}
	seen := map[string]bool{}
	for _, m := range modules() {
		p, ok := c.Practice(m.practice)
		if !ok {
			t.Fatalf("module for unknown practice %q", m.practice)
		}
		for _, ds := range m.judge(j) {
			d, ok := p.Dimension(ds.id)
			if !ok {
				t.Errorf("%s: rules for unknown dimension %q", m.practice, ds.id)
				continue
			}
			seen[p.ID+"."+d.ID] = true
			levels := map[int]bool{}
			for _, s := range ds.steps {
				levels[s.level] = true
			}
			for l := 2; l <= d.AutomaticMax; l++ {
				if !levels[l] {
					t.Errorf("%s.%s: no rule for L%d (automatic max %d)", p.ID, d.ID, l, d.AutomaticMax)
				}
			}
		}
	}
	if len(seen) != c.DimensionCount() {
		t.Errorf("rules cover %d of %d dimensions", len(seen), c.DimensionCount())
	}
}

func TestPracticeAggregation(t *testing.T) {
	ms := set("git.integrations", 400, "git.commits", 500, "git.trunk_merges", 350, "git.branch_lifetime_hours.p50", 5.0,
		"git.dev_commit_day_ratio.p50", 0.9, "git.stale_branch_ratio", 0.02, "git.integrations_per_dev_day", 1.4)
	_, prs, _ := judgeAll(t, gitEvidence(), ms)
	vc := prs["version-control"]
	if vc.Level != nil {
		t.Errorf("version-control level = %d, want null (tree not collected)", *vc.Level)
	}
	if vc.UpperBound == nil || *vc.UpperBound != 4 {
		t.Errorf("version-control upper bound = %v, want 4 (branching is the only known dimension)", vc.UpperBound)
	}
	build := prs["build"]
	if build.Level != nil {
		t.Errorf("build level = %v, want null", *build.Level)
	}
}

func TestAttestations(t *testing.T) {
	day := func(d int) time.Time { return window.Until.AddDate(0, 0, d) }
	tests := []struct {
		name     string
		att      model.Attestation
		want     string
		warn     bool
		measured string
	}{
		{"raises above automatic max", model.Attestation{Practice: "build", Dimension: "ownership", Level: 3, By: "lead@example.com",
			Date: day(-10), Expires: day(100), Evidence: "https://wiki.example.com/build"}, "L3 attested", false, "none"},
		{"expired is ignored", model.Attestation{Practice: "build", Dimension: "ownership", Level: 4, By: "lead@example.com",
			Date: day(-400), Expires: day(-1), Evidence: "https://wiki.example.com/build"}, "unknown ≥1", true, "none"},
		{"other target is ignored", model.Attestation{Practice: "build", Dimension: "ownership", Level: 4, By: "x",
			Date: day(-1), Expires: day(10), Evidence: "u", Target: "other"}, "unknown ≥1", false, "none"},
		{"does not lower a measured level", model.Attestation{Practice: "version-control", Dimension: "branching", Level: 2, By: "x",
			Date: day(-1), Expires: day(10), Evidence: "u"}, "L4 measured", false, "4"},
	}
	ms := set("git.integrations", 400, "git.commits", 500, "git.trunk_merges", 350, "git.branch_lifetime_hours.p50", 5.0,
		"git.dev_commit_day_ratio.p50", 0.9, "git.stale_branch_ratio", 0.02, "git.merged_change_ratio", 0.9)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dims, _, warns := judgeAll(t, gitEvidence(), ms, tt.att)
			d := dims[tt.att.Practice+"."+tt.att.Dimension]
			if g := got(d); g != tt.want {
				t.Errorf("got %s, want %s", g, tt.want)
			}
			measured := "none"
			if d.MeasuredLevel != nil {
				measured = itoa(*d.MeasuredLevel)
			}
			if measured != tt.measured {
				t.Errorf("measured level = %v, want %s (kept apart from the attested one)", d.MeasuredLevel, tt.measured)
			}
			if (len(warns) > 0) != tt.warn {
				t.Errorf("warnings = %q, want warning %v", warns, tt.warn)
			}
		})
	}
}

func TestCIFeedbackFromRuns(t *testing.T) {
	ev := gitEvidence()
	ev.Mark(model.KindRuns)
	ev.Runs = []model.Run{{ID: "1", Trigger: model.TriggerPush}}
	tests := []struct {
		name string
		ms   model.Measurements
		want string
	}{
		{"red to green in 8 minutes", set("ci.red_to_green_seconds.p50", 480.0), "L5 measured"},
		{"red to green in 20 minutes", set("ci.red_to_green_seconds.p50", 1200.0), "L4 measured"},
		{"red to green in 3 hours", set("ci.red_to_green_seconds.p50", 3*3600.0), "L3 measured"},
		{"red to green in a day", set("ci.red_to_green_seconds.p50", 24*3600.0), "L2 measured"},
		{"never red: build time decides", set("ci.trunk_duration_seconds.p90", 900.0), "L4 measured"},
		{"nothing measured", model.Measurements{}, "unknown ≥2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dims, _, _ := judgeAll(t, ev, tt.ms)
			if g := got(dims["ci.feedback"]); g != tt.want {
				t.Errorf("ci.feedback = %s, want %s\n%s", g, tt.want, strings.Join(dims["ci.feedback"].Reasons, "\n"))
			}
		})
	}
}

func TestTreeBasedDimensions(t *testing.T) {
	ev := gitEvidence()
	ev.Mark(model.KindTree)
	counts := map[model.Category]int{model.CatBuildScript: 1, model.CatCIConfig: 2, model.CatContainer: 1, model.CatLinter: 1,
		model.CatTestUnit: 40, model.CatTestIntegration: 5, model.CatTestE2E: 2, model.CatSource: 100, model.CatLockfile: 1}
	files := map[model.Category][]string{}
	for c := range counts {
		files[c] = []string{"path/of/" + string(c)}
	}
	ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: counts, Files: files, CI: model.CIFacts{
		Triggers: []string{"push", "pull_request"},
		Jobs: []model.CIJob{{File: ".github/workflows/ci.yml", Name: "test", Kinds: []model.JobKind{model.JobTest}},
			{File: ".github/workflows/ci.yml", Name: "lint", Kinds: []model.JobKind{model.JobLint}}},
	}}}
	ev.Tags = []model.Tag{{Name: "v1.0.0", Committed: window.Since.Add(time.Hour)}}
	dims, _, _ := judgeAll(t, ev, set("git.integrations", 10, "git.commits", 10, "git.tags", 3))
	want := map[string]string{
		"version-control.vcs":    "L3 measured", // no migrations: L4 fails
		"build.method":           "L2 measured", // no reusable CI parts
		"ci.service":             "L2 measured", // automatic max 2
		"code-quality.rules":     "unknown ≥2",  // enforcement needs protection settings
		"test-layering.strategy": "L2 measured", // pyramid, but no performance tests
		"data-change.process":    "unknown ≥1",  // no migrations: can't tell if there is a database
		"test-automation.design": "unknown ≥2",  // coverage not reported
		"traceability.rollback":  "L2 measured",
		"environment.types":      "unknown ≥1", // environments may live outside the tree
	}
	gotm := map[string]string{}
	for k := range want {
		gotm[k] = got(dims[k])
	}
	if diff := cmp.Diff(want, gotm); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
		for k := range want {
			t.Logf("%s: %s", k, strings.Join(dims[k].Reasons, " | "))
		}
	}
}

func TestDefaultsParse(t *testing.T) {
	d := Defaults()
	if d.Branching.L3MaxLifetimeHours != 72 || d.CIFrequency.L3MinCoreDayRatio != 0.66 || d.CIFeedback.L4MaxMinutes != 30 {
		t.Errorf("unexpected defaults: %+v", d)
	}
}

func TestEveryThresholdIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/thresholds.md")
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]map[string]any
	if err := yaml.Unmarshal(defaultsYAML, &tree); err != nil {
		t.Fatal(err)
	}
	for sec, keys := range tree {
		for k := range keys {
			if !strings.Contains(string(doc), "`"+sec+"."+k+"`") {
				t.Errorf("docs/thresholds.md does not document %s.%s", sec, k)
			}
		}
	}
}
