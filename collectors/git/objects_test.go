package git

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// allObjects returns every object of the repository as git cat-file sees it.
func allObjects(t *testing.T, dir string) map[plumbing.Hash]struct {
	typ  string
	data []byte
} {
	t.Helper()
	cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = dir
	cmd.Env = gitEnv(t0)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	objs := map[plumbing.Hash]struct {
		typ  string
		data []byte
	}{}
	r := bufio.NewReader(bytes.NewReader(out))
	for {
		hdr, err := r.ReadString('\n')
		if err == io.EOF {
			break
		}
		f := strings.Fields(hdr)
		size, _ := strconv.Atoi(f[2])
		data := make([]byte, size+1)
		if _, err := io.ReadFull(r, data); err != nil {
			t.Fatal(err)
		}
		objs[plumbing.NewHash(f[0])] = struct {
			typ  string
			data []byte
		}{f[1], data[:size]}
	}
	return objs
}

func TestReadObjects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"fast-import pack", func(t *testing.T, dir string) {}},
		{"repacked, offset deltas", func(t *testing.T, dir string) { run(t, dir, "repack", "-adfq", "--depth=50", "--window=50") }},
		{"repacked, ref deltas", func(t *testing.T, dir string) {
			run(t, dir, "-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq", "--depth=50")
		}},
		{"index version 1", func(t *testing.T, dir string) { reindex(t, dir, "--index-version=1") }},
		{"64-bit offsets", func(t *testing.T, dir string) { reindex(t, dir, "--index-version=2,0x100") }},
		{"loose objects", func(t *testing.T, dir string) {
			packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
			for _, p := range packs {
				b, _ := os.ReadFile(p)
				os.Remove(p)
				os.Remove(strings.TrimSuffix(p, ".pack") + ".idx")
				runAt(t, dir, t0, b, "unpack-objects", "-q")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := synthRepo(t, 120, 5)
			tc.setup(t, dir)
			r, err := openRepo(dir, false)
			if err != nil {
				t.Fatal(err)
			}
			defer r.close()
			rd := r.db.NewReader(64 << 10) // small: evictions happen
			objs := allObjects(t, dir)
			if len(objs) < 300 {
				t.Fatalf("only %d objects", len(objs))
			}
			for h, want := range objs {
				typ, data, err := rd.Read(h)
				if err != nil {
					t.Fatalf("%s: %v", h, err)
				}
				if typ.String() != want.typ || !bytes.Equal(data, want.data) {
					t.Fatalf("%s: got %s of %d bytes, git says %s of %d", h, typ, len(data), want.typ, len(want.data))
				}
			}
			if _, _, err := rd.Read(plumbing.NewHash(strings.Repeat("ab", 20))); err == nil {
				t.Error("a missing object was found")
			}
		})
	}
}

// reindex rewrites the pack indexes with index-pack options.
func reindex(t *testing.T, dir string, opts ...string) {
	t.Helper()
	packs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.pack"))
	for _, p := range packs {
		idx := strings.TrimSuffix(p, ".pack") + ".idx"
		os.Chmod(idx, 0o644)
		os.Remove(idx)
		run(t, dir, append(append([]string{"index-pack"}, opts...), "-o", idx, p)...)
	}
}

func TestMergeBranch(t *testing.T) {
	for msg, want := range map[string]string{
		"Merge branch 'feature/x'": "feature/x",
		"Merge branch 'feature/x' into 'main'\n\nSee merge request g/p!12": "feature/x",
		"Merge branch 'x' of https://example.com/r into main":              "x",
		"Merge branches 'a', 'b' and 'c'":                                  "a",
		"Merge pull request #12 from owner/feature/y":                      "feature/y",
		"Merge remote-tracking branch 'origin/fix-1'":                      "fix-1",
		"Merged in bugfix/z (pull request #3)":                             "bugfix/z",
		"Merge branch foo":                                                 "foo",
		"Merge tag 'v1.0'":                                                 "",
		"Merge commit 'abc'":                                               "",
		"fix: things":                                                      "",
		"":                                                                 "",
	} {
		if got := mergeBranch(msg); got != want {
			t.Errorf("mergeBranch(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestGitLess(t *testing.T) {
	// git orders "a-b" < "a/" (dir a) < "a0", and file "a" < "a-b".
	type e struct {
		name string
		dir  bool
	}
	order := []e{{"a", false}, {"a-b", false}, {"a", true}, {"a0", false}, {"ab", true}}
	for i := range order {
		for j := range order {
			got := gitLess([]byte(order[i].name), order[i].dir, []byte(order[j].name), order[j].dir)
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got != want {
				t.Errorf("gitLess(%v, %v) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
}

func TestCommitGraphIsUsed(t *testing.T) {
	for _, layers := range []int{1, 2} {
		t.Run(fmt.Sprint(layers, " layers"), func(t *testing.T) { testCommitGraph(t, layers) })
	}
}

func testCommitGraph(t *testing.T, layers int) {
	dir := synthRepo(t, 200, 9)
	if layers == 1 {
		run(t, dir, "commit-graph", "write", "--reachable")
	} else {
		writeGraphChain(t, dir)
	}
	r, err := openRepo(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	if r.cg == nil || !r.cg.HasGenerationV2() || r.cg.Layers() != layers {
		t.Fatal("no commit-graph with generation data")
	}
	// Every commit's row matches git.
	for _, l := range lines(run(t, dir, "log", "--all", "--format=%H %T %ct %P")) {
		f := strings.Fields(l)
		pos, ok := r.cg.Lookup(plumbingHash(t, f[0]))
		if !ok {
			t.Fatalf("%s not in the commit-graph", f[0])
		}
		tree, ps, ct, corrected, ok := r.cg.Row(pos, nil)
		var parents []string
		for _, p := range ps {
			h, _ := r.cg.HashAt(p)
			parents = append(parents, h.String())
		}
		if !ok || tree.String() != f[1] || ct != atoi(t, f[2]) || corrected < ct ||
			strings.Join(parents, " ") != strings.Join(f[3:], " ") {
			t.Fatalf("%s: row %s %d %d %v, git says %v", f[0], tree, ct, corrected, parents, f[1:])
		}
	}
	g := newGraph(r, whole())
	tip := g.id(plumbingHash(t, run(t, dir, "rev-parse", "main")))
	chain, _, err := firstParentChain(g, tip, 0)
	if err != nil {
		t.Fatal(err)
	}
	if g.decoded != 0 || g.fromGraph != len(chain) || !g.n(tip).exact {
		t.Errorf("decoded %d, from the graph %d of %d", g.decoded, g.fromGraph, len(chain))
	}
}

func TestTreeIterMalformed(t *testing.T) {
	good := append([]byte("100644 a\x00"), bytes.Repeat([]byte{1}, 20)...)
	for _, bad := range [][]byte{
		[]byte("100644 a"),
		[]byte("10x644 a\x00aaaaaaaaaaaaaaaaaaaa"),
		[]byte(" a\x00aaaaaaaaaaaaaaaaaaaa"),
		append([]byte("100644 a\x00"), 1, 2, 3),
		append(append([]byte{}, good...), "40000 b\x00short"...),
	} {
		it := treeIter{data: bad}
		var e treeEntry
		for it.next(&e) {
		}
		if it.err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	it := treeIter{data: good}
	var e treeEntry
	if !it.next(&e) || string(e.name) != "a" || e.mode != 0o100644 || it.next(&e) || it.err != nil {
		t.Errorf("good tree: %q %o %v", e.name, e.mode, it.err)
	}
}
