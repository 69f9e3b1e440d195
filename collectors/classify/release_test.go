package classify

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestReleasePhaseMigrates: a Procfile release process that migrates —
// itself or through the script it runs — applies migrations with every
// deployment (pypi/warehouse runs bin/release, crates.io `app migrate`).
func TestReleasePhaseMigrates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"script that upgrades the database", map[string]string{
			"Procfile":    "release: bin/release\nweb: gunicorn app.wsgi\n",
			"bin/release": "#!/bin/bash\nset -eo pipefail\npython -m warehouse db upgrade head\n",
		}, []string{"Procfile"}},
		{"the application's migrate subcommand", map[string]string{
			"Procfile": "release: ./target/release/crates-io migrate\nweb: ./target/release/crates-io server\n",
		}, []string{"Procfile"}},
		{"a migration tool", map[string]string{"Procfile": "release: python manage.py migrate --noinput\n"}, []string{"Procfile"}},
		{"a release phase that warms a cache", map[string]string{"Procfile": "release: ./bin/warm-cache\n", "bin/warm-cache": "#!/bin/sh\ncurl -s localhost/\n"}, nil},
		{"no release phase", map[string]string{"Procfile": "web: bundle exec puma\nworker: migrate-worker\n"}, nil},
		{"a container that migrates as it starts (umami)", map[string]string{
			"Dockerfile":          "FROM node:22\nCOPY . .\nCMD [\"pnpm\", \"start-docker\"]\n",
			"package.json":        `{"scripts": {"start-docker": "npm-run-all check-db start-server", "check-db": "node scripts/check-db.js", "start-server": "node server.js"}}`,
			"scripts/check-db.js": "const { execSync } = require('child_process');\nexecSync('prisma migrate deploy');\n",
		}, []string{"Dockerfile"}},
		{"an entrypoint script (rails)", map[string]string{
			"Dockerfile":            "FROM ruby:3.4\nENTRYPOINT [\"./bin/docker-entrypoint\"]\nCMD [\"./bin/rails\", \"server\"]\n",
			"bin/docker-entrypoint": "#!/bin/bash -e\nif [ \"${@: -2:1}\" == \"./bin/rails\" ]; then\n  ./bin/rails db:prepare\nfi\nexec \"${@}\"\n",
		}, []string{"Dockerfile"}},
		{"a container that only serves", map[string]string{"Dockerfile": "FROM nginx\nCMD nginx -g 'daemon off;'\n"}, nil},
		{"no migrations to apply", map[string]string{"Procfile": "release: python manage.py migrate\n", "NOMIGRATIONS": ""}, nil},
		{"a Dockerfile below the root", map[string]string{
			"deploy/Dockerfile": "FROM python\nCMD python manage.py migrate && gunicorn app\n",
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, none := tc.files["NOMIGRATIONS"]; !none {
				tc.files["migrations/versions/0001_init.py"] = "def upgrade():\n    pass\n\ndef downgrade():\n    pass\n"
			}
			tf := classifyFiles(t, tc.files)
			if d := cmp.Diff(tc.want, tf.Migrations.OnRelease); d != "" {
				t.Errorf("OnRelease (-want +got):\n%s", d)
			}
		})
	}
}

// TestMigrationKindNeedsACommand: a job's name is a hint; a job named for
// migrations whose commands only check them applies none.
func TestMigrationKindNeedsACommand(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/ci.yml": `
on: [push, pull_request]
jobs:
  backend-migrations:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: diesel-guard check migrations/
  migrate:
    runs-on: ubuntu-latest
    steps:
      - run: ./scripts/migrate.sh production
  db-migrations:
    runs-on: ubuntu-latest
    steps:
      - run: diesel migration run
  test:
    runs-on: ubuntu-latest
    steps:
      - run: alembic upgrade head && alembic downgrade base && pytest
`,
		"scripts/migrate.sh": "#!/bin/sh\necho\n",
	})
	got := kindsByJob(tf)
	want := map[string][]model.JobKind{
		"backend-migrations": {model.JobLint},
		"migrate":            {model.JobMigration},
		"db-migrations":      {model.JobMigration},
		"test":               {model.JobTest, model.JobMigration},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("kinds (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{".github/workflows/ci.yml"}, tf.Migrations.RollbackTested); d != "" {
		t.Errorf("RollbackTested (-want +got):\n%s", d)
	}
}

// TestDeploymentHandedElsewhere: a job that calls another repository's
// reusable workflow, or triggers another project's pipeline, does its work
// there; a local reusable workflow or a child pipeline does not.
func TestDeploymentHandedElsewhere(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		".github/workflows/deploy.yml": `
on: {release: {types: [released]}}
jobs:
  trigger-deploy:
    uses: acme/infrastructure/.github/workflows/deploy.yml@main
    with: {environment: integration}
  local-deploy:
    uses: ./.github/workflows/rollout.yml
`,
		".github/workflows/rollout.yml": "on: {workflow_call: {}}\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f k8s/\n",
		".gitlab-ci.yml": `
downstream:
  stage: deploy
  trigger:
    project: acme/infra
child:
  trigger:
    include: ci/child.yml
`,
		"ci/child.yml": "build:\n  script: [make]\n",
	})
	got := map[string]bool{}
	for _, j := range tf.CI.Jobs {
		got[j.Name] = j.Elsewhere
	}
	for name, want := range map[string]bool{"trigger-deploy": true, "local-deploy": false, "downstream": true, "child": false} {
		if got[name] != want {
			t.Errorf("%s: Elsewhere = %v, want %v", name, got[name], want)
		}
	}
}
