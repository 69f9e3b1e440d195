package git

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// pastRepo: the window is [t0+10d, t0+20d). During it, main gets a direct
// commit and a merge of feature/a, whose first commit was authored and
// committed before the window; feature/b is committed during the window
// and merged after it; feature/c is made after the window; a workflow file
// and a tag come after it too. v1 is an annotated tag made days after its
// commit.
func pastRepo(t *testing.T) (dir string, marks map[string]int) {
	dir = newRepo(t)
	var f fastImport
	m := map[string]int{}
	m["root"] = f.commit(fiCommit{ctime: t0, files: map[string]string{"go.mod": "module x\n", "a.go": "package a\n"}})
	m["a1"] = f.commit(fiCommit{ref: "refs/heads/feature/a", from: m["root"], ctime: t0 + 5*day,
		author: "Carol <carol@example.com>", files: map[string]string{"a1.go": "package a\n"}})
	m["a2"] = f.commit(fiCommit{ref: "refs/heads/feature/a", from: m["a1"], ctime: t0 + 11*day,
		author: "Carol <carol@example.com>", files: map[string]string{"a2.go": "package a\n"}})
	m["d1"] = f.commit(fiCommit{from: m["root"], ctime: t0 + 12*day, files: map[string]string{"a.go": "package a // 2\n"}})
	m["ma"] = f.commit(fiCommit{from: m["d1"], merge: []int{m["a2"]}, ctime: t0 + 13*day, msg: "Merge branch 'feature/a'\n",
		files: map[string]string{"a1.go": "package a\n", "a2.go": "package a\n"}})
	m["b1"] = f.commit(fiCommit{ref: "refs/heads/feature/b", from: m["ma"], ctime: t0 + 15*day,
		author: "Dave <dave@example.com>", files: map[string]string{"b.go": "package a\n"}})
	f.tag("v1", m["ma"], t0+18*day, "v1\n")
	// After the window.
	m["d2"] = f.commit(fiCommit{from: m["ma"], ctime: t0 + 25*day,
		files: map[string]string{".github/workflows/ci.yml": "on: push\n"}})
	m["b2"] = f.commit(fiCommit{ref: "refs/heads/feature/b", from: m["b1"], ctime: t0 + 26*day,
		author: "Dave <dave@example.com>", files: map[string]string{"b2.go": "package a\n"}})
	m["mb"] = f.commit(fiCommit{from: m["d2"], merge: []int{m["b2"]}, ctime: t0 + 27*day, msg: "Merge branch 'feature/b'\n",
		files: map[string]string{"b.go": "package a\n", "b2.go": "package a\n"}})
	m["c1"] = f.commit(fiCommit{ref: "refs/heads/feature/c", from: m["mb"], ctime: t0 + 28*day,
		files: map[string]string{"c.go": "package a\n"}})
	f.tag("v2", m["mb"], t0+29*day, "v2\n")
	f.apply(t, dir)
	// feature/b keeps pointing at b1 (its head at the merge is b2, merged;
	// a branch deleted after its merge is gone, this one was left behind).
	run(t, dir, "update-ref", "refs/heads/feature/b", hashOf(t, dir, m["b1"]))
	return dir, m
}

// hashOf returns the commit whose subject is "commit N" for mark N.
func hashOf(t *testing.T, dir string, mark int) string {
	t.Helper()
	for _, l := range lines(run(t, dir, "log", "--all", "--format=%H %s")) {
		if f := strings.SplitN(l, " ", 2); len(f) == 2 && f[1] == "commit "+strconv.Itoa(mark) {
			return f[0]
		}
	}
	t.Fatalf("no commit %d", mark)
	return ""
}

func TestPastWindow(t *testing.T) {
	dir, m := pastRepo(t)
	o := newOracle(dir)
	h := func(name string) string {
		if name == "ma" || name == "mb" {
			for _, l := range lines(run(t, dir, "log", "--first-parent", "--merges", "--format=%H %s", "main")) {
				if strings.Contains(l, map[string]string{"ma": "feature/a", "mb": "feature/b"}[name]) {
					return strings.Fields(l)[0]
				}
			}
		}
		return hashOf(t, dir, m[name])
	}
	for _, graph := range []bool{false, true} {
		name := "walk"
		if graph {
			name = "commit-graph"
			run(t, dir, "commit-graph", "write", "--reachable")
		}
		t.Run(name, func(t *testing.T) {
			ev, res := collect(t, dir, window(t0+10*day, t0+20*day), Options{})
			checkAgainstGit(t, o, ev)
			var got []string
			for _, c := range ev.Commits {
				got = append(got, c.Hash)
				if !c.Landed.Equal(time.Unix(t0+12*day, 0)) && !c.Landed.Equal(time.Unix(t0+13*day, 0)) {
					t.Errorf("commit %s landed %v", c.Hash, c.Landed)
				}
			}
			want := []string{h("a1"), h("a2"), h("d1"), h("ma")}
			sort.Strings(got)
			sort.Strings(want)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("commits that landed in the window (-want +got):\n%s", d)
			}
			if ev.TrunkTip != h("ma") || !ev.TrunkTipAt.Equal(time.Unix(t0+13*day, 0)) {
				t.Errorf("trunk as of the window's end %s %v, want the merge of feature/a", ev.TrunkTip, ev.TrunkTipAt)
			}
			for _, p := range ev.Tree.Paths {
				if strings.HasPrefix(p, ".github/") {
					t.Errorf("the tree holds %s, added after the window", p)
				}
			}
			var branches []string
			for _, b := range ev.Branches {
				branches = append(branches, b.Name+" "+strconv.Itoa(b.Ahead))
			}
			if d := cmp.Diff([]string{"feature/b 1"}, branches); d != "" {
				t.Errorf("branches open at the window's end (-want +got):\n%s", d)
			}
			for _, tg := range ev.Tags {
				if tg.Tagged == nil {
					t.Errorf("tag %s: no tagger time", tg.Name)
				}
			}
			if res.Partial {
				t.Errorf("partial: %+v %v", res, ev.Notes)
			}
		})
	}
}

func TestWindowBeforeHistory(t *testing.T) {
	dir := linearRepo(t)
	ev := &model.Evidence{Window: window(t0-20*day, t0-10*day)}
	_, err := New(dir, Options{}).Collect(context.Background(), ev)
	if !errors.Is(err, ErrWindowBeforeHistory) {
		t.Fatalf("err = %v, want ErrWindowBeforeHistory", err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "before the first commit of main") {
		t.Errorf("message %q", msg)
	}
	if len(ev.Commits) > 0 || ev.Tree != nil {
		t.Errorf("figures from the wrong time: %d commits, tree %v", len(ev.Commits), ev.Tree)
	}
}
