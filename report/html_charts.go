package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// The charts are inline SVG whose geometry Go computes at render time; the
// template only prints the numbers. Coordinates have one decimal so the
// output is deterministic.

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// barSeg is one of the five segments of a practice's level bar.
type barSeg struct{ X, Class string }

// practiceBar fills the segments up to a known level in the level's colour;
// for an unknown practice the proven floor is solid, the range up to the
// upper bound (or 5) hatched, the rest empty.
func practiceBar(p model.PracticeResult) []barSeg {
	segs := make([]barSeg, 5)
	for i := range segs {
		l := i + 1
		cls := "seg empty"
		switch {
		case p.Level != nil && l <= *p.Level:
			cls = "seg l" + strconv.Itoa(min(max(*p.Level, 1), 5))
		case p.Level != nil:
		case l <= model.PracticeLevel(p).Floor():
			cls = "seg proven"
		case p.UpperBound == nil || l <= *p.UpperBound:
			cls = "seg maybe"
		}
		segs[i] = barSeg{X: strconv.Itoa(i * 21), Class: cls}
	}
	return segs
}

// radarChart draws the practices on spokes of a polygon. The solid area is
// what is proven; for unknown practices a hatched, dashed envelope reaches
// out to what they can be at most.
type radarChart struct {
	ID, Title, Desc string
	Rings           []radarRing
	Spokes          []radarSpoke
	Envelope        string
	Proven          string
	Vertices        []radarVertex
	Labels          []radarLabel
}

type radarRing struct{ Points, LX, LY, Text string }

type radarSpoke struct{ X2, Y2 string }

type radarVertex struct{ X, Y, Class, Title string }

// radarLabel is a practice name on one or two lines and its level.
type radarLabel struct {
	X, Y, Anchor string
	Lines        []string
	Level        string
	LevelClass   string
}

const (
	radarCX, radarCY, radarR = 320.0, 250.0, 175.0
)

func radarPoint(i, n int, level float64) (float64, float64) {
	a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
	r := radarR * level / 5
	return radarCX + r*math.Cos(a), radarCY + r*math.Sin(a)
}

func points(xs, ys []float64) string {
	parts := make([]string, len(xs))
	for i := range xs {
		parts[i] = fnum(xs[i]) + "," + fnum(ys[i])
	}
	return strings.Join(parts, " ")
}

func buildRadar(ps []model.PracticeResult, nm names) *radarChart {
	n := len(ps)
	c := &radarChart{Title: "Practice levels"}
	for l := 1; l <= 5; l++ {
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range n {
			xs[i], ys[i] = radarPoint(i, n, float64(l))
		}
		c.Rings = append(c.Rings, radarRing{Points: points(xs, ys), LX: fnum(radarCX + 4), LY: fnum(ys[0] + 11), Text: strconv.Itoa(l)})
	}
	exs, eys := make([]float64, n), make([]float64, n)
	pxs, pys := make([]float64, n), make([]float64, n)
	var desc []string
	uncertain := false
	for i, p := range ps {
		x, y := radarPoint(i, n, 5)
		c.Spokes = append(c.Spokes, radarSpoke{fnum(x), fnum(y)})
		name := oneLine(nm.practice(p.ID))
		chip := levelChip(model.PracticeLevel(p))
		var reach, proven float64
		v := radarVertex{Class: "v " + chip.Class}
		switch {
		case p.Level != nil:
			reach, proven = float64(*p.Level), float64(*p.Level)
			v.Title = name + ": level " + strconv.Itoa(*p.Level)
		case p.UpperBound != nil:
			reach, proven = float64(*p.UpperBound), float64(model.PracticeLevel(p).Floor())
			v.Title = name + ": unknown, at most level " + strconv.Itoa(*p.UpperBound)
			chip.Text = "≤" + strconv.Itoa(*p.UpperBound)
			uncertain = true
		default:
			reach, proven = 5, float64(model.PracticeLevel(p).Floor())
			v.Title = name + ": unknown"
			chip.Text = "?"
			uncertain = true
		}
		proven = min(proven, reach)
		exs[i], eys[i] = radarPoint(i, n, reach)
		pxs[i], pys[i] = radarPoint(i, n, proven)
		v.X, v.Y = fnum(exs[i]), fnum(eys[i])
		c.Vertices = append(c.Vertices, v)
		desc = append(desc, v.Title)
		c.Labels = append(c.Labels, radarAxisLabel(i, n, name, chip))
	}
	if uncertain {
		c.Envelope = points(exs, eys)
	}
	c.Proven = points(pxs, pys)
	c.Desc = strings.Join(desc, "; ") + "."
	return c
}

