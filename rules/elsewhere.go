package rules

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// What lives outside what was read is not absent (cd-model.md, assessing.md):
// a deployment done by another system or repository, CI jobs defined in
// another repository's reusable workflow, template or shared library. A
// criterion that fails only for want of such a job or step is unknown.

// deployElsewhere says where deployments happen when it is outside what was
// read ("" when it is not): no CI job deploys and no deployment records were
// collected (or the host recorded deployments no CI job makes), or every
// deploying job hands its work to another repository or project.
func (j *judge) deployElsewhere() string {
	if j.ev.Tree == nil {
		return ""
	}
	jobs := j.productDeploys()
	if len(jobs) == 0 {
		switch {
		case !j.ev.Has(model.KindDeployments):
			return "no CI job deploys: deployments may run outside the repository"
		case len(j.ev.Deployments) > 0:
			return "the host recorded deployments that no CI job in the tree makes"
		}
		return ""
	}
	for _, jb := range jobs {
		if !jb.Elsewhere {
			return ""
		}
	}
	return fmt.Sprintf("CI job %q hands the deployment to another repository or project", jobs[0].Name)
}

// orElsewhere turns a criterion that failed for want of a deploy job into
// unknown when the deployment is done outside what was read: what that
// deployment does (test environments, test gates) is not in this tree.
func (j *judge) orElsewhere(s step) step { return unknownIf(s, j.deployElsewhere()) }

// ciElsewhere says where CI work is defined outside the tree ("" when
// nowhere): a job that calls another repository's reusable workflow or a
// shared library's pipeline step, a GitLab include of another project,
// template, remote file or component, a Jenkins shared library.
func (j *judge) ciElsewhere() string {
	if j.ev.Tree == nil {
		return ""
	}
	ci := j.ev.Tree.Facts.CI
	for _, jb := range ci.Jobs {
		if jb.Elsewhere {
			return fmt.Sprintf("CI job %q (%s) hands its work to another repository", jb.Name, jb.File)
		}
	}
	for _, inc := range ci.Includes {
		if !strings.HasPrefix(inc, "local:") {
			return "the CI configuration includes " + inc + " from elsewhere"
		}
	}
	for _, r := range ci.Reusable {
		if strings.HasPrefix(r, "library:") {
			return "the Jenkinsfile loads the shared library " + strings.TrimPrefix(r, "library:")
		}
	}
	return ""
}

// orCIElsewhere turns a criterion that failed for want of a CI job into
// unknown when CI work is defined outside the tree.
func (j *judge) orCIElsewhere(s step) step {
	return unknownIf(s, j.ciElsewhere(), ", whose jobs were not read")
}

// noEnvironments says why the product shows no environments of its own ("" when
// it shows some): nothing in the tree provisions, packages or configures an
// environment, no CI job deploys to a named environment other than a package
// registry, and no deployment records name one. A library or tool released as
// a package has none (the environment dimensions do not apply); a service may
// have them provisioned in another repository. Either way, not finding them is
// unknown, not "built by hand".
func (j *judge) noEnvironments() string {
	if j.ev.Tree == nil {
		return ""
	}
	f := j.ev.Tree.Facts
	for _, c := range []model.Category{model.CatIaC, model.CatCompose, model.CatDeployScript, model.CatContainer,
		model.CatKubernetes, model.CatHelm, model.CatKustomize, model.CatEnvConfig} {
		if f.Count(c) > 0 {
			return ""
		}
	}
	for _, e := range append(append([]string(nil), f.Environments...), f.CI.Environments...) {
		if !registryEnv(e) {
			return ""
		}
	}
	for _, d := range j.ev.Deployments {
		if !registryEnv(d.Environment) {
			return ""
		}
	}
	return "the tree provisions, packages and configures no environment, and no deployment names one: a library or tool released as a package has none (not applicable), a service may have them provisioned elsewhere"
}

// registryEnv reports an environment name that stands for publishing a
// package (GitHub environments guarding a registry token), not for a place
// the product runs.
func registryEnv(name string) bool {
	switch strings.ToLower(name) {
	case "publish", "pypi", "testpypi", "release", "releases", "npm", "crates", "crates-io", "crates.io", "maven",
		"maven-central", "rubygems", "nuget", "packagist", "hex", "docker-hub", "dockerhub", "registry":
		return true
	}
	return false
}

// orNoEnvironments turns a criterion that failed for want of environment
// files into unknown when the product shows no environments of its own.
func (j *judge) orNoEnvironments(s step) step { return unknownIf(s, j.noEnvironments()) }

// productDeploys returns the CI jobs that deploy the product: every deploy
// job but those that deploy into a throwaway cluster they create.
func (j *judge) productDeploys() []model.CIJob {
	if j.ev.Tree == nil {
		return nil
	}
	var out []model.CIJob
	for _, jb := range j.ev.Tree.Facts.CI.JobsOfKind(model.JobDeploy) {
		if !jb.Ephemeral {
			out = append(out, jb)
		}
	}
	return out
}

// unknownIf turns a failed criterion into unknown when why names where its
// evidence may live instead ("" leaves it failed); the reason keeps both.
func unknownIf(s step, why string, more ...string) step {
	if s.out != fails || why == "" {
		return s
	}
	return unk(s.level, s.reason+", but "+why+strings.Join(more, ""))
}
