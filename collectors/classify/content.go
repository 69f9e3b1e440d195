package classify

import (
	"bytes"
	"encoding/json"
	"strings"
)

// contentSink receives what file contents reveal.
type contentSink struct {
	cats   catSet
	tool   func(string)
	system string // CI system (Tekton manifests)
}

// k8sDoc is one YAML document's apiVersion and kind.
type k8sDoc struct {
	apiVersion, kind string
	apiSeen          bool // an apiVersion line, even a templated one
}

// scanK8s finds the top-level apiVersion and kind of every YAML document
// by lines, which also works for Helm templates that YAML cannot parse.
func scanK8s(data []byte) []k8sDoc {
	var out []k8sDoc
	var cur k8sDoc
	flush := func() {
		if cur.kind != "" {
			out = append(out, cur)
		}
		cur = k8sDoc{}
	}
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimRight(line, "\r")
		switch {
		case bytes.HasPrefix(line, []byte("---")):
			flush()
		case bytes.HasPrefix(line, []byte("apiVersion:")):
			cur.apiVersion = scalarValue(line[len("apiVersion:"):])
			cur.apiSeen = true
		case bytes.HasPrefix(line, []byte("kind:")):
			cur.kind = scalarValue(line[len("kind:"):])
		}
	}
	flush()
	return out
}

// scalarValue trims quotes and a trailing comment from a YAML scalar.
func scalarValue(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	s = strings.Trim(s, `"'`)
	if strings.Contains(s, "{{") {
		return ""
	}
	return s
}

// k8sContent classifies a manifest file by the kinds it declares.
func k8sContent(data []byte, s *contentSink) {
	docs := scanK8s(data)
	for _, d := range docs {
		if d.kind == "" {
			continue
		}
		group := ""
		if i := strings.IndexByte(d.apiVersion, '/'); i >= 0 {
			group = d.apiVersion[:i]
		}
		argo := strings.Contains(group, "argoproj.io")
		flux := strings.Contains(group, "fluxcd.io")
		switch d.kind {
		case "HorizontalPodAutoscaler":
			s.cats.add(cAutoscaling)
			s.tool("hpa")
		case "VerticalPodAutoscaler":
			s.cats.add(cAutoscaling)
			s.tool("vpa")
		case "ScaledObject", "ScaledJob":
			s.cats.add(cAutoscaling)
			s.tool("keda")
		case "NodePool", "Provisioner":
			if strings.Contains(group, "karpenter") {
				s.cats.add(cAutoscaling)
				s.tool("karpenter")
			}
		case "Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate", "Experiment":
			if argo {
				s.cats.add(cRollout)
				s.tool("argo-rollouts")
			}
		case "Canary":
			if strings.Contains(group, "flagger") {
				s.cats.add(cRollout)
				s.tool("flagger")
			}
		case "Application", "ApplicationSet", "AppProject":
			if argo {
				s.cats.add(cDeploy)
				s.tool("argocd")
			}
		case "HelmRelease", "GitRepository", "OCIRepository", "HelmRepository", "ImageUpdateAutomation":
			if flux {
				s.cats.add(cDeploy)
				s.tool("flux")
			}
		case "Kustomization", "Component":
			switch {
			case flux:
				s.cats.add(cDeploy)
				s.tool("flux")
			case strings.Contains(group, "kustomize.config.k8s.io"):
				s.cats.add(cKustomize)
				s.tool("kustomize")
			}
		case "Pipeline", "Task", "PipelineRun", "TaskRun", "TriggerTemplate", "EventListener":
			if strings.Contains(group, "tekton.dev") {
				s.cats.add(cCI)
				s.system = "tekton"
				s.tool("tekton")
			}
		case "Workflow", "WorkflowTemplate", "CronWorkflow":
			if argo {
				s.tool("argo-workflows")
			}
		}
		if d.apiSeen {
			s.cats.add(cK8s)
		}
		if strings.Contains(group, "serving.knative.dev") {
			s.tool("knative")
		}
	}
	if len(docs) == 0 {
		cfnContent(data, s)
	}
}

