package git

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cdaudit/cdaudit/model"
)

func TestLayouts(t *testing.T) {
	src := mergeRepo(t)
	run(t, src, "tag", "v1", "main~2")
	run(t, src, "tag", "-a", "-m", "release", "v2", "main")
	base := t.TempDir()
	bare := filepath.Join(base, "bare.git")
	mirror := filepath.Join(base, "mirror.git")
	clone := filepath.Join(base, "clone")
	run(t, base, "clone", "-q", "--bare", src, bare)
	run(t, base, "clone", "-q", "--mirror", src, mirror)
	run(t, base, "clone", "-q", src, clone)
	wt := filepath.Join(base, "wt")
	run(t, src, "worktree", "add", "-q", wt, "main~1")
	sub := filepath.Join(src, "deep", "dir")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}

	want, _ := collect(t, src, whole(), Options{})
	for _, tc := range []struct {
		name, path, branch string
		sameBranches       bool
	}{
		{"work tree", src, "", true},
		{".git directory", filepath.Join(src, ".git"), "", true},
		{"bare clone", bare, "", false},
		{"mirror clone", mirror, "", true},
		{"fresh clone: origin/ branches", clone, "", false},
		{"linked work tree (.git file)", wt, "main", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, _ := collect(t, tc.path, whole(), Options{Branch: tc.branch})
			checkAgainstGit(t, newOracle(tc.path), ev)
			opts := []cmp.Option{cmpopts.IgnoreFields(model.Evidence{}, "Branches")}
			if tc.sameBranches {
				opts = nil
			}
			if d := cmp.Diff(want, ev, opts...); d != "" {
				t.Errorf("evidence differs from the source's (-source +here):\n%s", d)
			}
		})
	}
	t.Run("a directory inside the work tree is not a repository", func(t *testing.T) {
		_, err := New(sub, Options{}).Collect(context.Background(), &model.Evidence{Window: whole()})
		if !errors.Is(err, ErrNotRepository) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestErrors(t *testing.T) {
	empty := newRepo(t)
	file := filepath.Join(t.TempDir(), "f")
	writeFile(t, file, "x")
	onlyTags := newRepo(t)
	var f fastImport
	m := f.commit(fiCommit{ref: "refs/tags/v1", ctime: t0, files: map[string]string{"a": "1"}})
	_ = m
	f.apply(t, onlyTags)
	for _, tc := range []struct {
		name, path string
		opt        Options
		want       error
	}{
		{"empty repository", empty, Options{}, ErrEmptyRepository},
		{"no branches, only a tag", onlyTags, Options{}, ErrEmptyRepository},
		{"not a repository", t.TempDir(), Options{}, ErrNotRepository},
		{"no such path", filepath.Join(t.TempDir(), "nope"), Options{}, ErrNotRepository},
		{"a file", file, Options{}, ErrNotRepository},
		{"unknown branch", linearRepo(t), Options{Branch: "nope"}, ErrBranchNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &model.Evidence{Window: whole()}
			_, err := New(tc.path, tc.opt).Collect(context.Background(), ev)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.path) || strings.Contains(err.Error(), "\n") {
				t.Errorf("message %q should name the path on one line", err)
			}
			if len(ev.Have) != 0 {
				t.Errorf("marked %v", ev.Have)
			}
		})
	}
}

