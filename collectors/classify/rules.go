package classify

import "strings"

// wantKind says which reader handles a file's contents.
type wantKind uint8

const (
	wantNone         wantKind = iota
	wantGHWorkflow            // .github/workflows/*.yml (also Gitea/Forgejo)
	wantGHAction              // .github/actions/*/action.yml (composite actions)
	wantGitLab                // .gitlab-ci.yml and its fragments
	wantJenkins               // Jenkinsfile
	wantCircle                // .circleci/config.yml
	wantOtherCI               // azure, travis, bitbucket, drone, woodpecker, cloudbuild…
	wantK8s                   // YAML under k8s-ish directories
	wantPackageJSON           // package.json
	wantPyProject             // pyproject.toml
	wantPyIni                 // setup.cfg, tox.ini, .flake8
	wantManifest              // go.mod, pom.xml, build.gradle, Gemfile, requirements*.txt…
	wantLintConfig            // .golangci.*, .eslintrc*, eslint.config.*, ruff.toml
	wantJSTestConfig          // jest.config.*, vitest.config.*
	wantMigration             // migration files whose contents tell up/down
	wantCFN                   // CloudFormation / SAM templates
)

// pathResult is what the path rules find for one path.
type pathResult struct {
	cats   catSet
	want   wantKind
	system string // CI system the file configures
	tools  [4]string
	nt     int
	env    string // environment the file stands for
	mig    migCand
}

func (pr *pathResult) add(cs ...cat) {
	for _, c := range cs {
		pr.cats.add(c)
	}
}

func (pr *pathResult) tool(t string) {
	if t != "" && pr.nt < len(pr.tools) {
		pr.tools[pr.nt] = t
		pr.nt++
	}
}

func (pr *pathResult) ci(system string, w wantKind) {
	pr.add(cCI)
	pr.system = system
	pr.want = w
}

// classifyPath applies every path rule to f.
func classifyPath(f *fileInfo, pr *pathResult, mk *markers) {
	if f.has(fVendor) {
		pr.add(cVendor)
		return
	}
	if f.has(fTestData) && !f.has(fTestSupport) {
		// Fixtures are data, even when they look like CI configs, manifests
		// or build scripts: they are not the project's own delivery evidence.
		pr.add(cTestData)
		return
	}
	if f.has(fExamples) && !f.plain {
		// Sample configs of examples/ and samples/ document usage; they are
		// not how the project itself is built or deployed.
		pr.add(cDocs)
		return
	}
	byName(f, pr)
	byPattern(f, pr)
	ciPath(f, pr)
	deployPath(f, pr)
	envPath(f, pr)
	migrationPath(f, pr, mk)
	testPath(f, pr)
	docsAndSource(f, pr)
}

