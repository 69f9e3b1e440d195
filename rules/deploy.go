package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// deployRelease judges 部署与发布管理 · 部署与发布模式.
func deployRelease(j *judge) []dimSteps {
	c := j.cfg.Deploy
	deployFiles := []model.Category{model.CatDeployScript, model.CatKubernetes, model.CatHelm, model.CatKustomize, model.CatIaC}
	return []dimSteps{
		{"method", []step{
			anyOf(2, j.treeHas(2, "deployment scripts or manifests", deployFiles...), j.deployAutomated(2, "CI deploys")),
			allOf(3, j.deployAutomated(3, "deployment is automated in CI"), j.dbDeployAutomated(3)),
			allOf(4, j.atLeast(4, model.DeployEnvironments, 2, "environments deployed to"),
				anyOf(4, j.trigger(4, "manual"), j.treeCond(4, func(f model.TreeFacts) bool { return f.CI.ManualGates },
					"deployments can be started with one click (manual jobs)", "no one-click (manual) deployment trigger"))),
		}},
		{"activity", []step{
			anyOf(2, j.deployAutomated(2, "the deployment process is defined in CI"), j.treeHas(2, "deployment scripts", deployFiles...)),
			j.sameProcessEnvs(3),
			allOf(4, anyOf(4, j.trigger(4, "manual"), j.trigger(4, "api")),
				j.treeCond(4, func(f model.TreeFacts) bool { return f.CI.Needs }, "deployment jobs are orchestrated (needs / stages)", "deployment jobs are not orchestrated")),
			j.atLeast(5, model.DeployProductionPerIntegration, c.L5MinDeploysPerIntegration, "production deployments per trunk integration"),
		}},
		{"strategy", []step{
			j.nonProdAutomated(2),
			allOf(3, j.treeHas(3, "runnable environment images or manifests", model.CatContainer, model.CatKubernetes, model.CatHelm),
				j.treeHas(3, "configuration kept apart from the application", model.CatEnvConfig, model.CatHelm, model.CatKustomize)),
			j.progressiveDelivery(4),
		}},
		{"quality", []step{
			j.atMost(2, model.DORAChangeFailureRatio, c.L2MaxFailureRatio, "the change failure rate"),
			allOf(3, j.deployGatedByTests(3), j.atLeast(3, model.DeployProductionCount, 1, "production deployments in the window")),
			allOf(4, j.atMost(4, model.DORAChangeFailureRatio, c.L4MaxFailureRatio, "the change failure rate"), j.progressiveDelivery(4)),
		}},
	}
}

// dbDeployAutomated holds when database migrations (if any) are applied with
// the deployment (migrationJob), and is unknown when the deployment is done
// outside what was read.
func (j *judge) dbDeployAutomated(level int) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	if j.ev.Tree.Facts.Count(model.CatMigration) == 0 {
		return yes(level, "no database migrations in the tree to deploy")
	}
	s := j.migrationJob(level, false)
	if s.out == fails {
		return no(level, "database migrations exist but no CI job applies them", j.fileRefs(2, model.CatMigration)...)
	}
	return s
}

// sameProcessEnvs holds when one CI definition deploys to several environments.
func (j *judge) sameProcessEnvs(level int) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	envs := map[string]map[string]bool{} // file → environments
	for _, jb := range j.ev.Tree.Facts.CI.JobsOfKind(model.JobDeploy) {
		if jb.Environment == "" {
			continue
		}
		if envs[jb.File] == nil {
			envs[jb.File] = map[string]bool{}
		}
		envs[jb.File][strings.ToLower(jb.Environment)] = true
	}
	for file, e := range envs {
		if len(e) >= 2 {
			names := make([]string, 0, len(e))
			for n := range e {
				names = append(names, n)
			}
			sort.Strings(names)
			return yes(level, fmt.Sprintf("%s deploys to %s with the same process", file, strings.Join(names, ", ")),
				model.Ref{Kind: model.RefFile, Ref: file})
		}
	}
	return j.orElsewhere(no(level, "no CI definition deploys the same build to several environments"))
}

// nonProdAutomated holds when test environments are deployed automatically.
func (j *judge) nonProdAutomated(level int) step {
	if j.ev.Has(model.KindDeployments) {
		for _, d := range j.ev.Deployments {
			if !isProd(d) && d.Status == "success" {
				return yes(level, fmt.Sprintf("automated deployment to non-production environment %q", d.Environment),
					model.Ref{Kind: model.RefDeployment, Ref: d.ID, URL: d.URL})
			}
		}
	}
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	for _, jb := range j.ev.Tree.Facts.CI.JobsOfKind(model.JobDeploy) {
		if jb.Environment != "" && !prodName(jb.Environment) {
			return yes(level, fmt.Sprintf("CI job %q deploys to %q", jb.Name, jb.Environment), model.Ref{Kind: model.RefFile, Ref: jb.File})
		}
		if jb.Ephemeral {
			return yes(level, fmt.Sprintf("CI job %q deploys to a throwaway test cluster it creates (kind, minikube, k3d)", jb.Name), model.Ref{Kind: model.RefFile, Ref: jb.File})
		}
	}
	return j.orElsewhere(no(level, "no automated deployment to a test environment"))
}

func isProd(d model.Deployment) bool {
	if d.Production != nil {
		return *d.Production
	}
	return prodName(d.Environment)
}

func prodName(env string) bool {
	e := strings.ToLower(env)
	return e == "prod" || e == "production" || e == "live" || strings.HasPrefix(e, "prod-") || strings.HasPrefix(e, "production")
}

// progressiveDelivery holds when blue-green / canary tooling or environments exist.
func (j *judge) progressiveDelivery(level int) step {
	return j.todaysEnvs(func(today bool) step { return j.progressiveDeliveryWith(today, level) })
}

