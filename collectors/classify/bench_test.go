package classify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// syntheticTree builds n paths shaped like a large monorepo: mostly
// sources and tests, vendored code, docs, fixtures, and the usual
// configuration sprinkled per module.
func syntheticTree(n int) []string {
	rng := rand.New(rand.NewPCG(7, 11))
	exts := []string{".go", ".ts", ".tsx", ".py", ".java", ".rb", ".rs", ".js"}
	var out []string
	for i := 0; len(out) < n*5/4; i++ {
		mod := fmt.Sprintf("services/svc%03d", i%400)
		pkg := fmt.Sprintf("%s/internal/pkg%02d", mod, rng.IntN(30))
		ext := exts[rng.IntN(len(exts))]
		switch r := rng.IntN(100); {
		case r < 55:
			out = append(out, fmt.Sprintf("%s/file%05d%s", pkg, i, ext))
		case r < 65:
			out = append(out, fmt.Sprintf("%s/file%05d_test.go", pkg, i), fmt.Sprintf("%s/tests/test_f%05d.py", mod, i))
		case r < 70:
			out = append(out, fmt.Sprintf("%s/src/components/C%05d.test.tsx", mod, i), fmt.Sprintf("%s/e2e/flow%05d.spec.ts", mod, i))
		case r < 80:
			out = append(out, fmt.Sprintf("vendor/github.com/org%d/lib%d/f%05d.go", i%50, i%7, i), fmt.Sprintf("web/node_modules/pkg%d/lib/i%05d.js", i%90, i))
		case r < 85:
			out = append(out, fmt.Sprintf("docs/section%d/page%05d.md", i%20, i))
		case r < 90:
			out = append(out, fmt.Sprintf("%s/testdata/case%05d.json", pkg, i))
		case r < 92:
			out = append(out, fmt.Sprintf("%s/deploy/k8s/overlays/prod/patch%05d.yaml", mod, i), fmt.Sprintf("%s/charts/app/templates/t%05d.yaml", mod, i))
		case r < 94:
			out = append(out, fmt.Sprintf("%s/migrations/%06d_step.up.sql", mod, i), fmt.Sprintf("%s/migrations/%06d_step.down.sql", mod, i))
		case r < 96:
			out = append(out, fmt.Sprintf("%s/assets/img%05d.png", mod, i))
		default:
			for _, f := range []string{"Makefile", "Dockerfile", "package.json", "go.mod", "go.sum", "README.md", ".eslintrc.json", "pyproject.toml"} {
				out = append(out, mod+"/"+f)
			}
		}
	}
	out = append(out, ".github/workflows/ci.yml", ".gitlab-ci.yml", "Jenkinsfile", ".golangci.yml", "CODEOWNERS")
	slices.Sort(out)
	out = slices.Compact(out)
	for len(out) < n { // top up with unique sources
		out = append(out, fmt.Sprintf("extra/f%06d.go", len(out)))
	}
	slices.Sort(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// smallReader answers every read with a tiny manifest.
type smallReader struct{}

func (smallReader) ReadFile(context.Context, string) ([]byte, error) {
	return []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"), nil
}

func BenchmarkClassify100k(b *testing.B) {
	paths := syntheticTree(100_000)
	b.Run("paths-only", func(b *testing.B) {
		for b.Loop() {
			if _, err := Classify(context.Background(), paths, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("with-reader", func(b *testing.B) {
		for b.Loop() {
			if _, err := Classify(context.Background(), paths, smallReader{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	shuffled := slices.Clone(paths)
	rand.New(rand.NewPCG(1, 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b.Run("unsorted", func(b *testing.B) {
		for b.Loop() {
			if _, err := Classify(context.Background(), shuffled, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestSyntheticTree(t *testing.T) {
	paths := syntheticTree(100_000)
	if len(paths) != 100_000 {
		t.Fatalf("len = %d", len(paths))
	}
	n := 0
	for _, p := range paths {
		if WantContent(p) {
			n++
		}
	}
	tf, err := Classify(context.Background(), paths, smallReader{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range tf.Counts {
		total += c
	}
	t.Logf("wanted %d of %d paths; categories %d; counts %v", n, len(paths), len(tf.Counts), tf.Counts)
}
