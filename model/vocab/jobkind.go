package vocab

import (
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// jobKindOrder is the order JobKinds reports kinds in.
var jobKindOrder = [...]model.JobKind{model.JobBuild, model.JobTest, model.JobLint, model.JobSecurity,
	model.JobDeploy, model.JobMigration, model.JobRelease, model.JobPackage}

// jobWords maps a whole lower-case word to the kind it reveals.
var jobWords = func() map[string]model.JobKind {
	m := map[string]model.JobKind{}
	for kind, words := range map[model.JobKind][]string{
		model.JobBuild: {"build", "builds", "building", "compile", "compilation", "assemble", "bundle", "dist",
			"image", "images", "docker", "container", "containerize", "binaries", "binary", "webpack"},
		model.JobTest: {"test", "tests", "testing", "unittest", "unittests", "unit", "integration", "e2e",
			"acceptance", "spec", "specs", "smoke", "coverage", "cover", "bench", "benchmark", "benchmarks",
			"pytest", "jest", "vitest", "mocha", "jasmine", "karma", "cypress", "playwright", "selenium", "k6",
			"jmeter", "locust", "gatling", "rspec", "phpunit", "junit", "testng", "ginkgo", "behave", "cucumber",
			"bats", "tox", "nox", "ctest", "nextest", "gotestsum", "surefire", "failsafe", "perf", "loadtest",
			"e2etest", "e2etests", "itest", "regression", "functional"},
		model.JobLint: {"lint", "lints", "linter", "linters", "linting", "vet", "fmt", "format", "formatting",
			"style", "stylecheck", "staticcheck", "typecheck", "golangci", "eslint", "tslint", "stylelint",
			"prettier", "checkstyle", "pmd", "spotbugs", "sonar", "sonarqube", "sonarcloud", "detekt", "ktlint",
			"rubocop", "flake8", "pylint", "ruff", "mypy", "clippy", "rustfmt", "gofmt", "goimports", "revive",
			"hadolint", "shellcheck", "yamllint", "markdownlint", "actionlint", "tflint", "quality", "codequality",
			"commitlint", "megalinter", "superlinter", "codeclimate", "precommit"},
		model.JobSecurity: {"security", "sec", "sast", "dast", "secret", "secrets", "vuln", "vulns", "vulncheck",
			"vulnerability", "vulnerabilities", "audit", "scan", "scanning", "scanner", "codeql", "gosec",
			"govulncheck", "trivy", "semgrep", "snyk", "gitleaks", "trufflehog", "bandit", "grype", "checkov",
			"tfsec", "zap", "scorecard", "scorecards", "osv", "owasp", "cve", "fuzz", "fuzzing", "kics", "brakeman"},
		model.JobDeploy: {"deploy", "deploys", "deployment", "deployments", "deploying", "rollout", "promote",
			"promotion", "provision", "apply", "ship", "pages", "argocd"},
		model.JobMigration: {"migrate", "migration", "migrations", "migrator", "dbmigrate", "flyway", "liquibase",
			"alembic"},
		model.JobRelease: {"release", "releases", "releasing", "releaser", "goreleaser", "tag", "tagging"},
		model.JobPackage: {"publish", "publishing", "push", "package", "packaging", "registry", "twine"},
	} {
		for _, w := range words {
			m[w] = kind
		}
	}
	return m
}()

// jobPhrases are runs of whole words that reveal a kind none of their words
// does alone.
var jobPhrases = []struct {
	phrase string
	kind   model.JobKind
}{
	{"static analysis", model.JobLint}, {"pre commit", model.JobLint},
	{"code ql", model.JobSecurity}, {"secret detection", model.JobSecurity},
	{"dependency review", model.JobSecurity}, {"dependency check", model.JobSecurity},
	{"helm upgrade", model.JobDeploy}, {"helm install", model.JobDeploy},
	{"semantic release", model.JobRelease}, {"upload artifact", model.JobPackage},
}

// jobInfixes reveal a kind anywhere in a name ("golangci-lint", "run-pytest").
var jobInfixes = []struct {
	infix string
	kind  model.JobKind
}{
	{"pytest", model.JobTest}, {"phpunit", model.JobTest},
	{"golangci", model.JobLint}, {"eslint", model.JobLint}, {"sonar", model.JobLint},
	{"codeql", model.JobSecurity}, {"gosec", model.JobSecurity}, {"semgrep", model.JobSecurity},
	{"trivy", model.JobSecurity}, {"snyk", model.JobSecurity}, {"gitleaks", model.JobSecurity},
	{"trufflehog", model.JobSecurity},
	{"deploy", model.JobDeploy},
	{"flyway", model.JobMigration}, {"liquibase", model.JobMigration},
	{"goreleaser", model.JobRelease},
}

// WordJobKind is the kind one lower-case word reveals ("" for none): the
// dictionary JobKinds reads, plus words that start with "test" or end in
// "tests" (testsuite, apitests).
func WordJobKind(w string) model.JobKind {
	if k, ok := jobWords[w]; ok {
		return k
	}
	if strings.HasPrefix(w, "test") || strings.HasSuffix(w, "tests") {
		return model.JobTest
	}
	return ""
}

// JobKinds says what a CI job does from its texts (name, stage or step
// names), by keyword: whole lower-case words (so "ubuntu-latest" is no
// test), a few phrases of whole words, and a few tool names anywhere. A job
// may have several kinds ("build-and-test") or none; the result is in the
// order build, test, lint, security, deploy, migration, release, package.
func JobKinds(texts ...string) []model.JobKind {
	var found uint16 // bit i: jobKindOrder[i]
	mark := func(k model.JobKind) {
		for i, o := range jobKindOrder {
			if o == k {
				found |= 1 << i
			}
		}
	}
	for _, t := range texts {
		lt := strings.ToLower(t)
		words := strings.FieldsFunc(lt, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
		for _, w := range words {
			if k := WordJobKind(w); k != "" {
				mark(k)
			}
		}
		if len(words) > 1 {
			joined := " " + strings.Join(words, " ") + " "
			for _, p := range jobPhrases {
				if strings.Contains(joined, " "+p.phrase+" ") {
					mark(p.kind)
				}
			}
		}
		for _, x := range jobInfixes {
			if strings.Contains(lt, x.infix) {
				mark(x.kind)
			}
		}
	}
	var out []model.JobKind
	for i, k := range jobKindOrder {
		if found&(1<<i) != 0 {
			out = append(out, k)
		}
	}
	return out
}
