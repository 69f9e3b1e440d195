package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// treeEntry is one entry of a tree object; name aliases the tree's bytes.
type treeEntry struct {
	name []byte
	mode uint32
	hash plumbing.Hash
}

const (
	modeDir    = 0o040000
	modeGitlnk = 0o160000
)

func (e *treeEntry) isDir() bool { return e.mode == modeDir }

var errBadTree = errors.New("malformed tree")

// parseTree parses a tree object into entries appended to out.
func parseTree(data []byte, out []treeEntry) ([]treeEntry, error) {
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp <= 0 {
			return out, errBadTree
		}
		var mode uint32
		for _, c := range data[:sp] {
			if c < '0' || c > '7' {
				return out, errBadTree
			}
			mode = mode<<3 | uint32(c-'0')
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul <= 0 || len(data) < nul+21 {
			return out, errBadTree
		}
		e := treeEntry{name: data[:nul], mode: mode}
		copy(e.hash[:], data[nul+1:nul+21])
		out = append(out, e)
		data = data[nul+21:]
	}
	return out, nil
}

// treeReader reads trees and blobs for one goroutine. It keeps the trees it
// parsed: consecutive commits share most of theirs.
type treeReader struct {
	rd    *objReader
	cache map[plumbing.Hash][]treeEntry
}

// treeCacheSize bounds the parsed trees kept (the cache is emptied when full).
const treeCacheSize = 4096

// entries reads a tree; the entries own their bytes and must not be changed.
func (t *treeReader) entries(h plumbing.Hash) ([]treeEntry, error) {
	if es, ok := t.cache[h]; ok {
		return es, nil
	}
	typ, data, err := t.rd.read(h)
	if err != nil {
		return nil, err
	}
	if typ != plumbing.TreeObject {
		return nil, fmt.Errorf("%w %s: a %s where a tree was expected", ErrCorruptObject, h, typ)
	}
	own := data
	if t.rd.scratch(data) {
		own = bytes.Clone(data)
	}
	es, err := parseTree(own, make([]treeEntry, 0, len(own)/32+1))
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrCorruptObject, h, err)
	}
	if t.cache == nil || len(t.cache) >= treeCacheSize {
		t.cache = make(map[plumbing.Hash][]treeEntry, treeCacheSize)
	}
	t.cache[h] = es
	return es, nil
}

// list appends every file path under tree h (blobs and submodules).
func (t *treeReader) list(ctx context.Context, h plumbing.Hash, prefix string, out []string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return out, err
	}
	es, err := t.entries(h)
	if err != nil {
		return out, err
	}
	for i := range es {
		p := prefix + string(es[i].name)
		if es[i].isDir() {
			if out, err = t.list(ctx, es[i].hash, p+"/", out); err != nil {
				return out, err
			}
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// gitLess orders tree entries as git does: a directory sorts as if its
// name ended in '/'.
func gitLess(a []byte, aDir bool, b []byte, bDir bool) int {
	n := min(len(a), len(b))
	if c := bytes.Compare(a[:n], b[:n]); c != 0 {
		return c
	}
	ca, cb := byte(0), byte(0)
	if len(a) > n {
		ca = a[n]
	} else if aDir {
		ca = '/'
	}
	if len(b) > n {
		cb = b[n]
	} else if bDir {
		cb = '/'
	}
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

// diff appends the paths that differ between trees a and b (either may be
// zero: an empty tree), like `git diff-tree -r --name-only --no-renames`.
func (t *treeReader) diff(ctx context.Context, a, b plumbing.Hash, prefix string, out []string) ([]string, error) {
	if a == b {
		return out, nil
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	var ea, eb []treeEntry
	var err error
	if !a.IsZero() {
		if ea, err = t.entries(a); err != nil {
			return out, err
		}
	}
	if !b.IsZero() {
		if eb, err = t.entries(b); err != nil {
			return out, err
		}
	}
	i, j := 0, 0
	for i < len(ea) || j < len(eb) {
		var c int
		switch {
		case i == len(ea):
			c = 1
		case j == len(eb):
			c = -1
		default:
			c = gitLess(ea[i].name, ea[i].isDir(), eb[j].name, eb[j].isDir())
		}
		switch {
		case c < 0: // only in a
			if out, err = t.side(ctx, &ea[i], prefix, out); err != nil {
				return out, err
			}
			i++
		case c > 0: // only in b
			if out, err = t.side(ctx, &eb[j], prefix, out); err != nil {
				return out, err
			}
			j++
		default:
			x, y := &ea[i], &eb[j]
			if x.hash != y.hash || x.mode != y.mode {
				if x.isDir() {
					if out, err = t.diff(ctx, x.hash, y.hash, prefix+string(x.name)+"/", out); err != nil {
						return out, err
					}
				} else {
					out = append(out, prefix+string(x.name))
				}
			}
			i++
			j++
		}
	}
	return out, nil
}

// side lists an entry present on one side only.
func (t *treeReader) side(ctx context.Context, e *treeEntry, prefix string, out []string) ([]string, error) {
	if e.isDir() {
		return t.list(ctx, e.hash, prefix+string(e.name)+"/", out)
	}
	return append(out, prefix+string(e.name)), nil
}

// maxBlob bounds what the classifier may read from one file.
const maxBlob = 32 << 20

// blobReader reads files of one tree for the classifier; it is safe for
// concurrent use.
type blobReader struct {
	mu   sync.Mutex
	t    *treeReader
	root plumbing.Hash
}

// ReadFile implements classify.Reader.
func (b *blobReader) ReadFile(ctx context.Context, path string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.root
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for k, part := range parts {
		es, err := b.t.entries(h)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		dir := k < len(parts)-1
		found := false
		for _, e := range es {
			if string(e.name) == part && e.isDir() == dir && e.mode != modeGitlnk {
				h, found = e.hash, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("read %s: %w", path, fs.ErrNotExist)
		}
	}
	typ, data, err := b.t.rd.read(h)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if typ != plumbing.BlobObject {
		return nil, fmt.Errorf("read %s: %w", path, fs.ErrNotExist)
	}
	if len(data) > maxBlob {
		return nil, fmt.Errorf("read %s: file larger than %d bytes", path, maxBlob)
	}
	return bytes.Clone(data), nil
}
