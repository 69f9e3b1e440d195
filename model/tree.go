package model

// Category is one evidence category of files in the tree (see cd-model.md).
type Category string

// The file categories the tree classifier knows.
const (
	CatBuildScript     Category = "build-script"     // Makefile, build.sh, go.mod, pom.xml, package.json scripts…
	CatCIConfig        Category = "ci-config"        // .github/workflows, .gitlab-ci.yml, Jenkinsfile…
	CatContainer       Category = "container"        // Dockerfile, Containerfile
	CatCompose         Category = "compose"          // docker-compose / compose files
	CatKubernetes      Category = "kubernetes"       // manifests with apiVersion/kind
	CatHelm            Category = "helm"             // Chart.yaml, values*.yaml
	CatKustomize       Category = "kustomize"        // kustomization.yaml, overlays
	CatAutoscaling     Category = "autoscaling"      // HorizontalPodAutoscaler, KEDA ScaledObject
	CatRollout         Category = "rollout"          // Argo Rollouts, Flagger canaries
	CatIaC             Category = "iac"              // Terraform, Pulumi, CloudFormation, Ansible, Vagrant
	CatDeployScript    Category = "deploy-script"    // deploy.sh, Procfile, app.yaml, serverless.yml…
	CatEnvConfig       Category = "env-config"       // per-environment config / values / overlays
	CatMigration       Category = "migration"        // DB migration files
	CatLinter          Category = "linter"           // .golangci.yml, .eslintrc, ruff, checkstyle…
	CatSecurityScanner Category = "security-scanner" // codeql, gosec, semgrep, trivy, snyk config
	CatTestUnit        Category = "test-unit"
	CatTestIntegration Category = "test-integration"
	CatTestE2E         Category = "test-e2e"
	CatTestPerformance Category = "test-performance"
	CatTestSecurity    Category = "test-security"
	CatBDD             Category = "bdd" // .feature files
	CatTestData        Category = "test-data"
	CatDevContainer    Category = "devcontainer" // .devcontainer, gitpod, nix/devbox, toolchain pins
	CatToolchainPin    Category = "toolchain-pin"
	CatLockfile        Category = "lockfile"
	CatVendor          Category = "vendor"
	CatDependencyBot   Category = "dependency-bot" // dependabot, renovate
	CatCodeOwners      Category = "codeowners"
	CatCoverageConfig  Category = "coverage-config"
	CatDocs            Category = "docs"
	CatSource          Category = "source" // production source code
)

// Tree is the file tree at the trunk tip and what the classifier found in it.
type Tree struct {
	Commit string `json:"commit"`
	// Paths are all file paths (slash-separated), sorted.
	Paths []string `json:"-"`
	// FileCount is len(Paths); Truncated is set when the host cut the listing.
	FileCount int  `json:"file_count"`
	Truncated bool `json:"truncated,omitempty"`
	// Facts is what the classifier derived from paths and file contents.
	Facts TreeFacts `json:"facts"`
}

// TreeFacts is the classified tree.
type TreeFacts struct {
	// Files maps a category to the paths in it (sorted, capped per category
	// at MaxCategoryPaths; Counts holds the true counts).
	Files  map[Category][]string `json:"files,omitempty"`
	Counts map[Category]int      `json:"counts,omitempty"`
	// CI is what the CI configuration files declare.
	CI CIFacts `json:"ci"`
	// Migrations describes database migrations.
	Migrations MigrationFacts `json:"migrations"`
	// Tools names the tools recognised (golangci-lint, eslint, codeql, trivy,
	// flyway, argo-rollouts, terraform…), sorted.
	Tools []string `json:"tools,omitempty"`
	// Environments are environment names seen in config (overlays, values-*.yaml,
	// CI environment: keys), lower-cased, sorted.
	Environments []string `json:"environments,omitempty"`
	// Unreadable lists the files (and directories, ending in "/") that exist
	// in the tree but whose contents could not be read: objects a partial
	// clone did not fetch, or deleted ones. What they would declare is
	// unknown, not absent. Capped at MaxCategoryPaths; UnreadableCount holds
	// the true count.
	Unreadable      []UnreadableFile `json:"unreadable,omitempty"`
	UnreadableCount int              `json:"unreadable_count,omitempty"`
	// SharedBuild lists the build files the tree's build scripts include
	// whose header declares them shared and maintained centrally, usually
	// in another repository they are synced from (Prometheus'
	// Makefile.common), and the build's convention plugins (Gradle buildSrc,
	// precompiled script plugins; IncludedBy is empty: module builds apply
	// them by id).
	SharedBuild []SharedBuildFile `json:"shared_build,omitempty"`
}

// SharedBuildFile is a centrally maintained build file a build script
// includes.
type SharedBuildFile struct {
	Path       string `json:"path"`
	IncludedBy string `json:"included_by"`
	// Marker is the header line that says where it is maintained.
	Marker string `json:"marker"`
}

// UnreadableFile is a path of the tree whose contents could not be read.
type UnreadableFile struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// MaxCategoryPaths caps the paths kept per category.
const MaxCategoryPaths = 50

// Paths returns the paths of a category.
func (f TreeFacts) Paths(c Category) []string { return f.Files[c] }

// Count returns how many files fell into a category.
func (f TreeFacts) Count(c Category) int { return f.Counts[c] }

// HasTool reports whether a tool was recognised.
func (f TreeFacts) HasTool(name string) bool {
	for _, t := range f.Tools {
		if t == name {
			return true
		}
	}
	return false
}