func TestCorrupt(t *testing.T) {
	// Loose objects: commits made with git commit.
	loose := func(t *testing.T) string {
		dir := newRepo(t)
		for i, when := range []int64{t0, t0 + day, t0 + 2*day} {
			writeFile(t, filepath.Join(dir, "f"), strings.Repeat("x", i+1))
			run(t, dir, "add", "f")
			runAt(t, dir, when, nil, "commit", "-q", "-m", "c")
		}
		return dir
	}
	objPath := func(dir, rev string) string {
		h := run(t, dir, "rev-parse", rev)
		return filepath.Join(dir, ".git", "objects", h[:2], h[2:])
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) string
	}{
		{"missing parent commit", func(t *testing.T) string {
			dir := loose(t)
			if err := os.Remove(objPath(dir, "main~1")); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
		{"truncated loose commit", func(t *testing.T) string {
			dir := loose(t)
			p := objPath(dir, "main~1")
			os.Chmod(p, 0o644)
			if err := os.Truncate(p, 10); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
		{"missing tree", func(t *testing.T) string {
			dir := loose(t)
			if err := os.Remove(objPath(dir, "main^{tree}")); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
		{"truncated pack", func(t *testing.T) string {
			dir := synthRepo(t, 60, 3)
			packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
			for _, p := range packs {
				fi, _ := os.Stat(p)
				os.Chmod(p, 0o644)
				if err := os.Truncate(p, fi.Size()/2); err != nil {
					t.Fatal(err)
				}
			}
			return dir
		}},
		{"garbage in pack", func(t *testing.T) string {
			dir := synthRepo(t, 60, 3)
			packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
			for _, p := range packs {
				b, _ := os.ReadFile(p)
				for i := 12; i < len(b)-20; i += 7 {
					b[i] ^= 0x5a
				}
				os.Chmod(p, 0o644)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			return dir
		}},
		{"truncated pack index", func(t *testing.T) string {
			dir := synthRepo(t, 60, 3)
			idx, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
			for _, p := range idx {
				os.Chmod(p, 0o644)
				if err := os.Truncate(p, 600); err != nil {
					t.Fatal(err)
				}
			}
			return dir
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.setup(t)
			ev := &model.Evidence{Window: whole()}
			_, err := New(dir, Options{}).Collect(context.Background(), ev)
			if !errors.Is(err, ErrCorruptObject) {
				t.Fatalf("err = %v, want ErrCorruptObject", err)
			}
			if msg := err.Error(); !strings.Contains(msg, dir) || strings.Contains(msg, "\n") {
				t.Errorf("message %q", msg)
			}
			t.Log(err)
		})
	}
}

func TestDefaultBranch(t *testing.T) {
	type step func(t *testing.T, dir string)
	sym := func(ref, target string) step {
		return func(t *testing.T, dir string) { run(t, dir, "symbolic-ref", ref, target) }
	}
	upd := func(ref string) step {
		return func(t *testing.T, dir string) { run(t, dir, "update-ref", ref, "base") }
	}
	del := func(ref string) step {
		return func(t *testing.T, dir string) { run(t, dir, "update-ref", "-d", ref) }
	}
	detach := func(t *testing.T, dir string) { run(t, dir, "update-ref", "--no-deref", "HEAD", "base") }
	for _, tc := range []struct {
		name   string
		steps  []step
		branch string
		want   string
		ref    string
	}{
		{"HEAD names an existing branch", []step{upd("refs/heads/dev"), sym("HEAD", "refs/heads/dev")}, "", "dev", "dev"},
		{"HEAD unborn: origin/HEAD", []step{upd("refs/remotes/origin/trunk"),
			sym("refs/remotes/origin/HEAD", "refs/remotes/origin/trunk"), sym("HEAD", "refs/heads/unborn")}, "", "trunk", "origin/trunk"},
		{"detached HEAD: origin/HEAD", []step{upd("refs/remotes/origin/trunk"),
			sym("refs/remotes/origin/HEAD", "refs/remotes/origin/trunk"), detach}, "", "trunk", "origin/trunk"},
		{"HEAD unborn, no origin/HEAD: main", []step{upd("refs/heads/master"), sym("HEAD", "refs/heads/unborn")}, "", "main", "main"},
		{"then origin/main", []step{del("refs/heads/main"), upd("refs/remotes/origin/main"), upd("refs/heads/master"),
			sym("HEAD", "refs/heads/unborn")}, "", "main", "origin/main"},
		{"then master", []step{del("refs/heads/main"), upd("refs/heads/master"), upd("refs/remotes/origin/master"),
			sym("HEAD", "refs/heads/unborn")}, "", "master", "master"},
		{"then origin/master", []step{del("refs/heads/main"), upd("refs/remotes/origin/master"),
			sym("HEAD", "refs/heads/unborn")}, "", "master", "origin/master"},
		{"explicit branch", []step{upd("refs/heads/release/1.x")}, "release/1.x", "release/1.x", "release/1.x"},
		{"explicit full ref", []step{upd("refs/heads/dev")}, "refs/heads/dev", "dev", "dev"},
		{"explicit remote branch", []step{upd("refs/remotes/origin/dev")}, "origin/dev", "dev", "origin/dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := linearRepo(t)
			run(t, dir, "update-ref", "refs/tags/base", "main~2")
			for _, s := range tc.steps {
				s(t, dir)
			}
			ev, _ := collect(t, dir, whole(), Options{Branch: tc.branch})
			tip := run(t, dir, "rev-parse", "base^{commit}")
			if tc.ref == "main" {
				tip = run(t, dir, "rev-parse", "refs/heads/main")
			}
			if ev.DefaultBranch != tc.want || ev.TrunkTip != tip {
				t.Errorf("trunk %q at %s, want %q at %s", ev.DefaultBranch, ev.TrunkTip, tc.want, tip)
			}
		})
	}
}

func TestShallow(t *testing.T) {
	src := mergeRepo(t)
	dir := filepath.Join(t.TempDir(), "shallow")
	run(t, src, "clone", "-q", "--no-single-branch", "--depth", "3", "file://"+src, dir)
	boundary := int64(0)
	sh, err := os.ReadFile(filepath.Join(dir, ".git", "shallow"))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range lines(strings.TrimSpace(string(sh))) {
		if len(h) == 40 {
			if ct := atoi(t, run(t, dir, "log", "-1", "--format=%ct", h)); ct > boundary {
				boundary = ct
			}
		}
	}
	t.Run("window before the cut", func(t *testing.T) {
		ev, res := collect(t, dir, whole(), Options{})
		if !ev.Shallow || ev.HistoryStart.Unix() != boundary {
			t.Errorf("shallow %v, history start %v, want %v", ev.Shallow, ev.HistoryStart.Unix(), boundary)
		}
		if ev.Has(model.KindCommits) || ev.Has(model.KindMerges) || ev.Has(model.KindCommitFiles) {
			t.Errorf("cut history marked complete: %v", ev.Have)
		}
		if !ev.Has(model.KindTags, model.KindBranches, model.KindTree) {
			t.Errorf("have %v", ev.Have)
		}
		if !res.Partial || len(res.Warnings) == 0 || len(ev.Notes) == 0 {
			t.Errorf("result %+v, notes %v", res, ev.Notes)
		}
	})
	t.Run("window after the cut", func(t *testing.T) {
		ev, res := collect(t, dir, window(boundary+1, boundary+100*day), Options{ShallowOK: true})
		if !ev.Has(model.KindCommits, model.KindMerges) {
			t.Errorf("have %v, notes %v", ev.Have, ev.Notes)
		}
		if len(res.Warnings) != 0 {
			t.Errorf("warnings %v with ShallowOK", res.Warnings)
		}
		checkAgainstGit(t, newOracle(dir), ev)
	})
}

func TestOptions(t *testing.T) {
	dir := linearRepo(t)
	t.Run("no changed paths", func(t *testing.T) {
		ev, res := collect(t, dir, whole(), Options{MaxCommitFiles: -1})
		if ev.Has(model.KindCommitFiles) || !res.Partial || ev.Commits[0].Files != nil {
			t.Errorf("have %v, partial %v", ev.Have, res.Partial)
		}
	})
	t.Run("two commits' changed paths", func(t *testing.T) {
		ev, _ := collect(t, dir, whole(), Options{MaxCommitFiles: 2})
		if ev.Has(model.KindCommitFiles) || ev.Commits[1].Files == nil || ev.Commits[2].Files != nil {
			t.Errorf("have %v; files %v %v", ev.Have, ev.Commits[1].Files, ev.Commits[2].Files)
		}
	})
	t.Run("progress", func(t *testing.T) {
		calls := 0
		collect(t, dir, whole(), Options{Progress: func(int) { calls++ }})
		if calls == 0 {
			t.Error("progress never called")
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := New(dir, Options{}).Collect(ctx, &model.Evidence{Window: whole()})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestTags(t *testing.T) {
	dir := mergeRepo(t)
	run(t, dir, "tag", "light", "main~1")
	runAt(t, dir, t0+99*day, nil, "tag", "-a", "-m", "annotated", "ann", "main~3")
	runAt(t, dir, t0+99*day, nil, "tag", "-a", "-m", "tag of a tag", "meta", "ann")
	run(t, dir, "tag", "on-branch", "wip")
	run(t, dir, "tag", "tree", "main^{tree}")
	ev, _ := collect(t, dir, whole(), Options{})
	checkAgainstGit(t, newOracle(dir), ev)
	got := map[string]bool{}
	for _, tg := range ev.Tags {
		got[tg.Name] = tg.Annotated
	}
	if d := cmp.Diff(map[string]bool{"light": false, "ann": true, "meta": true, "on-branch": false}, got); d != "" {
		t.Errorf("tags (-want +got):\n%s", d)
	}
	if len(ev.Notes) != 1 || !strings.Contains(ev.Notes[0], "tree") {
		t.Errorf("notes %v", ev.Notes)
	}
}

func TestBlobReader(t *testing.T) {
	dir := linearRepo(t)
	writeFile(t, filepath.Join(dir, "src", "a.go"), "changed in the work tree\n")
	r, err := openRepo(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	g := newGraph(r, whole())
	tip := g.id(plumbingHash(t, run(t, dir, "rev-parse", "main")))
	if err := g.load(tip); err != nil {
		t.Fatal(err)
	}
	br := &blobReader{t: &treeReader{rd: r.db.NewReader(1 << 20)}, root: g.n(tip).tree}
	for _, tc := range []struct {
		path, want string
		err        error
	}{
		{"src/a.go", "package a // 3\n", nil},
		{".github/workflows/ci.yml", "on: push\n", nil},
		{"src/b", "", fs.ErrNotExist},
		{"src/nope.go", "", fs.ErrNotExist},
		{"README.md", "", fs.ErrNotExist}, // deleted
	} {
		b, err := br.ReadFile(context.Background(), tc.path)
		if !errors.Is(err, tc.err) || string(b) != tc.want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q, %v", tc.path, b, err, tc.want, tc.err)
		}
	}
}
