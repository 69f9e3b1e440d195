package git

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The fuzz targets below feed the parsers of repository bytes that shape
// evidence (those of the object database are in internal/odb): a hostile or
// damaged repository gives errors, never a panic or an endless loop. Their
// seeds (real files written by git among them), and any crasher found, live
// in testdata/fuzz and run in the normal test.

func FuzzTreeIter(f *testing.F) {
	f.Add(append([]byte("100644 a\x00"), bytes.Repeat([]byte{1}, 20)...))
	f.Add(append([]byte("40000 dir\x00"), bytes.Repeat([]byte{2}, 19)...))
	f.Add([]byte("160000 sub\x00aaaaaaaaaaaaaaaaaaaa100644 \x00bbbbbbbbbbbbbbbbbbbb"))
	f.Fuzz(func(t *testing.T, data []byte) {
		it := treeIter{data: data}
		var e treeEntry
		for n := 0; it.next(&e); n++ {
			if n > len(data) {
				t.Fatal("more entries than bytes")
			}
			e.isDir()
		}
	})
}

func FuzzMergeBranch(f *testing.F) {
	for _, s := range []string{"Merge branch 'feature/x' into 'main'", "Merge pull request #12 from acme/fix-1",
		"Merged in topic (pull request #3)", "Merge remote-tracking branch 'origin/dev'", "Merge branches 'a' and 'b'", "Merge branch"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		if b := mergeBranch(msg); len(b) > len(msg) {
			t.Fatalf("branch %q longer than the message", b)
		}
	})
}

func FuzzPackedRefs(f *testing.F) {
	f.Add([]byte("# pack-refs with: peeled fully-peeled sorted \n4b825dc642cb6eb9a060e54bf8d69288fbee4904 refs/heads/main\n^4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"))
	f.Add([]byte("4b825dc642cb6eb9a060e54bf8d69288fbee4904 \r\nzz\n4b825dc642cb6eb9a060e54bf8d69288fbee490 refs/x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "packed-refs"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		r := &repo{gitDir: dir, commonDir: dir}
		refs, err := r.packedRefs()
		if err != nil {
			t.Fatal(err)
		}
		for name := range refs {
			r.lookupRef(refs, name)
		}
	})
}
