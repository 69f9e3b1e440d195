package classify

import (
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// kindSet is a set of job kinds.
type kindSet uint8

const (
	kBuild kindSet = 1 << iota
	kTest
	kLint
	kSecurity
	kDeploy
	kMigration
	kRelease
	kPackage
)

// list returns the kinds in a fixed order.
func (k kindSet) list() []model.JobKind {
	var out []model.JobKind
	for _, e := range [...]struct {
		bit  kindSet
		kind model.JobKind
	}{{kBuild, model.JobBuild}, {kTest, model.JobTest}, {kLint, model.JobLint}, {kSecurity, model.JobSecurity},
		{kDeploy, model.JobDeploy}, {kMigration, model.JobMigration}, {kRelease, model.JobRelease}, {kPackage, model.JobPackage}} {
		if k&e.bit != 0 {
			out = append(out, e.kind)
		}
	}
	return out
}

func kindsOf(list []model.JobKind) kindSet {
	var k kindSet
	for _, j := range list {
		switch j {
		case model.JobBuild:
			k |= kBuild
		case model.JobTest:
			k |= kTest
		case model.JobLint:
			k |= kLint
		case model.JobSecurity:
			k |= kSecurity
		case model.JobDeploy:
			k |= kDeploy
		case model.JobMigration:
			k |= kMigration
		case model.JobRelease:
			k |= kRelease
		case model.JobPackage:
			k |= kPackage
		}
	}
	return k
}

// jobSignals is what a CI job says about itself.
type jobSignals struct {
	names     []string // job id, display name
	stages    []string // stage names: used only when nothing else tells
	uses      []string // actions, orbs, tasks, plugin images
	runs      []string // shell commands
	deployEnv bool     // the job deploys to an environment
	notDeploy bool     // the job stops or prepares an environment
}

// classifyJob derives a job's kinds and reports the tools it uses.
func classifyJob(sig jobSignals, tool func(string)) kindSet {
	var k kindSet
	if sig.deployEnv {
		k |= kDeploy
	}
	for _, n := range sig.names {
		k |= wordsKinds(strings.ToLower(n))
	}
	for _, u := range sig.uses {
		k |= textKinds(strings.ToLower(u), tool)
		if strings.Contains(strings.ToLower(u), "deploy") {
			k |= kDeploy
		}
	}
	for _, r := range sig.runs {
		lr := strings.ToLower(r)
		k |= textKinds(lr, tool)
		k |= runnerKinds(lr)
	}
	if k == 0 {
		for _, s := range sig.stages {
			k |= wordsKinds(strings.ToLower(s))
		}
	}
	if sig.notDeploy {
		k &^= kDeploy
	}
	return k
}

// wordsKinds classifies a name (job, stage, script target) by its words.
func wordsKinds(s string) kindSet {
	var k kindSet
	if strings.Contains(s, "pre-commit") {
		k |= kLint
	}
	for s != "" {
		i := strings.IndexFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
		w := s
		if i >= 0 {
			w, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		k |= wordKind(w)
	}
	return k
}

func wordKind(w string) kindSet {
	switch w {
	case "test", "tests", "testing", "unittest", "unittests", "unit", "integration", "e2e", "acceptance", "spec", "specs",
		"smoke", "coverage", "cover", "bench", "benchmark", "benchmarks", "pytest", "jest", "vitest", "mocha", "cypress",
		"playwright", "selenium", "k6", "jmeter", "locust", "gatling", "rspec", "phpunit", "junit", "ginkgo", "behave",
		"cucumber", "tox", "nox", "ctest", "perf", "loadtest", "e2etest", "e2etests", "itest", "regression", "functional":
		return kTest
	case "lint", "lints", "linter", "linters", "linting", "vet", "fmt", "format", "formatting", "style", "stylecheck",
		"staticcheck", "typecheck", "golangci", "eslint", "prettier", "checkstyle", "pmd", "spotbugs", "sonar",
		"sonarqube", "sonarcloud", "detekt", "ktlint", "rubocop", "flake8", "pylint", "ruff", "mypy", "clippy",
		"hadolint", "shellcheck", "yamllint", "markdownlint", "actionlint", "tflint", "quality", "codequality",
		"commitlint", "megalinter", "superlinter", "codeclimate":
		return kLint
	case "security", "sec", "sast", "dast", "secret", "secrets", "vuln", "vulns", "vulnerability", "vulnerabilities",
		"audit", "scan", "scanning", "scanner", "codeql", "gosec", "govulncheck", "trivy", "semgrep", "snyk", "gitleaks",
		"trufflehog", "bandit", "grype", "checkov", "tfsec", "zap", "scorecard", "scorecards", "osv", "owasp", "cve",
		"fuzz", "fuzzing", "kics", "brakeman":
		return kSecurity
	case "deploy", "deployment", "deployments", "deploying", "rollout", "promote", "promotion", "provision", "apply",
		"ship", "pages":
		return kDeploy
	case "migrate", "migration", "migrations", "migrator", "dbmigrate", "flyway", "liquibase", "alembic":
		return kMigration
	case "release", "releases", "releasing", "goreleaser", "tag", "tagging":
		return kRelease
	case "publish", "publishing", "push", "package", "packaging", "registry":
		return kPackage
	case "build", "builds", "building", "compile", "compilation", "assemble", "bundle", "dist", "image", "images",
		"docker", "container", "containerize", "binaries", "binary":
		return kBuild
	}
	return 0
}
