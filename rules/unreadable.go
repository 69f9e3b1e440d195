package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// unreadable returns an unknown step when kinds include the tree and files
// of the tree could not be read (objects a partial clone did not fetch,
// deleted objects): what they declare — CI triggers and jobs, manifests,
// linter configs — is unknown, so a criterion on the tree can be told
// neither way. Missing contents must not read as absent ones.
func (j *judge) unreadable(level int, kinds []model.Kind) (step, bool) {
	if j.ev.Tree == nil || j.ev.Tree.Facts.UnreadableCount == 0 || !slices.Contains(kinds, model.KindTree) {
		return step{}, true
	}
	f := j.ev.Tree.Facts
	const shown = 3
	names := make([]string, 0, shown)
	for _, u := range f.Unreadable[:min(shown, len(f.Unreadable))] {
		names = append(names, u.Path)
	}
	list := strings.Join(names, ", ")
	if more := f.UnreadableCount - len(names); more > 0 {
		list += fmt.Sprintf(" and %d more", more)
	}
	return unk(level, fmt.Sprintf("files of the tree could not be read: %s", list)), false
}
