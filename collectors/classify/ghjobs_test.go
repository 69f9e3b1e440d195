package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

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

// TestDeployNeedsMoreThanAName: a job called "Build, push, and deploy" that
// builds and pushes an image deploys nothing; one that pushes and then
// reaches a host over ssh may, and one that runs kubectl does.
func TestDeployNeedsMoreThanAName(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/cd.yml": `
on: {push: {branches: [main]}}
jobs:
  build:
    name: Build, push, and deploy
    runs-on: ubuntu-latest
    steps:
      - run: echo "hash=$(openssl rand -hex 4)" >> $GITHUB_OUTPUT
      - uses: mr-smithers-excellent/docker-build-push@v6
        with: {image: acme/app, registry: docker.io}
  ship:
    runs-on: ubuntu-latest
    steps:
      - name: Deploy
        run: docker push acme/app && ssh deploy@host 'docker compose pull && docker compose up -d'
  rollout:
    name: deploy
    runs-on: ubuntu-latest
    steps:
      - run: docker push acme/app:1 && kubectl set image deploy/app app=acme/app:1
`,
	})
	got := map[string]bool{}
	for _, j := range tf.CI.Jobs {
		got[j.Name] = j.HasKind("deploy")
	}
	want := map[string]bool{"build": false, "ship": true, "rollout": true}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("deploys (-want +got):\n%s", d)
	}
}

// TestEphemeralCluster: a job that creates a kind, minikube or k3d cluster
// deploys into a throwaway test environment.
func TestEphemeralCluster(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/e2e.yml": `
on: [push]
jobs:
  kind-helm:
    runs-on: ubuntu-latest
    steps:
      - uses: helm/kind-action@v1
      - run: helm upgrade --install podinfo ./charts/podinfo
  minikube:
    runs-on: ubuntu-latest
    steps:
      - run: minikube start && kubectl apply -f deploy/
  prod:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - run: kubectl apply -f deploy/
`,
	})
	got := map[string]bool{}
	for _, j := range tf.CI.Jobs {
		got[j.Name] = j.Ephemeral
	}
	if d := cmp.Diff(map[string]bool{"kind-helm": true, "minikube": true, "prod": false}, got); d != "" {
		t.Errorf("Ephemeral (-want +got):\n%s", d)
	}
}

// TestNamingAToolIsNotRunningIt: a command that removes, lists or prints a
// tool's files (freeing the runner's CodeQL cache) runs no such tool; a
// command after && still runs.
func TestNamingAToolIsNotRunningIt(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/pre-commit.yml": `
on: [pull_request]
jobs:
  free-space:
    runs-on: ubuntu-latest
    steps:
      - run: |
          # free disk space
          rmz -f /opt/hostedtoolcache/CodeQL &
          sudo rm -rf /usr/local/lib/semgrep
          echo "skipping trivy"
  scan:
    runs-on: ubuntu-latest
    steps:
      - run: cd src && semgrep scan --config auto
`,
	})
	got := kindsByJob(tf)
	if d := cmp.Diff(map[string][]model.JobKind{"free-space": nil, "scan": {model.JobSecurity}}, got); d != "" {
		t.Errorf("kinds (-want +got):\n%s", d)
	}
	for _, tool := range tf.Tools {
		if tool == "codeql" || tool == "trivy" {
			t.Errorf("tool %s recorded from a command that only names it", tool)
		}
	}
}
