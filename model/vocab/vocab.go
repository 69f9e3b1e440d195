// Package vocab is the one classification vocabulary of cdaudit: what a CI
// job's name says it does (JobKinds), how hosts' run events map onto the
// normalised triggers (GitHubTrigger, GitLabTrigger, Triggers), and which
// repository paths are tests or production code (IsTestPath, IsCodePath,
// TestFileName, CodeExt, GeneratedName).
//
// Both the declared-configuration classifier (collectors/classify) and the
// run classifier (measure) use it, so a job, a trigger or a path means the
// same thing in a CI file as in a CI run. It is pure and has no state.
//
// Import rules: model only, and the standard library; no I/O.
package vocab
