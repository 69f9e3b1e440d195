package git

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors/git/internal/synth"
	"github.com/cdaudit/cdaudit/model"
)

// skewRepo: c3's committer time is nine days before its parent c2's, and a
// branch commit claims to be older than the commit it forked from.
func skewRepo(t *testing.T) string {
	dir := newRepo(t)
	var f fastImport
	c1 := f.commit(fiCommit{ctime: t0, files: map[string]string{"a": "1\n"}})
	c2 := f.commit(fiCommit{from: c1, ctime: t0 + 10*day, files: map[string]string{"a": "2\n"}})
	c3 := f.commit(fiCommit{from: c2, ctime: t0 + 1*day, files: map[string]string{"a": "3\n"}})
	b1 := f.commit(fiCommit{ref: "refs/heads/topic", from: c3, ctime: t0 - 3*day, atime: t0 - 4*day,
		files: map[string]string{"b": "1\n"}})
	b2 := f.commit(fiCommit{ref: "refs/heads/topic", from: b1, ctime: t0 + 12*day, files: map[string]string{"b": "2\n"}})
	f.commit(fiCommit{from: c3, merge: []int{b2}, ctime: t0 + 20*day, msg: "Merge branch 'topic'\n",
		files: map[string]string{"b": "2\n"}})
	f.apply(t, dir)
	return dir
}

func TestClockSkew(t *testing.T) {
	dir := skewRepo(t)
	o := newOracle(dir)
	hour := Options{Slop: 3600e9, IgnoreCommitGraph: true}
	for _, tc := range []struct {
		name    string
		w       model.Window
		opt     Options
		graph   bool
		commits int
		exact   bool
	}{
		// c2 and the merge, which lands b1 and b2 (b1 committed before the
		// window); the merge's brought set takes the walk past c3 to c2.
		{"default slop", window(t0+5*day, t0+30*day), Options{IgnoreCommitGraph: true}, false, 4, true},
		{"slop of an hour", window(t0+5*day, t0+30*day), hour, false, 4, true},
		// Only c2, reachable through c3 only, which is nine days older.
		{"only c2, default slop", window(t0+5*day, t0+11*day), Options{IgnoreCommitGraph: true}, false, 1, true},
		// Trunk as of the window's end is c3: the walk from there reaches c2
		// and walks again with the longer chain.
		{"only c2, slop of an hour", window(t0+5*day, t0+11*day), hour, false, 1, true},
		{"only c2, slop of an hour, commit-graph", window(t0+5*day, t0+11*day), Options{Slop: 3600e9}, true, 1, true},
		{"whole history", whole(), Options{}, true, 6, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.graph {
				run(t, dir, "commit-graph", "write", "--reachable")
				defer removeCommitGraph(t, dir)
			}
			ev, _ := collect(t, dir, tc.w, tc.opt)
			if tc.exact {
				checkAgainstGit(t, o, ev)
			}
			if got := len(ev.Commits); got != tc.commits {
				t.Errorf("%d commits in the window, want %d", got, tc.commits)
			}
		})
	}
}

// synthRepo imports a random history of about n commits with clock skew.
func synthRepo(t testing.TB, n int, seed uint64) string {
	t.Helper()
	dir := newRepo(t)
	var b bytes.Buffer
	if _, err := synth.Write(&b, synth.Config{Commits: n, Files: 60, TagEvery: 10, Seed: seed,
		Start: t0, Span: int64(n) * 3 * 3600, Skew: 30}); err != nil {
		t.Fatal(err)
	}
	runAt(t, dir, t0, b.Bytes(), "fast-import", "--quiet")
	refs := run(t, dir, "for-each-ref", "--format=delete %(refname)", synth.TmpPrefix)
	runAt(t, dir, t0, []byte(refs+"\n"), "update-ref", "--stdin")
	return dir
}

// synthRepoB is a repacked synthetic repository with packed references, as
// git gc leaves it, and a commit-graph.
func synthRepoB(b *testing.B, n int) string {
	dir := synthRepo(b, n, 1)
	run(b, dir, "repack", "-adq")
	run(b, dir, "pack-refs", "--all")
	run(b, dir, "commit-graph", "write", "--reachable")
	return dir
}

func TestSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns many git processes")
	}
	dir := synthRepo(t, 700, 7)
	o := newOracle(dir)
	tip := atoi(t, run(t, dir, "log", "-1", "--format=%ct", "main"))
	windows := map[string]model.Window{
		"whole":                whole(),
		"30 days":              window(tip-30*day, tip+1),
		"a week in the middle": window(tip-40*day, tip-33*day),
	}
	for name, w := range windows {
		t.Run(name, func(t *testing.T) {
			plain, _ := collect(t, dir, w, Options{IgnoreCommitGraph: true})
			checkAgainstGit(t, o, plain)
			if len(plain.Commits) == 0 {
				t.Fatal("no commits")
			}
			run(t, dir, "commit-graph", "write", "--reachable")
			graph, _ := collect(t, dir, w, Options{})
			if d := cmp.Diff(plain, graph); d != "" {
				t.Errorf("the commit-graph changes the evidence (-without +with):\n%s", d)
			}
			writeGraphChain(t, dir) // a chain of two layers, too
			chain, _ := collect(t, dir, w, Options{})
			if d := cmp.Diff(plain, chain); d != "" {
				t.Errorf("the commit-graph chain changes the evidence (-without +with):\n%s", d)
			}
			removeCommitGraph(t, dir)
		})
	}
}
