package git

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

const day = 86400

// linearRepo: five commits on main that add, change and delete files.
func linearRepo(t *testing.T) string {
	dir := newRepo(t)
	var f fastImport
	m := f.commit(fiCommit{ctime: t0, files: map[string]string{"README.md": "hi\n", "src/a.go": "package a\n"}, msg: "initial\n"})
	m = f.commit(fiCommit{from: m, ctime: t0 + day, files: map[string]string{"src/a.go": "package a // 2\n"}})
	m = f.commit(fiCommit{from: m, ctime: t0 + 2*day, author: "Bob <BOB@Example.com>",
		files: map[string]string{"src/b/c.go": "package c\n", "README.md": ""}})
	m = f.commit(fiCommit{from: m, ctime: t0 + 3*day, files: map[string]string{".github/workflows/ci.yml": "on: push\n"}})
	f.commit(fiCommit{from: m, ctime: t0 + 4*day, msg: "Revert \"x\"\n\nThis reverts commit abc.\n",
		files: map[string]string{"src/a.go": "package a // 3\n"}})
	f.apply(t, dir)
	return dir
}

func TestLinear(t *testing.T) {
	dir := linearRepo(t)
	o := newOracle(dir)
	for _, tc := range []struct {
		name    string
		w       model.Window
		commits int
	}{
		{"whole history", whole(), 5},
		{"window", window(t0+day, t0+3*day), 2},
		{"empty window", window(t0+10*day, t0+20*day), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, res := collect(t, dir, tc.w, Options{})
			if len(ev.Commits) != tc.commits {
				t.Errorf("%d commits, want %d", len(ev.Commits), tc.commits)
			}
			for _, k := range []model.Kind{model.KindCommits, model.KindMerges, model.KindBranches,
				model.KindTags, model.KindTree, model.KindCommitFiles} {
				if !ev.Has(k) {
					t.Errorf("kind %s not marked", k)
				}
			}
			if res.Partial || len(res.Warnings) > 0 {
				t.Errorf("result %+v", res)
			}
			if ev.DefaultBranch != "main" || ev.TrunkTip == "" || ev.TrunkTipAt.IsZero() {
				t.Errorf("trunk %s %s %v", ev.DefaultBranch, ev.TrunkTip, ev.TrunkTipAt)
			}
			if ev.Tree == nil || ev.Tree.Commit != ev.TrunkTip {
				t.Errorf("tree read at %v, trunk as of the window's end is %s", ev.Tree, ev.TrunkTip)
			}
			checkAgainstGit(t, o, ev)
		})
	}
}

func TestCommitDetails(t *testing.T) {
	dir := linearRepo(t)
	ev, _ := collect(t, dir, whole(), Options{})
	c := ev.Commits[2] // the third newest: Bob's
	if c.Author.Name != "Bob" || c.Author.Email != "BOB@Example.com" {
		t.Errorf("author %+v", c.Author)
	}
	if _, off := c.Author.When.Zone(); off != 3600 {
		t.Errorf("author zone offset %d, want +0100", off)
	}
	if d := cmp.Diff([]string{"README.md", "src/b/c.go"}, c.Files); d != "" {
		t.Errorf("files (-want +got):\n%s", d)
	}
	if ev.Commits[0].Message != "Revert \"x\"\n\nThis reverts commit abc.\n" {
		t.Errorf("message %q", ev.Commits[0].Message)
	}
	root := ev.Commits[4]
	if len(root.Parents) != 0 || !cmp.Equal(root.Files, []string{"README.md", "src/a.go"}) {
		t.Errorf("root commit %v files %v", root.Parents, root.Files)
	}
}

