package classify

import "strings"

// CI system ids.
const (
	sysGitHub    = "github-actions"
	sysGitLab    = "gitlab-ci"
	sysJenkins   = "jenkins"
	sysCircle    = "circleci"
	sysAzure     = "azure-pipelines"
	sysTravis    = "travis-ci"
	sysBitbucket = "bitbucket-pipelines"
	sysDrone     = "drone"
	sysWoodpeck  = "woodpecker"
)

// ciPath recognises CI configuration files.
func ciPath(f *fileInfo, pr *pathResult) {
	b := f.base
	if f.plain && !strings.HasPrefix(b, "jenkinsfile") && !strings.HasPrefix(f.dir, "bamboo-specs") {
		return
	}
	y := f.yaml()
	switch {
	case f.dir == ".github/workflows" && y:
		pr.ci(sysGitHub, wantGHWorkflow)
	case f.dir == ".gitea/workflows" && y:
		pr.ci("gitea-actions", wantGHWorkflow)
	case f.dir == ".forgejo/workflows" && y:
		pr.ci("forgejo-actions", wantGHWorkflow)
	case strings.HasPrefix(f.dir, ".github/actions/") && (b == "action.yml" || b == "action.yaml"):
		pr.ci(sysGitHub, wantGHAction)
	case f.inDir(".github/workflow-templates") && y:
		pr.add(cCI)
	case b == ".gitlab-ci.yml" || b == ".gitlab-ci.yaml" || strings.HasSuffix(b, ".gitlab-ci.yml") || strings.HasSuffix(b, ".gitlab-ci.yaml"):
		pr.ci(sysGitLab, wantGitLab)
	case f.inDir(".gitlab") && y && !f.inDir(".gitlab/agents") && !strings.Contains(b, "changelog") && !strings.Contains(b, "renovate") && !strings.Contains(b, "dependabot"):
		pr.ci(sysGitLab, wantGitLab)
	case (b == "jenkinsfile" || strings.HasPrefix(b, "jenkinsfile.") || strings.HasSuffix(b, ".jenkinsfile")) && !docExt(f.ext):
		pr.ci(sysJenkins, wantJenkins)
	case f.dir == ".circleci" && (b == "config.yml" || b == "config.yaml"):
		pr.ci(sysCircle, wantCircle)
	case f.inDir(".circleci") && y:
		pr.ci(sysCircle, wantNone)
	case y && (strings.HasPrefix(b, "azure-pipelines") || strings.HasSuffix(f.stem, ".azure-pipelines") ||
		f.inDir(".azure-pipelines") || f.inDir("azure-pipelines") || f.inDir(".azuredevops") || f.inDir(".pipelines")):
		pr.ci(sysAzure, wantOtherCI)
	case b == ".travis.yml" || b == ".travis.yaml":
		pr.ci(sysTravis, wantOtherCI)
	case b == "bitbucket-pipelines.yml" || b == "bitbucket-pipelines.yaml":
		pr.ci(sysBitbucket, wantOtherCI)
	case b == ".drone.yml" || b == ".drone.yaml":
		pr.ci(sysDrone, wantOtherCI)
	case b == ".drone.jsonnet" || b == ".drone.star":
		pr.ci(sysDrone, wantNone)
	case b == ".woodpecker.yml" || b == ".woodpecker.yaml" || (f.inDir(".woodpecker") && y):
		pr.ci(sysWoodpeck, wantOtherCI)
	case f.inDir(".buildkite"):
		w := wantNone
		if y {
			w = wantOtherCI
		}
		pr.ci("buildkite", w)
	case f.inDir(".tekton") && y:
		pr.ci("tekton", wantK8s)
		pr.tool("tekton")
	case strings.HasPrefix(b, "cloudbuild") && (y || f.ext == ".json"):
		w := wantNone
		if y {
			w = wantOtherCI
		}
		pr.ci("google-cloud-build", w)
	case b == "appveyor.yml" || b == ".appveyor.yml":
		pr.ci("appveyor", wantOtherCI)
	case f.inDir(".semaphore") && y:
		pr.ci("semaphore", wantOtherCI)
	case b == "codefresh.yml" || b == "codefresh.yaml":
		pr.ci("codefresh", wantOtherCI)
	case strings.HasPrefix(b, "buildspec") && y:
		pr.ci("aws-codebuild", wantOtherCI)
	case b == ".cirrus.yml" || b == ".cirrus.star":
		pr.ci("cirrus-ci", wantNone)
	case f.inDir(".teamcity"):
		pr.ci("teamcity", wantNone)
	case f.inDir("bamboo-specs"):
		pr.ci("bamboo", wantNone)
	case b == "wercker.yml":
		pr.ci("wercker", wantNone)
	case b == "bitrise.yml":
		pr.ci("bitrise", wantOtherCI)
	case f.inDir(".harness") && y:
		pr.ci("harness", wantNone)
	}
}

