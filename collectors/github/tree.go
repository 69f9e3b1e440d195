package github

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/cdaudit/cdaudit/collectors/classify"
	"github.com/cdaudit/cdaudit/model"
)

// maxBlobSize bounds the files read for the classifier.
const maxBlobSize = 1 << 20

// tree reads the tree of trunk as of the window's end (the default branch
// head for a window ending now) and classifies it, reading only
// the files the classifier asks for (by blob, so unchanged files are answered
// from the HTTP cache).
func (a *audit) tree(ctx context.Context) error {
	c := a.c
	if a.trunk == "" {
		return fmt.Errorf("trunk as of the window's end unknown")
	}
	t, _, err := c.client.Git.GetTree(ctx, c.owner, c.name, a.trunk, true)
	if err != nil {
		return err
	}
	r := &blobReader{a: a, blobs: map[string]blobRef{}}
	var paths []string
	for _, e := range t.Entries {
		if e.GetType() != "blob" {
			continue // trees and submodules
		}
		paths = append(paths, e.GetPath())
		r.blobs[e.GetPath()] = blobRef{sha: e.GetSHA(), size: e.GetSize()}
	}
	sort.Strings(paths)
	facts, err := classify.Classify(ctx, paths, r)
	if rerr := r.failure(); rerr != nil {
		return rerr
	}
	if err != nil {
		return fmt.Errorf("classifying the tree: %w", err)
	}
	tr := &model.Tree{Commit: a.trunk, Paths: paths, FileCount: len(paths), Truncated: t.GetTruncated(), Facts: facts}
	if tr.Truncated {
		a.note(fmt.Sprintf("GitHub truncated the tree listing at %d files; the tree facts may miss files", len(paths)))
	}
	a.ev.Tree = tr
	a.ev.Mark(model.KindTree)
	return nil
}

type blobRef struct {
	sha  string
	size int
}

// blobReader gives the classifier file contents through the blobs API. It
// remembers a rate limit or rejected token so the tree step stops on it even
// if the classifier swallows read errors.
type blobReader struct {
	a     *audit
	blobs map[string]blobRef

	mu  sync.Mutex
	err error
}

// ReadFile implements classify.Reader.
func (r *blobReader) ReadFile(ctx context.Context, path string) ([]byte, error) {
	b, ok := r.blobs[path]
	if !ok {
		return nil, fmt.Errorf("%s: not in the tree", path)
	}
	if b.size > maxBlobSize {
		return nil, fmt.Errorf("%s: %d bytes, larger than the %d read for classification", path, b.size, maxBlobSize)
	}
	c := r.a.c
	data, _, err := c.client.Git.GetBlobRaw(ctx, c.owner, c.name, b.sha)
	if err != nil {
		if stops(err) || isUnauthorized(err) || errors.Is(err, context.Canceled) {
			r.mu.Lock()
			if r.err == nil {
				r.err = err
			}
			r.mu.Unlock()
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

func (r *blobReader) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}
