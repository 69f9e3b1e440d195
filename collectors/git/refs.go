package git

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// refSet is every reference of the repository, symbolic ones unresolved.
type refSet struct {
	byName map[plumbing.ReferenceName]*plumbing.Reference
	names  []plumbing.ReferenceName // sorted
}

func (r *repo) refs() (*refSet, error) {
	it, err := r.st.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("read references: %w", err)
	}
	rs := &refSet{byName: map[plumbing.ReferenceName]*plumbing.Reference{}}
	err = it.ForEach(func(ref *plumbing.Reference) error {
		if _, dup := rs.byName[ref.Name()]; !dup {
			rs.byName[ref.Name()] = ref
			rs.names = append(rs.names, ref.Name())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read references: %w", err)
	}
	// HEAD is not always listed by the iterator.
	if _, ok := rs.byName[plumbing.HEAD]; !ok {
		if head, err := r.st.Reference(plumbing.HEAD); err == nil {
			rs.byName[plumbing.HEAD] = head
			rs.names = append(rs.names, plumbing.HEAD)
		}
	}
	sort.Slice(rs.names, func(i, j int) bool { return rs.names[i] < rs.names[j] })
	return rs, nil
}

// resolve follows symbolic references to a hash reference.
func (rs *refSet) resolve(name plumbing.ReferenceName) (*plumbing.Reference, bool) {
	for range 10 {
		ref, ok := rs.byName[name]
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

// trunk is the resolved default branch.
type trunk struct {
	ref  plumbing.ReferenceName // the reference used
	name string                 // the branch name ("main")
	tip  plumbing.Hash
}

// defaultBranch picks the trunk: the explicit branch if given; else HEAD
// when it names an existing branch; else origin/HEAD; else main, then
// master (local, then origin/).
func (rs *refSet) defaultBranch(explicit string) (trunk, error) {
	pick := func(n plumbing.ReferenceName) (trunk, bool) {
		if !isBranchRef(n) {
			return trunk{}, false
		}
		ref, ok := rs.resolve(n)
		if !ok {
			return trunk{}, false
		}
		name, _ := shortBranch(n)
		return trunk{ref: n, name: name, tip: ref.Hash()}, true
	}
	if explicit != "" {
		for _, n := range []string{explicit, "refs/heads/" + explicit, "refs/remotes/" + explicit,
			"refs/remotes/origin/" + explicit} {
			if t, ok := pick(plumbing.ReferenceName(n)); ok {
				return t, nil
			}
		}
		return trunk{}, fmt.Errorf("%w: %q", ErrBranchNotFound, explicit)
	}
	for _, sym := range []plumbing.ReferenceName{plumbing.HEAD, "refs/remotes/origin/HEAD"} {
		if ref, ok := rs.byName[sym]; ok && ref.Type() == plumbing.SymbolicReference {
			if t, ok := pick(ref.Target()); ok {
				return t, nil
			}
		}
	}
	for _, n := range []plumbing.ReferenceName{"refs/heads/main", "refs/remotes/origin/main",
		"refs/heads/master", "refs/remotes/origin/master"} {
		if t, ok := pick(n); ok {
			return t, nil
		}
	}
	return trunk{}, ErrEmptyRepository
}
