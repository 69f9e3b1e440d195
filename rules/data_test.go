package rules

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestMigrationsWithTheDeployment: data-change.process L3 and the database
// part of deploy-release.method L3 hold when migrations are applied with the
// deployment — by a CI job that is more than a test, or by a Procfile
// release phase — and are unknown, not absent, when the deployment is done
// outside what was read (no CI deploy job and no records, or a deploy job
// that hands the work to another repository). A test job that migrates a
// throwaway database is no deployment step. Rollback L3 needs rollbacks run.
func TestMigrationsWithTheDeployment(t *testing.T) {
	ci := ".github/workflows/ci.yml"
	job := func(name string, elsewhere bool, kinds ...model.JobKind) model.CIJob {
		return model.CIJob{File: ci, Name: name, Kinds: kinds, Elsewhere: elsewhere, Triggers: []string{"push"}}
	}
	for _, tc := range []struct {
		name        string
		jobs        []model.CIJob
		onRelease   []string
		rollback    []string
		deployments bool // deployment records collected (none found)
		process     string
		method      string
		rollbackL   string
	}{
		{"a Procfile release phase migrates; the platform deploys outside", nil, []string{"Procfile"}, nil, false,
			"L3 measured", "unknown ≥2", "L2 measured"},
		{"no deploy job, no records, no release phase", nil, nil, nil, false,
			"unknown ≥2", "unknown ≥2", "L2 measured"},
		{"the deploy job calls another repository's workflow", []model.CIJob{job("trigger-deploy", true, model.JobDeploy)}, nil, nil, false,
			"unknown ≥2", "unknown ≥2", "L2 measured"},
		{"the deploy job deploys here and nothing migrates", []model.CIJob{job("deploy", false, model.JobDeploy)}, nil, nil, false,
			"L2 measured", "L2 measured", "L2 measured"},
		{"only the test job migrates (a throwaway database)", []model.CIJob{job("deploy", false, model.JobDeploy), job("test", false, model.JobTest, model.JobMigration)}, nil, nil, false,
			"L2 measured", "L2 measured", "L2 measured"},
		{"a migrate job before the deploy job; rollbacks run in CI", []model.CIJob{job("deploy", false, model.JobDeploy), job("migrate", false, model.JobMigration)}, nil, []string{ci}, false,
			"L4 measured", "L3 measured", "L3 measured"},
		{"the host recorded no deployments and no job deploys", nil, nil, nil, true,
			"L2 measured", "L2 measured", "L2 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			if tc.deployments {
				ev.Mark(model.KindDeployments)
			}
			ev.Tree = &model.Tree{Facts: model.TreeFacts{
				Counts: map[model.Category]int{model.CatMigration: 12, model.CatDeployScript: 1},
				Files:  map[model.Category][]string{model.CatMigration: {"migrations/0001_init.py"}, model.CatDeployScript: {"Procfile"}},
				CI:     model.CIFacts{Jobs: tc.jobs},
				Migrations: model.MigrationFacts{Tools: []string{"alembic"}, Files: 12, UpDown: 12,
					OnRelease: tc.onRelease, RollbackTested: tc.rollback},
			}}
			dims, _, _ := judgeAll(t, ev, set("git.commits", 10))
			for dim, want := range map[string]string{"data-change.process": tc.process, "deploy-release.method": tc.method, "data-change.rollback": tc.rollbackL} {
				if g := got(dims[dim]); g != want {
					t.Errorf("%s = %s, want %s; reasons:\n%v", dim, g, want, dims[dim].Reasons)
				}
			}
		})
	}
}

// TestDeploymentElsewhereLeavesItsPropertiesUnknown: when the deployment is
// done outside what was read, what it does — deploy test environments, wait
// for tests, reuse one process, name versions — is unknown, not absent; a
// CI definition in the tree that deploys here still fails them.
func TestDeploymentElsewhereLeavesItsPropertiesUnknown(t *testing.T) {
	for _, tc := range []struct {
		name string
		jobs []model.CIJob
		want string
	}{
		{"no deploy job, no records", nil, "unknown ≥1"},
		{"a deploy job hands the work to another repository", []model.CIJob{{File: "d.yml", Name: "trigger-deploy", Kinds: []model.JobKind{model.JobDeploy}, Elsewhere: true}}, "unknown ≥1"},
		{"a deploy job here, no test environment", []model.CIJob{{File: "d.yml", Name: "deploy", Kinds: []model.JobKind{model.JobDeploy}, Environment: "production"}}, "L1 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: map[model.Category]int{model.CatCIConfig: 1}, CI: model.CIFacts{Jobs: tc.jobs}}}
			dims, _, _ := judgeAll(t, ev, set("git.commits", 10))
			// no tags: the versions may be the deployment system's
			for _, dim := range []string{"deploy-release.strategy", "traceability.change-tracing", "traceability.rollback"} {
				if g := got(dims[dim]); g != tc.want {
					t.Errorf("%s = %s, want %s; reasons:\n%v", dim, g, tc.want, dims[dim].Reasons)
				}
			}
		})
	}
}

// TestMigrationMonitoringNeedsASafetyLinter: data-change.monitoring L3
// ("high-risk operations controlled") needs a linter that flags risky
// migration operations; a SQL style linter is not one.
func TestMigrationMonitoringNeedsASafetyLinter(t *testing.T) {
	for _, tc := range []struct {
		tool string
		want string
	}{{"squawk", "L3 measured"}, {"sqlfluff", "L2 measured"}} {
		t.Run(tc.tool, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{
				Counts:     map[model.Category]int{model.CatMigration: 3},
				Migrations: model.MigrationFacts{Tools: []string{"golang-migrate"}, Files: 3},
				Tools:      []string{"golang-migrate", tc.tool},
			}}
			dims, _, _ := judgeAll(t, ev, set("git.commits", 10))
			if g := got(dims["data-change.monitoring"]); g != tc.want {
				t.Errorf("data-change.monitoring = %s, want %s; reasons:\n%v", g, tc.want, dims["data-change.monitoring"].Reasons)
			}
		})
	}
}
