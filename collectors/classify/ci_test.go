package classify

import (
	"context"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// classifyFiles runs Classify over an in-memory tree.
func classifyFiles(t *testing.T, files map[string]string) model.TreeFacts {
	t.Helper()
	r := &fakeReader{files: map[string][]byte{}}
	var paths []string
	for p, c := range files {
		paths = append(paths, p)
		r.files[p] = []byte(c)
	}
	tf, err := Classify(context.Background(), paths, r)
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

func jobByName(t *testing.T, tf model.TreeFacts, name string) model.CIJob {
	t.Helper()
	for _, j := range tf.CI.Jobs {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %q in %+v", name, tf.CI.Jobs)
	return model.CIJob{}
}

func kinds(k ...model.JobKind) []model.JobKind { return k }

func TestGitHubTriggerForms(t *testing.T) {
	cases := []struct {
		name, on string
		want     []string
		filters  bool
	}{
		{"string", "on: push", []string{"push"}, false},
		{"list", "on: [push, pull_request, workflow_dispatch]", []string{"manual", "pull_request", "push"}, false},
		{"tags only", "on:\n  push:\n    tags: ['v*']", []string{"tag"}, false},
		{"branches and tags", "on:\n  push:\n    branches: [main]\n    tags: ['v*']", []string{"push", "tag"}, false},
		{"paths", "on:\n  pull_request:\n    paths: ['api/**']", []string{"pull_request"}, true},
		{"schedule", "on:\n  schedule:\n    - cron: '0 0 * * *'", []string{"schedule"}, false},
		{"dispatch", "on:\n  repository_dispatch:\n    types: [deploy]", []string{"api"}, false},
		{"call", "on:\n  workflow_call: {}", []string{"upstream"}, false},
		{"run", "on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]", []string{"upstream"}, false},
		{"release", "on:\n  release:\n    types: [published]", []string{"tag"}, false},
		{"merge queue", "on:\n  merge_group:", []string{"pull_request"}, false},
		{"unknown event", "on: [issues]", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tf := classifyFiles(t, map[string]string{
				".github/workflows/x.yml": tc.on + "\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
			})
			if d := cmp.Diff(tc.want, tf.CI.Triggers, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("triggers (-want +got):\n%s", d)
			}
			if tf.CI.PathFilters != tc.filters {
				t.Errorf("PathFilters = %v, want %v", tf.CI.PathFilters, tc.filters)
			}
		})
	}
}

func TestGitHubWorkflowDetails(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/deploy.yml": `
name: Deploy
on: workflow_dispatch
jobs:
  ship:
    runs-on: ubuntu-latest
    environment: Staging
    container: node:20
    steps:
      - uses: actions/setup-go@v5
      - uses: docker/build-push-action@v6
        with:
          push: false
      - run: ./scripts/deploy.sh staging
  notify:
    uses: acme/workflows/.github/workflows/notify.yml@v1
    needs: ship
`,
	})
	ship := jobByName(t, tf, "ship")
	want := model.CIJob{File: ".github/workflows/deploy.yml", Name: "ship", Kinds: kinds(model.JobBuild, model.JobDeploy),
		Image: "node:20", Environment: "staging", Manual: true, Triggers: []string{"manual"}}
	if d := cmp.Diff(want, ship); d != "" {
		t.Errorf("ship (-want +got):\n%s", d)
	}
	notify := jobByName(t, tf, "notify")
	if !notify.Manual || len(notify.Needs) != 1 {
		t.Errorf("notify = %+v", notify)
	}
	ci := tf.CI
	if !ci.ManualGates || !ci.Cache || !ci.CrossProject || !ci.Needs {
		t.Errorf("flags: manual %v cache %v cross %v needs %v", ci.ManualGates, ci.Cache, ci.CrossProject, ci.Needs)
	}
	if d := cmp.Diff([]string{"acme/workflows/.github/workflows/notify.yml@v1"}, ci.Reusable); d != "" {
		t.Errorf("reusable (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"staging"}, tf.Environments); d != "" {
		t.Errorf("environments (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"node:20"}, ci.Images); d != "" {
		t.Errorf("images (-want +got):\n%s", d)
	}
}

func TestGitHubLocalReuse(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/actions/check/action.yml": "runs:\n  using: composite\n  steps:\n    - run: golangci-lint run\n      shell: bash\n",
		".github/workflows/ci.yml": `on: push
jobs:
  quality:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.github/actions/check
  ship:
    uses: ./.github/workflows/cd.yml
`,
		".github/workflows/cd.yml": `on: workflow_call
jobs:
  apply:
    runs-on: ubuntu-latest
    steps:
      - run: terraform apply -auto-approve
`,
	})
	if d := cmp.Diff(kinds(model.JobLint), jobByName(t, tf, "quality").Kinds); d != "" {
		t.Errorf("quality kinds (-want +got):\n%s", d)
	}
	if d := cmp.Diff(kinds(model.JobDeploy), jobByName(t, tf, "ship").Kinds); d != "" {
		t.Errorf("ship kinds (-want +got):\n%s", d)
	}
	want := []string{".github/actions/check", ".github/workflows/cd.yml"}
	if d := cmp.Diff(want, tf.CI.Reusable); d != "" {
		t.Errorf("reusable (-want +got):\n%s", d)
	}
	if !tf.HasTool("golangci-lint") || !tf.HasTool("terraform") {
		t.Errorf("tools = %v", tf.Tools)
	}
}

func TestGitLabDetails(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".gitlab-ci.yml": `
include:
  - '/ci/base.yml'
  - local: ci/jobs/*.yml
stages: [build, test, deploy]
.base:
  image: golang:1.26
  extends: .root
.root:
  tags: [k8s]
  extends: .base
build:
  extends: .base
  stage: build
  script: [go build ./...]
  only: [main, tags]
unit:
  stage: test
  script:
    - !reference [.setup, script]
    - go test ./...
  except:
    changes: [docs/**]
child:
  stage: deploy
  trigger:
    include: ci/child.yml
nightly:
  script: make e2e
  rules:
    - if: '$CI_PIPELINE_SOURCE == "schedule"'
    - if: '$CI_PIPELINE_SOURCE == "web"'
      when: never
`,
		"ci/base.yml":      ".setup:\n  script: [apt-get update]\n",
		"ci/jobs/lint.yml": "vet:\n  stage: test\n  script: [go vet ./...]\n",
		"ci/child.yml":     "spec:\n  inputs:\n    env: {default: dev}\n---\ndeploy-dev:\n  script: [kubectl apply -f k8s/]\n  environment: {name: dev, url: 'https://dev'}\n",
		"ci/unused.yml":    "not: [ci, config]\n",
	})
	build := jobByName(t, tf, "build")
	if build.Image != "golang:1.26" || build.Stage != "build" || !build.HasKind(model.JobBuild) {
		t.Errorf("build = %+v", build)
	}
	unit := jobByName(t, tf, "unit")
	if d := cmp.Diff(kinds(model.JobTest), unit.Kinds); d != "" {
		t.Errorf("unit kinds (-want +got):\n%s", d)
	}
	vet := jobByName(t, tf, "vet")
	if vet.File != "ci/jobs/lint.yml" || !vet.HasKind(model.JobLint) {
		t.Errorf("vet = %+v", vet)
	}
	dev := jobByName(t, tf, "deploy-dev")
	if dev.File != "ci/child.yml" || dev.Environment != "dev" || !dev.HasKind(model.JobDeploy) || dev.Stage != "test" {
		t.Errorf("deploy-dev = %+v", dev)
	}
	nightly := jobByName(t, tf, "nightly")
	if !nightly.HasKind(model.JobTest) {
		t.Errorf("nightly = %+v", nightly)
	}
	for _, j := range tf.CI.Jobs {
		if strings.HasPrefix(j.Name, ".") {
			t.Errorf("template %q listed as a job", j.Name)
		}
	}
	if d := cmp.Diff([]string{"push", "schedule", "tag"}, tf.CI.Triggers); d != "" {
		t.Errorf("triggers (-want +got):\n%s", d)
	}
	if !tf.CI.CrossProject || !tf.CI.PathFilters || !tf.CI.Needs {
		t.Errorf("flags %+v", tf.CI)
	}
	wantFiles := []string{".gitlab-ci.yml", "ci/base.yml", "ci/child.yml", "ci/jobs/lint.yml"}
	if d := cmp.Diff(wantFiles, tf.CI.Files); d != "" {
		t.Errorf("CI files (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantFiles, tf.Files[model.CatCIConfig]); d != "" {
		t.Errorf("ci-config category (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"build", "test", "deploy"}, tf.CI.Stages); d != "" {
		t.Errorf("stages (-want +got):\n%s", d)
	}
	if len(tf.CI.ParseErrors) != 0 {
		t.Errorf("parse errors: %v", tf.CI.ParseErrors)
	}
}

func TestGitLabExprTriggers(t *testing.T) {
	cases := []struct {
		expr string
		want []string
	}{
		{`$CI_PIPELINE_SOURCE == "merge_request_event"`, []string{trPR}},
		{`$CI_PIPELINE_SOURCE =~ /^(push|web)$/`, []string{trPush, trManual}},
		{`$CI_PIPELINE_SOURCE != "schedule"`, nil},
		{`$CI_COMMIT_TAG`, []string{trTag}},
		{`$CI_COMMIT_TAG == null`, nil},
		{`$CI_MERGE_REQUEST_IID`, []string{trPR}},
		{`$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH`, []string{trPush}},
		{`$CI_PIPELINE_SOURCE == "parent_pipeline"`, []string{trUpstream}},
		{`$CI_PIPELINE_SOURCE == "trigger" || $CI_PIPELINE_SOURCE == "api"`, []string{trAPI, trAPI}},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			if d := cmp.Diff(tc.want, gitLabExprTriggers(tc.expr), cmpopts.EquateEmpty()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestJenkinsScripted(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		"Jenkinsfile": `node('linux') {
  properties([pipelineTriggers([upstream('core-build'), GenericTrigger()])])
  docker.image('node:20').inside {
    stage("Install") { sh 'npm ci' }
    stage("Test") { sh 'npm test' }
    /* stage("Old") { sh 'npm run old' } */
    stage("Release") {
      build job: 'deploy-prod'
      sh 'npx semantic-release'
    }
  }
}`,
	})
	var names []string
	for _, j := range tf.CI.Jobs {
		names = append(names, j.Name)
	}
	if d := cmp.Diff([]string{"Install", "Test", "Release"}, names); d != "" {
		t.Errorf("stages (-want +got):\n%s", d)
	}
	if !jobByName(t, tf, "Test").HasKind(model.JobTest) || !jobByName(t, tf, "Release").HasKind(model.JobRelease) {
		t.Errorf("jobs %+v", tf.CI.Jobs)
	}
	if d := cmp.Diff([]string{"api", "upstream"}, tf.CI.Triggers); d != "" {
		t.Errorf("triggers (-want +got):\n%s", d)
	}
	if !tf.CI.CrossProject || jobByName(t, tf, "Test").Image != "node:20" {
		t.Errorf("cross %v image %q", tf.CI.CrossProject, jobByName(t, tf, "Test").Image)
	}
}

func TestOtherCISystems(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".circleci/config.yml": `version: 2.1
orbs:
  aws-ecr: circleci/aws-ecr@9.0
jobs:
  test:
    docker: [{image: cimg/go:1.26}]
    steps:
      - checkout
      - restore_cache: {keys: [go-mod]}
      - run: go test ./...
workflows:
  main:
    jobs:
      - test
      - hold: {type: approval, requires: [test]}
      - aws-ecr/build_and_push_image: {requires: [hold]}
`,
		"azure-pipelines.yml": `trigger: [main]
pr: none
stages:
  - stage: Build
    jobs:
      - job: compile
        steps:
          - script: dotnet build
          - task: Cache@2
  - stage: Prod
    jobs:
      - deployment: web
        environment: production.webapp
        strategy: {runOnce: {deploy: {steps: [{script: 'az webapp deploy --name x'}]}}}
`,
		"bitbucket-pipelines.yml": `pipelines:
  pull-requests:
    '**':
      - step: {name: Lint, script: [npx eslint .]}
  branches:
    main:
      - step: {name: Ship, deployment: Production, trigger: manual, script: [./deploy.sh]}
`,
		".drone.yml":  "kind: pipeline\nsteps:\n  - name: test\n    image: golang\n    commands: [go test ./...]\n    when: {event: [push, tag]}\n",
		".travis.yml": "language: go\nscript: make test\ncache: {directories: [$HOME/.cache]}\n",
	})
	if d := cmp.Diff([]string{"azure-pipelines", "bitbucket-pipelines", "circleci", "drone", "travis-ci"}, tf.CI.Systems); d != "" {
		t.Errorf("systems (-want +got):\n%s", d)
	}
	if !jobByName(t, tf, "hold").Manual || !jobByName(t, tf, "aws-ecr/build_and_push_image").HasKind(model.JobPackage) {
		t.Errorf("circle jobs %+v", tf.CI.Jobs)
	}
	web := jobByName(t, tf, "web")
	if web.Environment != "production" || !web.HasKind(model.JobDeploy) || web.Stage != "Prod" {
		t.Errorf("azure web = %+v", web)
	}
	ship := jobByName(t, tf, "Ship")
	if !ship.Manual || ship.Environment != "production" || !ship.HasKind(model.JobDeploy) {
		t.Errorf("bitbucket Ship = %+v", ship)
	}
	if !jobByName(t, tf, "Lint").HasKind(model.JobLint) || !jobByName(t, tf, "test").HasKind(model.JobTest) {
		t.Errorf("jobs %+v", tf.CI.Jobs)
	}
	if !jobByName(t, tf, "travis.yml").HasKind(model.JobTest) {
		t.Errorf("travis job missing")
	}
	if !tf.CI.Cache || !tf.CI.ManualGates {
		t.Errorf("cache %v manual %v", tf.CI.Cache, tf.CI.ManualGates)
	}
	if d := cmp.Diff([]string{"pull_request", "push", "tag"}, tf.CI.Triggers); d != "" {
		t.Errorf("triggers (-want +got):\n%s", d)
	}
}

func TestJobKinds(t *testing.T) {
	cases := []struct {
		name string
		sig  jobSignals
		want []model.JobKind
	}{
		{"go test", jobSignals{runs: []string{"go test ./..."}}, kinds(model.JobTest)},
		{"pytest", jobSignals{runs: []string{"python -m pytest -q"}}, kinds(model.JobTest)},
		{"npm test", jobSignals{runs: []string{"npm ci\nnpm test"}}, kinds(model.JobTest)},
		{"npm run lint", jobSignals{runs: []string{"npm run lint"}}, kinds(model.JobLint)},
		{"mvn verify", jobSignals{runs: []string{"mvn -B verify"}}, kinds(model.JobBuild, model.JobTest)},
		{"mvn skip tests", jobSignals{runs: []string{"mvn -DskipTests package"}}, kinds(model.JobBuild)},
		{"gradle build", jobSignals{runs: []string{"./gradlew clean build"}}, kinds(model.JobBuild, model.JobTest)},
		{"make targets", jobSignals{runs: []string{"make lint test"}}, kinds(model.JobTest, model.JobLint)},
		{"bare make", jobSignals{runs: []string{"make"}}, kinds(model.JobBuild)},
		{"go vet", jobSignals{runs: []string{"go vet ./..."}}, kinds(model.JobLint)},
		{"ruff", jobSignals{runs: []string{"ruff check ."}}, kinds(model.JobLint)},
		{"codeql action", jobSignals{uses: []string{"github/codeql-action/analyze@v3"}}, kinds(model.JobSecurity)},
		{"trivy", jobSignals{runs: []string{"trivy image app:1"}}, kinds(model.JobSecurity)},
		{"kubectl", jobSignals{runs: []string{"kubectl apply -f k8s/"}}, kinds(model.JobDeploy)},
		{"helm", jobSignals{runs: []string{"helm upgrade --install x ./chart"}}, kinds(model.JobDeploy)},
		{"terraform plan only", jobSignals{runs: []string{"terraform plan"}}, nil},
		{"terraform apply", jobSignals{runs: []string{"terraform apply -auto-approve"}}, kinds(model.JobDeploy)},
		{"environment", jobSignals{deployEnv: true}, kinds(model.JobDeploy)},
		{"migrate", jobSignals{runs: []string{"python manage.py migrate"}}, kinds(model.JobMigration)},
		{"atlas lint is not a migration", jobSignals{runs: []string{"atlas migrate lint --dev-url x"}}, kinds(model.JobLint)},
		{"goreleaser", jobSignals{uses: []string{"goreleaser/goreleaser-action@v6"}}, kinds(model.JobRelease)},
		{"npm publish", jobSignals{runs: []string{"npm publish --access public"}}, kinds(model.JobRelease)},
		{"docker push", jobSignals{runs: []string{"docker build -t x .\ndocker push x"}}, kinds(model.JobBuild, model.JobPackage)},
		{"name only", jobSignals{names: []string{"Unit tests"}}, kinds(model.JobTest)},
		{"stage is a fallback", jobSignals{names: []string{"ruff"}, stages: []string{"test"}}, kinds(model.JobLint)},
		{"stage used when nothing else", jobSignals{names: []string{"x"}, stages: []string{"deploy"}}, kinds(model.JobDeploy)},
		{"stop job", jobSignals{stages: []string{"deploy"}, notDeploy: true}, nil},
		{"latest is not a test", jobSignals{names: []string{"latest"}}, nil},
		{"word boundary", jobSignals{runs: []string{"echo contest"}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := classifyJob(tc.sig, nil).list()
			if d := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