// mergeRepo: feature branches merged into main with --no-ff style merges,
// a branch merged twice, an octopus merge, a criss-cross and unmerged
// branches.
func mergeRepo(t *testing.T) string {
	dir := newRepo(t)
	var f fastImport
	tm := int64(t0)
	next := func() int64 { tm += 3600; return tm }
	main := f.commit(fiCommit{ctime: next(), files: map[string]string{"a.txt": "1\n"}})
	// feature/x: two commits by two people, merged.
	x1 := f.commit(fiCommit{ref: "refs/heads/feature/x", from: main, ctime: next(), atime: tm - 5*day,
		author: "Carol <carol@example.com>", files: map[string]string{"x.txt": "1\n"}})
	main = f.commit(fiCommit{from: main, ctime: next(), files: map[string]string{"a.txt": "2\n"}})
	x2 := f.commit(fiCommit{ref: "refs/heads/feature/x", from: x1, ctime: next(),
		author: "Dave <Dave@Example.com>", files: map[string]string{"x.txt": "2\n"}})
	main = f.commit(fiCommit{from: main, merge: []int{x2}, ctime: next(), msg: "Merge branch 'feature/x'\n",
		files: map[string]string{"x.txt": "2\n"}})
	// feature/x continues and is merged again: the second merge brings only the new commit.
	x3 := f.commit(fiCommit{ref: "refs/heads/feature/x", from: x2, ctime: next(), files: map[string]string{"x.txt": "3\n"}})
	main = f.commit(fiCommit{from: main, merge: []int{x3}, ctime: next(),
		msg: "Merge pull request #7 from acme/feature/x\n\nMore x\n", files: map[string]string{"x.txt": "3\n"}})
	// Octopus: three branches at once.
	o1 := f.commit(fiCommit{ref: "refs/heads/o1", from: main, ctime: next(), files: map[string]string{"o1": "1\n"}})
	o2 := f.commit(fiCommit{ref: "refs/heads/o2", from: main, ctime: next(), files: map[string]string{"o2": "1\n"}})
	o3 := f.commit(fiCommit{ref: "refs/heads/o3", from: main, ctime: next(), files: map[string]string{"o3": "1\n"}})
	main = f.commit(fiCommit{from: main, merge: []int{o1, o2, o3}, ctime: next(),
		msg: "Merge branches 'o1', 'o2' and 'o3'\n", files: map[string]string{"o1": "1\n", "o2": "1\n", "o3": "1\n"}})
	// Criss-cross: p and q merge each other, then both go into main.
	p1 := f.commit(fiCommit{ref: "refs/tmp/p", from: main, ctime: next(), files: map[string]string{"p": "1\n"}})
	q1 := f.commit(fiCommit{ref: "refs/tmp/q", from: main, ctime: next(), files: map[string]string{"q": "1\n"}})
	p2 := f.commit(fiCommit{ref: "refs/tmp/p", from: p1, merge: []int{q1}, ctime: next(), files: map[string]string{"q": "1\n"}})
	q2 := f.commit(fiCommit{ref: "refs/tmp/q", from: q1, merge: []int{p1}, ctime: next(), files: map[string]string{"p": "1\n"}})
	main = f.commit(fiCommit{from: main, merge: []int{p2}, ctime: next(), msg: "Merge remote-tracking branch 'origin/p'\n",
		files: map[string]string{"p": "1\n", "q": "1\n"}})
	main = f.commit(fiCommit{from: main, merge: []int{q2}, ctime: next(),
		msg: "Merge branch 'q' into 'main'\n\nSee merge request acme/app!3\n", files: map[string]string{}})
	// A merge that brings nothing new (q2 is already in).
	main = f.commit(fiCommit{from: main, merge: []int{q1}, ctime: next(), msg: "Merge tag 'v0'\n"})
	// Unmerged: a local branch, a remote-only one, one remote and local at the same commit,
	// one remote ahead of its local branch, and a branch stacked on another.
	u := f.commit(fiCommit{ref: "refs/heads/wip", from: main, ctime: next(), atime: tm - 2*day, files: map[string]string{"w": "1\n"}})
	u = f.commit(fiCommit{ref: "refs/heads/wip", from: u, ctime: next(), files: map[string]string{"w": "2\n"}})
	f.reset("refs/remotes/origin/wip", u)
	r := f.commit(fiCommit{ref: "refs/remotes/origin/remote-only", from: main, ctime: next(), files: map[string]string{"r": "1\n"}})
	f.reset("refs/heads/stale", r)
	r2 := f.commit(fiCommit{ref: "refs/remotes/origin/stale", from: r, ctime: next(), files: map[string]string{"r": "2\n"}})
	f.commit(fiCommit{ref: "refs/heads/stacked", from: r2, ctime: next(), files: map[string]string{"s": "1\n"}})
	f.reset("refs/remotes/origin/main", main)
	f.commit(fiCommit{from: main, ctime: next(), files: map[string]string{"a.txt": "3\n"}})
	f.apply(t, dir)
	run(t, dir, "update-ref", "-d", "refs/tmp/p")
	run(t, dir, "update-ref", "-d", "refs/tmp/q")
	run(t, dir, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	return dir
}

func TestMerges(t *testing.T) {
	dir := mergeRepo(t)
	o := newOracle(dir)
	ev, _ := collect(t, dir, whole(), Options{})
	checkAgainstGit(t, o, ev)
	var got []string
	for _, m := range ev.Merges {
		got = append(got, m.Branch)
	}
	want := []string{"", "q", "p", "o1", "feature/x", "feature/x"} // newest first
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("merge branches (-want +got):\n%s", d)
	}
	// The first merge of feature/x: Carol and Dave, first authored 5 days before.
	m := ev.Merges[len(ev.Merges)-1]
	if m.BroughtCount != 2 || !cmp.Equal(m.Authors, []string{"carol@example.com", "dave@example.com"}) {
		t.Errorf("first merge: %+v", m)
	}
	if want := time.Unix(t0+2*3600-5*day, 0); !m.FirstAuthored.Equal(want) {
		t.Errorf("first authored %v, want %v", m.FirstAuthored, want)
	}
	if m := ev.Merges[0]; m.BroughtCount != 0 || !m.FirstAuthored.IsZero() {
		t.Errorf("empty merge: %+v", m)
	}
	var names []string
	for _, b := range ev.Branches {
		names = append(names, b.Name)
	}
	if d := cmp.Diff([]string{"stacked", "stale", "wip", "origin/remote-only", "origin/stale"}, names); d != "" {
		t.Errorf("open branches (-want +got):\n%s", d)
	}
}

func TestMergesInWindow(t *testing.T) {
	dir := mergeRepo(t)
	o := newOracle(dir)
	// Every hour boundary of the history as a window start: the walk's
	// stop and the brought sets must match git for each.
	for h := int64(0); h <= 22; h += 2 {
		w := window(t0+h*3600+1800, t0+30*3600)
		for _, graph := range []bool{false, true} {
			ev, _ := collect(t, dir, w, Options{IgnoreCommitGraph: !graph})
			checkAgainstGit(t, o, ev)
		}
		if h == 10 {
			run(t, dir, "commit-graph", "write", "--reachable")
		}
	}
}
