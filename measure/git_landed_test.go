package measure

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestCountsWhatLandedInTheWindow: a commit counts when it reached trunk
// during the window (Landed, set by the local git collector), whatever its
// own committer time; without Landed (host records) its committer time
// decides. Tags count by when they were made.
func TestCountsWhatLandedInTheWindow(t *testing.T) {
	w := model.Window{Since: mon, Until: mon.AddDate(0, 0, 7)}
	before, during, after := mon.AddDate(0, 0, -10), mon.AddDate(0, 0, 2), mon.AddDate(0, 0, 9)
	landed := func(c model.Commit, at time.Time) model.Commit { c.Landed = at; return c }
	tagged := after
	for _, tc := range []struct {
		name    string
		commits []model.Commit
		tags    []model.Tag
		want    map[string]float64
	}{
		{"brought in during the window, committed before", []model.Commit{
			landed(commit("m", []string{"p", "b"}, "alice@x", during, "Merge", true), during),
			landed(commit("b", []string{"p"}, "bob@x", before, "work", false), during),
		}, nil, map[string]float64{"git.commits": 1, "git.authors": 1}},
		{"committed during the window, landed after", []model.Commit{
			landed(commit("b", []string{"p"}, "bob@x", during, "work", false), after),
		}, nil, map[string]float64{"git.commits": 0, "git.authors": 0}},
		{"host records: committer time", []model.Commit{
			commit("b", []string{"p"}, "bob@x", during, "work", false),
			commit("c", []string{"p"}, "carol@x", before, "work", false),
		}, nil, map[string]float64{"git.commits": 1, "git.authors": 1}},
		{"an annotated tag made after the window on a commit of the window", nil, []model.Tag{
			{Name: "v1.0.0", Committed: during, Annotated: true, Tagged: &tagged},
			{Name: "v0.9.0", Committed: during},
		}, map[string]float64{"git.tags": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &model.Evidence{Window: w, Commits: tc.commits, Tags: tc.tags}
			ev.Mark(model.KindCommits, model.KindTags)
			ms := Compute(ev, Options{})
			got := map[string]float64{}
			for id := range tc.want {
				got[id] = ms[id].Value
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if len(tc.tags) > 0 && !strings.Contains(ms["git.tags"].Note, "tagger time") {
				t.Errorf("git.tags note %q does not say how tags are dated", ms["git.tags"].Note)
			}
		})
	}
}
