package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestIndirectSteps: a step runs what its Makefile target, package.json
// script or script file runs.
func TestIndirectSteps(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/release.yml": `
on: {push: {tags: ['v*']}}
jobs:
  migrate:
    runs-on: ubuntu-latest
    steps:
      - run: make migrate
  pkg:
    runs-on: ubuntu-latest
    steps:
      - run: npm ci && npm run release
  rollout:
    runs-on: ubuntu-latest
    steps:
      - run: ./scripts/rollout.sh production
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: make -C docs html
  check:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`,
		"Makefile":           "DB ?= x\n\nmigrate: check-env\n\tgoose -dir db/migrations postgres \"$(DB)\" up\n\ncheck-env:\n\t@test -n \"$(DB)\"\n",
		"package.json":       `{"scripts": {"release": "npm run build && npm publish", "build": "tsc", "test": "bash scripts/test.sh"}}`,
		"scripts/test.sh":    "#!/bin/sh\nfind pages -name '*.md' -exec markdownlint {} +\n",
		"scripts/rollout.sh": "#!/bin/sh\nkubectl apply -f k8s/$1\n",
		"docs/Makefile":      "html:\n\tsphinx-build -b html . _build\n",
	})
	got := kindsByJob(tf)
	want := map[string][]model.JobKind{
		"migrate": {model.JobMigration},
		"pkg":     {model.JobBuild, model.JobRelease},
		"rollout": {model.JobDeploy},
		"docs":    nil,
		"check":   {model.JobTest, model.JobLint}, // npm test → scripts/test.sh → markdownlint
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("kinds (-want +got):\n%s", d)
	}
}
