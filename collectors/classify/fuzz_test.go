package classify

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// contentPaths are the files whose contents Classify parses.
var contentPaths = []string{
	".github/workflows/ci.yml", ".github/actions/a/action.yml", ".gitlab-ci.yml", ".gitlab/ci/x.yml",
	"Jenkinsfile", ".circleci/config.yml", "azure-pipelines.yml", ".travis.yml", "bitbucket-pipelines.yml",
	".drone.yml", ".woodpecker.yml", "cloudbuild.yaml", "k8s/app.yaml", "package.json", "pyproject.toml",
	"setup.cfg", "go.mod", ".golangci.yml", ".eslintrc.json", "jest.config.js", "template.yaml",
	"alembic/versions/a.py", "app/migrations/0001_a.py", "db/migrate/1_a.rb", "migrations/1_a.sql",
	"migrations/2_b.js", "Data/Migrations/20240101000000_A.cs", "database/migrations/a.php",
}

var yamlWords = []string{
	"on", "jobs", "steps", "uses", "run", "with", "include", "extends", "stages", "stage", "environment",
	"rules", "only", "except", "trigger", "needs", "image", "script", "services", "cache", "workflow",
	"default", "strategy", "matrix", "container", "name", "if", "when", "local", "project", "template",
	"component", "push", "pull_request", "schedule", "workflow_dispatch", "workflow_call", "apiVersion",
	"kind", "parallel", "artifacts", "reports", "junit", "release", "pipelines", "step", "deployment",
	"orbs", "workflows", "requires", "type", "approval", "commands", "event", "trigger", "pr", "spec",
	"manual", "never", "./.github/workflows/x.yml", ".x", "x", "$CI_COMMIT_TAG", "", "null", "true", "1",
	"kubectl apply -f .", "go test ./...", "docker push x", "ci/*.yml", "**/*.yml", "/x.yml", "<<",
}

// randomValue builds a random YAML-shaped value using CI vocabulary, so
// that the readers see every shape in every place.
func randomValue(rng *rand.Rand, depth int) any {
	w := func() string { return yamlWords[rng.IntN(len(yamlWords))] }
	if depth > 4 {
		return w()
	}
	switch rng.IntN(5) {
	case 0, 1:
		m := map[string]any{}
		for i := rng.IntN(6); i >= 0; i-- {
			m[w()] = randomValue(rng, depth+1)
		}
		return m
	case 2:
		var l []any
		for i := rng.IntN(5); i >= 0; i-- {
			l = append(l, randomValue(rng, depth+1))
		}
		return l
	case 3:
		return rng.IntN(100)
	}
	return w()
}

// randomSoup makes YAML-like text that is often invalid: anchors, aliases,
// tags, merge keys, odd indentation.
func randomSoup(rng *rand.Rand) string {
	bits := []string{"&a ", "*a", "!reference [.x, y]", "<<: *a", "|", "- ", "{", "}", "[", "]", "'", `"`, ":", "---\n", "\t", "#", "%YAML 1.1\n"}
	var b strings.Builder
	for i := rng.IntN(40); i >= 0; i-- {
		b.WriteString(strings.Repeat(" ", rng.IntN(6)))
		b.WriteString(yamlWords[rng.IntN(len(yamlWords))])
		if rng.IntN(2) == 0 {
			b.WriteString(": ")
		}
		for j := rng.IntN(3); j > 0; j-- {
			b.WriteString(bits[rng.IntN(len(bits))])
			b.WriteString(yamlWords[rng.IntN(len(yamlWords))])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func classifyContent(t testing.TB, content []byte) {
	r := &fakeReader{files: map[string][]byte{}}
	for _, p := range contentPaths {
		r.files[p] = content
	}
	tf, err := Classify(context.Background(), contentPaths, r)
	if err != nil {
		t.Fatalf("Classify: %v", err)
	}
	for _, e := range tf.CI.ParseErrors {
		if strings.Contains(e, internalError) {
			t.Fatalf("%s\ninput:\n%q", e, content)
		}
	}
}

func TestRandomYAMLNeverPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 300
	if testing.Short() {
		n = 60
	}
	for i := 0; i < n; i++ {
		var content []byte
		if i%2 == 0 {
			b, err := yaml.Marshal(randomValue(rng, 0))
			if err != nil {
				t.Fatal(err)
			}
			content = b
		} else {
			content = []byte(randomSoup(rng))
		}
		classifyContent(t, content)
	}
}

func TestMutatedFixturesNeverPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var seeds [][]byte
	for _, p := range []string{"repo-github/.github/workflows/ci.yml", "repo-gitlab/.gitlab-ci.yml", "repo-jenkins/Jenkinsfile", "repo-github/deploy/k8s/base/deployment.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	for i := 0; i < 200; i++ {
		b := append([]byte(nil), seeds[i%len(seeds)]...)
		for j := rng.IntN(8); j >= 0 && len(b) > 0; j-- {
			k := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0:
				b[k] = byte(rng.IntN(256))
			case 1:
				b = append(b[:k], b[k+1:]...)
			default:
				const junk = " :-[{&*!\n\t"
				b = append(b[:k], append([]byte{junk[rng.IntN(len(junk))]}, b[k:]...)...)
			}
		}
		classifyContent(t, b)
	}
}

func FuzzClassifyContent(f *testing.F) {
	for _, s := range []string{"on: push\njobs: {a: {steps: [{run: make}]}}", "a: &a [*a]", "include: [{local: '**'}]",
		"stages: [a]\nx: {extends: [x]}", "apiVersion: v1\nkind: Pod\n---\nkind: Rollout"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		classifyContent(t, content)
	})
}
