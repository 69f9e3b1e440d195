package measure

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// jobWords maps each job kind to the words that reveal it. A word with a
// space is a phrase of whole tokens; "~x" matches x anywhere in the text.
var jobWords = []struct {
	kind  model.JobKind
	words []string
}{
	{model.JobBuild, []string{"build", "builds", "compile", "compilation", "assemble", "bundle", "webpack"}},
	{model.JobTest, []string{"pytest", "unittest", "unittests", "jest", "vitest", "mocha", "jasmine", "karma",
		"rspec", "phpunit", "junit", "testng", "ctest", "nextest", "gotestsum", "tox", "nox", "cypress",
		"playwright", "selenium", "e2e", "spec", "specs", "cucumber", "behave", "bats", "surefire", "failsafe",
		"~pytest", "~phpunit"}},
	{model.JobLint, []string{"lint", "linter", "linters", "linting", "eslint", "tslint", "stylelint", "ruff",
		"flake8", "pylint", "mypy", "gofmt", "goimports", "vet", "staticcheck", "revive", "prettier", "rubocop",
		"checkstyle", "pmd", "spotbugs", "ktlint", "detekt", "shellcheck", "hadolint", "markdownlint",
		"yamllint", "clippy", "rustfmt", "fmt", "format", "formatting", "sonar", "sonarqube", "sonarcloud",
		"static analysis", "pre commit", "precommit", "~golangci", "~eslint", "~sonar"}},
	{model.JobSecurity, []string{"security", "sast", "dast", "codeql", "gosec", "govulncheck", "semgrep",
		"trivy", "grype", "snyk", "bandit", "audit", "gitleaks", "trufflehog", "zap", "owasp", "vulnerability",
		"vulnerabilities", "vuln", "vulncheck", "checkov", "tfsec", "kics", "brakeman", "scorecard",
		"secret detection", "secret scanning", "dependency scanning", "dependency review", "dependency check",
		"container scanning", "code ql", "~codeql", "~gosec", "~semgrep", "~trivy", "~snyk", "~gitleaks",
		"~trufflehog"}},
	{model.JobDeploy, []string{"deploy", "deploys", "deployment", "deploying", "rollout", "kubectl apply",
		"helm upgrade", "helm install", "terraform apply", "argocd", "~deploy"}},
	{model.JobMigration, []string{"migrate", "migration", "migrations", "flyway", "liquibase", "alembic",
		"~flyway", "~liquibase"}},
	{model.JobRelease, []string{"release", "releases", "releaser", "goreleaser", "semantic release", "~goreleaser"}},
	{model.JobPackage, []string{"publish", "package", "packaging", "docker push", "push image", "build push",
		"podman push", "npm publish", "twine", "upload artifact"}},
}

// ClassifyJob says what a CI job does from its name and step names, by
// keyword: build, test, lint, security, deploy, migration, release, package.
// Matching is on whole lower-case words (so "latest" is no test), the order
// of the result is that of the kinds above, and a job may have several
// kinds ("build-and-test") or none.
func ClassifyJob(name string, steps []string) []model.JobKind {
	texts := append([]string{name}, steps...)
	var toks []string
	var raw strings.Builder
	for _, t := range texts {
		lt := strings.ToLower(t)
		raw.WriteString(lt)
		raw.WriteByte('\n')
		toks = append(toks, strings.FieldsFunc(lt, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		})...)
		toks = append(toks, "") // no phrase across texts
	}
	joined := " " + strings.Join(toks, " ") + " "
	has := func(w string) bool {
		if s, ok := strings.CutPrefix(w, "~"); ok {
			return strings.Contains(raw.String(), s)
		}
		return strings.Contains(joined, " "+w+" ")
	}
	var out []model.JobKind
	for _, k := range jobWords {
		hit := false
		for _, w := range k.words {
			if has(w) {
				hit = true
				break
			}
		}
		if k.kind == model.JobTest && !hit {
			for _, t := range toks {
				if strings.HasPrefix(t, "test") || strings.HasSuffix(t, "tests") {
					hit = true
					break
				}
			}
		}
		if hit {
			out = append(out, k.kind)
		}
	}
	return out
}

// jobRan reports whether a job actually ran (not skipped, not an unplayed
// manual job).
func jobRan(j model.Job) bool {
	if j.Conclusion == "skipped" {
		return false
	}
	return !(j.Manual && j.Conclusion == "")
}

