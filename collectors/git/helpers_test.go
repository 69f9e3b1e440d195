package git

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// The fixtures are built with the git CLI, isolated from the user's and
// the system's configuration, with fixed dates.

const t0 = 1700000000 // 2023-11-14T22:13:20Z

func gitEnv(when int64) []string {
	date := fmt.Sprintf("@%d +0000", when)
	return append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME=/nonexistent",
		"GIT_AUTHOR_NAME=Alice", "GIT_AUTHOR_EMAIL=alice@example.com",
		"GIT_COMMITTER_NAME=Alice", "GIT_COMMITTER_EMAIL=alice@example.com",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date,
		"GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
}

// run runs git in dir and returns its trimmed output.
func run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return runAt(t, dir, t0, nil, args...)
}

func runAt(t testing.TB, dir string, when int64, stdin []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(when)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// newRepo makes an empty repository whose default branch is main.
func newRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	run(t, dir, "init", "-q", "-b", "main")
	return dir
}

// fastImport builds history from a fast-import stream written by build.
type fastImport struct {
	b    strings.Builder
	mark int
}

type fiCommit struct {
	ref       string
	from      int   // mark, 0 for a root
	merge     []int // further parents
	author    string
	atime     int64
	ctime     int64
	msg       string
	files     map[string]string
	deleteAll bool
}

func (f *fastImport) commit(c fiCommit) int {
	f.mark++
	if c.ref == "" {
		c.ref = "refs/heads/main"
	}
	if c.from == 0 {
		fmt.Fprintf(&f.b, "reset %s\n\n", c.ref) // a root commit
	}
	if c.author == "" {
		c.author = "Alice <alice@example.com>"
	}
	if c.atime == 0 {
		c.atime = c.ctime
	}
	if c.msg == "" {
		c.msg = fmt.Sprintf("commit %d\n", f.mark)
	}
	fmt.Fprintf(&f.b, "commit %s\nmark :%d\nauthor %s %d +0100\ncommitter %s %d +0100\ndata %d\n%s",
		c.ref, f.mark, c.author, c.atime, c.author, c.ctime, len(c.msg), c.msg)
	if c.from != 0 {
		fmt.Fprintf(&f.b, "from :%d\n", c.from)
	}
	for _, m := range c.merge {
		fmt.Fprintf(&f.b, "merge :%d\n", m)
	}
	if c.deleteAll {
		f.b.WriteString("deleteall\n")
	}
	for _, p := range sortedKeys(c.files) {
		data := c.files[p]
		if data == "" {
			fmt.Fprintf(&f.b, "D %s\n", p)
			continue
		}
		fmt.Fprintf(&f.b, "M 100644 inline %s\ndata %d\n%s\n", p, len(data), data)
	}
	f.b.WriteString("\n")
	return f.mark
}

func (f *fastImport) reset(ref string, mark int) {
	fmt.Fprintf(&f.b, "reset %s\nfrom :%d\n\n", ref, mark)
}

func (f *fastImport) tag(name string, mark int, when int64, msg string) {
	fmt.Fprintf(&f.b, "tag %s\nfrom :%d\ntagger Alice <alice@example.com> %d +0000\ndata %d\n%s\n",
		name, mark, when, len(msg), msg)
}

func (f *fastImport) apply(t testing.TB, dir string) {
	t.Helper()
	runAt(t, dir, t0, []byte(f.b.String()), "fast-import", "--quiet")
	// fast-import does not touch the work tree; make it match HEAD.
	if run(t, dir, "rev-parse", "--is-bare-repository") == "false" {
		if out := run(t, dir, "for-each-ref", "--count=1", "refs/heads/main"); out != "" {
			run(t, dir, "reset", "-q", "--hard", "main")
		}
	}
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

// collect runs the collector on dir for the window.
func collect(t testing.TB, dir string, w model.Window, opt Options) (*model.Evidence, collectors.Result) {
	t.Helper()
	ev := &model.Evidence{Window: w}
	res, err := New(dir, opt).Collect(context.Background(), ev)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return ev, res
}

func whole() model.Window {
	return model.Window{Since: time.Unix(0, 0).UTC(), Until: time.Unix(4102444800, 0).UTC()}
}

func window(since, until int64) model.Window {
	return model.Window{Since: time.Unix(since, 0).UTC(), Until: time.Unix(until, 0).UTC()}
}

func atoi(t testing.TB, s string) int64 {
	t.Helper()
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func refName(s string) plumbing.ReferenceName { return plumbing.ReferenceName(s) }

func removeCommitGraph(t testing.TB, dir string) {
	t.Helper()
	info := filepath.Join(dir, ".git", "objects", "info")
	for _, p := range []string{filepath.Join(info, "commit-graph"), filepath.Join(info, "commit-graphs")} {
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
	}
}

func plumbingHash(t testing.TB, s string) plumbing.Hash {
	t.Helper()
	if !plumbing.IsHash(s) {
		t.Fatalf("not a hash: %q", s)
	}
	return plumbing.NewHash(s)
}

// writeGraphChain replaces the commit-graph with a chain of two layers.
func writeGraphChain(t testing.TB, dir string) {
	t.Helper()
	removeCommitGraph(t, dir)
	old := run(t, dir, "rev-parse", "main~20")
	runAt(t, dir, t0, []byte(old+"\n"), "commit-graph", "write", "--split=no-merge", "--stdin-commits")
	run(t, dir, "commit-graph", "write", "--reachable", "--split=no-merge")
	chain, err := os.ReadFile(filepath.Join(dir, ".git", "objects", "info", "commit-graphs", "commit-graph-chain"))
	if err != nil || len(lines(strings.TrimSpace(string(chain)))) != 2 {
		t.Fatalf("no chain of two layers: %v %q", err, chain)
	}
}
