package classify

import "strings"

// cmdRule maps a command or action fragment to kinds and a tool.
type cmdRule struct {
	pat  string
	k    kindSet
	tool string
}

// cmdRules is read-only.
var cmdRules = [...]cmdRule{
	// tests
	{"go test", kTest, ""}, {"gotestsum", kTest, "gotestsum"}, {"pytest", kTest, "pytest"}, {"py.test", kTest, "pytest"},
	{"python -m unittest", kTest, ""}, {"nosetests", kTest, ""}, {"npm test", kTest, ""}, {"npm t ", kTest, ""},
	{"yarn test", kTest, ""}, {"pnpm test", kTest, ""}, {"bun test", kTest, ""}, {"jest", kTest, "jest"},
	{"vitest", kTest, "vitest"}, {"mocha", kTest, "mocha"}, {"karma start", kTest, "karma"}, {"cypress run", kTest, "cypress"},
	{"cypress-io/github-action", kTest, "cypress"}, {"playwright test", kTest, "playwright"}, {"rspec", kTest, "rspec"},
	{"cucumber", kTest, "cucumber"}, {"behave", kTest, "behave"}, {"phpunit", kTest, "phpunit"}, {"pest ", kTest, "pest"},
	{"dotnet test", kTest, ""}, {"cargo test", kTest, ""}, {"cargo nextest", kTest, "nextest"}, {"ctest", kTest, "ctest"},
	{"mix test", kTest, ""}, {"sbt test", kTest, ""}, {"swift test", kTest, ""}, {"flutter test", kTest, ""},
	{"dart test", kTest, ""}, {"bats ", kTest, "bats"}, {"ginkgo", kTest, "ginkgo"}, {"tox ", kTest, "tox"}, {"tox\n", kTest, "tox"},
	{"nox ", kTest, "nox"}, {"k6 run", kTest, "k6"}, {"grafana/k6-action", kTest, "k6"}, {"grafana/run-k6-action", kTest, "k6"},
	{"jmeter", kTest, "jmeter"}, {"locust ", kTest, "locust"}, {"gatling", kTest, "gatling"}, {"newman run", kTest, "newman"},
	{"robot ", kTest, "robot-framework"}, {"bazel test", kTest, "bazel"}, {"bazelisk test", kTest, "bazel"},
	{"xcodebuild test", kTest, ""}, {"go-test-coverage", kTest, "go-test-coverage"}, {"codecov", 0, "codecov"},
	{"coveralls", 0, "coveralls"}, {"junit", 0, "junit-report"}, {"test-reporter", kTest, "junit-report"},
	{"publish-unit-test-result", kTest, "junit-report"}, {"testcontainers", kTest, "testcontainers"},
	{"stryker", kTest, "stryker"}, {"pitest", kTest, "pitest"}, {"schemathesis", kTest, "schemathesis"},
	{"pact", kTest, "pact"}, {"lighthouse", kTest, "lighthouse"}, {"lhci ", kTest, "lighthouse"},
	{"artillery run", kTest, "artillery"}, {"vegeta attack", kTest, "vegeta"},
	// lint and static analysis
	{"golangci-lint", kLint, "golangci-lint"}, {"golangci/golangci-lint-action", kLint, "golangci-lint"},
	{"go vet", kLint, "go-vet"}, {"staticcheck", kLint, "staticcheck"}, {"gofmt", kLint, "gofmt"},
	{"goimports", kLint, "goimports"}, {"revive", kLint, "revive"}, {"gocyclo", kLint, "gocyclo"}, {"gocognit", kLint, "gocognit"},
	{"eslint", kLint, "eslint"}, {"prettier --check", kLint, "prettier"}, {"prettier -c", kLint, "prettier"},
	{"tslint", kLint, "tslint"}, {"stylelint", kLint, "stylelint"}, {"ruff", kLint, "ruff"}, {"flake8", kLint, "flake8"},
	{"pylint", kLint, "pylint"}, {"mypy", kLint, "mypy"}, {"pyright", kLint, "pyright"}, {"black --check", kLint, "black"},
	{"isort --check", kLint, "isort"}, {"pycodestyle", kLint, "pycodestyle"}, {"radon", kLint, "radon"}, {"xenon", kLint, "xenon"},
	{"rubocop", kLint, "rubocop"}, {"standardrb", kLint, "standardrb"}, {"hadolint", kLint, "hadolint"},
	{"shellcheck", kLint, "shellcheck"}, {"yamllint", kLint, "yamllint"}, {"markdownlint", kLint, "markdownlint"},
	{"actionlint", kLint, "actionlint"}, {"tflint", kLint, "tflint"}, {"terraform fmt", kLint, "terraform"},
	{"terraform validate", kLint, "terraform"}, {"tofu validate", kLint, "opentofu"}, {"cargo clippy", kLint, "clippy"},
	{"cargo fmt", kLint, "rustfmt"}, {"ktlint", kLint, "ktlint"}, {"detekt", kLint, "detekt"}, {"checkstyle", kLint, "checkstyle"},
	{"spotless", kLint, "spotless"}, {"spotbugs", kLint, "spotbugs"}, {"pmd", kLint, "pmd"}, {"phpstan", kLint, "phpstan"},
	{"phpcs", kLint, "phpcs"}, {"psalm", kLint, "psalm"}, {"php-cs-fixer", kLint, "php-cs-fixer"}, {"swiftlint", kLint, "swiftlint"},
	{"clang-tidy", kLint, "clang-tidy"}, {"cppcheck", kLint, "cppcheck"}, {"sonar-scanner", kLint, "sonarqube"},
	{"sonarsource/", kLint, "sonarqube"}, {"sonar:sonar", kLint, "sonarqube"}, {"sonarqube", kLint, "sonarqube"},
	{"sonarcloud", kLint, "sonarqube"}, {"super-linter", kLint, "super-linter"}, {"megalinter", kLint, "megalinter"},
	{"mega-linter", kLint, "megalinter"}, {"reviewdog", kLint, "reviewdog"}, {"pre-commit", kLint, "pre-commit"},
	{"commitlint", kLint, "commitlint"}, {"buf lint", kLint, "buf"}, {"bufbuild/buf-lint-action", kLint, "buf"},
	{"squawk", kLint, "squawk"}, {"diesel-guard", kLint, "diesel-guard"}, {"atlas migrate lint", kLint, "atlas"}, {"ariga/atlas-action/migrate/lint", kLint, "atlas"},
	{"sqlfluff", kLint, "sqlfluff"}, {"jscpd", kLint, "jscpd"}, {"biome ", kLint, "biome"}, {"oxlint", kLint, "oxlint"},
	{"mix credo", kLint, "credo"}, {"dart analyze", kLint, "dart-analyzer"}, {"flutter analyze", kLint, "dart-analyzer"},
	{"helm lint", kLint, "helm"}, {"kube-linter", kLint, "kube-linter"}, {"kubeconform", kLint, "kubeconform"},
	{"kubeval", kLint, "kubeval"}, {"code_quality", kLint, "gitlab-code-quality"}, {"codeclimate", kLint, "codeclimate"},
	{"qodana", kLint, "qodana"}, {"deepsource", kLint, "deepsource"}, {"codacy", kLint, "codacy"}, {"vale ", kLint, "vale"},
	// security
	{"codeql", kSecurity, "codeql"}, {"gosec", kSecurity, "gosec"}, {"govulncheck", kSecurity, "govulncheck"},
	{"trivy", kSecurity, "trivy"}, {"semgrep", kSecurity, "semgrep"}, {"snyk", kSecurity, "snyk"},
	{"gitleaks", kSecurity, "gitleaks"}, {"trufflehog", kSecurity, "trufflehog"}, {"dependency-review", kSecurity, "dependency-review"},
	{"bandit", kSecurity, "bandit"}, {"safety check", kSecurity, "safety"}, {"safety scan", kSecurity, "safety"},
	{"pip-audit", kSecurity, "pip-audit"}, {"npm audit", kSecurity, "npm-audit"}, {"yarn audit", kSecurity, "npm-audit"},
	{"yarn npm audit", kSecurity, "npm-audit"}, {"pnpm audit", kSecurity, "npm-audit"}, {"audit-ci", kSecurity, "audit-ci"},
	{"grype", kSecurity, "grype"}, {"anchore", kSecurity, "grype"}, {"checkov", kSecurity, "checkov"}, {"tfsec", kSecurity, "tfsec"},
	{"terrascan", kSecurity, "terrascan"}, {"kics", kSecurity, "kics"}, {"osv-scanner", kSecurity, "osv-scanner"},
	{"dependency-check", kSecurity, "owasp-dependency-check"}, {"zaproxy", kSecurity, "zap"}, {"zap-baseline", kSecurity, "zap"},
	{"zap-full-scan", kSecurity, "zap"}, {"zap-api-scan", kSecurity, "zap"}, {"scorecard", kSecurity, "scorecard"},
	{"cargo audit", kSecurity, "cargo-audit"}, {"cargo deny", kSecurity, "cargo-deny"}, {"bundle audit", kSecurity, "bundler-audit"},
	{"bundler-audit", kSecurity, "bundler-audit"}, {"brakeman", kSecurity, "brakeman"}, {"nancy", kSecurity, "nancy"},
	{"retire ", kSecurity, "retire.js"}, {"detect-secrets", kSecurity, "detect-secrets"}, {"horusec", kSecurity, "horusec"},
	{"nuclei", kSecurity, "nuclei"}, {"docker scout", kSecurity, "docker-scout"}, {"dockle", kSecurity, "dockle"},
	{"kubesec", kSecurity, "kubesec"}, {"kube-bench", kSecurity, "kube-bench"}, {"ggshield", kSecurity, "ggshield"},
	{"gitguardian", kSecurity, "ggshield"}, {"talisman", kSecurity, "talisman"}, {"whitesource", kSecurity, "mend"},
	{"mend ", kSecurity, "mend"}, {"fossa", kSecurity, "fossa"}, {"license_finder", kSecurity, "license-finder"},
	{"sast", kSecurity, ""}, {"secret_detection", kSecurity, "gitlab-secret-detection"},
	{"dependency_scanning", kSecurity, "gitlab-dependency-scanning"}, {"container_scanning", kSecurity, "gitlab-container-scanning"},
	{"clair", kSecurity, "clair"}, {"syft", 0, "syft"}, {"cosign", 0, "cosign"}, {"zizmor", kSecurity, "zizmor"},
	// deploy
	{"kubectl apply", kDeploy, "kubectl"}, {"kubectl rollout", kDeploy, "kubectl"}, {"kubectl set image", kDeploy, "kubectl"},
	{"kubectl replace", kDeploy, "kubectl"}, {"kubectl create", kDeploy, "kubectl"}, {"kubectl patch", kDeploy, "kubectl"},
	{"helm upgrade", kDeploy, "helm"}, {"helm install", kDeploy, "helm"}, {"helm rollback", kDeploy, "helm"},
	{"helmfile", kDeploy, "helmfile"}, {"terraform apply", kDeploy, "terraform"}, {"terragrunt apply", kDeploy, "terragrunt"},
	{"terragrunt run-all apply", kDeploy, "terragrunt"}, {"tofu apply", kDeploy, "opentofu"}, {"pulumi up", kDeploy, "pulumi"},
	{"pulumi/actions", kDeploy, "pulumi"}, {"cdk deploy", kDeploy, "aws-cdk"}, {"sam deploy", kDeploy, "aws-sam"},
	{"serverless deploy", kDeploy, "serverless"}, {"sls deploy", kDeploy, "serverless"}, {"ansible-playbook", kDeploy, "ansible"},
	{"argocd app sync", kDeploy, "argocd"}, {"argocd app set", kDeploy, "argocd"}, {"flux reconcile", kDeploy, "flux"},
	{"skaffold run", kDeploy, "skaffold"}, {"skaffold deploy", kDeploy, "skaffold"}, {"gcloud run deploy", kDeploy, "gcloud"},
	{"gcloud app deploy", kDeploy, "gcloud"}, {"gcloud functions deploy", kDeploy, "gcloud"}, {"gcloud deploy", kDeploy, "gcloud"},
	{"az webapp", kDeploy, "azure-cli"}, {"az containerapp", kDeploy, "azure-cli"}, {"az deployment", kDeploy, "azure-cli"},
	{"az functionapp", kDeploy, "azure-cli"}, {"aws ecs update-service", kDeploy, "aws-cli"}, {"aws deploy", kDeploy, "aws-cli"},
	{"aws cloudformation deploy", kDeploy, "cloudformation"}, {"aws lambda update-function-code", kDeploy, "aws-cli"},
	{"eb deploy", kDeploy, "aws-elastic-beanstalk"}, {"fly deploy", kDeploy, "fly"}, {"flyctl deploy", kDeploy, "fly"},
	{"git push heroku", kDeploy, "heroku"}, {"heroku container:release", kDeploy, "heroku"}, {"vercel deploy", kDeploy, "vercel"},
	{"vercel --prod", kDeploy, "vercel"}, {"netlify deploy", kDeploy, "netlify"}, {"firebase deploy", kDeploy, "firebase"},
	{"wrangler deploy", kDeploy, "cloudflare-wrangler"}, {"wrangler publish", kDeploy, "cloudflare-wrangler"},
	{"cap production deploy", kDeploy, "capistrano"}, {"cap staging deploy", kDeploy, "capistrano"}, {"kamal deploy", kDeploy, "kamal"},
	{"docker stack deploy", kDeploy, "docker-swarm"}, {"docker service update", kDeploy, "docker-swarm"}, {"nomad job run", kDeploy, "nomad"},
	{"nomad run", kDeploy, "nomad"}, {"waypoint up", kDeploy, "waypoint"}, {"cf push", kDeploy, "cloud-foundry"},
	{"copilot deploy", kDeploy, "aws-copilot"}, {"kubectl argo rollouts", kDeploy, "argo-rollouts"},
	{"kubectl-argo-rollouts", kDeploy, "argo-rollouts"}, {"./deploy", kDeploy, ""}, {"deploy.sh", kDeploy, ""},
	{"scripts/deploy", kDeploy, ""}, {"actions/deploy-pages", kDeploy, ""}, {"actions-gh-pages", kDeploy, ""},
	{"github-pages-deploy-action", kDeploy, ""}, {"wrangler-action", kDeploy, "cloudflare-wrangler"},
	{"azure/webapps-deploy", kDeploy, ""}, {"azure/k8s-deploy", kDeploy, "kubectl"}, {"amazon-ecs-deploy", kDeploy, "aws-ecs"},
	{"deploy-cloudrun", kDeploy, "gcloud"}, {"deploy-appengine", kDeploy, "gcloud"}, {"heroku-deploy", kDeploy, "heroku"},
	{"flyctl-actions", kDeploy, "fly"}, {"octopus", kDeploy, "octopus-deploy"}, {"spinnaker", kDeploy, "spinnaker"},
	{"kustomize edit set image", kDeploy, "kustomize"},
	// database migrations
	{"migrate up", kMigration, "golang-migrate"}, {"migrate -path", kMigration, "golang-migrate"},
	{"migrate -database", kMigration, "golang-migrate"}, {"migrate/migrate", kMigration, "golang-migrate"},
	{"goose up", kMigration, "goose"}, {"goose -dir", kMigration, "goose"}, {"flyway migrate", kMigration, "flyway"},
	{"flyway -", kMigration, "flyway"}, {"flyway:migrate", kMigration, "flyway"}, {"flywaymigrate", kMigration, "flyway"},
	{"liquibase update", kMigration, "liquibase"}, {"liquibase:update", kMigration, "liquibase"}, {"update --changelog", kMigration, "liquibase"},
	{"alembic upgrade", kMigration, "alembic"}, {"manage.py migrate", kMigration, "django"}, {"db:migrate", kMigration, ""}, {"db:prepare", kMigration, "rails"},
	{"prisma migrate deploy", kMigration, "prisma"}, {"atlas migrate apply", kMigration, "atlas"}, {"atlas schema apply", kMigration, "atlas"},
	{"knex migrate", kMigration, "knex"}, {"sqitch deploy", kMigration, "sqitch"}, {"dbmate up", kMigration, "dbmate"},
	{"dbmate migrate", kMigration, "dbmate"}, {"typeorm migration:run", kMigration, "typeorm"}, {"migration:run", kMigration, ""},
	{"ef database update", kMigration, "ef-core"}, {"ecto.migrate", kMigration, "ecto"}, {"artisan migrate", kMigration, "laravel"},
	{"doctrine:migrations:migrate", kMigration, "doctrine"}, {"diesel migration run", kMigration, "diesel"},
	{"sqlx migrate run", kMigration, "sqlx"}, {"sql-migrate up", kMigration, "sql-migrate"}, {"node-pg-migrate up", kMigration, "node-pg-migrate"},
	// releases
	{"goreleaser", kRelease, "goreleaser"}, {"semantic-release", kRelease, "semantic-release"}, {"npm publish", kRelease, ""},
	{"yarn publish", kRelease, ""}, {"yarn npm publish", kRelease, ""}, {"pnpm publish", kRelease, ""}, {"cargo publish", kRelease, ""},
	{"twine upload", kRelease, "twine"}, {"poetry publish", kRelease, "poetry"}, {"flit publish", kRelease, ""}, {"uv publish", kRelease, ""},
	{"gem push", kRelease, ""}, {"release-please", kRelease, "release-please"}, {"action-gh-release", kRelease, ""},
	{"actions/create-release", kRelease, ""}, {"gh release create", kRelease, ""}, {"changesets/action", kRelease, "changesets"},
	{"changeset publish", kRelease, "changesets"}, {"release-it", kRelease, "release-it"}, {"standard-version", kRelease, "standard-version"},
	{"jreleaser", kRelease, "jreleaser"}, {"release-cli", kRelease, "gitlab-release-cli"}, {"lerna publish", kRelease, "lerna"},
	{"chart-releaser", kRelease, "helm"}, {"ncipollo/release-action", kRelease, ""}, {"mvn release:", kRelease, "maven"},
	{"pypa/gh-action-pypi-publish", kRelease, ""}, {"ghr ", kRelease, ""},
	// packages and images
	{"docker push", kPackage, "docker"}, {"docker image push", kPackage, "docker"}, {"podman push", kPackage, "podman"},
	{"buildah push", kPackage, "buildah"}, {"skopeo copy", kPackage, "skopeo"}, {"crane push", kPackage, "crane"},
	{"crane copy", kPackage, "crane"}, {"/kaniko/executor", kBuild | kPackage, "kaniko"}, {"ko build", kBuild | kPackage, "ko"},
	{"ko publish", kBuild | kPackage, "ko"}, {"ko apply", kDeploy | kPackage, "ko"}, {"jib:build", kBuild | kPackage, "jib"},
	{"helm push", kPackage, "helm"}, {"helm cm-push", kPackage, "helm"}, {"helm package", kBuild, "helm"},
	{"dotnet nuget push", kPackage, ""}, {"nuget push", kPackage, ""}, {"docker compose push", kPackage, "docker"},
	{"docker-compose push", kPackage, "docker"}, {"az acr build", kBuild | kPackage, "azure-cli"},
	{"gcloud builds submit", kBuild | kPackage, "gcloud"}, {"pack build", kBuild, "buildpacks"},
	{"gradle publish", kPackage, "gradle"}, {"gradlew publish", kPackage, "gradle"}, {"oras push", kPackage, "oras"},
	{"jfrog rt upload", kPackage, "jfrog"}, {"jf rt upload", kPackage, "jfrog"},
	// builds
	{"go build", kBuild, ""}, {"cargo build", kBuild, ""}, {"docker build", kBuild, "docker"}, {"docker buildx build", kBuild, "docker"},
	{"docker buildx bake", kBuild, "docker"}, {"docker compose build", kBuild, "docker"}, {"docker-compose build", kBuild, "docker"},
	{"build-push-action", kBuild, "docker"}, {"docker-build-push", kBuild | kPackage, "docker"}, {"bake-action", kBuild, "docker"}, {"bazel build", kBuild, "bazel"},
	{"bazelisk build", kBuild, "bazel"}, {"cmake", kBuild, "cmake"}, {"ninja", kBuild, ""}, {"msbuild", kBuild, ""},
	{"dotnet build", kBuild, ""}, {"dotnet publish", kBuild, ""}, {"tsc", kBuild, ""}, {"webpack", kBuild, "webpack"},
	{"vite build", kBuild, "vite"}, {"next build", kBuild, ""}, {"ng build", kBuild, ""}, {"python -m build", kBuild, ""},
	{"python setup.py", kBuild, ""}, {"pip wheel", kBuild, ""}, {"poetry build", kBuild, "poetry"}, {"uv build", kBuild, ""},
	{"sbt compile", kBuild, "sbt"}, {"sbt package", kBuild, "sbt"}, {"swift build", kBuild, ""}, {"xcodebuild", kBuild, ""},
	{"flutter build", kBuild, ""}, {"hugo", kBuild, "hugo"}, {"mkdocs build", kBuild, "mkdocs"}, {"jekyll build", kBuild, "jekyll"},
	{"earthly", kBuild, "earthly"}, {"dagger", kBuild, "dagger"}, {"nix build", kBuild, "nix"}, {"buildah bud", kBuild, "buildah"},
	{"buildah build", kBuild, "buildah"}, {"podman build", kBuild, "podman"}, {"packer build", kBuild, "packer"},
	{"goreleaser build", kBuild, "goreleaser"}, {"gradle assemble", kBuild, "gradle"},
}

