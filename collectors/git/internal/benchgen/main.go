// Command benchgen writes a git fast-import stream for a large synthetic
// repository: a trunk with direct commits and merged feature branches
// (kept and deleted branch refs, local and remote), unmerged branches of
// every age, lightweight and annotated tags, several authors and a little
// clock skew. scripts/bench-git.sh pipes it into `git fast-import`.
//
// Refs under refs/tmp/ are scaffolding the script deletes afterwards.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

type branch struct {
	name    string
	ref     string
	tip     int // mark
	files   map[string]int
	target  int
	commits int
	remote  bool
}

type gen struct {
	w       *bufio.Writer
	rng     *rand.Rand
	mark    int
	now     int64
	step    int64
	commits int
	files   []string
	authors []string
}

func main() {
	total := flag.Int("commits", 50000, "approximate number of commits")
	nfiles := flag.Int("files", 2000, "files in the tree")
	tagEvery := flag.Int("tag-every", 12, "tag every n-th trunk commit")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()

	g := &gen{
		w:    bufio.NewWriterSize(os.Stdout, 1<<20),
		rng:  rand.New(rand.NewPCG(*seed, 42)),
		now:  1546300800, // 2019-01-01
		step: int64(6*365*86400) / int64(*total),
	}
	for i := range 25 {
		email := fmt.Sprintf("dev%02d@example.com", i)
		if i%7 == 3 {
			email = strings.ToUpper(email[:1]) + email[1:] // same people, case differs
		}
		g.authors = append(g.authors, fmt.Sprintf("Developer %02d <%s>", i, email))
	}
	g.authors = append(g.authors, "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>")
	for i := range *nfiles {
		g.files = append(g.files, fmt.Sprintf("pkg%02d/sub%d/file%04d.go", i%40, i%5, i))
	}
	g.files = append(g.files, ".github/workflows/ci.yml", "Dockerfile", "go.mod", "Makefile",
		"deploy/k8s/deployment.yaml", "migrations/0001_init.sql", "README.md")

	trunk := g.initial()
	var active []*branch
	nbranch, ntag, trunkCommits := 0, 0, 0
	for g.commits < *total {
		r := g.rng.IntN(100)
		switch {
		case r < 30: // direct commit on trunk
			trunk = g.commit("refs/heads/main", trunk, 0, g.touch(nil), "fix: direct change")
			trunkCommits++
		case r < 36 || len(active) == 0: // start a branch
			if len(active) >= 24 {
				continue
			}
			nbranch++
			name := fmt.Sprintf("feature/f%05d", nbranch)
			b := &branch{name: name, ref: "refs/tmp/" + name, tip: trunk, files: map[string]int{},
				target: 1 + g.rng.IntN(12), remote: g.rng.IntN(4) == 0}
			active = append(active, b)
		default: // work on a branch, or merge it
			i := g.rng.IntN(len(active))
			b := active[i]
			if b.commits < b.target {
				b.tip = g.commit(b.ref, b.tip, 0, g.touch(b.files), "feat: work on "+b.name)
				b.commits++
				continue
			}
			active = append(active[:i], active[i+1:]...)
			if g.rng.IntN(12) == 0 { // abandoned: never merged
				g.keep(b, true)
				continue
			}
			mods := map[string]int{}
			for f, m := range b.files {
				mods[f] = m
			}
			trunk = g.commit("refs/heads/main", trunk, b.tip, mods, g.mergeMessage(b, nbranch))
			trunkCommits++
			if g.rng.IntN(10) < 6 {
				g.keep(b, false)
			}
		}
		if trunkCommits > 0 && trunkCommits%*tagEvery == 0 {
			trunkCommits++ // once per trunk commit
			ntag++
			g.tag(ntag, trunk)
		}
	}
	for _, b := range active {
		if b.commits > 0 {
			g.keep(b, true)
		}
	}
	g.w.Flush()
	fmt.Fprintf(os.Stderr, "benchgen: %d commits, %d branches, %d tags\n", g.commits, nbranch, ntag)
}

