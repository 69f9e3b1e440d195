package vocab

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestJobKinds(t *testing.T) {
	tests := []struct {
		name  string
		steps []string
		want  []model.JobKind
	}{
		{"test (ubuntu-latest, 1.22)", nil, []model.JobKind{model.JobTest}},
		{"docker (latest)", nil, []model.JobKind{model.JobBuild}}, // docker builds an image
		// The disagreements the two classifiers had, resolved:
		{"smoke", nil, []model.JobKind{model.JobTest}},
		{"coverage", nil, []model.JobKind{model.JobTest}},
		{"perf", nil, []model.JobKind{model.JobTest}},
		{"docker-image", nil, []model.JobKind{model.JobBuild}},
		{"fuzz", nil, []model.JobKind{model.JobSecurity}},
		{"secret-scan", nil, []model.JobKind{model.JobSecurity}},
		{"testsuite", nil, []model.JobKind{model.JobTest}},
		{"kubectl apply", nil, []model.JobKind{model.JobDeploy}},
		{"static analysis", nil, []model.JobKind{model.JobLint}},
		{"pre-commit", nil, []model.JobKind{model.JobLint}},
		{"dependency review", nil, []model.JobKind{model.JobSecurity}},
		{"build-and-test", nil, []model.JobKind{model.JobBuild, model.JobTest}},
		{"ci", []string{"Set up job", "Run actions/checkout@v4", "Run go test ./...", "Run golangci/golangci-lint-action@v6"},
			[]model.JobKind{model.JobTest, model.JobLint}},
		{"Analyze (go)", []string{"Initialize CodeQL", "Perform CodeQL Analysis"}, []model.JobKind{model.JobSecurity}},
		{"rspec", nil, []model.JobKind{model.JobTest}},
		{"unitTests", nil, []model.JobKind{model.JobTest}},
		{"eslint", nil, []model.JobKind{model.JobLint}},
		{"go vet", nil, []model.JobKind{model.JobLint}},
		{"secret_detection", nil, []model.JobKind{model.JobSecurity}},
		{"npm audit", nil, []model.JobKind{model.JobSecurity}},
		{"cdaudit", nil, nil},
		{"deploy-production", nil, []model.JobKind{model.JobDeploy}},
		{"db:migrate", nil, []model.JobKind{model.JobMigration}},
		{"goreleaser", nil, []model.JobKind{model.JobRelease}},
		{"docker", []string{"docker/build-push-action@v6"}, []model.JobKind{model.JobBuild, model.JobPackage}},
		{"attest provenance", nil, nil},
		{"", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, JobKinds(append([]string{tc.name}, tc.steps...)...)); d != "" {
				t.Errorf("JobKinds(%q, %q) (-want +got):\n%s", tc.name, tc.steps, d)
			}
		})
	}
}

func TestIsTestPath(t *testing.T) {
	for p, want := range map[string]bool{
		"pkg/foo_test.go":                         true,
		"tests/test_api.py":                       true,
		"app/test_models.py":                      true,
		"app/models_test.py":                      true,
		"app/conftest.py":                         true,
		"web/src/button.spec.ts":                  true,
		"web/src/button.test.jsx":                 true,
		"web/src/__tests__/button.js":             true,
		"spec/models/user_spec.rb":                true,
		"src/test/java/com/x/FooTest.java":        true,
		"src/main/java/com/x/FooTests.java":       true,
		"src/FooIT.java":                          true,
		"lib/parser_test.cc":                      true,
		"features/login.feature":                  true,
		"internal/testdata/fixture.json":          true,
		"e2e/login.ts":                            true,
		"pkg/foo.go":                              false,
		"src/main/java/com/x/Latest.java":         false,
		"web/src/contest.ts":                      false,
		"docs/testing-guide.md":                   false,
		"locales/it/messages.js":                  false,
		"README.md":                               false,
		`windows\path\tests\x.cs`:                 true,
		"src/main/java/com/x/TestUtils.java":      false,
		"pkg/attestation.go":                      false,
		"src/components/Button.stories.tsx":       false,
		"test_data.csv":                           false,
		"src/main/kotlin/com/x/RepositorySpec.kt": true,
		// Resolved disagreements: Go tests are only *_test.go; .robot and
		// .bats files are tests; Objective-C FooTests.m is a test.
		"pkg/test_helpers.go":    false,
		"acceptance/login.robot": true,
		"scripts/install.bats":   true,
		"ios/AppTests.m":         true,
	} {
		if got := IsTestPath(p); got != want {
			t.Errorf("IsTestPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestIsCodePath(t *testing.T) {
	for p, want := range map[string]bool{
		"pkg/foo.go":                   true,
		"cmd/main.go":                  true,
		"app/models.py":                true,
		"web/src/button.tsx":           true,
		"src/main/java/com/x/A.java":   true,
		"src/lib.rs":                   true,
		"pkg/foo_test.go":              false,
		"vendor/github.com/x/y.go":     false,
		"web/node_modules/a/b.js":      false,
		"api/v1/api.pb.go":             false,
		"pkg/zz_generated.deepcopy.go": false,
		"docs/example.py":              false,
		"README.md":                    false,
		"go.mod":                       false,
		"Dockerfile":                   false,
		".github/workflows/ci.yml":     false,
		"static/app.min.js":            false,
		"db/migrate/001.sql":           false,
	} {
		if got := IsCodePath(p); got != want {
			t.Errorf("IsCodePath(%q) = %v, want %v", p, got, want)
		}
	}
}
