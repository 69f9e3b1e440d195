// Package releasetest checks the release and CI files at the repository
// root, which no Go code imports: the GoReleaser configuration
// (.goreleaser.yaml, parsed and checked structurally, since goreleaser
// itself is not available to the tests), the GitHub Action (action.yml: its
// run steps are executed by bash against a fake release) and the GitLab CI
// template (ci/cdaudit.gitlab-ci.yml: its script run by sh against a fake
// cdaudit). It holds tests only.
//
// Import rules: no code outside its test.
package releasetest
