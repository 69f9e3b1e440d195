package git

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// The fuzz targets below feed every parser of repository bytes: a hostile or
// damaged repository gives errors, never a panic or an endless loop. Their
// seeds (real files written by git among them), and any crasher found, live
// in testdata/fuzz and run in the normal test.

func FuzzPackIndex(f *testing.F) {
	v2 := append([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}, make([]byte, 1024+40)...)
	f.Add(v2)
	f.Add(make([]byte, 1024+40))
	one := append([]byte{}, v2...)
	for i := 0xab; i < 256; i++ {
		binary.BigEndian.PutUint32(one[8+i*4:], 1)
	}
	one = append(one[:8+1024], append(bytes.Repeat([]byte{0xab}, 20), append([]byte{0, 0, 0, 0, 0x80, 0, 0, 0}, make([]byte, 40)...)...)...)
	f.Add(one)
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := parsePackIndex(data)
		if err != nil {
			return
		}
		for _, h := range []plumbing.Hash{{}, {0xab}, {0xab, 0xab, 0xab, 0xab}, {0xff, 0xff}} {
			ix.find(h)
		}
		for i := 0; i < min(ix.n, 64); i++ {
			ix.hashAt(i)
			ix.offsetAt(i)
		}
	})
}

func FuzzPatchDelta(f *testing.F) {
	base := []byte("the quick brown fox jumps over the lazy dog")
	f.Add(base, []byte{byte(len(base)), 6, 0x80 | 0x01 | 0x10, 4, 5, 1, '!'})
	f.Add(base, []byte{byte(len(base)), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Add([]byte{}, []byte{0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x91, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := patchDelta(base, delta)
		if err == nil && out == nil {
			t.Fatal("nil result without an error")
		}
	})
}

func FuzzParseCommit(f *testing.F) {
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n" +
		"author A U Thor <a@example.com> 1700000000 +0100\ncommitter C <c@x> 1700000000 -0230\n" +
		"gpgsig -----BEGIN PGP SIGNATURE-----\n -----END PGP SIGNATURE-----\n\nmessage\n"))
	f.Add([]byte("tree x\nauthor <> 99999999999999999999999 +9999\ncommitter > < -1 -\n"))
	f.Add([]byte("object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype commit\ntag v1\ntagger T <t@x> 1 +0000\n\nmsg"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c rawCommit
		_ = parseCommit(data, &c)
		parseTag(data)
		parseSig(data)
	})
}

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

func FuzzCommitGraphLayer(f *testing.F) {
	hdr := []byte("CGPH\x01\x01\x04\x00")
	f.Add(append(hdr, make([]byte, 5*12+1024+200)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := parseCGLayer(data, 0)
		if err != nil {
			return
		}
		cg := &commitGraph{layers: []cgLayer{l}}
		for _, h := range []plumbing.Hash{{}, {0x80}, {0xff, 0xff}} {
			cg.lookup(h)
		}
		var ps []uint32
		for pos := uint32(0); pos < min(l.n, 64); pos++ {
			cg.hashAt(pos)
			_, ps, _, _, _ = cg.row(pos, ps[:0])
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
