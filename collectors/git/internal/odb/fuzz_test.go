package odb

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// The fuzz targets below feed every parser of repository bytes in this
// package: a hostile or damaged repository gives errors, never a panic or an
// endless loop. Their seeds (real files written by git among them), and any
// crasher found, live in testdata/fuzz and run in the normal test.

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
		var c RawCommit
		_ = ParseCommit(data, &c)
		ParseTag(data)
		ParseSig(data)
		commitLinks(data, nil)
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
		cg := &CommitGraph{layers: []cgLayer{l}}
		for _, h := range []plumbing.Hash{{}, {0x80}, {0xff, 0xff}} {
			cg.Lookup(h)
		}
		var ps []uint32
		for pos := uint32(0); pos < min(l.n, 64); pos++ {
			cg.HashAt(pos)
			_, ps, _, _, _ = cg.Row(pos, ps[:0])
		}
	})
}
