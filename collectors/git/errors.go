package git

import (
	"errors"

	"github.com/cdaudit/cdaudit/collectors/git/internal/odb"
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
	ErrCorruptObject = odb.ErrCorrupt
	// ErrWindowBeforeHistory: the window ends before trunk's first commit,
	// so there is no trunk as of its end to audit.
	ErrWindowBeforeHistory = errors.New("the window ends before the history starts")
	// ErrUnsupportedObjectFormat: the repository uses another object format
	// than SHA-1 (git init --object-format=sha256).
	ErrUnsupportedObjectFormat = errors.New("object format is not supported")
)

// CorruptObjectError is an object whose stored bytes are damaged: its
// zlib stream does not inflate, or inflates to data whose adler32 checksum
// or size is not the stored one (Hash, Pack, Offset and Reason tell which
// and why). It matches ErrCorruptObject. It is the object database's error
// type itself, so errors.As finds it in any error of the collector.
type CorruptObjectError = odb.CorruptObjectError
