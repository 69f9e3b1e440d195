package git

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// refSet is every reference of the repository, symbolic ones unresolved.
type refSet struct {
	byName map[plumbing.ReferenceName]*plumbing.Reference
	names  []plumbing.ReferenceName // sorted
}

// packedRefs reads packed-refs.
func (r *repo) packedRefs() (map[plumbing.ReferenceName]*plumbing.Reference, error) {
	out := map[plumbing.ReferenceName]*plumbing.Reference{}
	packed, err := os.ReadFile(filepath.Join(r.commonDir, "packed-refs"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return out, nil
		}
		return nil, fmt.Errorf("read references: %w", err)
	}
	for len(packed) > 0 {
		var line []byte
		if nl := bytes.IndexByte(packed, '\n'); nl >= 0 {
			line, packed = packed[:nl], packed[nl+1:]
		} else {
			line, packed = packed, nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) < 42 || line[0] == '#' || line[0] == '^' || line[40] != ' ' {
			continue
		}
		var h plumbing.Hash
		if !parseHex(line[:40], &h) {
			continue
		}
		name := plumbing.ReferenceName(line[41:])
		out[name] = plumbing.NewHashReference(name, h)
	}
	return out, nil
}

// lookupRef reads one reference: HEAD from the git directory, others from
// their loose file or else packed-refs.
func (r *repo) lookupRef(packed map[plumbing.ReferenceName]*plumbing.Reference, name plumbing.ReferenceName) (*plumbing.Reference, bool) {
	if name == plumbing.HEAD {
		return readLooseRef(filepath.Join(r.gitDir, "HEAD"), name)
	}
	if !strings.HasPrefix(string(name), "refs/") || strings.Contains(string(name), "..") {
		return nil, false
	}
	if ref, ok := readLooseRef(filepath.Join(r.commonDir, filepath.FromSlash(string(name))), name); ok {
		return ref, true
	}
	ref, ok := packed[name]
	return ref, ok
}

// refs reads every reference: packed-refs, the loose references under
// refs/ (loose ones win) and HEAD. It reads the files itself: go-git
// resolves every path component of every loose reference, which costs more
// than the whole walk on a repository with thousands of loose references.
func (r *repo) refs(packed map[plumbing.ReferenceName]*plumbing.Reference) (*refSet, error) {
	rs := &refSet{byName: make(map[plumbing.ReferenceName]*plumbing.Reference, len(packed))}
	for n, ref := range packed {
		rs.byName[n] = ref
	}
	root := filepath.Join(r.commonDir, "refs")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".lock") {
			return nil
		}
		rel, err := filepath.Rel(r.commonDir, p)
		if err != nil {
			return err
		}
		name := plumbing.ReferenceName(filepath.ToSlash(rel))
		if ref, ok := readLooseRef(p, name); ok {
			rs.byName[name] = ref
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read references: %w", err)
	}
	if ref, ok := r.lookupRef(nil, plumbing.HEAD); ok {
		rs.byName[plumbing.HEAD] = ref
	}
	for name := range rs.byName {
		rs.names = append(rs.names, name)
	}
	sort.Slice(rs.names, func(i, j int) bool { return rs.names[i] < rs.names[j] })
	return rs, nil
}

// readLooseRef reads a reference file: a hash or "ref: <target>".
func readLooseRef(p string, name plumbing.ReferenceName) (*plumbing.Reference, bool) {
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	var buf [512]byte
	k, err := io.ReadFull(f, buf[:])
	f.Close()
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, false // empty, unreadable or too long for a reference
	}
	b := bytes.TrimSpace(buf[:k])
	if t, ok := bytes.CutPrefix(b, []byte("ref:")); ok {
		return plumbing.NewSymbolicReference(name, plumbing.ReferenceName(bytes.TrimSpace(t))), true
	}
	var h plumbing.Hash
	if len(b) != 40 || !parseHex(b, &h) {
		return nil, false
	}
	return plumbing.NewHashReference(name, h), true
}

// resolve follows symbolic references to a hash reference.
func (rs *refSet) resolve(name plumbing.ReferenceName) (*plumbing.Reference, bool) {
	return resolveWith(func(n plumbing.ReferenceName) (*plumbing.Reference, bool) {
		ref, ok := rs.byName[n]
		return ref, ok
	}, name)
}

func resolveWith(lookup func(plumbing.ReferenceName) (*plumbing.Reference, bool), name plumbing.ReferenceName) (*plumbing.Reference, bool) {
	for range 10 {
		ref, ok := lookup(name)
		if !ok {
			return nil, false
		}
		if ref.Type() == plumbing.HashReference {
			return ref, true
		}
		name = ref.Target()
	}
	return nil, false
}

// isBranchRef reports whether a reference names a local or remote branch.
func isBranchRef(n plumbing.ReferenceName) bool {
	return n.IsBranch() || n.IsRemote()
}

// shortBranch returns the branch name without refs/heads/ or
// refs/remotes/<remote>/, and the remote ("" for local branches).
func shortBranch(n plumbing.ReferenceName) (name, remote string) {
	s := string(n)
	if rest, ok := strings.CutPrefix(s, "refs/heads/"); ok {
		return rest, ""
	}
	if rest, ok := strings.CutPrefix(s, "refs/remotes/"); ok {
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			return rest[i+1:], rest[:i]
		}
		return rest, ""
	}
	return s, ""
}
