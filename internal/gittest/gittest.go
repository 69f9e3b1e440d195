// Package gittest builds synthetic git repositories for tests with
// `git fast-import`: fast, deterministic, with exact author and committer
// times.
//
// Import rules: the standard library only (and the git binary it runs); only
// tests import it.
package gittest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Person is an author or committer.
type Person struct{ Name, Email string }

// Builder accumulates a fast-import stream.
type Builder struct {
	buf   bytes.Buffer
	mark  int
	heads map[string]int // branch → mark of its tip
	files map[string]map[string]string
	tags  []string
}

// New starts an empty history.
func New() *Builder {
	return &Builder{heads: map[string]int{}, files: map[string]map[string]string{}}
}

// Commit adds a commit on branch (created from `from` when it does not exist
// yet; "" starts an orphan). files maps paths to contents.
func (b *Builder) Commit(branch, from string, who Person, at time.Time, msg string, files map[string]string) int {
	return b.commit(branch, from, who, at, at, msg, files, 0)
}

// CommitAt is Commit with distinct author and committer times.
func (b *Builder) CommitAt(branch, from string, who Person, authored, committed time.Time, msg string, files map[string]string) int {
	return b.commit(branch, from, who, authored, committed, msg, files, 0)
}

// Merge merges branch other into branch (a --no-ff merge commit).
func (b *Builder) Merge(branch, other string, who Person, at time.Time, msg string) int {
	return b.commit(branch, "", who, at, at, msg, nil, b.heads[other])
}

func (b *Builder) commit(branch, from string, who Person, authored, committed time.Time, msg string, files map[string]string, merge int) int {
	b.mark++
	m := b.mark
	parent, ok := b.heads[branch]
	if !ok && from != "" {
		parent = b.heads[from]
		b.files[branch] = copyMap(b.files[from])
	}
	if b.files[branch] == nil {
		b.files[branch] = map[string]string{}
	}
	fmt.Fprintf(&b.buf, "commit refs/heads/%s\nmark :%d\n", branch, m)
	fmt.Fprintf(&b.buf, "author %s <%s> %d +0000\n", who.Name, who.Email, authored.Unix())
	fmt.Fprintf(&b.buf, "committer %s <%s> %d +0000\n", who.Name, who.Email, committed.Unix())
	fmt.Fprintf(&b.buf, "data %d\n%s\n", len(msg), msg)
	if parent != 0 {
		fmt.Fprintf(&b.buf, "from :%d\n", parent)
	}
	if merge != 0 {
		fmt.Fprintf(&b.buf, "merge :%d\n", merge)
		// The merge takes the other branch's files on top.
		for _, br := range b.branchesAt(merge) {
			for p, c := range b.files[br] {
				b.files[branch][p] = c
			}
		}
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&b.buf, "M 100644 inline %s\ndata %d\n%s\n", p, len(files[p]), files[p])
		b.files[branch][p] = files[p]
	}
	if merge != 0 {
		for p, c := range b.files[branch] {
			fmt.Fprintf(&b.buf, "M 100644 inline %s\ndata %d\n%s\n", p, len(c), c)
		}
	}
	b.buf.WriteString("\n")
	b.heads[branch] = m
	return m
}

func (b *Builder) branchesAt(mark int) []string {
	var out []string
	for br, m := range b.heads {
		if m == mark {
			out = append(out, br)
		}
	}
	sort.Strings(out)
	return out
}

// Tag adds a lightweight tag at a commit mark.
func (b *Builder) Tag(name string, mark int) {
	b.tags = append(b.tags, fmt.Sprintf("reset refs/tags/%s\nfrom :%d\n\n", name, mark))
}

// AnnotatedTag adds an annotated tag at a commit mark.
func (b *Builder) AnnotatedTag(name string, mark int, who Person, at time.Time) {
	msg := "release " + name
	b.tags = append(b.tags, fmt.Sprintf("tag %s\nfrom :%d\ntagger %s <%s> %d +0000\ndata %d\n%s\n\n",
		name, mark, who.Name, who.Email, at.Unix(), len(msg), msg))
}

// DeleteBranch removes a branch ref (after it was merged, say).
func (b *Builder) DeleteBranch(name string) {
	delete(b.heads, name)
	b.tags = append(b.tags, fmt.Sprintf("reset refs/heads/%s\nfrom 0000000000000000000000000000000000000000\n\n", name))
}

// Write creates a repository at dir (bare when bare is true) with HEAD on
// head, and returns its path.
func (b *Builder) Write(t testing.TB, dir string, bare bool, head string) string {
	t.Helper()
	args := []string{"init", "-q", "-b", head}
	if bare {
		args = append(args, "--bare")
	}
	run(t, "", nil, "git", append(args, dir)...)
	stream := b.buf.String() + strings.Join(b.tags, "") + "done\n"
	gitDir := dir
	if !bare {
		gitDir = filepath.Join(dir, ".git")
	}
	run(t, gitDir, []byte(stream), "git", "fast-import", "--quiet", "--done")
	if !bare {
		run(t, dir, nil, "git", "checkout", "-q", "-f", head)
	}
	return dir
}

func run(t testing.TB, dir string, stdin []byte, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func copyMap(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}
