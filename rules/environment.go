package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// environment judges 环境管理.
func environment(j *judge) []dimSteps {
	return []dimSteps{
		{"types", []step{
			j.envKinds(2, 1, "a functional test environment"),
			anyOf(3, j.treeHas(3, "isolated developer workspaces", model.CatDevContainer, model.CatCompose), j.dynamicEnvs(3)),
			j.envKinds(4, 3, "a full range of environments (development, test, staging / grey release)"),
			// "environments of every kind allocated elastically": per-change
			// environments alone (L3's evidence) are one kind
			allOf(5, j.dynamicEnvs(5), j.treeHas(5, "elastic provisioning (autoscaling) for the environments", model.CatAutoscaling)),
		}},
		{"provisioning", []step{
			j.orNoEnvironments(j.treeHas(2, "scripted environment provisioning", model.CatIaC, model.CatCompose, model.CatDeployScript, model.CatContainer, model.CatKubernetes)),
			j.orNoEnvironments(j.treeHas(3, "environments provisioned on a cloud resource platform", model.CatIaC, model.CatKubernetes, model.CatHelm)),
			allOf(4, j.treeHas(4, "container images", model.CatContainer),
				j.treeHas(4, "container environments", model.CatCompose, model.CatKubernetes, model.CatHelm)),
			j.treeHas(5, "elastic provisioning (autoscaling)", model.CatAutoscaling),
		}},
		{"config", []step{
			j.orNoEnvironments(j.treeHas(2, "OS / package level dependency pins", model.CatLockfile, model.CatContainer, model.CatToolchainPin)),
			j.orNoEnvironments(j.treeHas(3, "service-level dependency declarations", model.CatCompose, model.CatHelm, model.CatKubernetes)),
			allOf(4, j.treeHas(4, "environments described as resources", model.CatContainer),
				j.treeHas(4, "declarative infrastructure", model.CatIaC, model.CatKubernetes, model.CatHelm, model.CatCompose)),
			allOf(5, j.treeHas(5, "per-environment configuration", model.CatEnvConfig, model.CatKustomize),
				j.treeHas(5, "instance-level dynamic scaling", model.CatAutoscaling)),
		}},
	}
}

// envClass maps an environment name onto a class.
func envClass(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "review") || strings.Contains(n, "preview") || strings.Contains(n, "$") || strings.Contains(n, "{{"):
		return "review"
	case prodName(n):
		return "production"
	case strings.Contains(n, "stag") || strings.Contains(n, "canary") || strings.Contains(n, "gray") || strings.Contains(n, "grey") || strings.Contains(n, "pre"):
		return "staging"
	case strings.Contains(n, "uat") || strings.Contains(n, "accept") || strings.Contains(n, "business"):
		return "acceptance"
	case strings.Contains(n, "test") || strings.Contains(n, "qa") || strings.Contains(n, "int") || strings.Contains(n, "sit"):
		return "test"
	case strings.Contains(n, "dev"):
		return "development"
	}
	return "other"
}

// allEnvNames gathers environment names from host records and the tree;
// today says whether the host's list of environments (as it is now) counts
// beside the window's deployment records.
func (j *judge) allEnvNames(today bool) ([]string, bool) {
	known := false
	var names []string
	if j.ev.Has(model.KindTree) {
		known = true
		names = append(names, j.ev.Tree.Facts.Environments...)
		names = append(names, j.ev.Tree.Facts.CI.Environments...)
	}
	if j.hostEnvs(today) {
		known = true
		names = append(names, j.envNames(today)...)
	}
	return names, known
}

// envKinds holds when at least min distinct non-production environment
// classes exist.
func (j *judge) envKinds(level, min int, what string) step {
	return j.todaysEnvs(func(today bool) step { return j.envKindsWith(today, level, min, what) })
}

func (j *judge) envKindsWith(today bool, level, min int, what string) step {
	names, known := j.allEnvNames(today)
	if !known {
		return unk(level, "evidence not collected: tree, environments")
	}
	classes := map[string]bool{}
	for _, n := range names {
		if c := envClass(n); c != "production" && c != "other" {
			classes[c] = true
		}
	}
	var cl []string
	for c := range classes {
		cl = append(cl, c)
	}
	sort.Strings(cl)
	if len(cl) >= min {
		return yes(level, fmt.Sprintf("%s: non-production environment classes %s", what, strings.Join(cl, ", ")))
	}
	if !j.hostEnvs(today) {
		named := "no non-production environment"
		if len(cl) > 0 {
			named = "only " + strings.Join(cl, ", ")
		}
		return unk(level, fmt.Sprintf("%s: the tree names %s, and environments may be defined outside it: needs environment or deployment records (a GitHub or GitLab source)",
			what, named))
	}
	return no(level, fmt.Sprintf("%s needs %d non-production environment class(es); found %d (%s)", what, min, len(cl), strings.Join(cl, ", ")))
}

// dynamicEnvs holds when environments are created on demand (per branch).
func (j *judge) dynamicEnvs(level int) step {
	return j.todaysEnvs(func(today bool) step { return j.dynamicEnvsWith(today, level) })
}

func (j *judge) dynamicEnvsWith(today bool, level int) step {
	names, known := j.allEnvNames(today)
	for _, e := range j.ev.Environments {
		if today && e.Dynamic {
			return yes(level, fmt.Sprintf("environment %q is created dynamically per change", e.Name))
		}
	}
	for _, n := range names {
		if envClass(n) == "review" {
			return yes(level, fmt.Sprintf("environment %q is created dynamically per change", n))
		}
	}
	if !known || !j.hostEnvs(today) {
		return unk(level, "no dynamically created (per-branch) environments in the tree; needs environment or deployment records (a GitHub or GitLab source)")
	}
	return no(level, "no dynamically created (per-branch) environments")
}

// hostEnvs reports whether the host's environment or deployment records
// were collected (without today, the deployment records only).
func (j *judge) hostEnvs(today bool) bool {
	return (today && j.ev.Has(model.KindEnvironments)) || j.ev.Has(model.KindDeployments)
}