// ciJobKinds: share of completed trunk-push and pull-request runs with at
// least one job of a kind.
func ciJobKinds(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	kinds := []struct {
		id   model.MeasurementID
		kind model.JobKind
	}{
		{model.CIJobsTestRatio, model.JobTest},
		{model.CIJobsLintRatio, model.JobLint},
		{model.CIJobsSecurityRatio, model.JobSecurity},
	}
	why := ciWhyMissing(ev, model.KindRuns, model.KindJobs)
	if why == "" && ev.DefaultBranch == "" {
		why = whyNoTrunk
	}
	if why != "" {
		for _, k := range kinds {
			ms.SetUnknown(k.id, why)
		}
		return
	}
	var sample []model.Run
	for _, r := range runs {
		trunk := r.Trigger == model.TriggerPush && onTrunk(ev, r)
		if (trunk || r.Trigger == model.TriggerPullRequest) && runCompleted(r) && r.JobsKnown {
			sample = append(sample, r)
		}
	}
	// Classify every job once.
	runKinds := make([]map[model.JobKind]bool, len(sample))
	for i, r := range sample {
		runKinds[i] = map[model.JobKind]bool{}
		for _, j := range r.Jobs {
			if !jobRan(j) {
				continue
			}
			for _, k := range ClassifyJob(j.Name, j.Steps) {
				runKinds[i][k] = true
			}
		}
	}
	empty := whyNoRunsInWin
	if len(runs) > 0 {
		empty = "no completed trunk-push or pull-request run with known jobs in the window"
	}
	for _, k := range kinds {
		n := 0
		var without, with []model.Ref
		for i := len(sample) - 1; i >= 0; i-- {
			if runKinds[i][k.kind] {
				n++
				if len(with) < 3 {
					with = addRef(with, runRef(sample[i]))
				}
			} else {
				without = addRef(without, runRef(sample[i]))
			}
		}
		refs := without
		if len(refs) == 0 {
			refs = with
		}
		setRatio(ms, k.id, n, len(sample), empty, refs)
	}
}

// ciMaxStages caps the stages reported.
const ciMaxStages = 20

// ciStages: ci.stage_duration_seconds.<stage>.p50 for hosts that report job
// stages. A stage's duration in one run is the span from its first job's
// start to its last job's finish, else its longest job.
func ciStages(ev *model.Evidence, runs []model.Run, ms model.Measurements) {
	if !ev.Has(model.KindRuns, model.KindJobs) {
		return
	}
	samples := map[string][]ciSample{}
	for _, r := range runs {
		if !r.JobsKnown {
			continue
		}
		type span struct {
			from, to time.Time
			longest  float64
			timed    bool
			any      bool
		}
		spans := map[string]*span{}
		var order []string
		for _, j := range r.Jobs {
			st := idPart(j.Stage)
			if st == "" || !jobRan(j) {
				continue
			}
			sp := spans[st]
			if sp == nil {
				sp = &span{timed: true}
				spans[st] = sp
				order = append(order, st)
			}
			if j.StartedAt != nil && j.FinishedAt != nil {
				if sp.from.IsZero() || j.StartedAt.Before(sp.from) {
					sp.from = *j.StartedAt
				}
				if j.FinishedAt.After(sp.to) {
					sp.to = *j.FinishedAt
				}
			} else {
				sp.timed = false
			}
			d := -1.0
			switch {
			case j.Duration != nil:
				d = *j.Duration
			case j.StartedAt != nil && j.FinishedAt != nil:
				d = j.FinishedAt.Sub(*j.StartedAt).Seconds()
			}
			if d >= 0 {
				sp.longest = max(sp.longest, d)
				sp.any = true
			}
		}
		for _, st := range order {
			sp := spans[st]
			switch {
			case sp.timed && !sp.from.IsZero():
				samples[st] = append(samples[st], ciSample{sp.to.Sub(sp.from).Seconds(), runRef(r)})
			case sp.any:
				samples[st] = append(samples[st], ciSample{sp.longest, runRef(r)})
			}
		}
	}
	stages := sortedKeys(samples)
	slices.SortStableFunc(stages, func(a, b string) int { return cmp.Compare(len(samples[b]), len(samples[a])) })
	if len(stages) > ciMaxStages {
		stages = stages[:ciMaxStages]
	}
	for _, st := range stages {
		setPctiles(ms, samples[st], "", model.StageDurationP50ID(st))
	}
}
