package git

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

const ciYAML = `on:
  push:
  schedule:
    - cron: "0 3 * * *"
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: go test ./...
`

// ciRepo makes a repository of loose objects (git add, git commit) with a
// GitHub workflow, a Go module and a linter config.
func ciRepo(t *testing.T) string {
	t.Helper()
	dir := newRepo(t)
	files := map[string]string{
		".github/workflows/ci.yml": ciYAML,
		".golangci.yml":            "linters:\n  enable: [govet]\n",
		"go.mod":                   "module x\n",
		"pkg/x.go":                 "package x\n",
		"pkg/x_test.go":            "package x\n",
	}
	for p, c := range files {
		writeFile(t, filepath.Join(dir, p), c)
	}
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-qm", "initial")
	writeFile(t, filepath.Join(dir, "pkg/x.go"), "package x // 2\n")
	run(t, dir, "commit", "-qam", "second")
	return dir
}

// looseObject returns the path of object rev's loose file.
func looseObject(t *testing.T, dir, rev string) string {
	t.Helper()
	h := run(t, dir, "rev-parse", rev)
	return filepath.Join(dir, ".git", "objects", h[:2], h[2:])
}

func unreadablePaths(ev *model.Evidence) []string {
	if ev.Tree == nil {
		return nil
	}
	var out []string
	for _, u := range ev.Tree.Facts.Unreadable {
		out = append(out, u.Path)
	}
	return out
}

// Missing objects make the files that need them unreadable (path and
// reason), the source partial: never absent files and exit 0 as before.
func TestMissingObjects(t *testing.T) {
	src := ciRepo(t)
	want, _ := collect(t, src, whole(), Options{})
	if len(want.Tree.Facts.CI.Triggers) == 0 || len(want.Tree.Facts.Unreadable) != 0 {
		t.Fatalf("fixture: triggers %v, unreadable %v", want.Tree.Facts.CI.Triggers, want.Tree.Facts.Unreadable)
	}
	run(t, src, "config", "uploadpack.allowFilter", "true")
	t.Run("blobless clone without checkout", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "blobless")
		run(t, src, "clone", "-q", "--filter=blob:none", "--no-checkout", "file://"+src, dir)
		ev, res := collect(t, dir, whole(), Options{})
		checkUnreadable(t, ev, res, []string{".github/workflows/ci.yml", ".golangci.yml", "go.mod"},
			"not fetched by the partial clone (filter blob:none from remote origin)")
		if !strings.Contains(strings.Join(ev.Notes, "\n"), "partial clone (filter blob:none from remote origin)") {
			t.Errorf("notes %q do not say it is a partial clone", ev.Notes)
		}
	})
	t.Run("blobless clone with the tip checked out", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "blobless")
		run(t, src, "clone", "-q", "--filter=blob:none", "file://"+src, dir)
		ev, res := collect(t, dir, whole(), Options{})
		if res.Partial || len(res.Warnings) > 0 {
			t.Errorf("partial %v, warnings %q: the tip's blobs are all there", res.Partial, res.Warnings)
		}
		if d := cmp.Diff(want.Tree.Facts, ev.Tree.Facts); d != "" {
			t.Errorf("tree facts differ from the source's (-source +clone):\n%s", d)
		}
		if !strings.Contains(strings.Join(ev.Notes, "\n"), "partial clone (filter blob:none") {
			t.Errorf("notes %q do not say it is a partial clone", ev.Notes)
		}
	})
	t.Run("workflow blob deleted", func(t *testing.T) {
		dir := ciRepo(t)
		if err := os.Remove(looseObject(t, dir, "HEAD:.github/workflows/ci.yml")); err != nil {
			t.Fatal(err)
		}
		ev, res := collect(t, dir, whole(), Options{})
		checkUnreadable(t, ev, res, []string{".github/workflows/ci.yml"}, "missing from the repository")
		if len(ev.Tree.Facts.CI.ParseErrors) > 0 {
			t.Errorf("parse errors %q: a missing file is not a parse error", ev.Tree.Facts.CI.ParseErrors)
		}
		if ev.Tree.Facts.Count(model.CatCIConfig) != 1 {
			t.Errorf("the workflow's path still counts as CI config: counts %v", ev.Tree.Facts.Counts)
		}
	})
	t.Run("directory tree deleted", func(t *testing.T) {
		dir := ciRepo(t)
		if err := os.Remove(looseObject(t, dir, "HEAD:.github")); err != nil {
			t.Fatal(err)
		}
		ev, res := collect(t, dir, whole(), Options{})
		checkUnreadable(t, ev, res, []string{".github/"}, "tree object is missing")
		if ev.Has(model.KindCommitFiles) || !strings.Contains(strings.Join(ev.Notes, "\n"), "their trees are missing") {
			t.Errorf("changed paths marked %v with notes %q: the first commit's cannot be told", ev.Has(model.KindCommitFiles), ev.Notes)
		}
	})
}