func (j *judge) progressiveDeliveryWith(today bool, level int) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	if j.ev.Tree.Facts.Count(model.CatRollout) > 0 {
		return yes(level, "progressive delivery tooling (Argo Rollouts, Flagger…) is configured", j.fileRefs(3, model.CatRollout)...)
	}
	for _, e := range append(append([]string(nil), j.ev.Tree.Facts.Environments...), j.envNames(today)...) {
		l := strings.ToLower(e)
		if strings.Contains(l, "canary") || strings.Contains(l, "blue") || strings.Contains(l, "green") {
			return yes(level, fmt.Sprintf("a %q environment shows blue-green or canary releases", e))
		}
	}
	return no(level, "no blue-green or canary deployment found")
}

// envNames lists the environments of the host's records: those deployed to
// and, with today, the host's list of environments as it is now.
func (j *judge) envNames(today bool) []string {
	var out []string
	if today {
		for _, e := range j.ev.Environments {
			out = append(out, e.Name)
		}
	}
	for _, d := range j.ev.Deployments {
		out = append(out, d.Environment)
	}
	return out
}

// deployGatedByTests holds when CI deploy jobs depend on test jobs.
func (j *judge) deployGatedByTests(level int) step {
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	ci := j.ev.Tree.Facts.CI
	tests := map[string]bool{}
	for _, t := range ci.JobsOfKind(model.JobTest) {
		tests[t.Name] = true
	}
	testFiles := map[string]string{} // CI file → one of its test jobs
	for _, t := range ci.JobsOfKind(model.JobTest) {
		if testFiles[t.File] == "" {
			testFiles[t.File] = t.Name
		}
	}
	for _, d := range j.productDeploys() {
		for _, n := range d.Needs {
			if tests[n] {
				return yes(level, fmt.Sprintf("deploy job %q needs test job %q", d.Name, n), model.Ref{Kind: model.RefFile, Ref: d.File})
			}
		}
		for _, f := range d.After {
			if t := testFiles[f]; t != "" {
				return yes(level, fmt.Sprintf("deploy job %q starts only when %s (test job %q) succeeded", d.Name, f, t), model.Ref{Kind: model.RefFile, Ref: d.File})
			}
		}
		if d.Stage != "" && len(ci.Stages) > 0 {
			for _, t := range ci.JobsOfKind(model.JobTest) {
				if stageIndex(ci.Stages, t.Stage) >= 0 && stageIndex(ci.Stages, t.Stage) < stageIndex(ci.Stages, d.Stage) {
					return yes(level, fmt.Sprintf("deploy job %q runs in stage %q after test job %q", d.Name, d.Stage, t.Name), model.Ref{Kind: model.RefFile, Ref: d.File})
				}
			}
		}
	}
	return j.orElsewhere(no(level, "no deploy job waits for a test job"))
}

func stageIndex(stages []string, s string) int {
	for i, x := range stages {
		if x == s {
			return i
		}
	}
	return -1
}

// pipeline judges 部署与发布管理 · 持续部署流水线.
func pipeline(j *judge) []dimSteps {
	return []dimSteps{
		{"collaboration", []step{
			j.treeHas(2, "a delivery process defined in CI configuration", model.CatCIConfig),
			j.deployGatedByTests(3),
		}},
		{"process", []step{
			allOf(2, anyOf(2, j.ciKind(2, model.JobBuild), j.ciKind(2, model.JobTest)), j.deployAutomated(2, "deployment is automated")),
			j.deployGatedByTests(3),
			allOf(4, j.runsRecorded(4, "the pipeline is visible in the CI host"),
				j.atLeast(4, model.CITrunkCommitCoverageRatio, j.cfg.Pipeline.L4MinTrunkCoverage, "the share of trunk commits that run the pipeline"),
				j.atLeast(4, model.DeployProductionCount, 1, "production deployments in the window")),
		}},
		{"visibility", []step{
			anyOf(2, j.runsRecorded(2, "delivery state is visible in the CI host"), j.treeHas(2, "CI configuration", model.CatCIConfig)),
			j.historyAudits(3, j.cfg.History.L3MinAudits, "shared metrics are kept in a continuous audit history"),
			j.historyAudits(4, j.cfg.History.L4MinAudits, "the audit history is long enough for trends"),
		}},
	}
}

// deployAutomated holds when CI configuration declares a deploy job or the
// host records deployments. A tree without deploy jobs proves nothing when no
// deployment records were collected: deployments may run from a system
// outside the repository (Argo CD, a separate pipeline).
func (j *judge) deployAutomated(level int, what string) step {
	s := j.ciJobKind(level, model.JobDeploy, what)
	if s.out == holds && len(j.productDeploys()) == 0 {
		// a deployment into a kind cluster the job creates tests the
		// manifests; it deploys the product nowhere
		s = no(level, "the only deploy jobs deploy into throwaway test clusters they create (kind, minikube, k3d)")
	}
	if s.out == holds {
		return s
	}
	if !j.ev.Has(model.KindDeployments) {
		if s.out == unknown {
			return s
		}
		return unk(level, s.reason+"; deployments may run outside the repository: needs deployment records (a GitHub or GitLab source)")
	}
	if len(j.ev.Deployments) > 0 {
		d := j.ev.Deployments[0]
		return yes(level, fmt.Sprintf("%s: the host recorded %d deployments, e.g. to %q", what, len(j.ev.Deployments), d.Environment),
			model.Ref{Kind: model.RefDeployment, Ref: d.ID, URL: d.URL})
	}
	return no(level, s.reason+", and the host recorded no deployments")
}
