package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/model/vocab"
)

// The build plan (build.schedule) counts only builds of the product: CI
// jobs that build or test it (model.CIJob.BuildsProduct). A scheduled
// workflow that closes stale issues, syncs a mirror, updates dependencies
// or runs a scanner is housekeeping, not a periodic build.

// commitBuild holds when committed code starts a build of the product: a
// push, or a pull/merge request, whose every new commit is built before it
// lands (a project whose CI runs on pull requests only builds each commit
// there).
func (j *judge) commitBuild(level int) step {
	return anyOf(level, j.productBuild(level, model.TriggerPush), j.productBuild(level, model.TriggerPullRequest))
}

// productBuild holds when a job that builds or tests the product is started
// by trigger t, citing the file that declares it. Run records of trigger t
// whose jobs build the product count as well. When what starts the product
// build is decided outside the tree (a Jenkinsfile without triggers, GitLab
// pipeline schedules kept in GitLab), absence is unknown, not a failure.
func (j *judge) productBuild(level int, t model.Trigger) step {
	if s, ok := j.runsBuildProduct(level, t); ok {
		return s
	}
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	ci := j.ev.Tree.Facts.CI
	var files, other []string
	for _, job := range ci.Jobs {
		if !job.HasTrigger(string(t)) {
			continue
		}
		if job.BuildsProduct() {
			files = addOnce(files, job.File)
		} else {
			other = addOnce(other, job.File)
		}
	}
	if len(files) > 0 {
		refs := make([]model.Ref, 0, 4)
		for _, f := range files[:min(4, len(files))] {
			refs = append(refs, model.Ref{Kind: model.RefFile, Ref: f})
		}
		return yes(level, fmt.Sprintf("CI builds or tests the product on %s: %s", t, listShort(files)), refs...)
	}
	if why := outsideTree(ci, t); why != "" {
		return unk(level, fmt.Sprintf("no job that builds or tests the product is started by %s in the tree, and %s", t, why))
	}
	if len(other) > 0 {
		return no(level, fmt.Sprintf("the %s-triggered jobs do not build or test the product (housekeeping, scans or lint: %s)", t, listShort(other)))
	}
	return no(level, fmt.Sprintf("no job that builds or tests the product is started by %s", t))
}

// runsBuildProduct looks at run records of trigger t: it holds when one of
// them ran a job the tree classifies as building or testing the product,
// or a job (a Jenkins stage, say) whose own name tells a build or a test
// where the tree leaves it to a server or a shared library (a Jenkinsfile
// without triggers).
func (j *judge) runsBuildProduct(level int, t model.Trigger) (step, bool) {
	if !j.ev.Has(model.KindRuns) || j.ev.Tree == nil {
		return step{}, false
	}
	product := map[string]bool{}
	for _, job := range j.ev.Tree.Facts.CI.Jobs {
		if job.BuildsProduct() {
			product[strings.ToLower(job.Name)] = true
		}
	}
	byName := outsideTree(j.ev.Tree.Facts.CI, t) != ""
	builds := func(rj model.Job) bool {
		if product[strings.ToLower(rj.Name)] {
			return true
		}
		if !byName {
			return false
		}
		kinds := vocab.JobKinds(rj.Name)
		return slices.Contains(kinds, model.JobBuild) || slices.Contains(kinds, model.JobTest)
	}
	n := 0
	var ref model.Ref
	for _, r := range j.ev.Runs {
		if r.Trigger != t {
			continue
		}
		for _, rj := range r.Jobs {
			if builds(rj) {
				if n == 0 {
					ref = model.Ref{Kind: model.RefRun, Ref: r.ID, URL: r.URL}
				}
				n++
				break
			}
		}
	}
	if n == 0 {
		return step{}, false
	}
	return yes(level, fmt.Sprintf("%d %s-triggered run(s) built or tested the product", n, t), ref), true
}

// outsideTree says why what starts CI may be configured outside the tree,
// or "".
func outsideTree(ci model.CIFacts, t model.Trigger) string {
	for _, job := range ci.Jobs {
		if len(job.Triggers) == 0 && strings.EqualFold(lastElem(job.File), "Jenkinsfile") {
			return fmt.Sprintf("%s declares no triggers: the Jenkins server or a shared library decides what starts it", job.File)
		}
	}
	if t == model.TriggerSchedule && slices.Contains(ci.Systems, "gitlab-ci") {
		return "GitLab keeps pipeline schedules in the project's settings, not in the tree"
	}
	return ""
}

// onDemandRuns holds when run records show builds started on demand
// (manually or through the API): declaring a manual trigger does not show
// that on-demand builds are used.
func (j *judge) onDemandRuns(level int) step {
	if s, ok := j.needs(level, model.KindRuns); !ok {
		return s
	}
	n := 0
	var ref model.Ref
	for _, r := range j.ev.Runs {
		if r.Trigger == model.TriggerManual || r.Trigger == model.TriggerAPI {
			if n == 0 {
				ref = model.Ref{Kind: model.RefRun, Ref: r.ID, URL: r.URL}
			}
			n++
		}
	}
	if n == 0 {
		return no(level, fmt.Sprintf("none of the %d CI runs in the window was started on demand (manually or through the API)", len(j.ev.Runs)))
	}
	return yes(level, fmt.Sprintf("%d of %d CI runs were started on demand (manually or through the API)", n, len(j.ev.Runs)), ref)
}

func addOnce(l []string, v string) []string {
	if slices.Contains(l, v) {
		return l
	}
	return append(l, v)
}

func listShort(l []string) string {
	if len(l) > 4 {
		return strings.Join(l[:4], ", ") + fmt.Sprintf(" and %d more", len(l)-4)
	}
	return strings.Join(l, ", ")
}

func lastElem(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
