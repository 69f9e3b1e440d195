// Package parity holds the GitHub ↔ GitLab parity test: one host-neutral
// delivery history (trunk commits, merged and open changes, CI runs and
// jobs, deployments, releases, tags, protection and a file tree) is served
// once by the fake GitHub (collectors/github/githubfake) and once by the fake
// GitLab (collectors/gitlab/gitlabfake), collected by each host's collector,
// measured and judged; the measurements and levels must agree except where a
// host by nature records more or less (documented in the test). The same
// history's runs, stages, test reports and deployments are also served by
// the fake Jenkins (collectors/jenkins/jenkinsfake) as a multibranch
// project; its run, test and deployment figures must equal GitLab's
// (TestJenkinsParity).
//
// The package has no code outside its tests.
//
// Import rules: no code outside its test.
package parity