// textKinds applies cmdRules to a lower-cased command or action text.
func textKinds(s string, tool func(string)) kindSet {
	var k kindSet
	for i := range cmdRules {
		r := &cmdRules[i]
		if containsAtWord(s, r.pat) {
			k |= r.k
			if r.tool != "" && tool != nil {
				tool(r.tool)
			}
		}
	}
	return k
}

// containsAtWord reports whether pat occurs in s at the start of a word.
func containsAtWord(s, pat string) bool {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], pat)
		if i < 0 {
			return false
		}
		i += off
		if (i == 0 || !wordByte(s[i-1]) || !wordByte(pat[0])) && !inertLine(s, i) {
			return true
		}
		off = i + 1
	}
	return false
}

// inertLine reports whether the command around s[i] only names the tool,
// not runs it: a comment, or a command that removes, lists, prints or moves files
// (`rmz -f /opt/hostedtoolcache/CodeQL` frees disk space; it runs no CodeQL).
func inertLine(s string, i int) bool {
	start := strings.LastIndexAny(s[:i], "\n;&|") + 1 // the command it is part of
	f := strings.Fields(s[start:i])
	if len(f) > 0 && f[0] == "sudo" {
		f = f[1:]
	}
	if len(f) == 0 {
		return false
	}
	if strings.HasPrefix(f[0], "#") {
		return true
	}
	switch f[0] {
	case "rm", "rmz", "rmdir", "ls", "du", "echo", "printf", "mkdir", "touch", "chmod", "chown", "cp", "mv", "cd":
		return true
	}
	return false
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 'A' && c <= 'Z'
}
