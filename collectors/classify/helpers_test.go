package classify

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// fakeReader serves files from a map; paths in errs fail.
type fakeReader struct {
	files map[string][]byte
	errs  map[string]error
	mu    sync.Mutex
	reads []string
}

func (r *fakeReader) ReadFile(_ context.Context, p string) ([]byte, error) {
	r.mu.Lock()
	r.reads = append(r.reads, p)
	r.mu.Unlock()
	if err := r.errs[p]; err != nil {
		return nil, err
	}
	b, ok := r.files[p]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return b, nil
}

var errBoom = errors.New("boom")

// loadFixture reads a directory under testdata into paths and a reader.
func loadFixture(t *testing.T, name string) ([]string, *fakeReader) {
	t.Helper()
	root := filepath.Join("testdata", name)
	r := &fakeReader{files: map[string][]byte{}}
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		paths = append(paths, rel)
		r.files[rel] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return paths, r
}

// kindsByJob maps each CI job's name to its kinds.
func kindsByJob(tf model.TreeFacts) map[string][]model.JobKind {
	got := map[string][]model.JobKind{}
	for _, j := range tf.CI.Jobs {
		got[j.Name] = j.Kinds
	}
	return got
}
