package classify

import "strings"

// byPattern handles files known by a name pattern or an extension.
func byPattern(f *fileInfo, pr *pathResult) {
	b := f.base
	if f.plain {
		codeToolFile(f, pr)
		return
	}
	doc := docExt(f.ext)

	// build scripts
	switch f.ext {
	case ".mk", ".bzl", ".cmake", ".gemspec", ".cabal", ".nimble":
		pr.add(cBuild)
	case ".csproj", ".fsproj", ".vbproj", ".sln":
		pr.add(cBuild)
		pr.tool("dotnet")
	}
	if (strings.HasPrefix(b, "build") && scriptExt(f.ext)) || strings.HasPrefix(b, "makefile.") {
		pr.add(cBuild)
	}

	// containers and compose
	if !doc && (strings.HasPrefix(b, "dockerfile") || strings.HasPrefix(b, "containerfile") ||
		strings.HasSuffix(b, ".dockerfile") || strings.HasSuffix(b, ".containerfile")) {
		pr.add(cContainer)
		pr.tool("docker")
	}
	if f.yaml() && (strings.HasPrefix(b, "docker-compose") || strings.HasPrefix(b, "compose.") ||
		strings.HasPrefix(b, "compose-") || strings.HasSuffix(f.stem, ".compose") || strings.HasSuffix(f.stem, "-compose")) {
		pr.add(cCompose)
		pr.tool("docker-compose")
	}

	// helm values and chart templates
	if f.yaml() && strings.HasPrefix(f.stem, "values") && (len(f.stem) == 6 || strings.ContainsRune("-._", rune(f.stem[6]))) {
		pr.add(cHelm)
	}
	if f.has(fHelm) && (f.d.last == "templates" || strings.Contains(f.dir, "/templates/")) && !doc {
		pr.add(cHelm)
	}

	// infrastructure as code
	switch {
	case f.ext == ".tf" || f.ext == ".tfvars" || strings.HasSuffix(b, ".tf.json") || strings.HasSuffix(b, ".tfvars.json") || f.ext == ".tofu":
		pr.add(cIaC)
		pr.tool("terraform")
		if (b == "versions.tf" || b == "terraform.tf") && !f.has(fExamples|fTestRoot|fTestData) {
			// required_version and required_providers: a Terraform
			// module's dependency manifest, as go.mod is a Go module's
			pr.add(cBuild)
		}
	case f.ext == ".bicep" || f.ext == ".bicepparam":
		pr.add(cIaC)
		pr.tool("bicep")
	case strings.HasSuffix(b, ".pkr.hcl") || strings.HasSuffix(b, ".pkr.json"):
		pr.add(cIaC)
		pr.tool("packer")
	case f.ext == ".pp" && !f.has(fTestRoot):
		pr.add(cIaC)
		pr.tool("puppet")
	case f.ext == ".sls":
		pr.add(cIaC)
		pr.tool("salt")
	case f.ext == ".nomad" || strings.HasSuffix(b, ".nomad.hcl"):
		pr.add(cDeploy)
		pr.tool("nomad")
	case strings.HasPrefix(b, "pulumi.") && f.yaml():
		pr.add(cIaC)
		pr.tool("pulumi")
	}
	if strings.HasSuffix(f.stem, ".cfn") || (strings.HasSuffix(f.stem, ".template") && (f.yaml() || f.ext == ".json")) || (f.has(fCFN) && (f.yaml() || f.ext == ".json")) {
		pr.add(cIaC)
		pr.tool("cloudformation")
		if f.yaml() || f.ext == ".json" {
			pr.want = wantCFN
		}
	}
	if f.has(fAnsible) && (f.yaml() || f.ext == "" || f.ext == ".ini" || f.ext == ".j2" || f.ext == ".cfg") && !f.has(fTestRoot|fTestData) {
		pr.add(cIaC)
		pr.tool("ansible")
	} else if strings.HasPrefix(b, "playbook") && f.yaml() {
		pr.add(cIaC)
		pr.tool("ansible")
	}

	// deploy scripts
	if (strings.HasPrefix(b, "deploy") || strings.HasPrefix(b, "rollback") || strings.HasPrefix(b, "rollout")) && scriptExt(f.ext) {
		pr.add(cDeploy)
	}
	if strings.HasPrefix(f.dir, ".ebextensions") || strings.HasPrefix(f.dir, ".platform/hooks") {
		pr.add(cDeploy)
		pr.tool("aws-elastic-beanstalk")
	}
	if f.d.parent == "copilot" && b == "manifest.yml" {
		pr.add(cDeploy)
		pr.tool("aws-copilot")
	}

	// dev environments
	if f.inDir(".devcontainer") {
		pr.add(cDevContainer)
		pr.tool("devcontainer")
	}

	// tests known by tool files
	switch {
	case b == "locustfile.py":
		pr.add(cTestPerf)
		pr.tool("locust")
	case f.ext == ".jmx":
		pr.add(cTestPerf)
		pr.tool("jmeter")
	case strings.HasPrefix(b, "artillery") && f.yaml():
		pr.add(cTestPerf)
		pr.tool("artillery")
	case strings.Contains(b, ".k6.") || (f.inDir("k6") && jsExt(f.ext)):
		pr.add(cTestPerf)
		pr.tool("k6")
	case strings.HasPrefix(b, "cypress.config.") || b == "cypress.json":
		pr.add(cTestE2E)
		pr.tool("cypress")
	case strings.HasPrefix(b, "playwright.config.") || strings.HasPrefix(b, "playwright-ct.config."):
		pr.add(cTestE2E)
		pr.tool("playwright")
		if e2eRunnerConfig(b) {
			pr.want = wantJSTestConfig // its testDir / testMatch (e2econfig.go)
		}
	case strings.HasPrefix(b, "wdio.") && strings.Contains(b, ".conf."):
		pr.add(cTestE2E)
		pr.tool("webdriverio")
	case strings.HasPrefix(b, "nightwatch.conf"):
		pr.add(cTestE2E)
		pr.tool("nightwatch")
	case f.inDir(".zap") || strings.HasPrefix(b, "zap") && (f.yaml() || f.ext == ".conf" || f.ext == ".tsv" || f.ext == ".context" || f.ext == ".policy"):
		pr.add(cTestSecurity)
		pr.tool("zap")
	case strings.HasPrefix(b, "jest.config.") || strings.HasPrefix(b, "vitest.config.") || strings.HasPrefix(b, "vite.config.") || e2eRunnerConfig(b):
		pr.want = wantJSTestConfig
		if strings.HasPrefix(b, "jest.") {
			pr.tool("jest")
		} else if strings.HasPrefix(b, "vitest.") {
			pr.tool("vitest")
		}
	case b == "pytest.ini":
		pr.tool("pytest")
	case b == "behat.yml" || b == "cucumber.yml" || b == "cucumber.js" || strings.HasPrefix(b, ".cucumber"):
		pr.add(cBDD)
		pr.tool(strings.TrimSuffix(strings.TrimPrefix(f.stem, "."), "rc"))
	}

	linterName(f, pr)
	securityName(f, pr)
}