// radarAxisLabel places a practice's name beyond the tip of its spoke,
// anchored away from the chart, wrapped onto two lines when long.
func radarAxisLabel(i, n int, name string, chip htmlLevel) radarLabel {
	a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
	cos, sin := math.Cos(a), math.Sin(a)
	x, y := radarCX+(radarR+14)*cos, radarCY+(radarR+14)*sin
	anchor := "middle"
	switch {
	case cos > 0.2:
		anchor = "start"
	case cos < -0.2:
		anchor = "end"
	}
	lines := wrapLabel(name, 18)
	// Three text lines (name lines and the level) of 13 px: above the
	// chart they grow upwards, below it downwards, at the sides centred.
	h := float64(len(lines)) * 13
	switch {
	case sin < -0.5:
		y -= h
	case sin > 0.5:
		y += 10
	default:
		y -= h/2 - 4
	}
	return radarLabel{X: fnum(x), Y: fnum(y), Anchor: anchor, Lines: lines, Level: chip.Text, LevelClass: "t" + chip.Class}
}

// wrapLabel breaks s at the space nearest its middle when it is longer
// than width runes.
func wrapLabel(s string, width int) []string {
	rs := []rune(s)
	if len(rs) <= width {
		return []string{s}
	}
	best := -1
	for i, r := range rs {
		if r == ' ' && (best < 0 || abs(i-len(rs)/2) < abs(best-len(rs)/2)) {
			best = i
		}
	}
	if best < 0 {
		return []string{s}
	}
	return []string{string(rs[:best]), string(rs[best+1:])}
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// sparkline is a small line chart over audits.
type sparkline struct {
	Label string
	Grid  []string
	Lines []string
	Dots  []sparkDot
}

type sparkDot struct{ X, Y, R, Class, Title string }

// sparkPoint is one audit's value; Known false draws an unknown marker.
type sparkPoint struct {
	At    time.Time
	Value float64
	Known bool
	Text  string
	Class string
}

const (
	sparkW, sparkH, sparkPad = 160.0, 40.0, 5.0
)

// buildSparkline places points by time (by index when all share one
// time). Levels use a fixed 0–5 scale with grid lines; other values span
// their own range. Runs of known points are joined; unknown points are
// hollow markers on the base line.
func buildSparkline(label string, pts []sparkPoint, levels bool) sparkline {
	s := sparkline{Label: label}
	if len(pts) == 0 {
		return s
	}
	t0, t1 := pts[0].At, pts[len(pts)-1].At
	xOf := func(i int) float64 {
		span := sparkW - 2*sparkPad
		switch {
		case t1.After(t0):
			return sparkPad + span*float64(pts[i].At.Sub(t0))/float64(t1.Sub(t0))
		case len(pts) > 1:
			return sparkPad + span*float64(i)/float64(len(pts)-1)
		}
		return sparkW / 2
	}
	lo, hi := 0.0, 5.0
	if !levels {
		first := true
		for _, p := range pts {
			if !p.Known {
				continue
			}
			if first || p.Value < lo {
				lo = p.Value
			}
			if first || p.Value > hi {
				hi = p.Value
			}
			first = false
		}
	}
	base := sparkH - sparkPad
	yOf := func(v float64) float64 {
		if hi <= lo {
			return sparkH / 2
		}
		return base - (base-sparkPad)*(v-lo)/(hi-lo)
	}
	if levels {
		for l := 1; l <= 5; l++ {
			s.Grid = append(s.Grid, fnum(yOf(float64(l))))
		}
	}
	var run []string
	flush := func() {
		if len(run) > 1 {
			s.Lines = append(s.Lines, strings.Join(run, " "))
		}
		run = nil
	}
	for i, p := range pts {
		x := xOf(i)
		d := sparkDot{X: fnum(x), R: "2.5", Class: "pt " + p.Class, Title: p.At.UTC().Format(time.DateOnly) + ": " + p.Text}
		if i == len(pts)-1 {
			d.R, d.Class = "3.5", d.Class+" last"
		}
		if !p.Known {
			flush()
			d.Y, d.Class = fnum(base), "pt unk"
			s.Dots = append(s.Dots, d)
			continue
		}
		y := yOf(p.Value)
		run = append(run, fnum(x)+","+fnum(y))
		d.Y = fnum(y)
		s.Dots = append(s.Dots, d)
	}
	flush()
	return s
}
