package cli

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// errorLine renders err as the one line the CLI prints: the errors of an
// errors.Join are separated by "; ", and control characters from paths,
// names and server messages are escaped (see oneLine).
func errorLine(err error) string {
	for err != nil {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs := j.Unwrap()
			msgs := make([]string, len(errs))
			for i, e := range errs {
				msgs[i] = e.Error()
			}
			// Only errors.Join is a newline-separated list.
			if strings.Join(msgs, "\n") == err.Error() {
				for i, e := range errs {
					msgs[i] = errorLine(e)
				}
				return strings.Join(msgs, "; ")
			}
			break
		}
		// Look through wrappers that add nothing (exitError).
		u := errors.Unwrap(err)
		if u == nil || u.Error() != err.Error() {
			break
		}
		err = u
	}
	if err == nil {
		return ""
	}
	return oneLine(err.Error())
}

// oneLine makes s safe to print as (part of) one terminal line: leading and
// trailing white space is dropped, and every control character (C0 with
// tab and newline, DEL, C1), line or paragraph separator, bidirectional
// override and invalid UTF-8 byte is written as a Go escape (\n, \x1b,
// \u202e), so no text can move the cursor, recolour or rewrite the line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsFunc(s, needsEscape) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case needsEscape(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f: // C0, DEL, C1
		return true
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true // bidirectional controls
	}
	return false
}
