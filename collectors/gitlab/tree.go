package gitlab

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/cdaudit/cdaudit/collectors/classify"
	"github.com/cdaudit/cdaudit/model"
)

// maxStoredContent caps a file's content kept in the state for the next
// audit (larger files are read again when their blob changes).
const maxStoredContent = 256 << 10

// collectTree lists the tree at tip (recursive, keyset pagination) and
// classifies it, reading only the files classify.WantContent selects. An
// unchanged tip reuses the stored result; a changed one re-reads only the
// files whose blob changed.
func (r *run) collectTree(ctx context.Context, tip string) error {
	c := r.c
	if st := r.snap.Tree; st != nil && st.Commit == tip {
		r.setTree(st)
		return nil
	}
	opt := &gl.ListTreeOptions{
		ListOptions: gl.ListOptions{PerPage: perPage, Pagination: "keyset"},
		Ref:         gl.Ptr(tip), Recursive: gl.Ptr(true),
	}
	nodes, err := listAll(ctx, "tree", func(o ...gl.RequestOptionFunc) ([]*gl.TreeNode, *gl.Response, error) {
		return c.api.Repositories.ListTree(c.projectRef(), opt, o...)
	})
	if err != nil {
		return err
	}
	blobs := map[string]string{}
	var paths []string
	for _, n := range nodes {
		if n == nil || n.Type != "blob" {
			continue
		}
		if _, dup := blobs[n.Path]; !dup {
			paths = append(paths, n.Path)
		}
		blobs[n.Path] = n.ID
	}
	sort.Strings(paths)
	rd := &treeReader{c: c, ref: tip, blobs: blobs, old: map[string][]byte{}, used: map[string][]byte{}}
	if old := r.snap.Tree; old != nil {
		rd.old = old.Contents
	}
	facts, err := classify.Classify(ctx, paths, rd)
	if err != nil {
		return fmt.Errorf("gitlab: classifying the tree: %w", err)
	}
	if rd.err != nil {
		return rd.err
	}
	st := &treeState{Commit: tip, Paths: paths, Facts: facts, Blobs: map[string]string{}, Contents: rd.used}
	for p := range rd.read {
		st.Blobs[p] = blobs[p]
	}
	r.snap.Tree = st
	r.fresh[blobTree] = true
	r.setTree(st)
	return nil
}

func (r *run) setTree(st *treeState) {
	r.ev.Tree = &model.Tree{Commit: st.Commit, Paths: append([]string(nil), st.Paths...), FileCount: len(st.Paths), Facts: st.Facts}
	r.ev.Mark(model.KindTree)
}

// treeReader gives the classifier the raw files of one commit, from the
// stored contents when the blob is unchanged.
type treeReader struct {
	c     *Collector
	ref   string
	blobs map[string]string // path → blob id
	old   map[string][]byte // blob id → content from the last audit
	mu    sync.Mutex
	used  map[string][]byte // blob id → content kept for the next audit
	read  map[string]bool   // paths read
	err   error             // the first error met while reading
}

// ReadFile implements classify.Reader.
func (t *treeReader) ReadFile(ctx context.Context, path string) ([]byte, error) {
	id, ok := t.blobs[path]
	if !ok {
		return nil, fmt.Errorf("gitlab: %s: %w", path, fs.ErrNotExist)
	}
	t.mu.Lock()
	if t.read == nil {
		t.read = map[string]bool{}
	}
	t.read[path] = true
	if b, ok := t.old[id]; ok {
		t.used[id] = b
		t.mu.Unlock()
		return b, nil
	}
	t.mu.Unlock()
	b, resp, err := t.c.api.RepositoryFiles.GetRawFile(t.c.projectRef(), path, &gl.GetRawFileOptions{Ref: gl.Ptr(t.ref)}, gl.WithContext(ctx))
	if err != nil {
		werr := wrap("file "+path, resp, err)
		t.mu.Lock()
		if t.err == nil {
			t.err = werr // the facts would be incomplete: the tree stays unmarked
		}
		t.mu.Unlock()
		return nil, werr
	}
	if len(b) <= maxStoredContent {
		t.mu.Lock()
		t.used[id] = b
		t.mu.Unlock()
	}
	return b, nil
}