// cfnContent recognises CloudFormation and SAM templates.
func cfnContent(data []byte, s *contentSink) {
	if bytes.Contains(data, []byte("AWSTemplateFormatVersion")) || bytes.Contains(data, []byte("AWS::Serverless")) ||
		(bytes.Contains(data, []byte("Resources")) && bytes.Contains(data, []byte("Type: AWS::"))) ||
		bytes.Contains(data, []byte(`"Type": "AWS::`)) {
		s.cats.add(cIaC)
		s.tool("cloudformation")
		if bytes.Contains(data, []byte("AWS::Serverless")) {
			s.tool("aws-sam")
		}
	}
}

// packageJSON reads package.json: dependencies name tools, scripts name
// commands, and embedded jest/eslint/prettier configuration makes the
// file coverage or linter configuration.
func packageJSON(data []byte, s *contentSink, jsMigTool *string) {
	var p struct {
		Scripts              map[string]any  `json:"scripts"`
		Dependencies         map[string]any  `json:"dependencies"`
		DevDependencies      map[string]any  `json:"devDependencies"`
		OptionalDependencies map[string]any  `json:"optionalDependencies"`
		Jest                 json.RawMessage `json:"jest"`
		Nyc                  json.RawMessage `json:"nyc"`
		C8                   json.RawMessage `json:"c8"`
		ESLintConfig         json.RawMessage `json:"eslintConfig"`
		Prettier             json.RawMessage `json:"prettier"`
		Stylelint            json.RawMessage `json:"stylelint"`
		Release              json.RawMessage `json:"release"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return
	}
	for _, deps := range []map[string]any{p.Dependencies, p.DevDependencies, p.OptionalDependencies} {
		for name := range deps {
			if npmDBClients[name] {
				s.tool("db:" + strings.TrimPrefix(name, "@"))
			}
			t := npmTool(name)
			if t == "" {
				continue
			}
			s.tool(t)
			switch t {
			case "knex", "sequelize", "typeorm", "db-migrate", "node-pg-migrate", "umzug":
				if *jsMigTool == "" || t < *jsMigTool {
					*jsMigTool = t
				}
			}
		}
	}
	for _, v := range p.Scripts {
		if cmd, ok := v.(string); ok {
			textKinds(strings.ToLower(cmd), s.tool)
		}
	}
	if bytes.Contains(p.Jest, []byte("coverageThreshold")) || bytes.Contains(p.Nyc, []byte("check-coverage")) || bytes.Contains(p.C8, []byte("check-coverage")) {
		s.cats.add(cCoverage)
	}
	if len(p.ESLintConfig) > 0 {
		s.cats.add(cLinter)
		s.tool("eslint")
	}
	if len(p.Prettier) > 0 {
		s.cats.add(cLinter)
		s.tool("prettier")
	}
	if len(p.Stylelint) > 0 {
		s.cats.add(cLinter)
		s.tool("stylelint")
	}
	if len(p.Release) > 0 {
		s.tool("semantic-release")
	}
}

// npmTool maps an npm package name to a tool id.
func npmTool(name string) string {
	switch name {
	case "eslint", "prettier", "jest", "vitest", "mocha", "cypress", "puppeteer", "webdriverio", "artillery",
		"testcontainers", "supertest", "semantic-release", "release-it", "standard-version", "knex", "prisma",
		"typeorm", "sequelize", "db-migrate", "node-pg-migrate", "umzug", "husky", "lint-staged", "stylelint",
		"jscpd", "snyk", "audit-ci", "nyc", "c8", "msw", "nock", "oxlint", "tslint", "lighthouse", "karma",
		"jasmine", "ava", "tap", "nightwatch", "testcafe", "fishery", "sinon", "codecov", "retire", "storybook":
		return name
	case "@playwright/test", "playwright":
		return "playwright"
	case "selenium-webdriver":
		return "selenium"
	case "@wdio/cli":
		return "webdriverio"
	case "@cucumber/cucumber", "cucumber":
		return "cucumber"
	case "@types/k6", "k6":
		return "k6"
	case "@pact-foundation/pact":
		return "pact"
	case "@changesets/cli":
		return "changesets"
	case "@prisma/client":
		return "prisma"
	case "sequelize-cli":
		return "sequelize"
	case "@stryker-mutator/core":
		return "stryker"
	case "@faker-js/faker", "faker", "@faker-js/faker-cli":
		return "faker"
	case "@biomejs/biome":
		return "biome"
	case "eslint-plugin-security":
		return "eslint-plugin-security"
	case "eslint-plugin-sonarjs":
		return "sonarjs"
	case "@commitlint/cli":
		return "commitlint"
	case "@lhci/cli":
		return "lighthouse"
	case "@testing-library/react", "@testing-library/vue", "@testing-library/angular":
		return "testing-library"
	case "typescript":
		return ""
	}
	return ""
}

// manifestNeedle is a dependency string whose presence names a tool.
type manifestNeedle struct{ needle, tool string }

// Dependency needles per ecosystem (read-only).
var (
	goNeedles = []manifestNeedle{
		{"github.com/pressly/goose", "goose"}, {"github.com/golang-migrate/migrate", "golang-migrate"}, {"ariga.io/atlas", "atlas"},
		{"github.com/onsi/ginkgo", "ginkgo"}, {"github.com/cucumber/godog", "godog"}, {"github.com/stretchr/testify", "testify"},
		{"testcontainers", "testcontainers"}, {"github.com/brianvoe/gofakeit", "faker"}, {"github.com/go-faker/faker", "faker"},
		{"github.com/bxcodec/faker", "faker"}, {"go.uber.org/mock", "gomock"}, {"github.com/golang/mock", "gomock"},
		{"github.com/vektra/mockery", "mockery"}, {"github.com/rubenv/sql-migrate", "sql-migrate"}, {"pact-go", "pact"},
		{"github.com/securego/gosec", "gosec"}, {"honnef.co/go/tools", "staticcheck"}, {"golangci-lint", "golangci-lint"},
		{"github.com/goreleaser/goreleaser", "goreleaser"}, {"gotest.tools/gotestsum", "gotestsum"}, {"github.com/fzipp/gocyclo", "gocyclo"},
		{"golang.org/x/vuln", "govulncheck"},
	}
	jvmNeedles = []manifestNeedle{
		{"jacoco", "jacoco"}, {"checkstyle", "checkstyle"}, {"spotbugs", "spotbugs"}, {"maven-pmd-plugin", "pmd"}, {"\"pmd\"", "pmd"},
		{"id 'pmd'", "pmd"}, {"sonarqube", "sonarqube"}, {"sonar-maven-plugin", "sonarqube"}, {"dependency-check", "owasp-dependency-check"},
		{"flyway", "flyway"}, {"liquibase", "liquibase"}, {"junit", "junit"}, {"cucumber", "cucumber"}, {"gatling", "gatling"},
		{"jmh", "jmh"}, {"pitest", "pitest"}, {"archunit", "archunit"}, {"selenium", "selenium"}, {"rest-assured", "rest-assured"},
		{"wiremock", "wiremock"}, {"au.com.dius.pact", "pact"}, {"spotless", "spotless"}, {"detekt", "detekt"}, {"ktlint", "ktlint"},
		{"jib-maven-plugin", "jib"}, {"com.google.cloud.tools.jib", "jib"}, {"maven-failsafe-plugin", "failsafe"},
		{"datafaker", "faker"}, {"javafaker", "faker"}, {"instancio", "instancio"}, {"mockito", "mockito"}, {"errorprone", "errorprone"},
		{"error_prone", "errorprone"}, {"kover", "kover"},
	}
	rubyNeedles = []manifestNeedle{
		{"rubocop", "rubocop"}, {"rspec", "rspec"}, {"factory_bot", "factory-bot"}, {"'faker'", "faker"}, {"\"faker\"", "faker"},
		{"brakeman", "brakeman"}, {"bundler-audit", "bundler-audit"}, {"capistrano", "capistrano"}, {"capybara", "capybara"},
		{"simplecov", "simplecov"}, {"minitest", "minitest"}, {"'reek'", "reek"}, {"'flog'", "flog"}, {"'flay'", "flay"},
		{"kamal", "kamal"}, {"webmock", "webmock"}, {"'vcr'", "vcr"},
	}
	pythonNeedles = []manifestNeedle{
		{"pytest", "pytest"}, {"hypothesis", "hypothesis"}, {"locust", "locust"}, {"behave", "behave"}, {"pytest-bdd", "pytest-bdd"},
		{"factory-boy", "factory-boy"}, {"factory_boy", "factory-boy"}, {"alembic", "alembic"}, {"django", "django"},
		{"bandit", "bandit"}, {"safety", "safety"}, {"pip-audit", "pip-audit"}, {"ruff", "ruff"}, {"flake8", "flake8"},
		{"pylint", "pylint"}, {"mypy", "mypy"}, {"black", "black"}, {"pytest-cov", "coverage.py"}, {"coverage", "coverage.py"},
		{"playwright", "playwright"}, {"radon", "radon"}, {"xenon", "xenon"}, {"yoyo-migrations", "yoyo"}, {"mkdocs", "mkdocs"},
	}
	rustNeedles = []manifestNeedle{
		{"criterion", "criterion"}, {"proptest", "proptest"}, {"libfuzzer-sys", "cargo-fuzz"}, {"sqlx", "sqlx"},
		{"diesel", "diesel"}, {"refinery", "refinery"}, {"mockall", "mockall"}, {"insta", "insta"},
	}
	phpNeedles = []manifestNeedle{
		{"phpunit/phpunit", "phpunit"}, {"phpstan", "phpstan"}, {"vimeo/psalm", "psalm"}, {"squizlabs/php_codesniffer", "phpcs"},
		{"friendsofphp/php-cs-fixer", "php-cs-fixer"}, {"laravel/framework", "laravel"}, {"doctrine/migrations", "doctrine"},
		{"behat/behat", "behat"}, {"codeception", "codeception"}, {"fakerphp/faker", "faker"}, {"infection/infection", "infection"},
		{"phpmd", "phpmd"}, {"roave/security-advisories", "roave-security-advisories"}, {"pestphp/pest", "pest"},
		{"deployer/deployer", "deployer"},
	}
)

// manifestContent names the tools a dependency manifest pulls in.
func manifestContent(base string, data []byte, s *contentSink) {
	lower := bytes.ToLower(data)
	var needles []manifestNeedle
	switch {
	case base == "go.mod":
		needles = goNeedles
	case base == "pom.xml" || strings.HasPrefix(base, "build.gradle"):
		needles = jvmNeedles
	case base == "gemfile":
		needles = rubyNeedles
	case base == "cargo.toml":
		needles = rustNeedles
	case base == "composer.json":
		needles = phpNeedles
	default:
		needles = pythonNeedles
	}
	dbClients(base, lower, s.tool)
	jvm := base == "pom.xml" || strings.HasPrefix(base, "build.gradle")
	for _, n := range needles {
		if bytes.Contains(lower, []byte(n.needle)) {
			s.tool(n.tool)
			if jvm && jvmLinters[n.tool] {
				// a lint plugin the build applies is the linter's
				// configuration (rules, versions, which sources)
				s.cats.add(cLinter)
			}
		}
	}
}

// jvmLinters are the JVM build plugins that configure lint rules.
var jvmLinters = map[string]bool{"checkstyle": true, "spotbugs": true, "pmd": true, "spotless": true, "detekt": true,
	"ktlint": true, "errorprone": true}
