package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestScheduledJobs: each job carries what starts it, and a scanner's job
// is marked, so that the build plan counts only scheduled product builds
// (curl's and vite's schedules are a URL check, CodeQL, semgrep and issue
// bots; black's nightly fuzzing tests the product).
func TestScheduledJobs(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/codeql.yml": `
on:
  push: {branches: [master]}
  schedule: [{cron: '0 0 * * 1'}]
jobs:
  c:
    runs-on: ubuntu-latest
    steps:
      - uses: github/codeql-action/init@v4
      - run: cmake -B . && cmake --build . && make test
      - uses: github/codeql-action/analyze@v4
`,
		".github/workflows/stale.yml": `
on:
  schedule: [{cron: '0 0 * * *'}]
jobs:
  lock:
    runs-on: ubuntu-latest
    steps:
      - uses: dessant/lock-threads@v5
`,
		".github/workflows/fuzz.yml": `
on:
  push: {branches: [main]}
  schedule: [{cron: '0 7 * * *'}]
jobs:
  fuzz:
    runs-on: ubuntu-latest
    steps:
      - run: tox -e fuzz
`,
		"Jenkinsfile": "buildPlugin(forkCount: '1C')\n",
		".gitlab-ci.yml": `
unit:
  script: [go test ./...]
nightly:
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script: [make integration-test]
`,
	})
	type row struct {
		Triggers      []string
		Product, Scan bool
	}
	got := map[string]row{}
	for _, j := range tf.CI.Jobs {
		got[j.File+":"+j.Name] = row{j.Triggers, j.BuildsProduct(), j.Scanner}
	}
	want := map[string]row{
		".github/workflows/codeql.yml:c":   {[]string{"push", "schedule"}, false, true},
		".github/workflows/stale.yml:lock": {[]string{"schedule"}, false, false},
		".github/workflows/fuzz.yml:fuzz":  {[]string{"push", "schedule"}, true, false},
		"Jenkinsfile:buildPlugin":          {nil, false, false}, // a shared library step
		".gitlab-ci.yml:unit":              {[]string{"push", "pull_request", "tag", "manual", "api"}, true, false},
		".gitlab-ci.yml:nightly":           {[]string{"schedule"}, true, false},
	}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("jobs (-want +got):\n%s", d)
	}
}
