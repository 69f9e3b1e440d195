package report

import (
	"html"
	"net/url"
	"strings"
	"unicode"
)

// mdText escapes text from a repository (branch names, commit messages, job
// names, reasons quoting them) for Markdown inline text and GFM table
// cells: the result renders as the literal text, on one line.
//
//   - newlines, tabs and runs of spaces become one space; control and
//     bidirectional characters are shown as escapes (see clean);
//   - &, < and > become entities, so no HTML tag or entity survives;
//   - Markdown punctuation (\ ` * _ [ ] ( ) # | ~ ! $ { }) is
//     backslash-escaped, so no emphasis, code span, link, image, math or
//     table column can start; so is a leading list marker (- + 1.);
//   - a mention "@name" (not an e-mail address) gets a zero-width space
//     after the @, so a review comment does not notify people named in
//     commit messages.
func mdText(s string) string {
	s = strings.Join(strings.Fields(clean(s)), " ")
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '(', ')', '#', '|', '~', '!', '$', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '-', '+':
			if i == 0 {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '.':
			// "1. x" at the start would open an ordered list.
			if i > 0 && allDigits(rs[:i]) && (i+1 == len(rs) || rs[i+1] == ' ') {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		case '@':
			b.WriteRune(r)
			if i+1 < len(rs) && isWordRune(rs[i+1]) && (i == 0 || !isWordRune(rs[i-1]) && rs[i-1] != '.' && rs[i-1] != '-') {
				b.WriteRune('\u200b')
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func allDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return len(rs) > 0
}

// mdCode writes s as a code span that shows s literally: the fence is
// longer than any run of backticks inside. In a GFM table cell (cell true)
// pipes are escaped, which GFM undoes inside code spans of cells.
func mdCode(s string, cell bool) string {
	s = strings.Join(strings.Fields(clean(s)), " ")
	if s == "" {
		return ""
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if cell {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdLink makes a link of already-escaped text to u when u is an http(s)
// URL; otherwise it returns the text followed by the escaped URL, so no
// javascript: or other scheme becomes clickable.
func mdLink(text, u string) string {
	dest, ok := safeURL(u)
	if !ok {
		if u == "" {
			return text
		}
		return text + " (" + mdText(redactURL(u)) + ")"
	}
	return "[" + text + "](" + dest + ")"
}

// safeURL returns u for a Markdown link destination, and whether it is an
// absolute http(s) URL with a plain host name. User information (which may
// hold a token) is dropped; characters that could end the destination or a
// table cell are percent-encoded.
func safeURL(u string) (string, bool) {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.Opaque != "" {
		return "", false
	}
	for _, c := range p.Host {
		if !(c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c < 0x80 && (unicode.IsLetter(c) || unicode.IsDigit(c))) {
			return "", false
		}
	}
	p.User = nil
	rest := strings.TrimPrefix(p.String(), p.Scheme+"://"+p.Host)
	var b strings.Builder
	b.WriteString(p.Scheme + "://" + p.Host)
	const hex = "0123456789ABCDEF"
	for _, c := range []byte(rest) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte("<>()|`\\\"'[]{}^", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// redactURL drops user information (which may hold a token) from a URL
// for display; text that is not a URL is returned as it is.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	p.User = nil
	return p.String()
}

// htmlText escapes text for an HTML element such as <summary>, on one line.
func htmlText(s string) string {
	return html.EscapeString(strings.Join(strings.Fields(clean(s)), " "))
}
