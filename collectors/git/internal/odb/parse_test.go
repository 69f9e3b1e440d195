package odb

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPatchDeltaGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := []byte("the quick brown fox jumps over the lazy dog")
	for range 20000 {
		d := make([]byte, rng.IntN(24))
		for i := range d {
			d[i] = byte(rng.IntN(256))
		}
		if rng.IntN(2) == 0 && len(d) > 0 {
			d[0] = byte(len(base)) // a plausible source size
		}
		out, err := patchDelta(base, d)
		if err == nil && out == nil {
			t.Fatalf("%x: nil result without error", d)
		}
	}
	// A real one: copy "quick", insert "!".
	d := []byte{byte(len(base)), 6, 0x80 | 0x01 | 0x10, 4, 5, 1, '!'}
	out, err := patchDelta(base, d)
	if err != nil || string(out) != "quick!" {
		t.Errorf("patchDelta = %q, %v", out, err)
	}
}

func TestParseCommit(t *testing.T) {
	raw := "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n" +
		"parent 1111111111111111111111111111111111111111\n" +
		"parent 2222222222222222222222222222222222222222\n" +
		"author Ann O'Nym <Ann@Example.COM> 1700000000 -0730\n" +
		"committer  <> 1700000100 +0000\n" +
		"encoding ISO-8859-1\n" +
		"gpgsig -----BEGIN PGP SIGNATURE-----\n \n parent 3333333333333333333333333333333333333333\n -----END PGP SIGNATURE-----\n" +
		"mergetag object 4444444444444444444444444444444444444444\n type commit\n \n" +
		"\nsubject\n\nbody\n"
	var c RawCommit
	if err := ParseCommit([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	got := []string{c.Tree.String(), c.Parents[0].String(), c.Parents[1].String(), string(c.Author.Name),
		string(c.Author.Email), strconv.FormatInt(c.Author.When, 10), strconv.Itoa(c.Author.TZ),
		strconv.FormatInt(c.Committer.When, 10), string(c.Message)}
	want := []string{"4b825dc642cb6eb9a060e54bf8d69288fbee4904", strings.Repeat("1", 40), strings.Repeat("2", 40),
		"Ann O'Nym", "Ann@Example.COM", "1700000000", "-27000", "1700000100", "subject\n\nbody\n"}
	if d := cmp.Diff(want, got); d != "" || len(c.Parents) != 2 {
		t.Errorf("(-want +got):\n%s\nparents %d", d, len(c.Parents))
	}
	for _, bad := range []string{"", "parent 12\n", "tree xyz\n\nmsg"} {
		if err := ParseCommit([]byte(bad), &c); err == nil {
			t.Errorf("ParseCommit(%q) accepted", bad)
		}
	}
}

func TestParseSig(t *testing.T) {
	for _, tc := range []struct {
		in, name, email string
		when            int64
	}{
		{"A B <a@b> 12 +0000", "A B", "a@b", 12},
		{"<a@b> 12 +0000", "", "a@b", 12},
		{"A <a@b> <c@d> 12 +0000", "A", "a@b", 12},
		{"A <a@b>> 12 +0000", "A", "a@b", 12},
		{"A <a@b>", "A", "a@b", 0},
		{"no email 12 +0000", "no email 12 +0000", "", 0},
		{"A <a@b> x", "A", "a@b", 0},
	} {
		s := ParseSig([]byte(tc.in))
		if string(s.Name) != tc.name || string(s.Email) != tc.email || s.When != tc.when {
			t.Errorf("ParseSig(%q) = %q %q %d", tc.in, s.Name, s.Email, s.When)
		}
	}
}
