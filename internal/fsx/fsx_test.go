package fsx

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteFileRegular(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.txt")
	if err := os.WriteFile(existing, []byte("old content that is longer"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string
		wantMode fs.FileMode
	}{
		{"new file", filepath.Join(dir, "new.txt"), 0o644},
		{"replaced file keeps its mode", existing, 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteFile(tt.path, []byte("new"), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff("new", string(got)); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
			fi, _ := os.Lstat(tt.path)
			if !fi.Mode().IsRegular() || fi.Mode().Perm() != tt.wantMode {
				t.Errorf("mode %v, want a regular file %v", fi.Mode(), tt.wantMode)
			}
		})
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestWriteFileSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real", "report.md")
	os.MkdirAll(filepath.Dir(target), 0o755)
	os.WriteFile(target, []byte("old"), 0o640)
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(filepath.Join("real", "report.md"), link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	chain := filepath.Join(dir, "chain.md")
	os.Symlink(link, chain)
	dangling := filepath.Join(dir, "dangling.md")
	os.Symlink(filepath.Join(dir, "real", "later.md"), dangling)
	loop := filepath.Join(dir, "loop")
	os.Symlink(loop, loop)

	tests := []struct {
		name, path, wantAt string
		wantMode           fs.FileMode
	}{
		{"link to a file", link, target, 0o640},
		{"chain of links", chain, target, 0o640},
		{"dangling link creates its target", dangling, filepath.Join(dir, "real", "later.md"), 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteFile(tt.path, []byte(tt.name), 0o644); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Lstat(tt.path); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("%s is no longer a symbolic link (%v, %v)", tt.path, fi.Mode(), err)
			}
			got, _ := os.ReadFile(tt.wantAt)
			if diff := cmp.Diff(tt.name, string(got)); diff != "" {
				t.Errorf("target content (-want +got):\n%s", diff)
			}
			if fi, _ := os.Stat(tt.wantAt); fi.Mode() != tt.wantMode {
				t.Errorf("target mode %v, want %v", fi.Mode(), tt.wantMode)
			}
		})
	}
	t.Run("loop", func(t *testing.T) {
		err := WriteFile(loop, []byte("x"), 0o644)
		if err == nil || !strings.Contains(err.Error(), "too many levels") {
			t.Errorf("err = %v, want too many levels of symbolic links", err)
		}
	})
}

func TestWriteFileRefuses(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, path, want string
	}{
		{"directory", dir, "is a directory"},
		{"empty name", "", "empty file name"},
		{"missing directory", filepath.Join(dir, "nope", "out.txt"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := WriteFile(tt.path, []byte("x"), 0o644)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("the directory was touched: %v %v", fi, err)
	}
}
