package classify

import (
	"strings"
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

// TestDatabaseClients: the database clients and ORMs manifests depend on
// are recorded as db: tools.
func TestDatabaseClients(t *testing.T) {
	tf := classifyFiles(t, map[string]string{
		"go.mod":           "module x\nrequire github.com/jackc/pgx/v5 v5.7.0\n",
		"package.json":     `{"dependencies": {"pg": "^8", "react": "^19"}}`,
		"requirements.txt": "SQLAlchemy==2.0\nrequests\n",
		"web/Gemfile":      "gem 'rails'\ngem 'pg'\n",
	})
	var got []string
	for _, tool := range tf.Tools {
		if strings.HasPrefix(tool, "db:") {
			got = append(got, tool)
		}
	}
	if d := cmp.Diff([]string{"db:pg", "db:pgx", "db:rails", "db:sqlalchemy"}, got); d != "" {
		t.Errorf("db tools (-want +got):\n%s", d)
	}
}

// TestMavenLifecycleRunsLintPlugins: `mvn verify` runs the lint plugins the
// build declares (Checkstyle bound to validate), so the job lints; without
// one it only builds and tests.
func TestMavenLifecycleRunsLintPlugins(t *testing.T) {
	ci := ".github/workflows/maven.yml"
	wf := "on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./mvnw -B verify\n"
	for _, tc := range []struct {
		name string
		pom  string
		want []model.JobKind
	}{
		{"with Checkstyle", "<project><build><plugins><plugin><artifactId>maven-checkstyle-plugin</artifactId></plugin></plugins></build></project>",
			[]model.JobKind{model.JobBuild, model.JobTest, model.JobLint}},
		{"without a lint plugin", "<project></project>", []model.JobKind{model.JobBuild, model.JobTest}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tf := classifyFiles(t, map[string]string{ci: wf, "pom.xml": tc.pom})
			if d := cmp.Diff(tc.want, kindsByJob(tf)["build"]); d != "" {
				t.Errorf("kinds (-want +got):\n%s", d)
			}
		})
	}
}
