package odb

import (
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

var (
	// ErrNotFound: the object is in no pack, no loose file and not in the
	// fallback storer.
	ErrNotFound = errors.New("not in the repository")
	// ErrCorrupt: an object is missing where it must be, or cannot be
	// decoded. Every error of Reader.Read and Open matches it (a missing
	// object's matches ErrNotFound as well); collectors/git re-exports it as
	// ErrCorruptObject.
	ErrCorrupt = errors.New("corrupt or missing object")
)

// CorruptObjectError is an object whose stored bytes are damaged: its
// zlib stream does not inflate, or inflates to data whose adler32 checksum
// or size is not the stored one. It matches ErrCorrupt. collectors/git
// re-exports it (a type alias) as CorruptObjectError.
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

// Is makes a CorruptObjectError match ErrCorrupt.
func (e *CorruptObjectError) Is(target error) bool { return target == ErrCorrupt }
