package report

import (
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// ErrUnknownPractice is returned (wrapped) by RenderBadge for a practice
// the target has no result for.
var ErrUnknownPractice = errors.New("unknown practice")

// levelSummary is the lowest level of some practices, as honest as the
// evidence allows.
type levelSummary struct {
	// Level is the lowest level when it is certain.
	Level *int
	// Bound is, when Level is nil, the most the lowest level can be (nil:
	// nothing is known).
	Bound *int
	// Practices are the ids at the lowest level (or bound), in order.
	Practices []string
	// Attested is set when Level rests on an attestation: on measured
	// evidence alone it would be lower or unknown (MeasuredText says what).
	Attested     bool
	MeasuredText string
}

// summarise finds the lowest practice level of ps and whether it rests on
// an attestation.
func summarise(ps []model.PracticeResult) levelSummary {
	s := lowestLevel(ps)
	if s.Level != nil {
		m := lowestLevel(measuredOnly(ps))
		if m.Level == nil || *m.Level != *s.Level {
			s.Attested = true
			s.MeasuredText = levelChip(m.level()).Text
		}
	}
	return s
}

// level is the summary as a model.Level: known, bounded above, or unknown.
func (s levelSummary) level() model.Level {
	switch {
	case s.Level != nil:
		return model.KnownLevel(*s.Level, model.BasisMeasured)
	case s.Bound != nil:
		return model.Level{Hi: *s.Bound, Basis: model.BasisUnknown}
	}
	return model.Level{Basis: model.BasisUnknown}
}

// lowestLevel is the minimum of the practice levels. An unknown practice
// leaves the minimum uncertain unless the lowest known level is no higher
// than what that practice has already proven (its floor).
func lowestLevel(ps []model.PracticeResult) levelSummary {
	var known *int
	var knownIDs []string
	for _, p := range ps {
		switch {
		case p.Level == nil:
		case known == nil || *p.Level < *known:
			known, knownIDs = model.IntPtr(*p.Level), []string{p.ID}
		case *p.Level == *known:
			knownIDs = append(knownIDs, p.ID)
		}
	}
	certain := known != nil
	bound, ids := known, knownIDs
	for _, p := range ps {
		if p.Level != nil {
			continue
		}
		if certain && *known > model.PracticeLevel(p).Floor() {
			certain = false
		}
		switch ub := p.UpperBound; {
		case ub == nil:
		case bound == nil || *ub < *bound:
			bound, ids = model.IntPtr(*ub), []string{p.ID}
		case *ub == *bound:
			ids = append(ids, p.ID)
		}
	}
	switch {
	case certain:
		return levelSummary{Level: known, Practices: knownIDs}
	case bound != nil:
		return levelSummary{Bound: bound, Practices: ids}
	}
	return levelSummary{}
}

// measuredOnly recomputes the practices that have attested dimensions as
// if only their measured levels counted.
func measuredOnly(ps []model.PracticeResult) []model.PracticeResult {
	out := make([]model.PracticeResult, len(ps))
	for i, p := range ps {
		out[i] = p
		if attestedCount(p) == 0 {
			continue
		}
		dims := make([]model.DimensionResult, len(p.Dimensions))
		lowest, allKnown := 0, true
		for j, d := range p.Dimensions {
			if d.Basis == model.BasisAttested {
				d.Level = d.MeasuredLevel
			}
			dims[j] = d
			if d.Level == nil {
				allKnown = false
				continue
			}
			if lowest == 0 || *d.Level < lowest {
				lowest = *d.Level
			}
		}
		q := model.PracticeResult{ID: p.ID, Dimensions: dims}
		switch {
		case allKnown && lowest > 0:
			q.Level = model.IntPtr(lowest)
		case lowest > 0:
			q.UpperBound = model.IntPtr(lowest)
		}
		out[i] = q
	}
	return out
}

// RenderBadge writes an SVG badge in the flat style of shields.io, made
// locally: the level of one practice, or of the lowest practice when
// practice is "". The message is "L3", "L3 (attested)" when that level
// rests on an attestation, "≤3 unknown" when the level is not known but
// cannot be above 3, and "unknown" otherwise; the lowest-practice badge adds
// the evidence level, labelled ("L1 · evidence L3"). A practice the target
// has no result for is an error (ErrUnknownPractice).
func RenderBadge(w io.Writer, target model.TargetResult, practice string) error {
	label := "CD maturity"
	ps := target.Practices
	if practice != "" {
		label = practice
		ps = nil
		for _, p := range target.Practices {
			if p.ID == practice {
				ps = []model.PracticeResult{p}
				break
			}
		}
		if ps == nil {
			return fmt.Errorf("render badge: %w %q for target %q", ErrUnknownPractice, practice, target.Name)
		}
	}
	msg, color := badgeMessage(summarise(ps))
	if practice == "" && len(ps) > 0 {
		// The model-wide badge shows the evidence level beside it, labelled.
		msg += " · evidence " + headlineOf(&target).evidenceText()
	}
	if _, err := io.WriteString(w, badgeSVG(label, msg, color)); err != nil {
		return fmt.Errorf("render badge: %w", err)
	}
	return nil
}

// badgeMessage is the badge's message and colour.
func badgeMessage(s levelSummary) (msg, color string) {
	switch {
	case s.Level != nil:
		msg = "L" + strconv.Itoa(*s.Level)
		if s.Attested {
			msg += " (attested)"
		}
		return msg, badgeColor(*s.Level)
	case s.Bound != nil:
		return "≤" + strconv.Itoa(*s.Bound) + " unknown", badgeGrey
	}
	return "unknown", badgeGrey
}

const badgeGrey = "#9f9f9f"

// badgeColor goes from red (level 1) to bright green (level 5), as the
// shields.io colour names do.
func badgeColor(l int) string {
	switch l {
	case 1:
		return "#e05d44"
	case 2:
		return "#fe7d37"
	case 3:
		return "#dfb317"
	case 4:
		return "#a4a61d"
	case 5:
		return "#44cc11"
	}
	return badgeGrey
}

// badgeSVG lays out a flat badge. Texts are escaped for XML; control and
// bidirectional characters are shown as escapes first (XML forbids most
// control characters).
func badgeSVG(label, msg, color string) string {
	label, msg = oneLine(label), oneLine(msg)
	lw, mw := textWidth(label), textWidth(msg)
	lbox, mbox := int(math.Ceil(lw))+10, int(math.Ceil(mw))+10
	total := lbox + mbox
	el, em := html.EscapeString(label), html.EscapeString(msg)
	n := strconv.Itoa
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="` + n(total) + `" height="20" role="img" aria-label="` + el + `: ` + em + `">`)
	b.WriteString(`<title>` + el + `: ` + em + `</title>`)
	b.WriteString(`<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`)
	b.WriteString(`<clipPath id="r"><rect width="` + n(total) + `" height="20" rx="3" fill="#fff"/></clipPath>`)
	b.WriteString(`<g clip-path="url(#r)"><rect width="` + n(lbox) + `" height="20" fill="#555"/>`)
	b.WriteString(`<rect x="` + n(lbox) + `" width="` + n(mbox) + `" height="20" fill="` + color + `"/>`)
	b.WriteString(`<rect width="` + n(total) + `" height="20" fill="url(#s)"/></g>`)
	b.WriteString(`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">`)
	// Centres in tenths of a pixel (the texts are drawn at scale .1).
	text := func(s string, center10 int, width float64) {
		x, tl := n(center10), n(int(math.Round(width*10)))
		b.WriteString(`<text aria-hidden="true" x="` + x + `" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="` + tl + `">` + s + `</text>`)
		b.WriteString(`<text x="` + x + `" y="140" transform="scale(.1)" fill="#fff" textLength="` + tl + `">` + s + `</text>`)
	}
	text(el, lbox*5, lw)
	text(em, lbox*10+mbox*5, mw)
	b.WriteString("</g></svg>\n")
	return b.String()
}

// verdanaWidths are the advance widths of Verdana's printable ASCII glyphs
// (' ' to '~') in font units (2048 to the em).
var verdanaWidths = [95]int{
	720, 821, 1067, 1876, 1419, 2430, 1604, 614, 1022, 1022, 1419, 1876, 720, 1022, 720, 1419, // space to /
	1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, // 0-9
	1022, 1022, 1876, 1876, 1876, 1229, 2155, // : to @
	1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 941, 1022, 1425, 1174, 1722, // A-M
	1532, 1647, 1241, 1647, 1424, 1403, 1245, 1503, 1401, 2022, 1405, 1241, 1403, // N-Z
	1022, 1419, 1022, 1876, 1419, 1419, // [ to `
	1229, 1276, 1064, 1276, 1219, 720, 1276, 1296, 561, 720, 1200, 561, 1995, // a-m
	1296, 1231, 1276, 1276, 874, 1067, 807, 1296, 1200, 1675, 1200, 1200, 1075, // n-z
	1423, 1022, 1423, 1876, // { to ~
}

// textWidth estimates the width in pixels of s in 11 px Verdana, the
// badge font: ASCII from the table, East Asian wide characters a full em,
// anything else as a middling glyph.
func textWidth(s string) float64 {
	units := 0
	for _, r := range s {
		switch {
		case r >= ' ' && r <= '~':
			units += verdanaWidths[r-' ']
		case r == '≤' || r == '≥':
			units += 1876
		case runeWidth(r) == 2:
			units += 2048
		case runeWidth(r) == 0:
		default:
			units += 1419
		}
	}
	return float64(units) * 11 / 2048
}