// linterName recognises linter and analyser configuration.
func linterName(f *fileInfo, pr *pathResult) {
	b := f.base
	t := ""
	switch b {
	case ".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json":
		t = "golangci-lint"
		pr.want = wantLintConfig
	case "ruff.toml", ".ruff.toml":
		t = "ruff"
		pr.want = wantLintConfig
	case ".flake8":
		t = "flake8"
		pr.want = wantPyIni
	case ".pylintrc", "pylintrc":
		t = "pylint"
	case "mypy.ini", ".mypy.ini":
		t = "mypy"
	case ".isort.cfg":
		t = "isort"
	case ".rubocop.yml", ".rubocop_todo.yml", ".rubocop.yaml":
		t = "rubocop"
	case ".standard.yml":
		t = "standardrb"
	case "sonar-project.properties", ".sonarcloud.properties":
		t = "sonarqube"
	case ".hadolint.yaml", ".hadolint.yml":
		t = "hadolint"
	case "clippy.toml", ".clippy.toml":
		t = "clippy"
	case "rustfmt.toml", ".rustfmt.toml":
		t = "rustfmt"
	case "phpcs.xml", "phpcs.xml.dist", ".phpcs.xml", ".phpcs.xml.dist":
		t = "phpcs"
	case "phpstan.neon", "phpstan.neon.dist", "phpstan.dist.neon":
		t = "phpstan"
	case "psalm.xml", "psalm.xml.dist":
		t = "psalm"
	case "detekt.yml", "detekt.yaml", "detekt-config.yml":
		t = "detekt"
	case ".scalafmt.conf":
		t = "scalafmt"
	case ".scalafix.conf":
		t = "scalafix"
	case ".swiftlint.yml", ".swiftlint.yaml":
		t = "swiftlint"
	case ".swiftformat":
		t = "swiftformat"
	case ".clang-tidy", ".clang-tidy.yml", ".clang-tidy.yaml":
		t = "clang-tidy"
	case ".clang-format", ".clang-format.yml", ".clang-format.yaml":
		t = "clang-format"
	case ".checksrc":
		t = "checksrc" // curl's style checker, per directory
	case "cpplint.cfg":
		t = "cpplint"
	case ".uncrustify.cfg", "uncrustify.cfg":
		t = "uncrustify"
	case ".astylerc", "_astylerc":
		t = "astyle"
	case ".cmake-format.yaml", ".cmake-format.py", ".cmake-format.json", ".cmakelintrc":
		t = "cmake-lint"
	case ".perlcriticrc", "perlcriticrc":
		t = "perlcritic"
	case ".perltidyrc":
		t = "perltidy"
	case ".luacheckrc":
		t = "luacheck"
	case "stylua.toml", ".stylua.toml":
		t = "stylua"
	case "selene.toml":
		t = "selene"
	case "pyrightconfig.json":
		t = "pyright"
	case ".pydocstyle", ".pycodestyle":
		t = strings.TrimPrefix(b, ".")
	case ".hlint.yaml":
		t = "hlint"
	case ".ocamlformat":
		t = "ocamlformat"
	case ".erb-lint.yml", ".erb_lint.yml", ".haml-lint.yml", ".slim-lint.yml", ".scss-lint.yml":
		t = strings.TrimSuffix(strings.TrimPrefix(b, "."), ".yml")
	case ".spectral.yaml", ".spectral.yml", ".spectral.json":
		t = "spectral"
	case "typos.toml", "_typos.toml", ".typos.toml":
		t = "typos"
	case ".codespellrc":
		t = "codespell"
	case ".yamllint", ".yamllint.yml", ".yamllint.yaml":
		t = "yamllint"
	case ".shellcheckrc":
		t = "shellcheck"
	case ".jscpd.json", ".jscpd.yml", ".jscpd.yaml":
		t = "jscpd"
	case "biome.json", "biome.jsonc":
		t = "biome"
	case ".oxlintrc.json":
		t = "oxlint"
	case "tslint.json":
		t = "tslint"
	case ".jshintrc":
		t = "jshint"
	case ".credo.exs":
		t = "credo"
	case "analysis_options.yaml":
		t = "dart-analyzer"
	case ".pre-commit-config.yaml", ".pre-commit-config.yml":
		t = "pre-commit"
	case ".sqlfluff":
		t = "sqlfluff"
	case "squawk.toml", ".squawk.toml":
		t = "squawk"
	case "buf.yaml":
		t = "buf"
	case "stylecop.json":
		t = "stylecop"
	case ".codeclimate.yml", ".codeclimate.yaml":
		t = "codeclimate"
	case "revive.toml", ".revive.toml":
		t = "revive"
	case "staticcheck.conf":
		t = "staticcheck"
	case ".htmlhintrc":
		t = "htmlhint"
	case ".lintr":
		t = "lintr"
	case ".tflint.hcl", "tflint.hcl":
		t = "tflint"
	case ".ansible-lint", ".ansible-lint.yml", ".ansible-lint.yaml":
		t = "ansible-lint"
	case ".kube-linter.yaml", ".kube-linter.yml":
		t = "kube-linter"
	case ".eslintignore":
		t = "eslint"
	case ".prettierignore":
		t = "prettier"
	case ".mega-linter.yml", ".mega-linter.yaml":
		t = "megalinter"
	case "findbugs-exclude.xml":
		t = "spotbugs"
	case ".vale.ini":
		t = "vale"
	case "pmd.xml", "pmd-ruleset.xml", "pmd-rules.xml":
		t = "pmd"
	}
	if t == "" {
		switch {
		case strings.HasPrefix(b, ".eslintrc") || strings.HasPrefix(b, "eslint.config."):
			t = "eslint"
			pr.want = wantLintConfig
		case strings.HasPrefix(b, ".prettierrc") || strings.HasPrefix(b, "prettier.config."):
			t = "prettier"
		case strings.HasPrefix(b, ".stylelintrc") || strings.HasPrefix(b, "stylelint.config."):
			t = "stylelint"
		case strings.HasPrefix(b, ".markdownlint") || strings.HasPrefix(b, "markdownlint"):
			t = "markdownlint"
		case strings.HasPrefix(b, "checkstyle") && f.ext == ".xml":
			t = "checkstyle"
		case strings.HasPrefix(b, "spotbugs") && f.ext == ".xml":
			t = "spotbugs"
		case strings.HasPrefix(b, ".php-cs-fixer") || strings.HasPrefix(b, ".php_cs"):
			t = "php-cs-fixer"
		case strings.HasPrefix(b, ".commitlintrc") || strings.HasPrefix(b, "commitlint.config."):
			t = "commitlint"
		case strings.HasPrefix(b, "detekt") && f.yaml() && strings.Contains(f.dir, "detekt"):
			t = "detekt"
		case strings.HasPrefix(b, ".lintstagedrc") || strings.HasPrefix(b, "lint-staged.config."):
			t = "lint-staged"
		}
	}
	if t != "" {
		pr.add(cLinter)
		pr.tool(t)
	}
}