// k8sName reports YAML file stems that usually hold Kubernetes manifests.
func k8sName(stem string) bool {
	switch stem {
	case "deployment", "deploy", "service", "ingress", "hpa", "rollout", "canary", "statefulset", "daemonset",
		"configmap", "cronjob", "namespace", "pdb", "networkpolicy", "k8s", "kube", "kubernetes", "manifest",
		"manifests", "scaledobject", "keda", "vpa", "autoscaler", "analysis", "analysistemplate", "application",
		"applicationset", "helmrelease", "virtualservice", "gateway", "job", "pod", "secret", "sealedsecret":
		return true
	}
	for _, s := range [...]string{"-deployment", "-deploy", "-svc", "-service", "-ingress", "-hpa", "_hpa", "-rollout",
		"-canary", "-statefulset", "-cronjob", "-configmap", ".k8s", "-k8s", "_k8s", "-manifest", "-scaledobject", "-vpa"} {
		if strings.HasSuffix(stem, s) {
			return true
		}
	}
	return strings.HasPrefix(stem, "k8s") || strings.HasPrefix(stem, "kube")
}

// deployPath recognises Kubernetes manifests and their relatives by path
// and asks for the contents of likely ones.
func deployPath(f *fileInfo, pr *pathResult) {
	if !f.yaml() || pr.want != wantNone || pr.cats.any(cCI, cCompose, cDepBot, cLinter, cSecurity, cDeploy, cTestPerf, cTestE2E, cBDD) {
		return
	}
	if f.has(fTestRoot|fTestTree|fTestData|fTestSupport|fDocs|fExamples|fAnsible) || f.inDir(".github") || f.inDir(".gitlab") {
		return
	}
	if !f.has(fK8s) && !k8sName(f.stem) {
		return
	}
	if strings.HasPrefix(f.stem, "values") && pr.cats.has(cHelm) || f.base == "chart.yaml" || f.base == "chart.yml" {
		return
	}
	if pr.cats.has(cKustomize) {
		return
	}
	pr.want = wantK8s
	// names alone, for when contents cannot be read
	s := f.stem
	switch {
	case s == "hpa" || strings.HasSuffix(s, "-hpa") || strings.HasSuffix(s, "_hpa") || strings.HasPrefix(s, "hpa-") ||
		strings.Contains(s, "autoscal") || strings.Contains(s, "scaledobject") || s == "keda" || s == "vpa" || strings.HasSuffix(s, "-vpa"):
		pr.add(cAutoscaling)
	case s == "rollout" || strings.HasSuffix(s, "-rollout") || strings.HasPrefix(s, "rollout-") || s == "canary" ||
		strings.HasSuffix(s, "-canary") || strings.HasPrefix(s, "canary-") || strings.Contains(s, "bluegreen") || strings.Contains(s, "blue-green"):
		pr.add(cRollout)
	}
	if f.has(fOverlays) {
		pr.add(cKustomize)
	}
}

// envPath recognises per-environment configuration.
func envPath(f *fileInfo, pr *pathResult) {
	if f.has(fTestRoot|fTestTree|fTestData|fTestSupport|fDocs|fExamples) || docExt(f.ext) || pr.cats.has(cCI) {
		return
	}
	if env, per := fileEnv(f); per {
		pr.add(cEnvConfig)
		pr.env = env
		return
	}
	if f.d.env != "" {
		pr.add(cEnvConfig)
		pr.env = f.d.env
		return
	}
	if envContainer(f.d.last) && configExt(f.ext) {
		s := f.stem
		for _, pre := range [...]string{"environment.", "environment-", "env.", "env-"} {
			s = strings.TrimPrefix(s, pre)
		}
		if !genericEnvName(s) && hasEnvWord(s) {
			pr.add(cEnvConfig)
			pr.env = s
		}
	}
}
