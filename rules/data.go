package rules

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// testData judges 数据管理 · 测试数据管理. Evidence here is weak: fixtures
// under version control are the most a machine can see.
func testData(j *judge) []dimSteps {
	fixtures := j.treeHas(2, "test data kept under version control (fixtures, testdata, seeds)", model.CatTestData)
	return []dimSteps{
		{"source", []step{fixtures}},
		{"coverage", nil},
		{"independence", []step{fixtures}},
		{"security", nil},
	}
}

// dataChange judges 数据管理 · 数据变更管理. Without migrations in the tree
// nothing says whether the product has a database at all, so the
// dimensions are unknown rather than L1.
func dataChange(j *judge) []dimSteps {
	if j.ev.Has(model.KindTree) && j.ev.Tree.Facts.Count(model.CatMigration) == 0 && len(j.ev.Tree.Facts.Migrations.Tools) == 0 {
		s := unk(2, "no database migrations in the tree: either the product has no database or its changes are made outside version control (attest which)")
		return []dimSteps{{"process", []step{s}}, {"rollback", []step{s}}, {"versioning", []step{s}}, {"monitoring", []step{s}}}
	}
	migr := j.treeHas(2, "versioned database migrations", model.CatMigration)
	return []dimSteps{
		{"process", []step{
			migr,
			j.migrationJob(3, false),
			j.migrationJob(4, true),
		}},
		{"rollback", []step{
			allOf(2, migr, j.migrationTool(2)),
			allOf(3, j.treeCond(3, func(f model.TreeFacts) bool {
				return f.Migrations.UpOnly == 0 && (f.Migrations.UpDown > 0 || f.Migrations.Reversal)
			},
				"every migration ships an upgrade and a rollback script",
				fmt.Sprintf("migrations without rollback scripts: %d", j.upOnly())),
				j.rollbackTested(3)),
		}},
		{"versioning", []step{allOf(2, migr, j.migrationTool(2))}},
		{"monitoring", []step{
			j.migrationTool(2),
			j.treeCond(3, func(f model.TreeFacts) bool {
				// tools that flag risky operations (locks, rewrites, drops); a
				// SQL style linter (sqlfluff) or the migration tool itself is none
				return f.HasTool("squawk") || f.HasTool("atlas") || f.HasTool("diesel-guard")
			}, "high-risk migration operations are checked by a migration safety linter: "+j.migrationLinters(),
				"no migration safety linter (squawk, atlas migrate lint, diesel-guard) that flags high-risk operations"),
		}},
	}
}

func (j *judge) upOnly() int {
	if j.ev.Tree == nil {
		return 0
	}
	return j.ev.Tree.Facts.Migrations.UpOnly
}

// migrationTool holds when a migration tool tracks the schema version.
func (j *judge) migrationTool(level int) step {
	return j.treeCond(level, func(f model.TreeFacts) bool { return len(f.Migrations.Tools) > 0 },
		"a migration tool keeps the schema version and its change log: "+j.migrationTools(),
		"no migration tool recognised")
}

func (j *judge) migrationTools() string {
	if j.ev.Tree == nil {
		return ""
	}
	return strings.Join(j.ev.Tree.Facts.Migrations.Tools, ", ")
}

// migrationJob holds when migrations are applied with the deployment: by a
// CI job that does more than test (a test job migrates a throwaway
// database), or by the release phase of the platform that deploys (a
// Procfile `release:` process). separate asks for a CI job of its own, apart
// from the application's deployment. When the deployment itself is done
// outside what was read, not finding the step is unknown, not absent.
func (j *judge) migrationJob(level int, separate bool) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	f := j.ev.Tree.Facts
	for _, jb := range f.CI.JobsOfKind(model.JobMigration) {
		if !migratesForDeployment(jb) {
			continue
		}
		if !separate {
			return yes(level, fmt.Sprintf("CI job %q applies migrations in the pipeline", jb.Name), model.Ref{Kind: model.RefFile, Ref: jb.File})
		}
		if !jb.HasKind(model.JobDeploy) {
			return yes(level, fmt.Sprintf("CI job %q migrates the database apart from the application deployment", jb.Name), model.Ref{Kind: model.RefFile, Ref: jb.File})
		}
	}
	if rel := f.Migrations.OnRelease; len(rel) > 0 {
		if separate {
			return no(level, "migrations run in "+releaseStep(rel[0])+" of every deployment, not apart from it", model.Ref{Kind: model.RefFile, Ref: rel[0]})
		}
		return yes(level, releaseStep(rel[0])+" applies migrations with every deployment", model.Ref{Kind: model.RefFile, Ref: rel[0]})
	}
	if where := j.deployElsewhere(); where != "" {
		return unk(level, "no CI job applies migrations, but "+where+", which may apply them")
	}
	if separate {
		return no(level, "no migration job separate from the application deployment")
	}
	return no(level, "no CI job applies migrations")
}

// migratesForDeployment reports whether a migrating CI job is a step toward
// a deployment: it deploys, targets an environment, or is no test job.
func migratesForDeployment(jb model.CIJob) bool {
	return jb.HasKind(model.JobDeploy) || jb.Environment != "" || !jb.HasKind(model.JobTest)
}

// rollbackTested holds when a CI job runs migrations down.
func (j *judge) rollbackTested(level int) step {
	return j.treeCond(level, func(f model.TreeFacts) bool { return len(f.Migrations.RollbackTested) > 0 },
		"CI runs migrations down (rollback scripts tested): "+j.rollbackFiles(),
		"no CI job runs migrations down, so nothing shows the rollback scripts are tested")
}

func (j *judge) rollbackFiles() string {
	if j.ev.Tree == nil {
		return ""
	}
	return strings.Join(j.ev.Tree.Facts.Migrations.RollbackTested, ", ")
}

// releaseStep names the step of a deployment a file defines: a Procfile's
// release phase, a Dockerfile's start command.
func releaseStep(file string) string {
	base := strings.ToLower(file[strings.LastIndexByte(file, '/')+1:])
	if base == "dockerfile" || base == "containerfile" {
		return "the container's start command (" + file + ")"
	}
	return "the release phase (" + file + ")"
}

func (j *judge) migrationLinters() string {
	if j.ev.Tree == nil {
		return ""
	}
	var out []string
	for _, t := range []string{"squawk", "atlas", "diesel-guard"} {
		if j.ev.Tree.Facts.HasTool(t) {
			out = append(out, t)
		}
	}
	return strings.Join(out, ", ")
}