func (g *gen) initial() int {
	g.mark++
	g.commits++
	fmt.Fprintf(g.w, "commit refs/heads/main\nmark :%d\n", g.mark)
	g.sig(g.authors[0], g.now, g.now)
	fmt.Fprintf(g.w, "data 14\ninitial import\n")
	for _, f := range g.files {
		g.inline(f, 0)
	}
	fmt.Fprintf(g.w, "\n")
	return g.mark
}

func (g *gen) touch(files map[string]int) map[string]int {
	mods := map[string]int{}
	for range 1 + g.rng.IntN(3) {
		f := g.files[g.rng.IntN(len(g.files))]
		mods[f] = g.mark + 1
		if files != nil {
			files[f] = g.mark + 1
		}
	}
	return mods
}

func (g *gen) commit(ref string, from, merge int, mods map[string]int, msg string) int {
	g.mark++
	g.commits++
	g.now += g.rng.Int64N(2*g.step) + 1
	ct := g.now
	if g.rng.IntN(1000) == 0 {
		ct -= 3600 // clock skew: committed "before" its parent
	}
	at := ct - g.rng.Int64N(3*86400)
	author := g.authors[g.rng.IntN(len(g.authors))]
	fmt.Fprintf(g.w, "commit %s\nmark :%d\n", ref, g.mark)
	fmt.Fprintf(g.w, "author %s %d +0000\n", author, at)
	fmt.Fprintf(g.w, "committer %s %d +0000\n", author, ct)
	body := fmt.Sprintf("%s (%d)\n\nSome description of change %d.\n", msg, g.mark, g.mark)
	fmt.Fprintf(g.w, "data %d\n%s", len(body), body)
	fmt.Fprintf(g.w, "from :%d\n", from)
	if merge != 0 {
		fmt.Fprintf(g.w, "merge :%d\n", merge)
	}
	for f, m := range mods {
		g.inline(f, m)
	}
	fmt.Fprintf(g.w, "\n")
	return g.mark
}

func (g *gen) sig(who string, at, ct int64) {
	fmt.Fprintf(g.w, "author %s %d +0000\ncommitter %s %d +0000\n", who, at, who, ct)
}

func (g *gen) inline(path string, version int) {
	data := fmt.Sprintf("package p\n\n// %s version %d\n", path, version)
	fmt.Fprintf(g.w, "M 100644 inline %s\ndata %d\n%s\n", path, len(data), data)
}

func (g *gen) mergeMessage(b *branch, n int) string {
	switch g.rng.IntN(4) {
	case 0:
		return fmt.Sprintf("Merge branch '%s'", b.name)
	case 1:
		return fmt.Sprintf("Merge pull request #%d from acme/%s", n, b.name)
	case 2:
		return fmt.Sprintf("Merge branch '%s' into 'main'\n\nSee merge request acme/app!%d", b.name, n)
	default:
		return fmt.Sprintf("Merge remote-tracking branch 'origin/%s'", b.name)
	}
}

// keep writes the branch's final ref(s).
func (g *gen) keep(b *branch, unmerged bool) {
	local := true
	if b.remote {
		fmt.Fprintf(g.w, "reset refs/remotes/origin/%s\nfrom :%d\n\n", b.name, b.tip)
		local = g.rng.IntN(2) == 0 || !unmerged
	}
	if local {
		fmt.Fprintf(g.w, "reset refs/heads/%s\nfrom :%d\n\n", b.name, b.tip)
	}
}

func (g *gen) tag(n, mark int) {
	name := fmt.Sprintf("v%d.%d.%d", n/100, (n/10)%10, n%10)
	if n%2 == 0 {
		fmt.Fprintf(g.w, "reset refs/tags/%s\nfrom :%d\n\n", name, mark)
		return
	}
	msg := "Release " + name + "\n"
	fmt.Fprintf(g.w, "tag %s\nfrom :%d\ntagger %s %d +0000\ndata %d\n%s\n", name, mark, g.authors[0], g.now, len(msg), msg)
}
