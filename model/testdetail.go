package model

// TestDetail is what a test report tells beyond its counts, where the source
// records individual test cases (JUnit XML files, Jenkins test results):
// tests run more than once in the same report, tests that failed and then
// passed on a rerun, and the number of tests per test layer.
type TestDetail struct {
	// Source names where the cases were read: "junit" (files), "jenkins".
	Source string `json:"source"`
	// Files is the number of report files read (JUnit files only).
	Files int `json:"files,omitempty"`
	// Retried counts tests run more than once (surefire rerunFailure /
	// flakyFailure elements, a Gradle retry's repeated test cases).
	Retried int `json:"retried"`
	// Flaky counts retried tests whose last run passed after a failure.
	Flaky int `json:"flaky"`
	// FlakyTests names some of them ("class.name"), at most MaxFlakyNames.
	FlakyTests []string `json:"flaky_tests,omitempty"`
	// Layers counts tests per layer (unit, integration, e2e, performance,
	// unknown) as told by suite names and file paths.
	Layers map[string]int `json:"layers,omitempty"`
}

// MaxFlakyNames bounds TestDetail.FlakyTests.
const MaxFlakyNames = 50
