package git

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

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
	// decoded (truncated or damaged pack, loose object or index). A damaged
	// object is a *CorruptObjectError as well.
	ErrCorruptObject = errors.New("corrupt or missing object")
	// ErrUnsupportedObjectFormat: the repository uses another object format
	// than SHA-1 (git init --object-format=sha256).
	ErrUnsupportedObjectFormat = errors.New("object format is not supported")
)

// CorruptObjectError is an object whose stored bytes are damaged: its
// zlib stream does not inflate, or inflates to data whose adler32 checksum
// or size is not the stored one. It matches ErrCorruptObject.
type CorruptObjectError struct {
	Hash   plumbing.Hash // zero when it could not be told
	Pack   string        // the pack file's name; "" for a loose object
	Offset int64         // the entry's offset in Pack
	Reason string
}

func (e *CorruptObjectError) Error() string {
	what := "object"
	if !e.Hash.IsZero() {
		what = "object " + e.Hash.String()
	}
	if e.Pack == "" {
		return fmt.Sprintf("corrupt loose %s: %s", what, e.Reason)
	}
	return fmt.Sprintf("corrupt %s in pack %s at offset %d: %s", what, e.Pack, e.Offset, e.Reason)
}

// Is makes a CorruptObjectError match ErrCorruptObject.
func (e *CorruptObjectError) Is(target error) bool { return target == ErrCorruptObject }
