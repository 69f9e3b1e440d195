package rules

import (
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// TestCIDefinedElsewhere: a CI job kind not found in the tree is unknown,
// not absent, when CI work is defined outside it — a shared library's
// pipeline step (git-plugin's buildPlugin()), another repository's reusable
// workflow, a GitLab include of another project.
func TestCIDefinedElsewhere(t *testing.T) {
	for _, tc := range []struct {
		name string
		ci   model.CIFacts
		want string
	}{
		{"a Jenkinsfile that calls a shared library step", model.CIFacts{Jobs: []model.CIJob{{File: "Jenkinsfile", Name: "buildPlugin", Elsewhere: true}}}, "unknown ≥1"},
		{"a GitLab include of another project", model.CIFacts{Jobs: []model.CIJob{{File: ".gitlab-ci.yml", Name: "x"}},
			Includes: []string{"project:acme/ci-templates:build.yml"}}, "unknown ≥1"},
		{"only local includes", model.CIFacts{Jobs: []model.CIJob{{File: ".gitlab-ci.yml", Name: "x"}},
			Includes: []string{"local:ci/a.yml"}}, "L1 measured"},
		{"a Jenkinsfile that runs its own commands", model.CIFacts{Jobs: []model.CIJob{{File: "Jenkinsfile", Name: "pipeline"}}}, "L1 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: map[model.Category]int{model.CatCIConfig: 1}, CI: tc.ci}}
			dims, _, _ := judgeAll(t, ev, set("git.commits", 10))
			if g := got(dims["pipeline.process"]); g != tc.want {
				t.Errorf("pipeline.process = %s, want %s; reasons:\n%v", g, tc.want, dims["pipeline.process"].Reasons)
			}
		})
	}
}

// TestDeployAfterTestWorkflow: a deploy job started only by the success of a
// workflow that tests waits for the tests (GitHub workflow_run), as a job
// that needs a test job does.
func TestDeployAfterTestWorkflow(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after []string
		want  string
	}{
		{"after the CI workflow succeeded", []string{".github/workflows/ci.yml"}, "holds"},
		{"started by nothing that tests", nil, "fails"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{CI: model.CIFacts{Jobs: []model.CIJob{
				{File: ".github/workflows/ci.yml", Name: "test", Kinds: []model.JobKind{model.JobTest}},
				{File: ".github/workflows/deploy.yml", Name: "ship", Kinds: []model.JobKind{model.JobDeploy}, Environment: "production", After: tc.after},
			}}}}
			j := &judge{ev: ev, ms: model.Measurements{}}
			s := j.deployGatedByTests(3)
			if g := map[outcome]string{holds: "holds", fails: "fails", unknown: "unknown"}[s.out]; g != tc.want {
				t.Errorf("deployGatedByTests = %s (%s), want %s", g, s.reason, tc.want)
			}
		})
	}
}

// TestThrowawayClusterIsATestEnvironment: a deploy job into a cluster it
// creates (kind) deploys a test environment automatically.
func TestThrowawayClusterIsATestEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ephemeral bool
		want      outcome
	}{{"kind cluster", true, holds}, {"production only", false, fails}} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			env := "production"
			if tc.ephemeral {
				env = ""
			}
			ev.Tree = &model.Tree{Facts: model.TreeFacts{CI: model.CIFacts{Jobs: []model.CIJob{
				{File: ".github/workflows/e2e.yml", Name: "kind-helm", Kinds: []model.JobKind{model.JobDeploy, model.JobTest}, Ephemeral: tc.ephemeral, Environment: env},
			}}}}
			j := &judge{ev: ev, ms: model.Measurements{}}
			if s := j.nonProdAutomated(2); s.out != tc.want {
				t.Errorf("nonProdAutomated = %v (%s), want %v", s.out, s.reason, tc.want)
			}
		})
	}
}

// TestDatabaseChangeScriptsNeedADatabase: without change scripts in the
// tree, version-control.vcs L4's database part does not apply to a product
// with no database client among its dependencies, and is unknown for one
// that has a client (its changes may live in code or elsewhere).
func TestDatabaseChangeScriptsNeedADatabase(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tools []string
		want  outcome
	}{
		{"no database client", []string{"eslint"}, holds},
		{"a PostgreSQL client", []string{"db:pg"}, unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{Tools: tc.tools}}
			j := &judge{ev: ev, ms: model.Measurements{}}
			if s := j.dbScripts(4); s.out != tc.want {
				t.Errorf("dbScripts = %v (%s), want %v", s.out, s.reason, tc.want)
			}
		})
	}
}

// TestLibraryHasNoEnvironments: a tree that provisions, packages and
// configures no environment (a library published to a registry through a
// "publish" environment) leaves the environment dimensions unknown, not
// "built by hand"; one Dockerfile makes them judged again.
func TestLibraryHasNoEnvironments(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts map[model.Category]int
		want   string
	}{
		{"a library released to PyPI", map[model.Category]int{model.CatBuildScript: 1, model.CatCIConfig: 2}, "unknown ≥1"},
		{"a service with a Dockerfile", map[model.Category]int{model.CatBuildScript: 1, model.CatCIConfig: 2, model.CatContainer: 1}, "L2 measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Mark(model.KindTree)
			ev.Tree = &model.Tree{Facts: model.TreeFacts{Counts: tc.counts, CI: model.CIFacts{Environments: []string{"publish"},
				Jobs: []model.CIJob{{File: ".github/workflows/publish.yml", Name: "publish", Kinds: []model.JobKind{model.JobDeploy, model.JobPackage}, Environment: "publish"}}}}}
			dims, _, _ := judgeAll(t, ev, set("git.commits", 10))
			if g := got(dims["environment.provisioning"]); g != tc.want {
				t.Errorf("environment.provisioning = %s, want %s; reasons:\n%v", g, tc.want, dims["environment.provisioning"].Reasons)
			}
		})
	}
}

// TestThrowawayClusterDeploysNothing: a job that applies the manifests to a
// kind cluster it creates tests them; it is no deployment of the product,
// so deploy-release.method stays at the scripts (L2) with L3 unknown.
func TestThrowawayClusterDeploysNothing(t *testing.T) {
	ev := gitEvidence()
	ev.Mark(model.KindTree)
	ev.Tree = &model.Tree{Facts: model.TreeFacts{
		Counts: map[model.Category]int{model.CatKubernetes: 2, model.CatCIConfig: 1},
		Files:  map[model.Category][]string{model.CatKubernetes: {"k8s/db.yml", "k8s/petclinic.yml"}},
		CI: model.CIFacts{Jobs: []model.CIJob{{File: ".github/workflows/deploy-and-test-cluster.yml", Name: "deploy-and-test-cluster",
			Kinds: []model.JobKind{model.JobDeploy}, Ephemeral: true, Triggers: []string{"push", "pull_request"}}}},
	}}
	dims, _, _ := judgeAll(t, ev, set("git.commits", 10))
	if g := got(dims["deploy-release.method"]); g != "unknown ≥2" {
		t.Errorf("deploy-release.method = %s, want unknown ≥2; reasons:\n%v", g, dims["deploy-release.method"].Reasons)
	}
}
