package report

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// textWriter prints the text format: lines of at most maxWidth columns.
type textWriter struct {
	*errWriter
	pal palette
	nm  names
	opt Options
}

// line prints one line (the caller keeps it within maxWidth).
func (t *textWriter) line(s string) { t.write(s + "\n") }

// para prints text wrapped to maxWidth: the first line after first, the
// others indented to rest.
func (t *textWriter) para(first, rest, text string) {
	if width(first)+width(text) <= maxWidth {
		t.line(strings.TrimRight(first+text, " "))
		return
	}
	for i, l := range wrap(text, maxWidth-width(first)) {
		if i == 0 {
			t.line(first + l)
		} else {
			t.line(rest + l)
		}
	}
}

// renderText writes the terminal summary.
func renderText(w io.Writer, r *model.Report, opt Options) error {
	t := &textWriter{
		errWriter: &errWriter{w: w},
		pal:       palette{on: opt.Color},
		nm:        names{cat: opt.Catalogue, lang: "en"},
		opt:       opt,
	}
	head := "cdaudit report · generated " + r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	if r.Version != "" {
		head += " · cdaudit " + clean(r.Version)
	}
	t.line(t.pal.bold(truncate(head, maxWidth)))
	if len(r.Targets) == 0 {
		t.line("Window: " + windowText(r.Window))
		t.line("")
		t.line("No targets.")
	}
	for i := range r.Targets {
		t.line("")
		t.target(&r.Targets[i], r.Window)
	}
	return t.err
}