// CIFacts is what CI configuration declares.
type CIFacts struct {
	Systems      []string `json:"systems,omitempty"`  // github-actions, gitlab-ci, jenkins, circleci, azure-pipelines…
	Files        []string `json:"files,omitempty"`    // CI config files
	Triggers     []string `json:"triggers,omitempty"` // push, pull_request, schedule, manual, api, tag, upstream
	Jobs         []CIJob  `json:"jobs,omitempty"`
	Images       []string `json:"images,omitempty"` // container images jobs run in
	Cache        bool     `json:"cache"`            // caching configured
	Reusable     []string `json:"reusable,omitempty"`
	Includes     []string `json:"includes,omitempty"`
	Environments []string `json:"environments,omitempty"`
	PathFilters  bool     `json:"path_filters"` // per-path / per-module triggers
	Matrix       bool     `json:"matrix"`
	Needs        bool     `json:"needs"`         // jobs chained with needs / stages
	ManualGates  bool     `json:"manual_gates"`  // manual jobs / environment approvals
	CrossProject bool     `json:"cross_project"` // workflow_call, repository_dispatch, trigger:, multi-project
	Stages       []string `json:"stages,omitempty"`
	// ParseErrors lists CI files that could not be parsed ("path: error").
	ParseErrors []string `json:"parse_errors,omitempty"`
}

// JobKind classifies what a CI job does.
type JobKind string

// Job kinds.
const (
	JobBuild     JobKind = "build"
	JobTest      JobKind = "test"
	JobLint      JobKind = "lint"
	JobSecurity  JobKind = "security"
	JobDeploy    JobKind = "deploy"
	JobMigration JobKind = "migration"
	JobRelease   JobKind = "release"
	JobPackage   JobKind = "package" // publishes an image / package / artifact
)

// CIJob is one job declared in CI configuration.
type CIJob struct {
	File        string    `json:"file"`
	Name        string    `json:"name"`
	Kinds       []JobKind `json:"kinds,omitempty"`
	Stage       string    `json:"stage,omitempty"`
	Image       string    `json:"image,omitempty"`
	Environment string    `json:"environment,omitempty"`
	Manual      bool      `json:"manual,omitempty"`
	Needs       []string  `json:"needs,omitempty"`
	// Triggers start the job: its workflow's or pipeline's triggers,
	// narrowed by the job's own rules (GitLab). Empty when the file declares
	// none (a Jenkinsfile whose triggers live in the Jenkins server).
	Triggers []string `json:"triggers,omitempty"`
	// Scanner marks a job that runs a code or dependency scanner (CodeQL,
	// semgrep, govulncheck…): a build it makes serves the scan.
	Scanner bool `json:"scanner,omitempty"`
	// Elsewhere marks a job that hands its work to another repository or
	// project (a reusable workflow of another repository, a GitLab trigger
	// job): what that work includes is not in this tree.
	Elsewhere bool `json:"elsewhere,omitempty"`
	// Ephemeral marks a job that creates a throwaway cluster to deploy into
	// (kind, minikube, k3d): a deployment there is to a test environment.
	Ephemeral bool `json:"ephemeral,omitempty"`
	// After lists the CI files whose successful run starts the job (a GitHub
	// workflow_run trigger on another workflow's success).
	After []string `json:"after,omitempty"`
}

// HasKind reports whether the job does k.
func (j CIJob) HasKind(k JobKind) bool {
	for _, x := range j.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// JobsOfKind returns the declared jobs that do k.
func (c CIFacts) JobsOfKind(k JobKind) []CIJob {
	var out []CIJob
	for _, j := range c.Jobs {
		if j.HasKind(k) {
			out = append(out, j)
		}
	}
	return out
}

// HasTrigger reports whether the job is started by trigger t.
func (j CIJob) HasTrigger(t string) bool {
	for _, x := range j.Triggers {
		if x == t {
			return true
		}
	}
	return false
}

// BuildsProduct reports whether the job builds or tests the product: a
// build or test job that is not a scanner's (CodeQL's build serves the
// scan), a lint-only or housekeeping job (labels, stale issues, sync) does
// not.
func (j CIJob) BuildsProduct() bool {
	return (j.HasKind(JobBuild) || j.HasKind(JobTest)) && !j.Scanner
}

// HasTrigger reports whether CI declares trigger t.
func (c CIFacts) HasTrigger(t string) bool {
	for _, x := range c.Triggers {
		if x == t {
			return true
		}
	}
	return false
}

// MigrationFacts describes database migrations in the tree.
type MigrationFacts struct {
	Tools    []string `json:"tools,omitempty"` // golang-migrate, goose, flyway, liquibase, alembic, rails, prisma, atlas, django, knex…
	Dirs     []string `json:"dirs,omitempty"`
	Files    int      `json:"files"`
	UpDown   int      `json:"up_down_pairs"` // versions with both an up and a down script
	UpOnly   int      `json:"up_only"`       // versions with an up script and no down
	Reversal bool     `json:"reversible_by_design,omitempty"`
	// OnRelease lists the files whose release phase applies migrations with
	// every deployment (a Procfile `release:` process running a migration).
	OnRelease []string `json:"on_release,omitempty"`
	// RollbackTested lists the CI files whose jobs run migrations down
	// (`migrate down`, `alembic downgrade`, `db:rollback`, `migration redo`…).
	RollbackTested []string `json:"rollback_tested,omitempty"`
}
