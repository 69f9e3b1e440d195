package classify

import (
	"errors"
	"sort"

	"github.com/cdaudit/cdaudit/model"
)

// ErrUnreadable is what a Reader wraps when a file exists in the tree but
// its contents cannot be had (an object a partial clone did not fetch, a
// deleted object). The classifier then lists the file in
// TreeFacts.Unreadable instead of treating it as absent or unparseable.
var ErrUnreadable = errors.New("contents unreadable")

// unreadable collects the files whose reads failed with ErrUnreadable.
type unreadable map[string]string

// add records path once, with the reader's error as the reason.
func (u unreadable) add(path string, err error) {
	if _, ok := u[path]; !ok {
		u[path] = err.Error()
	}
}

// fill puts the files, sorted and capped, into tf.
func (u unreadable) fill(tf *model.TreeFacts) {
	if len(u) == 0 {
		return
	}
	paths := make([]string, 0, len(u))
	for p := range u {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	tf.UnreadableCount = len(paths)
	for _, p := range paths[:min(len(paths), model.MaxCategoryPaths)] {
		tf.Unreadable = append(tf.Unreadable, model.UnreadableFile{Path: p, Reason: u[p]})
	}
}
