package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxWidth is the widest line the text renderers print.
const maxWidth = 100

// clean makes text from a repository safe for a terminal: newlines and tabs
// become spaces, other control characters (ANSI escapes included) and
// invalid UTF-8 are shown as escapes, so nothing a repository holds can
// move the cursor or recolour the screen.
func clean(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.Is(unicode.Cc, r) || r == '\u2028' || r == '\u2029' || isBidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isBidi reports bidirectional control characters, which can reorder what a
// terminal shows.
func isBidi(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// runeWidth is the number of terminal columns r takes (East Asian wide and
// full-width characters take two).
func runeWidth(r rune) int {
	switch {
	case r == 0:
		return 0
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200b' || r == '\u200d':
		return 0
	case r >= 0x1100 && r <= 0x115f,
		r >= 0x2e80 && r <= 0x303e,
		r >= 0x3041 && r <= 0x33ff,
		r >= 0x3400 && r <= 0x4dbf,
		r >= 0x4e00 && r <= 0x9fff,
		r >= 0xa000 && r <= 0xa4cf,
		r >= 0xac00 && r <= 0xd7a3,
		r >= 0xf900 && r <= 0xfaff,
		r >= 0xfe30 && r <= 0xfe4f,
		r >= 0xff00 && r <= 0xff60,
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f,
		r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd:
		return 2
	}
	return 1
}

// width is the number of terminal columns s takes. ANSI colour sequences
// (which only the palette writes: clean escapes any from repositories) take
// none.
func width(s string) int {
	n := 0
	inEsc := false
	for _, r := range s {
		switch {
		case inEsc:
			inEsc = r != 'm'
		case r == 0x1b:
			inEsc = true
		default:
			n += runeWidth(r)
		}
	}
	return n
}

// pad right-pads s with spaces to w columns.
func pad(s string, w int) string {
	if d := w - width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// truncate cuts s to at most w columns, ending it with "…" when cut.
func truncate(s string, w int) string {
	if width(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		rw := runeWidth(r)
		if n+rw > w-1 {
			break
		}
		b.WriteRune(r)
		n += rw
	}
	return b.String() + "…"
}

// wrap breaks s into lines of at most w columns, at spaces where it can and
// inside words that are too long on their own.
func wrap(s string, w int) []string {
	if w < 10 {
		w = 10
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.Fields(s) {
		ww := width(word)
		if curW > 0 && curW+1+ww > w {
			flush()
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		for ww > w-curW {
			// Split a word that cannot fit on a line of its own.
			var head strings.Builder
			hw := 0
			rest := word
			for _, r := range word {
				rw := runeWidth(r)
				if hw+rw > w-curW {
					break
				}
				head.WriteRune(r)
				hw += rw
				rest = rest[utf8.RuneLen(r):]
			}
			if hw == 0 {
				flush()
				continue
			}
			cur.WriteString(head.String())
			flush()
			word, ww = rest, width(rest)
		}
		cur.WriteString(word)
		curW += ww
	}
	if curW > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// palette colours text when enabled.
type palette struct{ on bool }

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiMagent = "\x1b[35m"
)

func (p palette) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p palette) bold(s string) string { return p.paint(ansiBold, s) }
func (p palette) dim(s string) string  { return p.paint(ansiDim, s) }

// level colours a level: red 1–2, yellow 3, green 4–5, magenta unknown.
func (p palette) level(l *int, s string) string {
	switch {
	case l == nil:
		return p.paint(ansiMagent, s)
	case *l <= 2:
		return p.paint(ansiRed, s)
	case *l == 3:
		return p.paint(ansiYellow, s)
	default:
		return p.paint(ansiGreen, s)
	}
}

// status colours a source status.
func (p palette) status(s string) string {
	switch strings.TrimSpace(s) {
	case "ok":
		return p.paint(ansiGreen, s)
	case "partial":
		return p.paint(ansiYellow, s)
	case "failed":
		return p.paint(ansiRed, s)
	}
	return s
}

// bar draws a level as five cells: "███░░" for 3, "??░░░" for unknown at
// most 2, "?????" for unknown.
func bar(l, upper *int) string {
	switch {
	case l != nil:
		n := min(max(*l, 0), 5)
		return strings.Repeat("█", n) + strings.Repeat("░", 5-n)
	case upper != nil:
		n := min(max(*upper, 0), 5)
		return strings.Repeat("?", n) + strings.Repeat("░", 5-n)
	default:
		return "?????"
	}
}
