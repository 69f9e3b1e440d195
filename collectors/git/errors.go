package git

import "errors"

// Errors callers can branch on with errors.Is.
var (
	// ErrNotRepository: the path is neither a work tree with a .git nor a
	// git directory (bare clone, mirror, .git itself).
	ErrNotRepository = errors.New("not a git repository")
	// ErrEmptyRepository: the repository has no commits, or no default
	// branch could be found (HEAD, origin/HEAD, main, master).
	ErrEmptyRepository = errors.New("empty repository: no commits or no default branch")
	// ErrBranchNotFound: Options.Branch names no branch of the repository.
	ErrBranchNotFound = errors.New("branch not found")
	// ErrCorruptObject: an object the audit needs is missing or cannot be
	// decoded (truncated or damaged pack, loose object or index).
	ErrCorruptObject = errors.New("corrupt or missing object")
)
