package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestGradleJobsAndLintPlugins: `./gradlew` is the build tool's launcher, not
// a script whose text tells the job's kind (the wrapper's shellcheck pragmas
// made every Gradle job a lint job); `check` with the tests left out runs the
// static checks; a lint plugin in a Gradle build is linter configuration.
func TestGradleJobsAndLintPlugins(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/build.yml": `
on: [push, pull_request]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: ./gradlew clean publish --stacktrace
  checks:
    runs-on: ubuntu-latest
    steps:
      - run: ./gradlew check -x jvmTest -x test
  jvm:
    runs-on: ubuntu-latest
    steps:
      - run: ./gradlew test
  format:
    runs-on: ubuntu-latest
    steps:
      - run: ./gradlew spotlessCheck
`,
		"gradlew":                      "#!/bin/sh\n# shellcheck disable=SC2039\nif ! test -x \"$JAVACMD\"; then exit 1; fi\n",
		"build-logic/build.gradle.kts": "plugins {\n  id(\"com.diffplug.spotless\") version \"8.8.0\"\n}\nspotless { kotlin { ktlint() } }\n",
		"okhttp/build.gradle.kts":      "plugins { id(\"okhttp.jvm-conventions\") }\n",
	})
	got := kindsByJob(tf)
	want := map[string][]model.JobKind{
		"publish": {model.JobPackage},
		"checks":  {model.JobLint},
		"jvm":     {model.JobTest},
		"format":  {model.JobLint},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("kinds (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"build-logic/build.gradle.kts"}, tf.Files[model.CatLinter]); d != "" {
		t.Errorf("linter files (-want +got):\n%s", d)
	}
}

// TestTemplatedImage: a job container whose tag is an expression runs in
// that image; an image that is an expression as a whole is unknown.
func TestTemplatedImage(t *testing.T) {
	for img, want := range map[string]string{
		"registry.depot.dev/rltf7cln5v:${{ needs.build.outputs.buildId }}": "registry.depot.dev/rltf7cln5v:…",
		"ghcr.io/acme/ci@${{ env.DIGEST }}":                                "ghcr.io/acme/ci:…",
		"${{ matrix.container }}":                                          "",
		"localhost:5000/${{ matrix.image }}":                               "",
		"golang:1.26":                                                      "golang:1.26",
	} {
		if got := literalImage(img); got != want {
			t.Errorf("literalImage(%q) = %q, want %q", img, got, want)
		}
	}
}

// TestJenkinsLibraryStep: a stage-less Jenkinsfile that only calls a step
// hands its pipeline to a shared library; one that runs commands does not.
func TestJenkinsLibraryStep(t *testing.T) {
	for src, want := range map[string]string{
		"buildPlugin(\n  forkCount: '1C',\n  configurations: [[platform: 'linux', jdk: 25]])\n": "buildPlugin",
		"@Library('acme') _\nstandardPipeline(service: 'shop')\n":                               "standardPipeline",
		"node {\n  sh 'make test'\n}\n":                                                         "",
		"properties([])\nnode('linux') { bat 'build.cmd' }\n":                                   "",
	} {
		if got := libraryStep(stripGroovyComments(src)); got != want {
			t.Errorf("libraryStep(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestWorkflowRunAfter: a job of a workflow started by another workflow's
// completion, that checks the run succeeded, runs after that workflow.
func TestWorkflowRunAfter(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/ci.yml": "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n",
		".github/workflows/deploy.yml": `name: Deploy
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
    branches: [main]
jobs:
  ship:
    if: github.event.workflow_run.conclusion == 'success'
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: ./deploy.sh
  notify:
    runs-on: ubuntu-latest
    steps:
      - run: echo done
`,
	})
	after := map[string][]string{}
	for _, j := range tf.CI.Jobs {
		after[j.Name] = j.After
	}
	want := map[string][]string{"test": nil, "ship": {".github/workflows/ci.yml"}, "notify": nil}
	if d := cmp.Diff(want, after); d != "" {
		t.Errorf("After (-want +got):\n%s", d)
	}
}
