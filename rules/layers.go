package rules

import (
	"fmt"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// layer judges one test layer of test-layering.method: it holds when the
// CI's test reports ran suites of it, or when the tree holds at least
// minFiles test files of it — one file does not make a layer
// comprehensive or systematic. Fewer files fail. None at all is unknown
// when the layer can live outside what was read (absent says why):
// performance tests are often run outside the repository, and interface
// tests kept beside the unit tests are not told apart by their paths.
func (j *judge) layer(level int, what string, minFiles int, absent string, cats ...model.Category) step {
	for _, c := range cats {
		if n := j.suites(c); n > 0 {
			id := suiteIDs[c]
			return yes(level, fmt.Sprintf("%s: %d suite(s) in the CI's test reports (%s)", what, n, id),
				model.Ref{Kind: model.RefMeasure, Ref: string(id)})
		}
	}
	if s, ok := j.needs(level, model.KindTree); !ok {
		return s
	}
	n := 0
	var names []string
	for _, c := range cats {
		n += j.ev.Tree.Facts.Count(c)
		names = append(names, string(c))
	}
	list := strings.Join(names, ", ")
	switch {
	case n >= minFiles:
		return yes(level, fmt.Sprintf("%s: %d file(s) in the tree (%s), at least %d", what, n, list, minFiles), j.fileRefs(4, cats...)...)
	case n > 0:
		return no(level, fmt.Sprintf("%s: only %d file(s) in the tree (%s), fewer than the %d that make a layer", what, n, list, minFiles), j.fileRefs(4, cats...)...)
	case absent != "" && j.ev.Tree.Facts.Count(model.CatTestUnit) > 0:
		return unk(level, fmt.Sprintf("no %s in the tree (looked for %s): %s", what, list, absent))
	}
	return no(level, fmt.Sprintf("no %s in the tree (looked for %s)", what, list))
}
