package report

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hostileStrings are texts a repository can hold: branch names, commit
// messages, job names.
func hostileStrings() []string {
	return []string{
		"",
		"plain text",
		"a|b|c",
		"`code` and ``double``",
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"line one\nline two\r\n\ttabbed",
		"# heading",
		"- list item",
		"+ plus item",
		"1. ordered",
		"42) ordered",
		"> quote",
		"*bold* _em_ ~~strike~~",
		"[link](javascript:alert(1))",
		"![img](https://evil.example/x.png)",
		"&lt;already escaped&gt; &#64;",
		"$x^2$ and $$math$$",
		"@octocat please look",
		"back\\slash\\",
		"\x1b[31mred\x1b[0m",
		"bidi \u202eevil\u202c",
		"| --- | --- |",
		"<details><summary>x</summary>",
		"    indented code",
		"trailing backtick`",
		"{{ template }}",
		"invalid \xff utf-8",
	}
}

// unescaped removes the escapes mdText writes (backslash pairs and the
// three entities), leaving what a Markdown parser would still see as
// syntax.
func unescaped(s string) string {
	s = regexp.MustCompile(`\\[[:punct:]]`).ReplaceAllString(s, "")
	for _, e := range []string{"&amp;", "&lt;", "&gt;"} {
		s = strings.ReplaceAll(s, e, "")
	}
	return s
}

func TestMdTextHostile(t *testing.T) {
	for _, in := range hostileStrings() {
		t.Run(in, func(t *testing.T) {
			got := mdText(in)
			if strings.ContainsAny(got, "\n\r\t\x1b\u202e") {
				t.Errorf("mdText(%q) = %q keeps a control character", in, got)
			}
			rest := unescaped(got)
			if i := strings.IndexAny(rest, "|`<>*_[]()#~!$\\&{}"); i >= 0 {
				t.Errorf("mdText(%q) = %q leaves %q unescaped", in, got, rest[i])
			}
			if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "+") ||
				regexp.MustCompile(`^\d+\.( |$)`).MatchString(rest) {
				t.Errorf("mdText(%q) = %q starts a list", in, got)
			}
			if strings.HasPrefix(got, " ") {
				t.Errorf("mdText(%q) = %q starts with a space (indented code)", in, got)
			}
		})
	}
}

func TestMdTextExact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a|b", `a\|b`},
		{"<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"x\ny", "x y"},
		{"1. one", `1\. one`},
		{"v1.2.3", "v1.2.3"},
		{"0.4.0", "0.4.0"},
		{"- item", `\- item`},
		{"a-b", "a-b"},
		{"@octocat hi", "@\u200boctocat hi"},
		{"mail bob@example.com", "mail bob@example.com"},
		{"[x](y)", `\[x\]\(y\)`},
		{"`c`", "\\`c\\`"},
		{"50 %", "50 %"},
		{"a & b", "a &amp; b"},
	}
	for _, tc := range tests {
		if got := mdText(tc.in); got != tc.want {
			t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMdCode(t *testing.T) {
	tests := []struct {
		in   string
		cell bool
		want string
	}{
		{"main", false, "`main`"},
		{"", false, ""},
		{"a`b", false, "``a`b``"},
		{"a``b`", false, "``` a``b` ```"},
		{"`x", false, "`` `x ``"},
		{"a|b", false, "`a|b`"},
		{"a|b", true, "`a\\|b`"},
		{"x\ny", false, "`x y`"},
		{"\x1b[2J", false, "`\\x1b[2J`"},
	}
	for _, tc := range tests {
		if got := mdCode(tc.in, tc.cell); got != tc.want {
			t.Errorf("mdCode(%q, %v) = %q, want %q", tc.in, tc.cell, got, tc.want)
		}
	}
}

func TestMdLink(t *testing.T) {
	tests := []struct{ text, url, want string }{
		{"x", "https://example.com/a", "[x](https://example.com/a)"},
		{"x", "", "x"},
		{"x", "javascript:alert(1)", `x (javascript:alert\(1\))`},
		{"x", "data:text/html,<b>", "x (data:text/html,&lt;b&gt;)"},
		{"x", "//example.com/a", "x (//example.com/a)"},
		{"x", "https://example.com/a b(c)|d", "[x](https://example.com/a%20b%28c%29%7Cd)"},
		{"x", "https://user:tok@example.com/a", "[x](https://example.com/a)"},
		{"x", "ftp://user:tok@example.com/a", "x (ftp://example.com/a)"},
		{"x", "https://exa<mple.com/", `x (https://exa&lt;mple.com/)`},
	}
	for _, tc := range tests {
		if got := mdLink(tc.text, tc.url); got != tc.want {
			t.Errorf("mdLink(%q, %q) = %q, want %q", tc.text, tc.url, got, tc.want)
		}
	}
}

func TestMarkdownReportEscapesRepositoryText(t *testing.T) {
	var b strings.Builder
	if err := Render(&b, sampleUnknowns(), FormatMarkdown, Options{Catalogue: fixtureCatalogue()}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>alert", "](javascript:", "s3cret", "\x1b", "\u202e", "@octocat"} {
		// Code spans show their content literally (and GitHub does not
		// notify mentions in them); control characters and tokens never appear.
		literalOK := !strings.ContainsAny(bad, "\x1b\u202e") && bad != "s3cret"
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, bad) && !(literalOK && inCodeSpans(line, bad)) {
				t.Errorf("output line holds %q: %s", bad, line)
			}
		}
	}
	// Every table row keeps its column count.
	var cols int
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := cellCount(line)
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("table row has %d cells, header %d: %s", n, cols, line)
		}
	}
}

// inCodeSpans reports whether every occurrence of s in line lies inside a
// code span: between a run of n backticks and the next run of exactly n.
func inCodeSpans(line, s string) bool {
	var spans [][2]int
	runAt := func(i int) int {
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		return n
	}
	for i := 0; i < len(line); {
		n := runAt(i)
		if n == 0 {
			i++
			continue
		}
		closed := false
		for j := i + n; j < len(line); {
			m := runAt(j)
			if m == 0 {
				j++
				continue
			}
			if m == n {
				spans = append(spans, [2]int{i + n, j})
				i, closed = j+m, true
				break
			}
			j += m
		}
		if !closed {
			i += n
		}
	}
	for i := 0; ; {
		j := strings.Index(line[i:], s)
		if j < 0 {
			return true
		}
		at := i + j
		inside := false
		for _, sp := range spans {
			if at >= sp[0] && at+len(s) <= sp[1] {
				inside = true
			}
		}
		if !inside {
			return false
		}
		i = at + len(s)
	}
}

// cellCount counts the cells of a GFM table row: pipes not escaped.
func cellCount(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

func TestHTMLText(t *testing.T) {
	if diff := cmp.Diff("&lt;b&gt; &amp; &#34;q&#34;", htmlText("<b>\n& \"q\"")); diff != "" {
		t.Error(diff)
	}
}