func (t *textWriter) target(tr *model.TargetResult, win model.Window) {
	name := truncate(clean(tr.Name), maxWidth-8)
	rule := "━━ " + name + " "
	rule += strings.Repeat("━", max(3, 72-width(rule)))
	t.line(t.pal.bold(rule))
	t.line("Window: " + windowText(win))
	var facts []string
	if tr.DefaultBranch != "" {
		facts = append(facts, "Default branch: "+clean(tr.DefaultBranch))
	}
	if tr.Trunk != nil {
		facts = append(facts, "Trunk at the window's end: "+clean(tr.Trunk.Short()))
	}
	if len(tr.Labels) > 0 {
		keys := make([]string, 0, len(tr.Labels))
		for k := range tr.Labels {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var ls []string
		for _, k := range keys {
			ls = append(ls, clean(k)+"="+clean(tr.Labels[k]))
		}
		facts = append(facts, "Labels: "+strings.Join(ls, ", "))
	}
	if len(facts) > 0 {
		t.para("", "  ", strings.Join(facts, " · "))
	}
	if tr.Error != "" {
		t.para(t.pal.paint(ansiRed, "ERROR: "), "       ", clean(tr.Error))
	}
	if tr.IsDeferred() {
		t.para("DEFERRED: ", "          ", clean(tr.Deferred))
	}
	for _, w := range tr.Warnings {
		t.para("warning: ", "         ", clean(w))
	}
	t.sources(tr.Sources)
	t.levels(tr)
	t.practices(tr.Practices)
	t.measurements(tr)
}

func (t *textWriter) sources(ss []model.SourceStatus) {
	if len(ss) == 0 {
		return
	}
	t.line("")
	t.line(t.pal.bold("Sources"))
	const ind = "             "
	for _, s := range ss {
		name := truncate(clean(s.Name), 30)
		dur := strconv.FormatFloat(s.Duration, 'f', 1, 64) + "s"
		t.line(strings.TrimRight("  "+pad(truncate(clean(s.Kind), 9), 10)+pad(name, 31)+
			t.pal.status(pad(truncate(clean(s.Status), 9), 10))+dur, " "))
		if q := s.Requests; q != nil {
			t.para(ind+"requests: ", ind+"  ", requestsText(q))
		}
		if s.Error != "" {
			t.para(ind+t.pal.paint(ansiRed, "error: "), ind+"  ", clean(s.Error))
		}
		for _, w := range s.Warnings {
			t.para(ind+"warning: ", ind+"  ", clean(w))
		}
	}
}

// requestsText summarises request counts.
func requestsText(q *model.RequestStats) string {
	return strconv.Itoa(q.Total) + " total, " +
		strconv.Itoa(q.Counted) + " counted against the rate limit, " +
		strconv.Itoa(q.NotModified) + " not modified, " +
		strconv.Itoa(q.CacheHits) + " cache hits, " +
		strconv.Itoa(q.Errors) + " errors, " +
		strconv.Itoa(q.Retries) + " retries, " +
		strconv.Itoa(q.RateLimited) + " rate-limited"
}

const (
	colID    = 17
	colName  = 30
	colLevel = 15
)

// levels prints the model-wide practice level and, labelled apart, the
// evidence level.
func (t *textWriter) levels(tr *model.TargetResult) {
	if len(tr.Practices) == 0 {
		return
	}
	h := headlineOf(tr)
	t.line("")
	t.para(t.pal.bold("Model-wide level")+": ", "  ", h.overallText()+" (the lowest practice; every dimension counts)")
	t.para(t.pal.bold("Evidence level")+":   ", "  ", h.evidenceText()+" ("+h.evidenceNote()+")")
}

func (t *textWriter) practices(ps []model.PracticeResult) {
	t.line("")
	if len(ps) == 0 {
		t.line(t.pal.bold("Practices") + ": not assessed")
		return
	}
	t.line(t.pal.bold("Practices"))
	t.line(t.pal.dim("  " + pad("ID", colID) + "  " + pad("PRACTICE", colName) + "  LEVEL"))
	for _, p := range ps {
		lv := practiceLevel(p)
		t.line("  " + pad(truncate(clean(p.ID), colID), colID) + "  " +
			pad(truncate(clean(t.nm.practice(p.ID)), colName), colName) + "  " +
			t.pal.level(p.Level, pad(lv, colLevel)+bar(p.Level, p.UpperBound)))
		hb, hasHB := heldBack(p)
		if hasHB {
			t.heldBack(hb)
		}
		if !t.opt.Verbose {
			for _, d := range p.Dimensions {
				if hasHB && hb.ID == d.ID {
					continue
				}
				if n := attestedNote(d); n != "" {
					t.para("      "+t.pal.paint(ansiCyan, "attested:")+" ", "        ", clean(d.ID)+" "+dimensionLevel(d)+" ("+clean(n)+measuredNote(d)+")")
				}
			}
			continue
		}
		for _, d := range p.Dimensions {
			t.dimension(p.ID, d)
		}
	}
}

// measuredNote is "; measured 3" for an attested dimension.
func measuredNote(d model.DimensionResult) string {
	if d.MeasuredLevel != nil {
		return "; measured " + strconv.Itoa(*d.MeasuredLevel)
	}
	return "; measured unknown"
}

// heldBack prints the dimension that holds a practice back, with its first
// reason.
func (t *textWriter) heldBack(d model.DimensionResult) {
	s := clean(d.ID) + " " + dimensionLevel(d)
	if n := attestedNote(d); n != "" {
		s += " (" + clean(n) + measuredNote(d) + ")"
	}
	if d.NeedsAttestation {
		s += " [needs attestation]"
	}
	if why := whyHeld(d); why != "" {
		s += ": " + clean(why)
	}
	t.para("    ↳ capped by ", "      ", s)
}

// dimension prints one dimension in verbose mode.
func (t *textWriter) dimension(practice string, d model.DimensionResult) {
	var info []string
	switch {
	case d.Basis == model.BasisAttested:
		if n := attestedNote(d); n != "" {
			info = append(info, n+measuredNote(d))
		} else {
			info = append(info, "attested"+measuredNote(d))
		}
	case d.Basis != "":
		info = append(info, string(d.Basis))
	}
	if d.AutomaticMax > 0 {
		info = append(info, "automatic max "+strconv.Itoa(d.AutomaticMax))
	}
	if d.NeedsAttestation {
		info = append(info, "needs attestation")
	}
	name := pad(truncate(clean(d.ID), colID), colID)
	lv := pad(dimensionLevel(d), colLevel)
	t.line(strings.TrimRight("      "+name+" "+t.pal.level(d.Level, lv)+" "+
		truncate(clean(t.nm.dimension(practice, d.ID)), maxWidth-6-colID-colLevel-2), " "))
	t.para("        ", "          ", clean(strings.Join(info, " · ")))
	for _, r := range d.Reasons {
		t.para("        • ", "          ", clean(r))
	}
	if d.HeldBack != "" {
		t.para("        next level: ", "          ", clean(d.HeldBack))
	}
	if a := d.Attestation; a != nil {
		s := "level " + strconv.Itoa(a.Level) + " by " + clean(a.Signer())
		if !a.Date.IsZero() {
			s += " on " + a.Date.UTC().Format(time.DateOnly)
		}
		if !a.Expires.IsZero() {
			s += ", expires " + a.Expires.UTC().Format(time.DateOnly)
		}
		if a.Evidence != "" {
			s += ": " + clean(a.Evidence)
		}
		t.para("        attestation: ", "          ", s)
	}
	for _, e := range d.Evidence {
		s := string(e.Kind) + " " + refText(e)
		if e.URL != "" {
			s += " " + redactURL(e.URL)
		}
		t.para("        evidence: ", "          ", clean(s))
	}
}

func (t *textWriter) measurements(tr *model.TargetResult) {
	var rows [][2]string
	for _, id := range keyMeasurements() {
		m, ok := tr.Measurements[id]
		if !ok {
			continue
		}
		var v string
		if m.Known {
			v = pad(formatValue(m.Value, clean(m.Unit)), 16) + " n=" + strconv.Itoa(m.N)
		} else {
			v = "unknown"
			if m.Note != "" {
				v += ": " + clean(m.Note)
			}
		}
		rows = append(rows, [2]string{id, v})
	}
	if len(rows) > 0 {
		t.line("")
		t.line(t.pal.bold("Key measurements"))
		for _, r := range rows {
			t.para("  "+pad(r[0], 31)+" ", strings.Repeat(" ", 34), r[1])
		}
	}
	keys := doraKeys(tr.DORA)
	if len(keys) == 0 {
		return
	}
	t.line("")
	t.line(t.pal.bold("DORA keys") + " (2023 performance clusters)")
	for _, k := range keys {
		var v string
		if k.key.Value != nil {
			cl := k.key.Cluster
			if cl == "" {
				cl = "no cluster"
			}
			v = pad(formatValue(*k.key.Value, clean(k.key.Unit)), 16) + " " + clean(cl) + sampleNote(tr, k.key.Measurement)
		} else {
			v = "unknown"
		}
		if k.key.Note != "" {
			v += ": " + clean(k.key.Note)
		}
		t.para("  "+pad(k.name, 31)+" ", strings.Repeat(" ", 34), v)
	}
}
