package rules

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// Files of the tree that could not be read (a blobless clone, a deleted
// blob) make the dimensions judged on the tree unknown, naming the files,
// instead of lower: a CI schedule in an unread workflow is not a missing one.
func TestUnreadableTreeIsUnknownNotLower(t *testing.T) {
	tree := func(unreadable ...string) *model.Evidence {
		ev := gitEvidence()
		ev.Mark(model.KindTree)
		ev.Tree = &model.Tree{Facts: model.TreeFacts{
			Counts: map[model.Category]int{model.CatCIConfig: 1, model.CatTestUnit: 3, model.CatSource: 10},
			Files:  map[model.Category][]string{model.CatCIConfig: {".github/workflows/ci.yml"}},
		}}
		for _, p := range unreadable {
			ev.Tree.Facts.Unreadable = append(ev.Tree.Facts.Unreadable, model.UnreadableFile{Path: p, Reason: "blob missing"})
		}
		ev.Tree.Facts.UnreadableCount = len(unreadable) + 2
		if len(unreadable) == 0 {
			ev.Tree.Facts.UnreadableCount = 0
		}
		return ev
	}
	ms := set("git.integrations", 10, "git.commits", 10, "git.tags", 3)
	ids := []string{"build.schedule", "code-quality.method", "test-automation.execution"}
	full, _, _ := judgeAll(t, tree(), ms)
	part, _, _ := judgeAll(t, tree(".github/workflows/ci.yml", ".golangci.yml"), ms)
	want, gotm := map[string]string{}, map[string]string{}
	for _, id := range ids {
		if full[id].Level == nil {
			t.Fatalf("%s unknown with every file read: %v", id, full[id].Reasons)
		}
		want[id] = "unknown"
		gotm[id] = got(part[id])
		if lb := part[id].LowerBound; lb != nil {
			gotm[id] = "unknown"
		}
		reasons := strings.Join(part[id].Reasons, " | ")
		if !strings.Contains(reasons, "files of the tree could not be read: .github/workflows/ci.yml, .golangci.yml and 2 more") {
			t.Errorf("%s: reasons %q do not name the unread files", id, reasons)
		}
	}
	if d := cmp.Diff(want, gotm); d != "" {
		t.Errorf("levels (-want +got):\n%s", d)
	}
}
