package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name.golden, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report/ -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", path, diff)
	}
}

// variants are the renderings of each sample covered by golden files.
func variants() []struct {
	suffix string
	f      Format
	opt    Options
} {
	cat := fixtureCatalogue()
	return []struct {
		suffix string
		f      Format
		opt    Options
	}{
		{"text", FormatText, Options{Catalogue: cat}},
		{"text-verbose", FormatText, Options{Catalogue: cat, Verbose: true}},
		{"text-color", FormatText, Options{Catalogue: cat, Color: true}},
		{"json", FormatJSON, Options{Catalogue: cat}},
		{"md", FormatMarkdown, Options{Catalogue: cat, Lang: "en"}},
		{"md-zh", FormatMarkdown, Options{Catalogue: cat, Lang: "zh"}},
	}
}

func TestGoldenReports(t *testing.T) {
	for _, s := range samples() {
		for _, v := range variants() {
			t.Run(s.name+"."+v.suffix, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Render(&buf, s.r, v.f, v.opt); err != nil {
					t.Fatal(err)
				}
				got := buf.Bytes()
				if v.f == FormatText {
					checkTerminalText(t, string(got), v.opt.Color)
				}
				golden(t, s.name+"."+v.suffix, got)
			})
		}
	}
}

// checkTerminalText checks the promises of the text format: lines of at
// most maxWidth columns, and no escape sequence unless colour is on.
func checkTerminalText(t *testing.T, s string, color bool) {
	t.Helper()
	for i, l := range strings.Split(s, "\n") {
		if w := width(l); w > maxWidth {
			t.Errorf("line %d is %d columns wide: %q", i+1, w, l)
		}
		if !color && strings.ContainsRune(l, 0x1b) {
			t.Errorf("line %d has an escape character without colour: %q", i+1, l)
		}
		if color {
			// Only the palette's own SGR sequences may appear.
			rest := l
			for {
				j := strings.IndexByte(rest, 0x1b)
				if j < 0 {
					break
				}
				seq := rest[j:]
				k := strings.IndexByte(seq, 'm')
				if k < 0 || strings.ContainsAny(seq[1:k], "\x1b\n") || seq[1] != '[' {
					t.Errorf("line %d has a foreign escape: %q", i+1, l)
					break
				}
				rest = seq[k+1:]
			}
		}
		for _, r := range l {
			if r < 0x20 && r != 0x1b || isBidi(r) {
				t.Errorf("line %d has control character %U: %q", i+1, r, l)
			}
		}
	}
}

func TestGoldenCatalogue(t *testing.T) {
	cat := fixtureCatalogue()
	for _, f := range []Format{FormatText, FormatMarkdown, FormatJSON} {
		for _, lang := range []string{"en", "zh"} {
			if f == FormatJSON && lang == "zh" {
				continue // JSON holds both languages
			}
			t.Run(string(f)+"-"+lang, func(t *testing.T) {
				var buf bytes.Buffer
				if err := RenderCatalogue(&buf, cat, f, lang); err != nil {
					t.Fatal(err)
				}
				if f == FormatText {
					checkTerminalText(t, buf.String(), false)
				}
				golden(t, "catalogue-fixture."+string(f)+"-"+lang, buf.Bytes())
			})
		}
	}
}

// TestGoldenRealCatalogue covers the embedded catalogue once it has content;
// regenerate with -update after changing catalogue.yaml.
func TestGoldenRealCatalogue(t *testing.T) {
	cat, err := model.LoadCatalogue()
	if err != nil || len(cat.Practices) == 0 {
		t.Skipf("embedded catalogue not filled in yet (%v)", err)
	}
	for _, f := range []Format{FormatText, FormatMarkdown, FormatJSON} {
		for _, lang := range []string{"en", "zh"} {
			if f == FormatJSON && lang == "zh" {
				continue
			}
			t.Run(string(f)+"-"+lang, func(t *testing.T) {
				var buf bytes.Buffer
				if err := RenderCatalogue(&buf, nil, f, lang); err != nil {
					t.Fatal(err)
				}
				if f == FormatText {
					checkTerminalText(t, buf.String(), false)
				}
				golden(t, "catalogue-real."+string(f)+"-"+lang, buf.Bytes())
			})
		}
	}
}
