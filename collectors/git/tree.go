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

	"github.com/cdaudit/cdaudit/collectors/classify"
	"github.com/cdaudit/cdaudit/collectors/git/internal/odb"
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

// treeIter walks the entries of a tree object in place, allocating nothing.
type treeIter struct {
	data []byte
	err  error
}

// next returns the next entry; false at the end or on a malformed tree
// (then err is set).
func (it *treeIter) next(e *treeEntry) bool {
	data := it.data
	if len(data) == 0 || it.err != nil {
		return false
	}
	sp := bytes.IndexByte(data, ' ')
	if sp <= 0 {
		it.err = errBadTree
		return false
	}
	var mode uint32
	for _, c := range data[:sp] {
		if c < '0' || c > '7' {
			it.err = errBadTree
			return false
		}
		mode = mode<<3 | uint32(c-'0')
	}
	data = data[sp+1:]
	nul := bytes.IndexByte(data, 0)
	if nul <= 0 || len(data) < nul+21 {
		it.err = errBadTree
		return false
	}
	e.name, e.mode = data[:nul], mode
	copy(e.hash[:], data[nul+1:nul+21])
	it.data = data[nul+21:]
	return true
}

// treeReader reads trees and blobs for one goroutine. It keeps the trees it
// read: consecutive commits share most of theirs.
type treeReader struct {
	rd    *odb.Reader
	cache map[plumbing.Hash][]byte
}

// treeCacheSize bounds the trees kept (the cache is emptied when full).
const treeCacheSize = 4096

// tree reads a tree object; the bytes must not be changed.
func (t *treeReader) tree(h plumbing.Hash) ([]byte, error) {
	if data, ok := t.cache[h]; ok {
		return data, nil
	}
	typ, data, err := t.rd.Read(h)
	if err != nil {
		return nil, err
	}
	if typ != plumbing.TreeObject {
		return nil, fmt.Errorf("%w %s: a %s where a tree was expected", ErrCorruptObject, h, typ)
	}
	if t.rd.Scratch(data) {
		data = bytes.Clone(data)
	}
	if t.cache == nil || len(t.cache) >= treeCacheSize {
		t.cache = make(map[plumbing.Hash][]byte, treeCacheSize)
	}
	t.cache[h] = data
	return data, nil
}

func treeErr(h plumbing.Hash, err error) error {
	return fmt.Errorf("%w %s: %w", ErrCorruptObject, h, err)
}

// missing reports whether err is an object absent from the repository
// (not fetched by a partial clone, deleted), not a damaged one.
func missing(err error) bool { return errors.Is(err, odb.ErrNotFound) }

// list appends every file path under tree h (blobs and submodules). When
// miss is set, a missing subtree is recorded there (its path ends in "/")
// instead of failing the listing.
func (t *treeReader) list(ctx context.Context, h plumbing.Hash, prefix string, out []string, miss *[]string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return out, err
	}
	data, err := t.tree(h)
	if err != nil {
		if miss != nil && prefix != "" && missing(err) {
			*miss = append(*miss, prefix)
			return out, nil
		}
		return out, err
	}
	it := treeIter{data: data}
	var e treeEntry
	for it.next(&e) {
		p := prefix + string(e.name)
		if e.isDir() {
			if out, err = t.list(ctx, e.hash, p+"/", out, miss); err != nil {
				return out, err
			}
			continue
		}
		out = append(out, p)
	}
	if it.err != nil {
		return out, treeErr(h, it.err)
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
	var da, db []byte
	var err error
	if !a.IsZero() {
		if da, err = t.tree(a); err != nil {
			return out, err
		}
	}
	if !b.IsZero() {
		if db, err = t.tree(b); err != nil {
			return out, err
		}
	}
	ia, ib := treeIter{data: da}, treeIter{data: db}
	var ea, eb treeEntry
	okA, okB := ia.next(&ea), ib.next(&eb)
	for okA || okB {
		var c int
		switch {
		case !okA:
			c = 1
		case !okB:
			c = -1
		default:
			c = gitLess(ea.name, ea.isDir(), eb.name, eb.isDir())
		}
		switch {
		case c < 0: // only in a
			if out, err = t.side(ctx, &ea, prefix, out); err != nil {
				return out, err
			}
			okA = ia.next(&ea)
		case c > 0: // only in b
			if out, err = t.side(ctx, &eb, prefix, out); err != nil {
				return out, err
			}
			okB = ib.next(&eb)
		default:
			if ea.hash != eb.hash || ea.mode != eb.mode {
				if ea.isDir() {
					if out, err = t.diff(ctx, ea.hash, eb.hash, prefix+string(ea.name)+"/", out); err != nil {
						return out, err
					}
				} else {
					out = append(out, prefix+string(ea.name))
				}
			}
			okA, okB = ia.next(&ea), ib.next(&eb)
		}
	}
	if ia.err != nil {
		return out, treeErr(a, ia.err)
	}
	if ib.err != nil {
		return out, treeErr(b, ib.err)
	}
	return out, nil
}

// side lists an entry present on one side only.
func (t *treeReader) side(ctx context.Context, e *treeEntry, prefix string, out []string) ([]string, error) {
	if e.isDir() {
		return t.list(ctx, e.hash, prefix+string(e.name)+"/", out, nil)
	}
	return append(out, prefix+string(e.name)), nil
}

// maxBlob bounds what the classifier may read from one file.
const maxBlob = 32 << 20

// blobReader reads files of one tree for the classifier; it is safe for
// concurrent use. A file whose object is missing is unreadable for the
// classifier (classify.ErrUnreadable); a damaged object is kept in fatal:
// the audit fails with it once the classifier is done.
type blobReader struct {
	mu      sync.Mutex
	t       *treeReader
	root    plumbing.Hash
	partial string // a partial clone's description, for the reasons
	fatal   error
}

// failed turns a read error into the classifier's: a missing object makes
// the file unreadable, anything else is remembered as fatal.
func (b *blobReader) failed(path string, h plumbing.Hash, what string, err error) error {
	if missing(err) {
		why := "missing from the repository"
		if b.partial != "" {
			why = "not fetched by the partial clone (" + b.partial + ")"
		}
		return fmt.Errorf("%w: %s %s %s", classify.ErrUnreadable, what, h, why)
	}
	if b.fatal == nil {
		b.fatal = err
	}
	return fmt.Errorf("read %s: %w", path, err)
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
		data, err := b.t.tree(h)
		if err != nil {
			return nil, b.failed(path, h, "tree", err)
		}
		dir := k < len(parts)-1
		found := false
		it := treeIter{data: data}
		var e treeEntry
		for it.next(&e) {
			if string(e.name) == part && e.isDir() == dir && e.mode != modeGitlnk {
				h, found = e.hash, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("read %s: %w", path, fs.ErrNotExist)
		}
	}
	typ, data, err := b.t.rd.Read(h)
	if err != nil {
		return nil, b.failed(path, h, "blob", err)
	}
	if typ != plumbing.BlobObject {
		return nil, fmt.Errorf("read %s: %w", path, fs.ErrNotExist)
	}
	if len(data) > maxBlob {
		return nil, fmt.Errorf("read %s: file larger than %d bytes", path, maxBlob)
	}
	return bytes.Clone(data), nil
}