func checkUnreadable(t *testing.T, ev *model.Evidence, res collectors.Result, want []string, reason string) {
	t.Helper()
	if d := cmp.Diff(want, unreadablePaths(ev)); d != "" {
		t.Errorf("unreadable files (-want +got):\n%s", d)
	}
	if ev.Tree.Facts.UnreadableCount != len(want) {
		t.Errorf("unreadable count %d, want %d", ev.Tree.Facts.UnreadableCount, len(want))
	}
	for _, u := range ev.Tree.Facts.Unreadable {
		if !strings.Contains(u.Reason, reason) {
			t.Errorf("%s: reason %q, want it to say %q", u.Path, u.Reason, reason)
		}
	}
	if !res.Partial {
		t.Error("source not partial")
	}
	warn := strings.Join(res.Warnings, "\n")
	for _, p := range want {
		if !strings.Contains(warn, p) {
			t.Errorf("warnings %q do not name %s", res.Warnings, p)
		}
	}
	if !ev.Has(model.KindTree) {
		t.Error("tree not marked: its listing is complete")
	}
	if len(ev.Tree.Facts.CI.Triggers) != 0 && want[0] == ".github/workflows/ci.yml" {
		t.Errorf("triggers %v read from a file that is not there", ev.Tree.Facts.CI.Triggers)
	}
}

// corruptEntry flips one byte inside the deflated data of object rev in a
// pack written without compression (stored deflate blocks), so that the
// entry's header still parses and the zlib adler32 check fails.
func corruptEntry(t *testing.T, dir, rev string) (hash, pack string, off int64) {
	t.Helper()
	run(t, dir, "-c", "pack.compression=0", "-c", "core.compression=0", "repack", "-adfq")
	hash = run(t, dir, "rev-parse", rev)
	idx, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "pack-*.idx"))
	if len(idx) != 1 {
		t.Fatalf("packs %v", idx)
	}
	for _, l := range lines(runIn(t, dir, idx[0], "show-index")) {
		f := strings.Fields(l) // offset hash (crc)
		if len(f) >= 2 && f[1] == hash {
			off = atoi(t, f[0])
		}
	}
	if off == 0 {
		t.Fatalf("%s not in %s", hash, idx[0])
	}
	pack = strings.TrimSuffix(idx[0], ".idx") + ".pack"
	b, err := os.ReadFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	pos := off
	for b[pos]&0x80 != 0 { // the entry header: type and size
		pos++
	}
	pos++
	// zlib header (2), stored block header (5), then the object's bytes.
	if b[pos+2]&0x06 != 0 {
		t.Fatalf("object %s is compressed (block type %d)", hash, b[pos+2]>>1&3)
	}
	b[pos+2+5+3] ^= 0x20
	os.Chmod(pack, 0o644)
	if err := os.WriteFile(pack, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return hash, filepath.Base(pack), off
}

// runIn runs git with file as its standard input.
func runIn(t *testing.T, dir, file string, args ...string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return runAt(t, dir, t0, b, args...)
}

// A damaged object is an error naming it, never read as valid.
func TestCorruptPackedObject(t *testing.T) {
	for _, tc := range []struct{ name, rev string }{
		{"workflow blob (read by the classifier)", "HEAD:.github/workflows/ci.yml"},
		{"trunk tip commit (read by the walk)", "HEAD"},
		{"tree of a directory (read by the listing and the diffs)", "HEAD:pkg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := ciRepo(t)
			hash, pack, off := corruptEntry(t, dir, tc.rev)
			_, err := New(dir, Options{}).Collect(context.Background(), &model.Evidence{Window: whole()})
			var ce *CorruptObjectError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorruptObject) {
				t.Fatalf("err = %v, want a CorruptObjectError", err)
			}
			if ce.Hash.String() != hash || ce.Pack != pack || ce.Offset != off {
				t.Errorf("corrupt %s in %s at %d, want %s in %s at %d", ce.Hash, ce.Pack, ce.Offset, hash, pack, off)
			}
			msg := err.Error()
			if !strings.Contains(msg, "corrupt object "+hash+" in pack "+pack) || strings.Contains(msg, "\n") {
				t.Errorf("message %q", msg)
			}
			t.Log(msg)
		})
	}
}

func TestCorruptLooseObject(t *testing.T) {
	dir := ciRepo(t)
	p := looseObject(t, dir, "HEAD:.github/workflows/ci.yml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0xff // the last byte of the adler32
	os.Chmod(p, 0o644)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = New(dir, Options{}).Collect(context.Background(), &model.Evidence{Window: whole()})
	var ce *CorruptObjectError
	if !errors.As(err, &ce) || ce.Pack != "" || !strings.Contains(err.Error(), "corrupt loose object") {
		t.Fatalf("err = %v, want a corrupt loose object", err)
	}
}

func TestSHA256Repository(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, "init", "-q", "--object-format=sha256", "-b", "main")
	writeFile(t, filepath.Join(dir, "a"), "a\n")
	run(t, dir, "add", "a")
	run(t, dir, "commit", "-qm", "one")
	_, err := New(dir, Options{}).Collect(context.Background(), &model.Evidence{Window: whole()})
	if !errors.Is(err, ErrUnsupportedObjectFormat) || errors.Is(err, ErrEmptyRepository) {
		t.Fatalf("err = %v, want ErrUnsupportedObjectFormat", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "SHA-256 object format is not supported") || strings.Contains(msg, "\n") {
		t.Errorf("message %q", msg)
	}
}
