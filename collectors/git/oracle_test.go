package git

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// oracle asks the git CLI about a repository and remembers the answers
// (they do not depend on the window).
type oracle struct {
	dir   string
	cache map[string]string
}

func newOracle(dir string) *oracle { return &oracle{dir: dir, cache: map[string]string{}} }

func (o *oracle) run(t *testing.T, args ...string) string {
	t.Helper()
	k := strings.Join(args, "\x00")
	if v, ok := o.cache[k]; ok {
		return v
	}
	v := run(t, o.dir, args...)
	o.cache[k] = v
	return v
}

// checkAgainstGit compares the evidence with what the git CLI says about
// the same repository: the definitions the audit's figures rest on.
func checkAgainstGit(t *testing.T, o *oracle, ev *model.Evidence) {
	t.Helper()
	w := ev.Window
	in := func(ct int64) bool { return w.Contains(time.Unix(ct, 0)) }
	until := w.Until.Unix()

	// Trunk as of the window's end: the newest first-parent commit
	// committed before it.
	head := run(t, o.dir, "rev-parse", "--verify", "-q", ev.DefaultBranch+"^{commit}")
	if !strings.HasPrefix(ev.TrunkTip, head) {
		head = ev.DefaultBranch // an explicit commit or a remote branch: trust the name
	}
	var trunk string
	var fpInWindow [][]string // hash, parents…
	for _, l := range lines(o.run(t, "log", "--first-parent", "--format=%H %ct %P", head)) {
		f := strings.Fields(l)
		ct := atoi(t, f[1])
		if trunk == "" && ct < until {
			trunk = f[0]
		}
		if in(ct) {
			fpInWindow = append(fpInWindow, append([]string{f[0]}, f[2:]...))
		}
	}
	if trunk != "" && ev.TrunkTip != trunk {
		t.Errorf("trunk as of the window's end = %s, git says %s", ev.TrunkTip, trunk)
	}
	if trunk == "" {
		trunk = ev.TrunkTip
	}

	// Commits that landed in the window: each first-parent commit committed
	// in it, and what each such merge brought in (rev-list M^1..M).
	infoOf := map[string][]string{}
	for _, l := range lines(o.run(t, "log", "--all", "--format=%H %ct %ae %P")) {
		f := strings.Fields(l)
		infoOf[f[0]] = f
	}
	var want []string
	wantNonMerge, wantAuthors := 0, map[string]bool{}
	for _, fp := range fpInWindow {
		landed := []string{fp[0]}
		if len(fp) > 2 {
			landed = lines(o.run(t, "rev-list", fp[0], "^"+fp[0]+"^1"))
		}
		for _, h := range landed {
			f := infoOf[h]
			want = append(want, h)
			if len(f) <= 4 { // zero or one parent
				wantNonMerge++
				wantAuthors[strings.ToLower(f[2])] = true
			}
		}
	}
	var got []string
	gotNonMerge, gotAuthors := 0, map[string]bool{}
	byHash := map[string]model.Commit{}
	for _, c := range ev.Commits {
		got = append(got, c.Hash)
		byHash[c.Hash] = c
		if !c.IsMerge() {
			gotNonMerge++
			gotAuthors[strings.ToLower(c.Author.Email)] = true
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("commits in the window differ from git log (-git +got):\n%s", d)
	}
	if gotNonMerge != wantNonMerge || !cmp.Equal(gotAuthors, wantAuthors) {
		t.Errorf("git.commits/authors = %d/%d, git says %d/%d", gotNonMerge, len(gotAuthors), wantNonMerge, len(wantAuthors))
	}

	// First-parent flags, parents, authors and messages.
	fp := map[string]bool{}
	for _, h := range lines(o.run(t, "rev-list", "--first-parent", head)) {
		fp[h] = true
	}
	for _, c := range ev.Commits {
		if c.FirstParent != fp[c.Hash] {
			t.Errorf("commit %s: FirstParent = %v, git says %v", c.Hash, c.FirstParent, fp[c.Hash])
		}
	}
	type info struct{ parents, ae, at, ce, ct, an, msg string }
	infos := map[string]info{}
	for _, rec := range strings.Split(o.run(t, "log", "--format=%H%x00%P%x00%ae%x00%at%x00%ce%x00%ct%x00%an%x00%B%x01", head), "\x01") {
		f := strings.SplitN(strings.TrimLeft(rec, "\n"), "\x00", 8)
		if len(f) == 8 {
			infos[f[0]] = info{f[1], f[2], f[3], f[4], f[5], f[6], f[7]}
		}
	}
	for _, c := range ev.Commits {
		f := infos[c.Hash]
		if strings.Join(c.Parents, " ") != f.parents || c.Author.Email != f.ae || c.Author.When.Unix() != atoi(t, f.at) ||
			c.Committer.Email != f.ce || c.Committer.When.Unix() != atoi(t, f.ct) || c.Author.Name != f.an ||
			strings.TrimSpace(c.Message) != strings.TrimSpace(f.msg) {
			t.Errorf("commit %s: got %v %s %v %s %v %s %q, git says %+v", c.Hash, c.Parents, c.Author.Email,
				c.Author.When.Unix(), c.Committer.Email, c.Committer.When.Unix(), c.Author.Name, c.Message, f)
		}
	}

	// Trunk merges in the window and what they brought in.
	var wantMerges []string
	for _, l := range lines(o.run(t, "log", "--first-parent", "--merges", "--format=%H %ct", head)) {
		f := strings.Fields(l)
		if in(atoi(t, f[1])) {
			wantMerges = append(wantMerges, f[0])
		}
	}
	var gotMerges []string
	for _, m := range ev.Merges {
		gotMerges = append(gotMerges, m.Hash)
	}
	sort.Strings(wantMerges)
	sort.Strings(gotMerges)
	if d := cmp.Diff(wantMerges, gotMerges); d != "" {
		t.Errorf("trunk merges differ from git (-git +got):\n%s", d)
	}
	for k, m := range ev.Merges {
		if k >= 25 {
			break // enough process spawns
		}
		out := lines(o.run(t, "log", "--format=%H %at %ae", m.Hash+"^2", "^"+m.Hash+"^1"))
		var hashes []string
		emails := map[string]bool{}
		var first int64
		for i, l := range out {
			f := strings.Fields(l)
			hashes = append(hashes, f[0])
			emails[strings.ToLower(f[2])] = true
			if at := atoi(t, f[1]); i == 0 || at < first {
				first = at
			}
		}
		if m.BroughtCount != len(hashes) {
			t.Errorf("merge %s: BroughtCount %d, git says %d", m.Hash, m.BroughtCount, len(hashes))
		}
		gotB := append([]string(nil), m.Brought...)
		sort.Strings(gotB)
		sort.Strings(hashes)
		if len(hashes) <= maxBrought {
			if d := cmp.Diff(hashes, gotB); d != "" {
				t.Errorf("merge %s: brought differs from rev-list M^2 ^M^1 (-git +got):\n%s", m.Hash, d)
			}
		}
		if len(hashes) > 0 && !ev.Shallow && m.FirstAuthored.Unix() != first {
			t.Errorf("merge %s: FirstAuthored %v, git says %v", m.Hash, m.FirstAuthored.Unix(), first)
		}
		var wantE []string
		for e := range emails {
			wantE = append(wantE, e)
		}
		sort.Strings(wantE)
		if !cmp.Equal(wantE, m.Authors, cmpEmpty) {
			t.Errorf("merge %s: authors %v, git says %v", m.Hash, m.Authors, wantE)
		}
	}

	// Tags, peeled, dated by their commit.
	if ev.Has(model.KindTags) {
		wantTags := map[string]string{}
		names := lines(o.run(t, "for-each-ref", "refs/tags", "--format=%(refname:strip=2)"))
		var in strings.Builder
		for _, n := range names {
			in.WriteString("refs/tags/" + n + "^{commit}\n")
		}
		peeled := lines(runAt(t, o.dir, t0, []byte(in.String()), "cat-file", "--batch-check"))
		for k, n := range names {
			if f := strings.Fields(peeled[k]); len(f) == 3 && f[1] == "commit" {
				wantTags[n] = f[0]
			}
		}
		gotTags := map[string]string{}
		args := []string{"log", "--no-walk=unsorted", "--format=%H %ct"}
		for _, tg := range ev.Tags {
			gotTags[tg.Name] = tg.Target
			args = append(args, tg.Target)
		}
		cts := map[string]int64{}
		if len(ev.Tags) > 0 {
			for _, l := range lines(o.run(t, args...)) {
				f := strings.Fields(l)
				cts[f[0]] = atoi(t, f[1])
			}
		}
		tagged := map[string]int64{}
		for _, l := range lines(o.run(t, "for-each-ref", "refs/tags", "--format=%(refname:strip=2) %(taggerdate:unix)")) {
			if f := strings.Fields(l); len(f) == 2 {
				tagged[f[0]] = atoi(t, f[1])
			}
		}
		for _, tg := range ev.Tags {
			if tg.Committed.Unix() != cts[tg.Target] {
				t.Errorf("tag %s: Committed %v, git says %v", tg.Name, tg.Committed.Unix(), cts[tg.Target])
			}
			if got := tg.When().Unix(); tagged[tg.Name] != 0 && got != tagged[tg.Name] {
				t.Errorf("tag %s: made %v, git's tagger date says %v", tg.Name, got, tagged[tg.Name])
			}
		}
		if d := cmp.Diff(wantTags, gotTags, cmpEmpty); d != "" {
			t.Errorf("tags differ (-git +got):\n%s", d)
		}
	}

	// Open branches: every branch ref not reachable from trunk.
	if ev.Has(model.KindBranches) {
		type br struct {
			head  string
			ahead int
			first int64
			last  int64
		}
		wantB := map[string]br{}
		merged := map[string]bool{}
		for _, l := range lines(o.run(t, "for-each-ref", "--merged", trunk, "--format=%(refname)", "refs/heads", "refs/remotes")) {
			merged[l] = true
		}
		for _, l := range lines(o.run(t, "for-each-ref", "refs/heads", "refs/remotes", "--format=%(refname) %(objectname) %(symref)")) {
			f := strings.Fields(l)
			if len(f) != 2 || merged[f[0]] {
				continue // symbolic, or reachable from trunk
			}
			name, remote := shortBranch(refName(f[0]))
			if name == ev.DefaultBranch || name == "HEAD" {
				continue
			}
			// The branch at the window's end: the newest commit on its
			// first-parent chain committed before then, unless trunk as of
			// then reaches it first.
			onTrunk := map[string]bool{}
			for _, h := range lines(o.run(t, "rev-list", trunk)) {
				onTrunk[h] = true
			}
			at, atCT := "", int64(0)
			for _, l := range lines(o.run(t, "log", "--first-parent", "--format=%H %ct", f[1])) {
				g := strings.Fields(l)
				if onTrunk[g[0]] {
					break
				}
				if ct := atoi(t, g[1]); ct < until {
					at, atCT = g[0], ct
					break
				}
			}
			if at == "" {
				continue // made after the window, or merged by its end
			}
			b := br{head: at, last: atCT}
			for i, a := range lines(o.run(t, "log", "--format=%at", at, "^"+trunk)) {
				if at := atoi(t, a); i == 0 || at < b.first {
					b.first = at
				}
				b.ahead++
			}
			if remote != "" {
				if lb, ok := wantB[name]; ok && lb.head == at {
					continue
				}
				name = remote + "/" + name
			}
			wantB[name] = b
		}
		gotB := map[string]br{}
		for _, b := range ev.Branches {
			gotB[b.Name] = br{head: b.Head, ahead: b.Ahead, first: b.FirstCommit.Unix(), last: b.LastCommit.Unix()}
			if ev.Shallow && b.FirstCommit.IsZero() {
				gotB[b.Name] = br{head: b.Head, ahead: b.Ahead, first: wantB[b.Name].first, last: b.LastCommit.Unix()} // cut: left out
			}
		}
		if d := cmp.Diff(wantB, gotB, cmp.AllowUnexported(br{}), cmpEmpty); d != "" {
			t.Errorf("open branches differ (-git +got):\n%s", d)
		}
	}

	// The tree at the tip and the changed paths.
	if ev.Has(model.KindTree) {
		want := lines(o.run(t, "ls-tree", "-r", "--name-only", trunk))
		sort.Strings(want)
		if d := cmp.Diff(want, ev.Tree.Paths, cmpEmpty); d != "" || ev.Tree.FileCount != len(want) {
			t.Errorf("tree differs from ls-tree (-git +got):\n%s", d)
		}
	}
	if ev.Has(model.KindCommitFiles) || len(ev.Commits) > 0 {
		want := map[string][]string{}
		var cur string
		for _, l := range lines(o.run(t, "log", "--first-parent", "-m", "--root", "--name-only", "--no-renames",
			"--format=%x00%H", head)) {
			if h, ok := strings.CutPrefix(l, "\x00"); ok {
				cur = h
				want[cur] = nil
			} else if l != "" {
				want[cur] = append(want[cur], l)
			}
		}
		for _, c := range ev.Commits {
			if !c.FirstParent || (c.Files == nil && !ev.Has(model.KindCommitFiles)) {
				continue
			}
			w := want[c.Hash]
			sort.Strings(w)
			if d := cmp.Diff(w, c.Files, cmpEmpty); d != "" {
				t.Errorf("commit %s: changed paths differ from git log -m --first-parent (-git +got):\n%s", c.Hash, d)
			}
		}
	}
}

// cmpEmpty treats nil and empty slices and maps alike.
var cmpEmpty = cmp.FilterValues(func(a, b any) bool {
	return isEmpty(a) && isEmpty(b)
}, cmp.Ignore())

func isEmpty(v any) bool {
	switch x := v.(type) {
	case []string:
		return len(x) == 0
	case map[string]string:
		return len(x) == 0
	case map[string]bool:
		return len(x) == 0
	}
	return false
}
