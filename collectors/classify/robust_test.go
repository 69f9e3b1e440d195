package classify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
	"github.com/google/go-cmp/cmp"
)

func TestReaderErrorsAndLimits(t *testing.T) {
	r := &fakeReader{
		files: map[string][]byte{
			".github/workflows/ok.yml":  []byte("on: push\njobs:\n  t:\n    runs-on: x\n    steps: [{run: go test ./...}]\n"),
			".github/workflows/big.yml": []byte("on: push\n" + strings.Repeat("#", MaxFileSize)),
		},
		errs: map[string]error{
			".github/workflows/gone.yml": errBoom,
			"k8s/deployment.yaml":        errBoom,
		},
	}
	paths := []string{".github/workflows/ok.yml", ".github/workflows/big.yml", ".github/workflows/gone.yml", "k8s/deployment.yaml", "main.go"}
	tf, err := Classify(context.Background(), paths, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".github/workflows/big.yml: larger than 1 MiB, not read",
		".github/workflows/gone.yml: read: boom",
	}
	got := slices.Sorted(slices.Values(tf.CI.ParseErrors))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("parse errors (-want +got):\n%s", d)
	}
	if len(tf.CI.Jobs) != 1 || !tf.CI.Jobs[0].HasKind(model.JobTest) {
		t.Errorf("jobs = %+v", tf.CI.Jobs)
	}
	if tf.Count(model.CatKubernetes) != 1 || tf.Count(model.CatCIConfig) != 3 {
		t.Errorf("counts = %v", tf.Counts)
	}
	if slices.Contains(r.reads, "main.go") {
		t.Errorf("read main.go: %v", r.reads)
	}
}

func TestYAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for i := 0; i < 12; i++ {
		n := fmt.Sprintf("l%d", i)
		fmt.Fprintf(&b, "%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	tf := classifyFiles(t, map[string]string{".gitlab-ci.yml": b.String()})
	if len(tf.CI.ParseErrors) != 1 || !strings.Contains(tf.CI.ParseErrors[0], "too large") {
		t.Errorf("parse errors = %v", tf.CI.ParseErrors)
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Classify(ctx, []string{"a.go"}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	// cancelled while reading
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r := cancelReader{cancel: cancel}
	_, err := Classify(ctx, []string{".gitlab-ci.yml", "package.json"}, r)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

type cancelReader struct{ cancel context.CancelFunc }

func (c cancelReader) ReadFile(ctx context.Context, _ string) ([]byte, error) {
	c.cancel()
	return nil, ctx.Err()
}

func TestPathNormalisationAndCaps(t *testing.T) {
	var clean []string
	for i := 0; i < 120; i++ {
		clean = append(clean, fmt.Sprintf("pkg/p%03d/x.go", i))
	}
	slices.Sort(clean)
	messy := slices.Clone(clean)
	slices.Reverse(messy)
	messy = append(messy, "./"+clean[3], "/"+clean[7], clean[9], "", "dir/")
	a, err := Classify(context.Background(), clean, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Classify(context.Background(), messy, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("messy input differs (-clean +messy):\n%s", d)
	}
	if a.Count(model.CatSource) != 120 || len(a.Paths(model.CatSource)) != model.MaxCategoryPaths {
		t.Errorf("count %d, kept %d", a.Count(model.CatSource), len(a.Paths(model.CatSource)))
	}
	if d := cmp.Diff(clean[:model.MaxCategoryPaths], a.Paths(model.CatSource)); d != "" {
		t.Errorf("kept paths (-want +got):\n%s", d)
	}
	if messy[0] != clean[len(clean)-1] {
		t.Error("Classify modified its input")
	}
}

func TestCatFilesKeepsSmallest(t *testing.T) {
	var cf catFiles
	var all []string
	for i := 200; i > 0; i-- {
		p := fmt.Sprintf("f%03d", (i*37)%200)
		all = append(all, p)
		cf.add(catSet(1<<cSource), p)
	}
	slices.Sort(all)
	if d := cmp.Diff(all[:model.MaxCategoryPaths], cf.files[cSource]); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestWantContent(t *testing.T) {
	cases := []struct {
		path string
		want bool
	}{
		{".github/workflows/ci.yml", true},
		{".github/actions/x/action.yml", true},
		{".gitlab-ci.yml", true},
		{".gitlab/ci/build.yml", true},
		{"Jenkinsfile", true},
		{".circleci/config.yml", true},
		{"azure-pipelines.yml", true},
		{"package.json", true},
		{"web/package.json", true},
		{"pyproject.toml", true},
		{"setup.cfg", true},
		{"go.mod", true},
		{".golangci.yml", true},
		{"k8s/deployment.yaml", true},
		{"deploy/overlays/prod/patch.yaml", true},
		{"charts/app/templates/deployment.yaml", true},
		{"charts/app/Chart.yaml", false},
		{"charts/app/values.yaml", false},
		{"alembic/versions/a.py", true},
		{"app/migrations/0001_initial.py", true},
		{"db/migrate/20240101_a.rb", true},
		{"migrations/1_a.up.sql", false},
		{"main.go", false},
		{"README.md", false},
		{"k8s/README.md", false},
		{"testdata/k8s/pod.yaml", false},
		{"node_modules/x/package.json", false},
		{"vendor/x/go.mod", false},
		{"docs/mkdocs.yaml", false},
		{"src/app.py", false},
		{"", false},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			if got := WantContent(tc.path); got != tc.want {
				t.Errorf("WantContent(%q) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}

func TestReadsOnlyWhatItWants(t *testing.T) {
	paths, r := loadFixture(t, "repo-gitlab")
	if _, err := Classify(context.Background(), paths, r); err != nil {
		t.Fatal(err)
	}
	for _, p := range r.reads {
		// ci/perf.yml is included by .gitlab-ci.yml; the tree has migrations, so
		// the root Dockerfile's start command is read on demand (release.go)
		if !WantContent(p) && p != "ci/perf.yml" && p != "Dockerfile" {
			t.Errorf("read %q, which WantContent does not select", p)
		}
	}
}

func TestNilReaderAndEmpty(t *testing.T) {
	tf, err := Classify(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tf.Counts) != 0 || len(tf.CI.Jobs) != 0 {
		t.Errorf("empty tree gave %+v", tf)
	}
	tf, err = Classify(context.Background(), []string{".github/workflows/ci.yml", "k8s/app.yaml"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"github-actions"}, tf.CI.Systems); d != "" {
		t.Errorf("systems (-want +got):\n%s", d)
	}
	if tf.Count(model.CatKubernetes) != 1 || len(tf.CI.ParseErrors) != 0 {
		t.Errorf("facts %+v", tf)
	}
}