// securityName recognises security scanner configuration.
func securityName(f *fileInfo, pr *pathResult) {
	b := f.base
	t := ""
	switch b {
	case "codeql-config.yml", "codeql-config.yaml", "codeql.yml", "codeql.yaml", "codeql-analysis.yml", "codeql-analysis.yaml":
		t = "codeql"
	case ".gosec.json", "gosec.json", ".gosec.yml", ".gosec.yaml":
		t = "gosec"
	case "trivy.yaml", "trivy.yml", ".trivyignore", ".trivyignore.yaml", "trivy-secret.yaml", "trivy.yaml.tmpl":
		t = "trivy"
	case ".snyk":
		t = "snyk"
	case ".gitleaks.toml", "gitleaks.toml", ".gitleaksignore":
		t = "gitleaks"
	case "dependency-review-config.yml", "dependency-review-config.yaml", "dependency-review.yml", "dependency-review.yaml":
		t = "dependency-review"
	case ".bandit", "bandit.yml", "bandit.yaml", ".bandit.yml", ".bandit.yaml":
		t = "bandit"
	case "dependency-check-suppression.xml", "dependency-check-suppressions.xml", "owasp-suppressions.xml", "owasp-suppression.xml", "dependency-check.properties":
		t = "owasp-dependency-check"
	case "osv-scanner.toml":
		t = "osv-scanner"
	case ".grype.yaml", ".grype.yml":
		t = "grype"
	case ".checkov.yml", ".checkov.yaml":
		t = "checkov"
	case "tfsec.yml", "tfsec.yaml", ".tfsec.yml":
		t = "tfsec"
	case "kics.config", ".kics.config", "kics.yml":
		t = "kics"
	case ".secrets.baseline":
		t = "detect-secrets"
	case ".talismanrc":
		t = "talisman"
	case ".whitesource", "whitesource.config":
		t = "mend"
	case ".fossa.yml", ".fossa.yaml":
		t = "fossa"
	case ".gitguardian.yml", ".gitguardian.yaml":
		t = "ggshield"
	case "audit-ci.json", "audit-ci.jsonc":
		t = "audit-ci"
	case ".retireignore.json", ".retireignore":
		t = "retire.js"
	case "deny.toml":
		t = "cargo-deny"
	case "audit.toml":
		if f.dir == ".cargo" {
			t = "cargo-audit"
		}
	case ".bundler-audit.yml":
		t = "bundler-audit"
	case "brakeman.ignore", "brakeman.yml":
		t = "brakeman"
	case "safety-policy.yml", ".safety-policy.yml":
		t = "safety"
	case "scorecard.yml", "scorecards.yml", "scorecard.yaml":
		t = "scorecard"
	case "zizmor.yml", ".github/zizmor.yml":
		t = "zizmor"
	}
	if t == "" {
		switch {
		case f.inDir(".github/codeql"):
			t = "codeql"
		case strings.HasPrefix(b, ".semgrep") || (strings.HasPrefix(b, "semgrep") && f.yaml()) || f.inDir(".semgrep"):
			t = "semgrep"
		case f.inDir(".tfsec"):
			t = "tfsec"
		case strings.HasPrefix(b, ".trufflehog") || strings.HasPrefix(b, "trufflehog"):
			t = "trufflehog"
		case strings.HasPrefix(b, "dependency-check") && f.ext == ".xml":
			t = "owasp-dependency-check"
		}
	}
	if t != "" {
		pr.add(cSecurity)
		pr.tool(t)
	}
	// workflows named for a security scan
	if f.dir == ".github/workflows" && f.yaml() {
		for _, w := range [...]string{"security", "sast", "dast", "trivy", "snyk", "semgrep", "gitleaks", "secret", "vuln", "osv", "gosec", "grype", "anchore"} {
			if strings.Contains(b, w) {
				pr.add(cSecurity)
				break
			}
		}
	}
}

