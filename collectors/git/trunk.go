package git

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/collectors/git/internal/odb"
)

// CI systems whose checkouts the collector knows (Options.CI): their
// clones are detached, narrow (only the commit being built) and shallow by
// default, and each has its own fix.
const (
	CIGitHub  = "github"
	CIGitLab  = "gitlab"
	CIJenkins = "jenkins"
)

// TrunkHint is a trunk branch a CI system names in its own variables.
type TrunkHint struct {
	Branch string // "main"
	Source string // where it came from, e.g. "CI_DEFAULT_BRANCH"
}

// ErrNoTrunk: the repository has commits but none of the usual places
// names its trunk (HEAD is detached and there is no origin/HEAD, main or
// master), as in many CI checkouts.
var ErrNoTrunk = errors.New("no trunk branch found")

// shallowFix is what makes a clone by ci hold the whole history.
func shallowFix(ci string) string {
	switch ci {
	case CIGitHub:
		return "set `fetch-depth: 0` on actions/checkout"
	case CIGitLab:
		return "set the job variable `GIT_DEPTH: 0`"
	}
	return "run `git fetch --unshallow` before the audit"
}

// fetchFix is what makes a clone by ci hold the branch.
func fetchFix(ci, branch string) string {
	switch ci {
	case CIGitHub:
		return "set `fetch-depth: 0` on actions/checkout (it fetches every branch)"
	case CIGitLab:
		return "set the job variable `GIT_DEPTH: 0` (the runner then fetches every branch)"
	}
	return fmt.Sprintf("run `git fetch origin +refs/heads/%[1]s:refs/remotes/origin/%[1]s` before the audit", branch)
}

// trunkSpec is what says where the trunk is: the explicit ref or commit,
// then the CI's hints, then HEAD, origin/HEAD, main, master.
type trunkSpec struct {
	explicit string
	hints    []TrunkHint
	ci       string
}

// trunk is the resolved trunk.
type trunk struct {
	ref  plumbing.ReferenceName // the reference used; "" for a commit id
	name string                 // the branch name ("main"), else the ref or commit as named
	tip  plumbing.Hash          // may be an annotated tag until peeled
}

// defaultBranch picks the trunk: the explicit ref or commit if given (any
// branch, remote branch, tag, other reference such as refs/pipelines/7 or
// refs/remotes/pull/3/merge, HEAD, or a full commit id); else the first CI
// hint (a hint the clone lacks is an error with the CI's fix, never a
// silent fallback to another branch); else HEAD when it names an existing
// branch; else origin/HEAD; else main, then master (local, then origin/).
// It reads only the references it needs, so the walk can start while the
// others load.
func defaultBranch(lookup func(plumbing.ReferenceName) (*plumbing.Reference, bool), spec trunkSpec) (trunk, error) {
	pick := func(n plumbing.ReferenceName, branchOnly bool) (trunk, bool) {
		if branchOnly && !isBranchRef(n) {
			return trunk{}, false
		}
		ref, ok := resolveWith(lookup, n)
		if !ok {
			return trunk{}, false
		}
		if n == plumbing.HEAD {
			if sym, ok := lookup(n); ok && sym.Type() == plumbing.SymbolicReference && isBranchRef(sym.Target()) {
				n = sym.Target()
			}
		}
		name := string(n)
		if isBranchRef(n) {
			var remote string
			if name, remote = shortBranch(n); remote == "pull" {
				name = "pull/" + name // actions/checkout's refs/remotes/pull/N/merge
			}
		} else if t, ok := strings.CutPrefix(name, "refs/tags/"); ok {
			name = t
		}
		return trunk{ref: n, name: name, tip: ref.Hash()}, true
	}
	names := func(s string) []plumbing.ReferenceName {
		if s == "HEAD" || strings.HasPrefix(s, "refs/") {
			return []plumbing.ReferenceName{plumbing.ReferenceName(s)}
		}
		return []plumbing.ReferenceName{plumbing.ReferenceName("refs/heads/" + s), plumbing.ReferenceName("refs/remotes/" + s),
			plumbing.ReferenceName("refs/remotes/origin/" + s), plumbing.ReferenceName("refs/tags/" + s),
			plumbing.ReferenceName("refs/" + s)}
	}
	if s := spec.explicit; s != "" {
		for _, n := range names(s) {
			if t, ok := pick(n, false); ok {
				return t, nil
			}
		}
		var h plumbing.Hash
		if len(s) == 40 && parseHex([]byte(strings.ToLower(s)), &h) {
			return trunk{name: h.String(), tip: h}, nil
		}
		return trunk{}, fmt.Errorf("%w: %q is no branch, tag, reference or full commit id of this repository", ErrBranchNotFound, s)
	}
	if len(spec.hints) > 0 {
		h := spec.hints[0]
		for _, n := range names(h.Branch) {
			if t, ok := pick(n, true); ok {
				return t, nil
			}
		}
		return trunk{}, fmt.Errorf("%w: trunk %q (from %s) is not in this clone, which holds only what the CI fetched: %s, or name the trunk with --branch",
			ErrBranchNotFound, h.Branch, h.Source, fetchFix(spec.ci, h.Branch))
	}
	for _, sym := range []plumbing.ReferenceName{plumbing.HEAD, "refs/remotes/origin/HEAD"} {
		if ref, ok := lookup(sym); ok && ref.Type() == plumbing.SymbolicReference {
			if t, ok := pick(ref.Target(), true); ok {
				return t, nil
			}
		}
	}
	for _, n := range []plumbing.ReferenceName{"refs/heads/main", "refs/remotes/origin/main",
		"refs/heads/master", "refs/remotes/origin/master"} {
		if t, ok := pick(n, true); ok {
			return t, nil
		}
	}
	if head, ok := lookup(plumbing.HEAD); ok && head.Type() == plumbing.HashReference {
		return trunk{}, fmt.Errorf("%w: HEAD is detached (a CI checkout?) and there is no origin/HEAD, main or master: "+
			"name the trunk with --branch (a branch, any ref such as origin/develop, or a commit; HEAD audits the commit checked out)", ErrNoTrunk)
	}
	return trunk{}, ErrEmptyRepository
}

// peelCommit follows annotated tags from h to the commit they name.
func peelCommit(rd *odb.Reader, h plumbing.Hash, name string) (plumbing.Hash, error) {
	for range maxTagChain {
		typ, err := rd.TypeOf(h)
		if err != nil {
			if errors.Is(err, odb.ErrNotFound) && name == h.String() {
				return h, fmt.Errorf("%w: commit %s is not in this repository", ErrBranchNotFound, name)
			}
			return h, fmt.Errorf("trunk %s: %w", name, err)
		}
		switch typ {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			_, data, err := rd.Read(h)
			if err != nil {
				return h, fmt.Errorf("trunk %s: %w", name, err)
			}
			target, _, ok := odb.ParseTag(data)
			if !ok {
				return h, fmt.Errorf("trunk %s: %w %s: malformed tag", name, ErrCorruptObject, h)
			}
			h = target
		default:
			return h, fmt.Errorf("%w: %s names a %s, not a commit", ErrBranchNotFound, name, typ)
		}
	}
	return h, fmt.Errorf("%w: %s: too many tags of tags", ErrBranchNotFound, name)
}
