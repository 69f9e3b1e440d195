package parity

// githubCI is the workflow GitHub runs: one workflow "CI" whose jobs are
// those of the history's runs.
const githubCI = `name: CI
on:
  push:
    branches: [main]
    tags: ["v*"]
  pull_request:
  schedule:
    - cron: "0 2 * * *"
  workflow_dispatch:
jobs:
  build:
    runs-on: ubuntu-latest
    container: golang:1.26
    steps:
      - uses: actions/checkout@v4
      - run: go build ./...
  test:
    needs: build
    runs-on: ubuntu-latest
    container: golang:1.26
    steps:
      - uses: actions/checkout@v4
      - run: go test ./...
  lint:
    needs: build
    runs-on: ubuntu-latest
    container: golang:1.26
    steps:
      - uses: actions/checkout@v4
      - run: golangci-lint run
  security:
    needs: build
    runs-on: ubuntu-latest
    container: golang:1.26
    steps:
      - uses: actions/checkout@v4
      - run: govulncheck ./...
  deploy-staging:
    needs: [test, lint, security]
    if: github.ref == 'refs/heads/main' && github.event_name != 'pull_request' && github.event_name != 'schedule'
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - uses: actions/checkout@v4
      - run: kubectl apply -k k8s/overlays/staging
  deploy-production:
    needs: deploy-staging
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - run: kubectl apply -k k8s/overlays/production
  deploy-review:
    needs: [test]
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    environment: review/${{ github.head_ref }}
    steps:
      - uses: actions/checkout@v4
      - run: kubectl apply -k k8s/overlays/review
  release:
    needs: [test, lint, security]
    if: startsWith(github.ref, 'refs/tags/v')
    runs-on: ubuntu-latest
    container: golang:1.26
    steps:
      - uses: actions/checkout@v4
      - run: goreleaser release
`

// gitlabCI is the same pipeline as GitLab CI configuration.
const gitlabCI = `workflow:
  name: CI
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_PIPELINE_SOURCE == "schedule"
    - if: $CI_PIPELINE_SOURCE == "web"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_COMMIT_TAG
stages: [build, test, deploy, release]
default:
  image: golang:1.26
build:
  stage: build
  script: [go build ./...]
test:
  stage: test
  needs: [build]
  script: [go test ./...]
  artifacts:
    reports:
      junit: report.xml
lint:
  stage: test
  needs: [build]
  script: [golangci-lint run]
security:
  stage: test
  needs: [build]
  script: [govulncheck ./...]
deploy-staging:
  stage: deploy
  needs: [test, lint, security]
  environment: staging
  script: [kubectl apply -k k8s/overlays/staging]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "schedule"
deploy-production:
  stage: deploy
  needs: [deploy-staging]
  environment: production
  script: [kubectl apply -k k8s/overlays/production]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != "schedule"
deploy-review:
  stage: deploy
  needs: [test]
  environment:
    name: review/$CI_COMMIT_REF_SLUG
  script: [kubectl apply -k k8s/overlays/review]
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
release:
  stage: release
  needs: [test, lint, security]
  script: [goreleaser release]
  rules:
    - if: $CI_COMMIT_TAG
`

// treeFiles is the file tree at the trunk tip, CI configuration aside.
func treeFiles() map[string]string {
	return map[string]string{
		"go.mod":                                     "module example.com/shop\n\ngo 1.26\n",
		"go.sum":                                     "",
		"Makefile":                                   "build:\n\tgo build ./...\ntest:\n\tgo test ./...\n",
		"Dockerfile":                                 "FROM golang:1.26 AS build\nCOPY . .\nRUN go build -o /shop ./cmd/shop\nFROM gcr.io/distroless/base\nCOPY --from=build /shop /shop\n",
		".golangci.yml":                              "linters:\n  enable: [govet, staticcheck, gosec]\n",
		"README.md":                                  "# Shop\n",
		"cmd/shop/main.go":                           "package main\n\nfunc main() {}\n",
		"internal/catalogue/catalogue.go":            "package catalogue\n",
		"internal/catalogue/catalogue_test.go":       "package catalogue\n",
		"internal/login/login.go":                    "package login\n",
		"internal/login/login_test.go":               "package login\n",
		"internal/client/client.go":                  "package client\n",
		"internal/search/search.go":                  "package search\n",
		"internal/search/search_test.go":             "package search\n",
		"tests/integration/api_test.go":              "package integration\n",
		"tests/e2e/checkout_test.go":                 "package e2e\n",
		"k8s/base/deployment.yaml":                   "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n",
		"k8s/base/service.yaml":                      "apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\n",
		"k8s/base/kustomization.yaml":                "resources: [deployment.yaml, service.yaml]\n",
		"k8s/overlays/staging/kustomization.yaml":    "resources: [../../base]\n",
		"k8s/overlays/production/kustomization.yaml": "resources: [../../base]\n",
		"k8s/overlays/review/kustomization.yaml":     "resources: [../../base]\n",
	}
}