// byName handles files known by their exact (lower-cased) base name.
func byName(f *fileInfo, pr *pathResult) {
	if f.plain && !plainSpecial(f.base) {
		return // an ordinary source file: skip the long switch below
	}
	switch f.base {
	// build scripts
	case "makefile", "gnumakefile", "makefile.am", "configure.ac":
		pr.add(cBuild)
		pr.tool("make")
	case "build.sh", "build.ps1", "build.bat", "build.cmd", "build.bash", "build", "sconstruct",
		"mix.exs", "pipfile", "pubspec.yaml", "package.swift", "deps.edn", "project.clj",
		"dune-project", "rebar.config", "build.zig", "vcpkg.json", "conanfile.txt", "conanfile.py",
		"directory.build.props", "directory.build.targets", "build.cake", "dagger.json", "deno.json",
		"deno.jsonc", "go.work", "rush.json", "pnpm-workspace.yaml", "meson.build", "setup.py":
		pr.add(cBuild)
	case "stack.yaml":
		if f.dir == "" {
			pr.add(cBuild)
		}
	case "go.mod":
		pr.add(cBuild)
		pr.want = wantManifest
	case "pom.xml":
		pr.add(cBuild)
		pr.tool("maven")
		pr.want = wantManifest
	case "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradlew":
		pr.add(cBuild)
		pr.tool("gradle")
		if strings.HasPrefix(f.base, "build.") {
			pr.want = wantManifest
		}
	case "package.json":
		pr.add(cBuild)
		pr.want = wantPackageJSON
	case "cargo.toml", "gemfile", "composer.json":
		pr.add(cBuild)
		pr.want = wantManifest
	case "cmakelists.txt":
		pr.add(cBuild)
		pr.tool("cmake")
	case "setup.cfg", "tox.ini":
		pr.add(cBuild)
		pr.want = wantPyIni
	case "pyproject.toml":
		pr.add(cBuild)
		pr.want = wantPyProject
	case "rakefile":
		pr.add(cBuild)
		pr.tool("rake")
	case "build.xml":
		pr.add(cBuild)
		pr.tool("ant")
	case "justfile", ".justfile":
		pr.add(cBuild)
		pr.tool("just")
	case "taskfile.yml", "taskfile.yaml", "taskfile.dist.yml":
		pr.add(cBuild)
		pr.tool("task")
	case "build.bazel", "workspace", "workspace.bazel", "module.bazel", ".bazelrc":
		pr.add(cBuild)
		pr.tool("bazel")
	case "build.sbt":
		pr.add(cBuild)
		pr.tool("sbt")
	case "earthfile":
		pr.add(cBuild)
		pr.tool("earthly")
	case "magefile.go":
		pr.add(cBuild)
		pr.tool("mage")
	case "nx.json":
		pr.add(cBuild)
		pr.tool("nx")
	case "turbo.json":
		pr.add(cBuild)
		pr.tool("turborepo")
	case "lerna.json":
		pr.add(cBuild)
		pr.tool("lerna")
	case "requirements.txt", "requirements-dev.txt", "requirements-test.txt", "dev-requirements.txt", "test-requirements.txt":
		pr.want = wantManifest

	// containers
	case "dockerfile", "containerfile":
		pr.add(cContainer)
		pr.tool("docker")

	case ".ko.yaml":
		pr.add(cContainer)
		pr.tool("ko")
	case "jib.yaml":
		pr.add(cContainer)
		pr.tool("jib")

	// helm / kustomize
	case "chart.yaml", "chart.yml":
		pr.add(cHelm)
		pr.tool("helm")
	case "chart.lock":
		pr.add(cHelm, cLockfile)
		pr.tool("helm")
	case "kustomization.yaml", "kustomization.yml", "kustomization":
		pr.add(cKustomize)
		pr.tool("kustomize")

	// infrastructure as code
	case "pulumi.yaml", "pulumi.yml":
		pr.add(cIaC)
		pr.tool("pulumi")
	case "terragrunt.hcl":
		pr.add(cIaC)
		pr.tool("terragrunt")
		pr.tool("terraform")
	case ".terraform.lock.hcl":
		pr.add(cIaC, cLockfile)
		pr.tool("terraform")
	case "vagrantfile":
		pr.add(cIaC)
		pr.tool("vagrant")
	case "ansible.cfg", "playbook.yml", "playbook.yaml", "site.yml", "site.yaml":
		if f.base == "site.yml" || f.base == "site.yaml" {
			if !f.has(fAnsible) {
				break
			}
		}
		pr.add(cIaC)
		pr.tool("ansible")
	case "cdk.json", "cdktf.json":
		pr.add(cIaC)
		pr.tool(strings.TrimSuffix(f.base, ".json"))
	case "azuredeploy.json", "maintemplate.json":
		pr.add(cIaC)
		pr.tool("arm")
	case "berksfile", "metadata.rb":
		if f.base == "metadata.rb" && !strings.Contains(f.dir, "cookbook") {
			break
		}
		pr.add(cIaC)
		pr.tool("chef")
	case "puppetfile":
		pr.add(cIaC)
		pr.tool("puppet")
	case "template.yaml", "template.yml", "template.json":
		pr.want = wantCFN // CloudFormation / SAM if the contents say so
	case "samconfig.toml":
		pr.add(cIaC)
		pr.tool("aws-sam")

	// deploy scripts
	case "procfile":
		pr.add(cDeploy)
		pr.tool("heroku")
	case "app.json":
		if f.dir == "" {
			pr.add(cDeploy)
			pr.tool("heroku")
		}
	case "app.yaml", "app.yml":
		if !f.has(fK8s | fHelm | fDeployCtx) {
			pr.add(cDeploy)
			pr.tool("google-app-engine")
		}
	case "serverless.yml", "serverless.yaml", "serverless.ts", "serverless.json":
		pr.add(cDeploy)
		pr.tool("serverless")
	case "fly.toml":
		pr.add(cDeploy)
		pr.tool("fly")
	case "skaffold.yaml", "skaffold.yml":
		pr.add(cDeploy)
		pr.tool("skaffold")
	case "tiltfile":
		pr.add(cDeploy)
		pr.tool("tilt")
	case "helmfile.yaml", "helmfile.yml", "helmfile.yaml.gotmpl":
		pr.add(cDeploy, cHelm)
		pr.tool("helmfile")
		pr.tool("helm")
	case "appspec.yml", "appspec.yaml":
		pr.add(cDeploy)
		pr.tool("aws-codedeploy")
	case "render.yaml", "railway.json", "railway.toml", "vercel.json", "netlify.toml", "now.json", "waypoint.hcl",
		".platform.app.yaml", "dockerrun.aws.json", "task-definition.json", "taskdef.json", "copilot.yml", "wrangler.toml", "firebase.json":
		pr.add(cDeploy)
		pr.tool(deployTool(f.base))
	case "capfile":
		pr.add(cDeploy)
		pr.tool("capistrano")
	case "deploy.rb":
		if f.dir == "config" {
			pr.add(cDeploy)
			pr.tool("capistrano")
		}
	case "deploy.yml", "deploy.yaml":
		if f.dir == "config" {
			pr.add(cDeploy)
			pr.tool("kamal")
		} else if f.dir == "" {
			pr.add(cDeploy)
		}
	case "fabfile.py":
		pr.add(cDeploy)
		pr.tool("fabric")
	case "manifest.yml":
		if f.dir == "" {
			pr.add(cDeploy)
			pr.tool("cloud-foundry")
		}

	// dependency bots
	case "dependabot.yml", "dependabot.yaml":
		if f.dir == ".github" {
			pr.add(cDepBot)
			pr.tool("dependabot")
		}
	case "renovate.json", "renovate.json5", ".renovaterc", ".renovaterc.json", ".renovaterc.json5":
		if f.dir == "" || f.dir == ".github" || f.dir == ".gitlab" {
			pr.add(cDepBot)
			pr.tool("renovate")
		}
	case ".pyup.yml":
		pr.add(cDepBot)
		pr.tool("pyup")

	// code owners
	case "codeowners":
		if f.dir == "" || f.dir == ".github" || f.dir == "docs" || f.dir == ".gitlab" {
			pr.add(cCodeOwners)
		}

	// coverage
	case "codecov.yml", ".codecov.yml", "codecov.yaml", ".codecov.yaml":
		pr.add(cCoverage)
		pr.tool("codecov")
	case ".coveragerc":
		pr.add(cCoverage)
		pr.tool("coverage.py")
	case ".coveralls.yml":
		pr.add(cCoverage)
		pr.tool("coveralls")
	case ".nycrc", ".nycrc.json", ".nycrc.yml", ".nycrc.yaml":
		pr.add(cCoverage)
		pr.tool("nyc")
	case ".c8rc", ".c8rc.json":
		pr.add(cCoverage)
		pr.tool("c8")
	case ".simplecov":
		pr.add(cCoverage)
		pr.tool("simplecov")
	case ".testcoverage.yml", ".testcoverage.yaml":
		pr.add(cCoverage)
		pr.tool("go-test-coverage")

	// dev environments
	case ".gitpod.yml", ".gitpod.yaml", ".gitpod.dockerfile":
		pr.add(cDevContainer)
		pr.tool("gitpod")
	case ".devcontainer.json":
		pr.add(cDevContainer)
		pr.tool("devcontainer")
	case "devbox.json":
		pr.add(cDevContainer)
		pr.tool("devbox")
	case "flake.nix", "shell.nix", "default.nix":
		if f.base == "default.nix" && f.dir != "" {
			break
		}
		pr.add(cDevContainer)
		pr.tool("nix")
	case "devenv.nix", "devenv.yaml":
		pr.add(cDevContainer)
		pr.tool("devenv")

	// toolchain pins
	case ".tool-versions":
		pr.add(cToolchain)
		pr.tool("asdf")
	case "mise.toml", ".mise.toml", ".rtx.toml":
		pr.add(cToolchain)
		pr.tool("mise")
	case ".nvmrc", ".node-version", ".python-version", ".go-version", ".ruby-version", ".java-version",
		".terraform-version", "rust-toolchain", "rust-toolchain.toml", ".sdkmanrc", "global.json", ".bazelversion",
		".swift-version", ".prototools", ".fvmrc", ".dvmrc", ".bun-version", ".tfswitchrc", ".opentofu-version":
		if f.base == "global.json" && f.dir != "" {
			break
		}
		pr.add(cToolchain)
	case "gradle-wrapper.properties", "maven-wrapper.properties":
		pr.add(cToolchain)

	// lockfiles
	case "go.sum", "go.work.sum", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
		"bun.lockb", "bun.lock", "deno.lock", "cargo.lock", "poetry.lock", "pipfile.lock", "uv.lock", "pdm.lock",
		"requirements.lock", "requirements-dev.lock", "gemfile.lock", "composer.lock", "gradle.lockfile", "mix.lock",
		"package.resolved", "pubspec.lock", "packages.lock.json", "flake.lock", "conan.lock", "module.bazel.lock",
		"podfile.lock", "cartfile.resolved", "paket.lock", "shard.lock", "rebar.lock", "manifest.toml", "pixi.lock",
		"buildscript-gradle.lockfile", "verification-metadata.xml":
		if f.base == "manifest.toml" && f.dir != "" {
			break
		}
		pr.add(cLockfile)
	}
}

// plainSpecial reports the names in byName that carry a source-code
// extension.
func plainSpecial(b string) bool {
	switch b {
	case "setup.py", "conanfile.py", "magefile.go", "metadata.rb", "deploy.rb", "fabfile.py", "serverless.ts":
		return true
	}
	return false
}

func deployTool(base string) string {
	switch base {
	case "render.yaml":
		return "render"
	case "railway.json", "railway.toml":
		return "railway"
	case "vercel.json", "now.json":
		return "vercel"
	case "netlify.toml":
		return "netlify"
	case "waypoint.hcl":
		return "waypoint"
	case ".platform.app.yaml":
		return "platform.sh"
	case "dockerrun.aws.json":
		return "aws-elastic-beanstalk"
	case "task-definition.json", "taskdef.json":
		return "aws-ecs"
	case "copilot.yml":
		return "aws-copilot"
	case "wrangler.toml":
		return "cloudflare-wrangler"
	case "firebase.json":
		return "firebase"
	}
	return ""
}
