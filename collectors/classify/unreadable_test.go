package classify

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// A file the reader cannot have (ErrUnreadable) is listed as unreadable,
// not as a parse error and not as absent: its path still classifies.
func TestUnreadableFiles(t *testing.T) {
	paths := []string{".github/workflows/ci.yml", ".github/workflows/nightly.yml", "go.mod", "main.go"}
	wf := []byte("on: [push]\njobs:\n  test:\n    runs-on: x\n    steps:\n      - run: go test ./...\n")
	for _, tc := range []struct {
		name        string
		errs        map[string]error
		want        []model.UnreadableFile
		parseErrors int
	}{
		{"all readable", nil, nil, 0},
		{"one workflow unreadable", map[string]error{
			".github/workflows/nightly.yml": fmt.Errorf("%w: blob 1234 missing", ErrUnreadable),
		}, []model.UnreadableFile{{Path: ".github/workflows/nightly.yml", Reason: "contents unreadable: blob 1234 missing"}}, 0},
		{"other read errors stay parse errors", map[string]error{".github/workflows/nightly.yml": errBoom}, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fakeReader{files: map[string][]byte{".github/workflows/ci.yml": wf,
				".github/workflows/nightly.yml": []byte("on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  lint:\n    runs-on: x\n    steps:\n      - run: make lint\n"),
				"go.mod":                        []byte("module x\n")}, errs: tc.errs}
			f, err := Classify(context.Background(), paths, r)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, f.Unreadable); d != "" {
				t.Errorf("unreadable (-want +got):\n%s", d)
			}
			if f.UnreadableCount != len(tc.want) || len(f.CI.ParseErrors) != tc.parseErrors {
				t.Errorf("unreadable count %d, parse errors %q", f.UnreadableCount, f.CI.ParseErrors)
			}
			if f.Count(model.CatCIConfig) != 2 {
				t.Errorf("CI config files %v: an unreadable workflow is still one", f.Paths(model.CatCIConfig))
			}
		})
	}
}

func TestUnreadableCapped(t *testing.T) {
	var paths []string
	errs := map[string]error{}
	for i := range model.MaxCategoryPaths + 10 {
		p := fmt.Sprintf(".github/workflows/w%03d.yml", i)
		paths = append(paths, p)
		errs[p] = fmt.Errorf("%w: missing", ErrUnreadable)
	}
	f, err := Classify(context.Background(), paths, &fakeReader{errs: errs})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Unreadable) != model.MaxCategoryPaths || f.UnreadableCount != len(paths) || f.Unreadable[0].Path != paths[0] {
		t.Errorf("kept %d (first %v) of %d", len(f.Unreadable), f.Unreadable[0], f.UnreadableCount)
	}
}