func scriptExt(ext string) bool {
	switch ext {
	case ".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd", ".fish":
		return true
	}
	return false
}

func jsExt(ext string) bool {
	switch ext {
	case ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts":
		return true
	}
	return false
}

func docExt(ext string) bool {
	switch ext {
	case ".md", ".mdx", ".rst", ".adoc", ".asciidoc", ".markdown", ".txt", ".org":
		return true
	}
	return false
}

// codeToolFile handles tool configuration written in a programming
// language (cypress.config.ts, eslint.config.js, locustfile.py…): the only
// pattern rules an ordinary source file can meet.
func codeToolFile(f *fileInfo, pr *pathResult) {
	b := f.base
	t, c := "", cat(numCats)
	switch {
	case b == "locustfile.py":
		t, c = "locust", cTestPerf
	case strings.Contains(b, ".k6.") || (f.inDir("k6") && jsExt(f.ext)):
		t, c = "k6", cTestPerf
	case strings.HasPrefix(b, "cypress.config."):
		t, c = "cypress", cTestE2E
	case strings.HasPrefix(b, "playwright.config.") || strings.HasPrefix(b, "playwright-ct.config."):
		t, c = "playwright", cTestE2E
		if e2eRunnerConfig(b) {
			pr.want = wantJSTestConfig // its testDir / testMatch (e2econfig.go)
		}
	case strings.HasPrefix(b, "wdio.") && strings.Contains(b, ".conf."):
		t, c = "webdriverio", cTestE2E
	case strings.HasPrefix(b, "nightwatch.conf"):
		t, c = "nightwatch", cTestE2E
	case strings.HasPrefix(b, "jest.config.") || strings.HasPrefix(b, "vitest.config.") || strings.HasPrefix(b, "vite.config.") || e2eRunnerConfig(b):
		pr.want = wantJSTestConfig
		if strings.HasPrefix(b, "jest.") {
			pr.tool("jest")
		} else if strings.HasPrefix(b, "vitest.") {
			pr.tool("vitest")
		}
		return
	case b == "cucumber.js":
		t, c = "cucumber", cBDD
	case strings.HasPrefix(b, "eslint.config."):
		t, c = "eslint", cLinter
		pr.want = wantLintConfig
	case strings.HasPrefix(b, "prettier.config."):
		t, c = "prettier", cLinter
	case strings.HasPrefix(b, "stylelint.config."):
		t, c = "stylelint", cLinter
	case strings.HasPrefix(b, "commitlint.config."):
		t, c = "commitlint", cLinter
	case strings.HasPrefix(b, "lint-staged.config."):
		t, c = "lint-staged", cLinter
	default:
		return
	}
	pr.tool(t)
	if c != numCats {
		pr.add(c)
	}
}
