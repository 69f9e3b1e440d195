// Package synth writes git fast-import streams of synthetic repositories:
// a trunk ("main") with direct commits and merged feature branches (kept
// and deleted refs, local and remote, several merge-message styles),
// abandoned branches, lightweight and annotated tags, several authors whose
// e-mails differ only in case, and a little clock skew. The benchmark
// script and the collector's tests use it.
//
// Import rules: the standard library only; no I/O but the writer it is given.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
)

// Config sizes the repository.
type Config struct {
	Commits  int    // approximate number of commits
	Files    int    // files in the tree
	TagEvery int    // tag every n-th trunk commit
	Seed     uint64 // random seed
	Start    int64  // unix time of the first commit
	Span     int64  // seconds the history spans
	// Skew is the chance in 1000 that a commit's committer time is an hour
	// before its parent's.
	Skew int
}

// Stats tells what was written.
type Stats struct {
	Commits, Branches, Tags int
}

// TmpPrefix is where branches that end up deleted live; callers delete
// refs under it after the import.
const TmpPrefix = "refs/tmp/"

type branch struct {
	name    string
	ref     string
	tip     int
	files   map[string]int
	target  int
	commits int
	remote  bool
}

type gen struct {
	w       *bufio.Writer
	rng     *rand.Rand
	cfg     Config
	mark    int
	now     int64
	step    int64
	commits int
	files   []string
	authors []string
}

// Write writes the stream to w.
func Write(w io.Writer, cfg Config) (Stats, error) {
	if cfg.Commits <= 0 {
		cfg.Commits = 1000
	}
	if cfg.Files <= 0 {
		cfg.Files = 100
	}
	if cfg.TagEvery <= 0 {
		cfg.TagEvery = 12
	}
	if cfg.Start == 0 {
		cfg.Start = 1546300800 // 2019-01-01
	}
	if cfg.Span <= 0 {
		cfg.Span = 6 * 365 * 86400
	}
	g := &gen{
		w:    bufio.NewWriterSize(w, 1<<20),
		rng:  rand.New(rand.NewPCG(cfg.Seed, 42)),
		cfg:  cfg,
		now:  cfg.Start,
		step: max(1, cfg.Span/int64(cfg.Commits)),
	}
	for i := range 25 {
		email := fmt.Sprintf("dev%02d@example.com", i)
		if i%7 == 3 {
			email = strings.ToUpper(email[:1]) + email[1:] // the same people, case differs
		}
		g.authors = append(g.authors, fmt.Sprintf("Developer %02d <%s>", i, email))
	}
	g.authors = append(g.authors, "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>")
	for i := range cfg.Files {
		g.files = append(g.files, fmt.Sprintf("pkg%02d/sub%d/file%04d.go", i%40, i%5, i))
	}
	g.files = append(g.files, ".github/workflows/ci.yml", "Dockerfile", "go.mod", "Makefile",
		"deploy/k8s/deployment.yaml", "migrations/0001_init.sql", "README.md", "pkg00/sub0/file0000_test.go")

	var st Stats
	trunk := g.initial()
	var active []*branch
	trunkCommits, lastTag := 0, 0
	for g.commits < cfg.Commits {
		r := g.rng.IntN(100)
		switch {
		case r < 30: // a direct commit on trunk
			trunk = g.commit("refs/heads/main", trunk, nil, g.touch(nil), "fix: direct change")
			trunkCommits++
		case r < 36 || len(active) == 0: // start a branch
			if len(active) >= 24 {
				continue
			}
			st.Branches++
			name := fmt.Sprintf("feature/f%05d", st.Branches)
			active = append(active, &branch{name: name, ref: TmpPrefix + name, tip: trunk,
				files: map[string]int{}, target: 1 + g.rng.IntN(12), remote: g.rng.IntN(4) == 0})
		default: // work on a branch, or merge it
			i := g.rng.IntN(len(active))
			b := active[i]
			if b.commits < b.target {
				b.tip = g.commit(b.ref, b.tip, nil, g.touch(b.files), "feat: work on "+b.name)
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
			merged := []int{b.tip}
			// Now and then an octopus: merge a second finished branch too.
			if len(active) > 0 && g.rng.IntN(40) == 0 {
				o := active[0]
				if o.commits > 0 {
					active = active[1:]
					merged = append(merged, o.tip)
					for f, m := range o.files {
						mods[f] = m
					}
				}
			}
			trunk = g.commit("refs/heads/main", trunk, merged, mods, g.mergeMessage(b, st.Branches))
			trunkCommits++
			if g.rng.IntN(10) < 6 {
				g.keep(b, false)
			}
		}
		if trunkCommits-lastTag >= cfg.TagEvery {
			lastTag = trunkCommits
			st.Tags++
			g.tag(st.Tags, trunk)
		}
	}
	for _, b := range active {
		if b.commits > 0 {
			g.keep(b, true)
		}
	}
	st.Commits = g.commits
	return st, g.w.Flush()
}

func (g *gen) initial() int {
	g.mark++
	g.commits++
	fmt.Fprintf(g.w, "commit refs/heads/main\nmark :%d\n", g.mark)
	fmt.Fprintf(g.w, "author %s %d +0000\ncommitter %s %d +0000\n", g.authors[0], g.now, g.authors[0], g.now)
	fmt.Fprintf(g.w, "data 15\ninitial import\n\n")
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

func (g *gen) commit(ref string, from int, merge []int, mods map[string]int, msg string) int {
	g.mark++
	g.commits++
	g.now += g.rng.Int64N(2*g.step) + 1
	ct := g.now
	if g.cfg.Skew > 0 && g.rng.IntN(1000) < g.cfg.Skew {
		ct -= 3600 // clock skew: committed "before" its parent
	}
	at := ct - g.rng.Int64N(3*86400)
	author := g.authors[g.rng.IntN(len(g.authors))]
	tz := []string{"+0000", "+0100", "-0700", "+0530"}[g.rng.IntN(4)]
	fmt.Fprintf(g.w, "commit %s\nmark :%d\n", ref, g.mark)
	fmt.Fprintf(g.w, "author %s %d %s\n", author, at, tz)
	fmt.Fprintf(g.w, "committer %s %d %s\n", author, ct, tz)
	body := fmt.Sprintf("%s (%d)\n\nSome description of change %d.\n", msg, g.mark, g.mark)
	fmt.Fprintf(g.w, "data %d\n%s", len(body), body)
	fmt.Fprintf(g.w, "from :%d\n", from)
	for _, m := range merge {
		fmt.Fprintf(g.w, "merge :%d\n", m)
	}
	for f, m := range mods {
		g.inline(f, m)
	}
	fmt.Fprintf(g.w, "\n")
	return g.mark
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

// keep writes the branch's final ref(s): local, remote or both.
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
