package classify

import (
	"context"
	"slices"
	"testing"

	"github.com/cdaudit/cdaudit/model"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// pathCats classifies one path alone, without contents.
func pathCats(t *testing.T, p string) []model.Category {
	t.Helper()
	tf, err := Classify(context.Background(), []string{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Category
	for c := range tf.Counts {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

type catCase struct {
	path string
	want []model.Category
}

func runCatCases(t *testing.T, cases []catCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			got := pathCats(t, tc.path)
			if d := cmp.Diff(tc.want, got, cmpopts.EquateEmpty(), cmpopts.SortSlices(func(a, b model.Category) bool { return a < b })); d != "" {
				t.Errorf("categories of %q (-want +got):\n%s", tc.path, d)
			}
		})
	}
}

const (
	build = model.CatBuildScript
	ci    = model.CatCIConfig
	ctr   = model.CatContainer
	comp  = model.CatCompose
	k8s   = model.CatKubernetes
	helm  = model.CatHelm
	kust  = model.CatKustomize
	scale = model.CatAutoscaling
	roll  = model.CatRollout
	iac   = model.CatIaC
	dep   = model.CatDeployScript
	envc  = model.CatEnvConfig
	mig   = model.CatMigration
	lint  = model.CatLinter
	sec   = model.CatSecurityScanner
	unit  = model.CatTestUnit
	integ = model.CatTestIntegration
	e2e   = model.CatTestE2E
	perf  = model.CatTestPerformance
	tsec  = model.CatTestSecurity
	bdd   = model.CatBDD
	tdata = model.CatTestData
	devc  = model.CatDevContainer
	pin   = model.CatToolchainPin
	lock  = model.CatLockfile
	vend  = model.CatVendor
	bot   = model.CatDependencyBot
	owner = model.CatCodeOwners
	cov   = model.CatCoverageConfig
	docs  = model.CatDocs
	src   = model.CatSource
)

func cats(c ...model.Category) []model.Category { return c }

func TestBuildScripts(t *testing.T) {
	runCatCases(t, []catCase{
		{"Makefile", cats(build)},
		{"build.sh", cats(build)},
		{"scripts/build-release.sh", cats(build)},
		{"go.mod", cats(build)},
		{"pom.xml", cats(build)},
		{"build.gradle", cats(build)},
		{"app/build.gradle.kts", cats(build)},
		{"package.json", cats(build)},
		{"Cargo.toml", cats(build)},
		{"CMakeLists.txt", cats(build)},
		{"setup.py", cats(build)},
		{"pyproject.toml", cats(build)},
		{"Rakefile", cats(build)},
		{"build.xml", cats(build)},
		{"justfile", cats(build)},
		{"Taskfile.yml", cats(build)},
		{"BUILD.bazel", cats(build)},
		{"WORKSPACE", cats(build)},
		{"MODULE.bazel", cats(build)},
		{"tools/defs.bzl", cats(build)},
		{"src/App/App.csproj", cats(build)},
		{"common.mk", cats(build)},
	})
}

func TestCIConfig(t *testing.T) {
	runCatCases(t, []catCase{
		{".github/workflows/ci.yml", cats(ci)},
		{".github/workflows/release.yaml", cats(ci)},
		{".github/workflows/codeql.yml", cats(ci, sec)},
		{".github/workflows/sub/not-a-workflow.yml", nil},
		{".github/actions/setup/action.yml", cats(ci)},
		{".gitlab-ci.yml", cats(ci)},
		{".gitlab/ci/build.yml", cats(ci)},
		{"ci/deploy.gitlab-ci.yml", cats(ci)},
		{"Jenkinsfile", cats(ci)},
		{"jenkins/release.Jenkinsfile", cats(ci)},
		{".circleci/config.yml", cats(ci)},
		{"azure-pipelines.yml", cats(ci)},
		{".travis.yml", cats(ci)},
		{"bitbucket-pipelines.yml", cats(ci)},
		{".drone.yml", cats(ci)},
		{".buildkite/pipeline.yml", cats(ci)},
		{".tekton/pipeline.yaml", cats(ci)},
		{"cloudbuild.yaml", cats(ci)},
		{".woodpecker/build.yml", cats(ci)},
		{".woodpecker.yml", cats(ci)},
		{"appveyor.yml", cats(ci)},
		{"buildspec.yml", cats(ci)},
		{".gitea/workflows/ci.yml", cats(ci)},
	})
}

func TestDeployAndEnvironments(t *testing.T) {
	runCatCases(t, []catCase{
		{"Dockerfile", cats(ctr)},
		{"docker/Dockerfile.dev", cats(ctr)},
		{"Containerfile", cats(ctr)},
		{"images/api.dockerfile", cats(ctr)},
		{"Dockerfile.md", cats(docs)},
		{"docker-compose.yml", cats(comp)},
		{"compose.yaml", cats(comp)},
		{"docker-compose.staging.yml", cats(comp, envc)},
		{"k8s/deployment.yaml", cats(k8s)},
		{"kubernetes/svc.yaml", cats(k8s)},
		{"charts/app/Chart.yaml", cats(helm)},
		{"charts/app/values.yaml", cats(helm)},
		{"charts/app/values-prod.yaml", cats(helm, envc)},
		{"charts/app/values-ingress.yaml", cats(helm)},
		{"kustomization.yaml", cats(kust)},
		{"deploy/overlays/staging/kustomization.yaml", cats(kust, envc)},
		{"deploy/overlays/staging/patch.yaml", cats(k8s, kust, envc)},
		{"k8s/hpa.yaml", cats(k8s, scale)},
		{"k8s/app-canary.yaml", cats(k8s, roll)},
		{"main.tf", cats(iac)},
		{"versions.tf", cats(build, iac)}, // a module's required_providers: its dependency manifest
		{"examples/simple/versions.tf", cats(docs)},
		{"infra/envs/prod/main.tf", cats(iac, envc)},
		{"terraform/prod.tfvars", cats(iac, envc)},
		{"Pulumi.yaml", cats(iac)},
		{"Pulumi.staging.yaml", cats(iac, envc)},
		{"cloudformation/stack.yaml", cats(iac)},
		{"stack.cfn.yaml", cats(iac)},
		{"ansible/site.yml", cats(iac)},
		{"playbooks/deploy.yml", cats(iac)},
		{"roles/web/tasks/main.yml", cats(iac)},
		{"Vagrantfile", cats(iac)},
		{"infra/main.bicep", cats(iac)},
		{"deploy.sh", cats(dep)},
		{"scripts/deploy-prod.sh", cats(dep)},
		{"Procfile", cats(dep)},
		{"app.yaml", cats(dep)},
		{"serverless.yml", cats(dep)},
		{"fly.toml", cats(dep)},
		{"skaffold.yaml", cats(dep)},
		{"Tiltfile", cats(dep)},
		{"helmfile.yaml", cats(dep, helm)},
		{".env.example", cats(envc)},
		{".env.production", cats(envc)},
		{"config/production.json", cats(envc)},
		{"config/environments/staging.rb", cats(envc)},
		{"src/main/resources/application-prod.yml", cats(envc)},
		{"appsettings.Production.json", cats(envc)},
		{"environments/qa/settings.yaml", cats(envc)},
		{"src/environments/environment.prod.ts", cats(envc)},
		{"src/environments/environment.ts", cats(src)},
		{"config/database.yml", nil},
		{"env/lib/python3.12/site.py", cats(src)},
	})
}

func TestMigrationPaths(t *testing.T) {
	runCatCases(t, []catCase{
		{"migrations/000001_init.up.sql", cats(mig)},
		{"db/migrations/20240101_users.down.sql", cats(mig)},
		{"src/main/resources/db/migration/V1__init.sql", cats(mig)},
		{"src/main/resources/db/migration/U2__undo.sql", cats(mig)},
		{"src/main/resources/db/changelog/db.changelog-master.yaml", cats(mig)},
		{"alembic/versions/abc123_add.py", cats(mig)},
		{"migrations/versions/abc123_add.py", cats(mig)},
		{"shop/migrations/0001_initial.py", cats(mig)},
		{"shop/migrations/__init__.py", nil},
		{"db/migrate/20240101000000_create_users.rb", cats(mig)},
		{"prisma/migrations/20240101_init/migration.sql", cats(mig)},
		{"migrations/20240101_x.js", cats(mig)},
		{"db/migrations/00001_init.sql", cats(mig)},
		{"flyway.conf", cats(mig)},
		{"alembic.ini", cats(mig)},
		{"CHANGELOG.md", cats(docs)},
	})
}

func TestQualityTooling(t *testing.T) {
	runCatCases(t, []catCase{
		{".golangci.yml", cats(lint)},
		{".eslintrc.json", cats(lint)},
		{"web/.eslintrc.cjs", cats(lint)},
		{"eslint.config.mjs", cats(lint)},
		{".prettierrc", cats(lint)},
		{"ruff.toml", cats(lint)},
		{".flake8", cats(lint)},
		{".pylintrc", cats(lint)},
		{"config/checkstyle/checkstyle.xml", cats(lint)},
		{".rubocop.yml", cats(lint)},
		{".editorconfig", nil},
		{"sonar-project.properties", cats(lint)},
		{".hadolint.yaml", cats(lint)},
		{".markdownlint.json", cats(lint)},
		{"clippy.toml", cats(lint)},
		{".stylelintrc.json", cats(lint)},
		{"phpcs.xml.dist", cats(lint)},
		{"config/detekt/detekt.yml", cats(lint)},
		{"spotbugs-exclude.xml", cats(lint)},
		// C/C++ and other well-known linter configuration (curl: .clang-tidy.yml,
		// .checksrc per directory for scripts/checksrc.pl)
		{".clang-tidy", cats(lint)},
		{".clang-tidy.yml", cats(lint)},
		{".clang-tidy.yaml", cats(lint)},
		{"src/.checksrc", cats(lint)},
		{"tests/server/.checksrc", cats(lint)},
		{"docs/examples/.checksrc", cats(docs)},
		{"CPPLINT.cfg", cats(lint)},
		{".perlcriticrc", cats(lint)},
		{".luacheckrc", cats(lint)},
		{"pyrightconfig.json", cats(lint)},
		{".github/scripts/typos.toml", cats(lint)},
		{".codespellrc", cats(lint)},
		{"lib/checksrc.c", cats(src)},
		{".github/codeql/codeql-config.yml", cats(sec)},
		{".semgrep.yml", cats(sec)},
		{".semgrep/rules.yml", cats(sec)},
		{"trivy.yaml", cats(sec)},
		{".trivyignore", cats(sec)},
		{".snyk", cats(sec)},
		{".gitleaks.toml", cats(sec)},
		{".bandit", cats(sec)},
		{"dependency-check-suppression.xml", cats(sec)},
		{"osv-scanner.toml", cats(sec)},
		{".github/dependabot.yml", cats(bot)},
		{"renovate.json", cats(bot)},
		{".github/renovate.json5", cats(bot)},
		{".renovaterc", cats(bot)},
		{"CODEOWNERS", cats(owner)},
		{".github/CODEOWNERS", cats(owner)},
		{"docs/CODEOWNERS", cats(owner, docs)},
		{"src/CODEOWNERS", nil},
		{"codecov.yml", cats(cov)},
		{".coveragerc", cats(cov)},
		{".nycrc.json", cats(cov)},
	})
}

func TestTestLayers(t *testing.T) {
	runCatCases(t, []catCase{
		{"pkg/store/store_test.go", cats(unit)},
		{"pkg/store/store.go", cats(src)},
		{"tests/test_api.py", cats(unit)},
		{"app/api_test.py", cats(unit)},
		{"src/app.test.ts", cats(unit)},
		{"src/components/Button.spec.tsx", cats(unit)},
		{"src/test/java/com/acme/AppTest.java", cats(unit)},
		{"spec/models/user_spec.rb", cats(unit)},
		{"tests/parse.rs", cats(unit)},
		{"tests/integration/test_db.py", cats(integ)},
		{"src/test/java/com/acme/StoreIT.java", cats(integ)},
		{"src/integrationTest/java/com/acme/Flow.java", cats(integ)},
		{"api-tests/orders.test.js", cats(integ)},
		{"pkg/db/db_integration_test.go", cats(integ)},
		{"tests/contract/consumer.pact.test.ts", cats(integ)},
		{"integration/suite_test.go", cats(integ)},
		{"cypress/e2e/login.cy.ts", cats(e2e)},
		{"cypress/support/commands.js", cats(e2e)},
		{"cypress/fixtures/user.json", cats(tdata)},
		{"playwright.config.ts", cats(e2e)},
		{"e2e/login.spec.ts", cats(e2e)},
		{"app/login.e2e.ts", cats(e2e)},
		{"test/e2e/framework/util.go", cats(e2e)},
		{"spec/system/checkout_spec.rb", cats(e2e)},
		{"load-tests/checkout.js", cats(perf)},
		{"perf/checkout.js", cats(perf)},
		{"tests/perf/checkout.js", cats(perf)},
		{"plan.jmx", cats(perf)},
		{"locustfile.py", cats(perf)},
		{"src/gatling/scala/CheckoutSimulation.scala", cats(perf)},
		{"bench/parse_bench.go", cats(perf)},
		{"pkg/parse/bench_test.go", cats(perf)},
		{"benches/parse.rs", cats(perf)},
		{"security-tests/auth_test.py", cats(tsec)},
		{"tests/security/test_auth.py", cats(tsec)},
		{".zap/rules.tsv", cats(tsec)},
		{"fuzz/fuzz_targets/parse.rs", cats(tsec)},
		{"features/login.feature", cats(bdd)},
		{"features/step_definitions/login_steps.rb", cats(bdd)},
		{"pkg/store/testdata/rows.json", cats(tdata)},
		{"spec/factories/users.rb", cats(tdata)},
		{"db/seeds.rb", cats(tdata)},
		{"src/__fixtures__/a.json", cats(tdata)},
		{"internal/testutil/db.go", nil},
		{"pkg/store/mock_store.go", nil},
	})
}

// TestInterfaceAndPerformanceByName: tests grouped by the protocol they
// drive are interface tests; benchmark harnesses and scripts are
// performance tests when a whole word of their name says so, not a
// substring (ephiperfifo.c), and never a unit test of a perf feature.
func TestInterfaceAndPerformanceByName(t *testing.T) {
	runCatCases(t, []catCase{
		{"tests/http/test_02_download.py", cats(integ)},
		{"tests/http/conftest.py", cats(integ)},
		{"tests/http/testenv/httpd.py", nil},
		{"tests/http/scorecard.py", cats(perf)},
		{"tests/perf_runner.py", cats(perf)},
		{"tests/throughputCheck.ts", cats(perf)},
		{"tests/ephiperfifo.c", cats(unit)},
		{"docs/examples/ephiperfifo.c", cats(docs)},
		{"collector/perf_linux_test.go", cats(unit)},
		{"pkg/scorecard/scorecard_test.go", cats(unit)},
		{"packages/vite/scripts/benchCircularImport.ts", cats(perf)},
		{"scripts/benchmark_parse.py", cats(perf)},
		{"hack/bench-startup.sh", cats(perf)},
		{"benchmark.py", cats(perf)},
		{"src/benchmark.rs", cats(src)},
		{"scripts/workbench.py", cats(src)},
		{"scripts/benchmarking_notes.md", cats(docs)},
		{"lib/perform_async.rb", cats(src)},
		{"src/http/client.go", cats(src)},
	})
}

func TestEnvToolingAndMisc(t *testing.T) {
	runCatCases(t, []catCase{
		{".devcontainer/devcontainer.json", cats(devc)},
		{".devcontainer/Dockerfile", cats(devc, ctr)},
		{".gitpod.yml", cats(devc)},
		{"devbox.json", cats(devc)},
		{"flake.nix", cats(devc)},
		{"shell.nix", cats(devc)},
		{".tool-versions", cats(pin)},
		{".nvmrc", cats(pin)},
		{".python-version", cats(pin)},
		{".go-version", cats(pin)},
		{"rust-toolchain.toml", cats(pin)},
		{".sdkmanrc", cats(pin)},
		{"go.sum", cats(lock)},
		{"package-lock.json", cats(lock)},
		{"web/yarn.lock", cats(lock)},
		{"pnpm-lock.yaml", cats(lock)},
		{"Cargo.lock", cats(lock)},
		{"poetry.lock", cats(lock)},
		{"Pipfile.lock", cats(lock)},
		{"uv.lock", cats(lock)},
		{"Gemfile.lock", cats(lock)},
		{"composer.lock", cats(lock)},
		{"gradle.lockfile", cats(lock)},
		{"mix.lock", cats(lock)},
		{"vendor/github.com/pkg/errors/errors.go", cats(vend)},
		{"vendor/modules.txt", cats(vend)},
		{"web/node_modules/left-pad/index.js", cats(vend)},
		{"third_party/zlib/zlib.c", cats(vend)},
		{"README.md", cats(docs)},
		{"docs/guide/intro.rst", cats(docs)},
		{"docs/conf.py", cats(docs)},
		{"api/v1/service.pb.go", nil},
		{"web/dist/app.min.js", nil},
		{"examples/hello/main.go", nil},
		{"cmd/app/main.go", cats(src)},
		{"lib/app.rb", cats(src)},
		{"src/lib.rs", cats(src)},
		{"LICENSE", nil},
	})
}

func TestFixturesAndExamplesAreNotDeliveryEvidence(t *testing.T) {
	td, docs := []model.Category{model.CatTestData}, []model.Category{model.CatDocs}
	runCatCases(t, []catCase{
		{"collectors/classify/testdata/repo-github/Makefile", td},
		{"testdata/repo/.gitlab-ci.yml", td},
		{"pkg/fixtures/.github/workflows/ci.yml", td},
		{"test/fixtures/k8s/deployment.yaml", td},
		{"internal/__fixtures__/Dockerfile", td},
		{"examples/k8s/deploy.yaml", docs},
		{"samples/Dockerfile", docs},
		// vite's playground apps (its e2e fixtures) are no environment config
		// and no build scripts of the product
		{"playground/env-nested/.env.production", docs},
		{"playground/css/package.json", docs},
	})
	// The project's own files around them still count.
	if got := pathCats(t, ".github/workflows/ci.yml"); !slices.Contains(got, model.CatCIConfig) {
		t.Errorf("the real CI config lost its category: %v", got)
	}
}
