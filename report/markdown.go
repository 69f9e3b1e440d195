package report

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// maxMarkdownEvidence caps the evidence listed per dimension: a review
// comment has a size limit; the JSON report keeps everything.
const maxMarkdownEvidence = 10

// mdWriter prints the Markdown format.
type mdWriter struct {
	*errWriter
	nm names
}

func (m *mdWriter) line(s string) { m.write(s + "\n") }

// renderMarkdown writes a page for CI job summaries and review comments.
// Everything that comes from a repository goes through mdText, mdCode or
// mdLink.
func renderMarkdown(w io.Writer, r *model.Report, opt Options) error {
	m := &mdWriter{errWriter: &errWriter{w: w}, nm: names{cat: opt.Catalogue, lang: opt.Lang}}
	m.line("# cdaudit report")
	m.line("")
	s := "Generated " + r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")
	if r.Version != "" {
		s += " by cdaudit " + mdText(r.Version)
	}
	m.line(s + " · window " + windowText(r.Window))
	if len(r.Targets) == 0 {
		m.line("")
		m.line("No targets.")
	}
	for i := range r.Targets {
		m.target(&r.Targets[i])
	}
	return m.err
}

func (m *mdWriter) target(tr *model.TargetResult) {
	m.line("")
	m.line("## " + mdText(tr.Name))
	var facts []string
	if tr.DefaultBranch != "" {
		facts = append(facts, "Default branch "+mdCode(tr.DefaultBranch, false))
	}
	if tr.Trunk != nil {
		facts = append(facts, "Trunk at the window's end "+mdCode(tr.Trunk.Short(), false))
	}
	if len(tr.Labels) > 0 {
		keys := make([]string, 0, len(tr.Labels))
		for k := range tr.Labels {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var ls []string
		for _, k := range keys {
			ls = append(ls, mdText(k)+"="+mdText(tr.Labels[k]))
		}
		facts = append(facts, "labels "+strings.Join(ls, ", "))
	}
	if len(facts) > 0 {
		m.line("")
		m.line(strings.Join(facts, " · "))
	}
	if tr.Error != "" {
		m.line("")
		m.line("**Error:** " + mdText(tr.Error))
	}
	if tr.IsDeferred() {
		m.line("")
		m.line("**Deferred** to a later run: " + mdText(tr.Deferred))
	}
	for i, w := range tr.Warnings {
		if i == 0 {
			m.line("")
		}
		m.line("- Warning: " + mdText(w))
	}
	m.sources(tr.Sources)
	m.levels(tr)
	m.practices(tr.Practices)
	m.measurements(tr)
}

func (m *mdWriter) sources(ss []model.SourceStatus) {
	if len(ss) == 0 {
		return
	}
	m.line("")
	m.line("### Sources")
	m.line("")
	m.line("| Source | Status | Duration | Requests | Notes |")
	m.line("|---|---|---|---|---|")
	for _, s := range ss {
		src := mdText(s.Kind)
		if s.Name != "" {
			src += " · " + mdText(s.Name)
		}
		req := ""
		if q := s.Requests; q != nil {
			req = requestsText(q)
		}
		var notes []string
		if s.Error != "" {
			notes = append(notes, "error: "+mdText(s.Error))
		}
		for _, w := range s.Warnings {
			notes = append(notes, "warning: "+mdText(w))
		}
		m.line("| " + src + " | " + statusMark(s.Status) + " | " +
			strconv.FormatFloat(s.Duration, 'f', 1, 64) + " s | " + req + " | " + strings.Join(notes, "<br>") + " |")
	}
}

// statusMark shows a source status with a symbol.
func statusMark(s string) string {
	switch s {
	case model.StatusOK:
		return "✅ ok"
	case model.StatusPartial:
		return "⚠️ partial"
	case model.StatusFailed:
		return "❌ failed"
	}
	return mdText(s)
}

// levels writes the model-wide practice level and, labelled apart, the
// evidence level.
func (m *mdWriter) levels(tr *model.TargetResult) {
	if len(tr.Practices) == 0 {
		return
	}
	h := headlineOf(tr)
	m.line("")
	m.line("**Model-wide level:** " + mdText(h.overallText()) + " (the lowest practice; every dimension counts) · " +
		"**Evidence level:** " + mdText(h.evidenceText()) + " (" + mdText(h.evidenceNote()) + ")")
}

func (m *mdWriter) practices(ps []model.PracticeResult) {
	m.line("")
	m.line("### Practices")
	m.line("")
	if len(ps) == 0 {
		m.line("Not assessed.")
		return
	}
	m.line("Levels 1–5; a practice takes the lowest level of its dimensions. " +
		"*Attested* levels rest on a person's signed statement, not on evidence; " +
		"*unknown* means the evidence needed was not collected.")
	m.line("")
	m.line("| Practice | Level | Basis | Capped by |")
	m.line("|---|---|---|---|")
	for _, p := range ps {
		lv := practiceLevel(p)
		if p.Level != nil {
			lv = "**" + lv + "**"
		}
		held := ""
		if d, ok := heldBack(p); ok {
			held = m.heldBack(d)
		}
		name := mdCode(p.ID, true)
		if n := m.nm.practice(p.ID); n != p.ID {
			name = mdText(n) + " " + name
		}
		m.line("| " + name + " | " + lv + " | " +
			practiceBasis(p) + " | " + held + " |")
	}
	for _, p := range ps {
		m.details(p)
	}
}

// practiceBasis says what a practice level rests on.
func practiceBasis(p model.PracticeResult) string {
	n, unk, att := len(p.Dimensions), unknownCount(p), attestedCount(p)
	var parts []string
	switch {
	case n == 0:
		return "no dimensions judged"
	case unk > 0:
		parts = append(parts, strconv.Itoa(unk)+" of "+strconv.Itoa(n)+" dimensions unknown")
	default:
		parts = append(parts, "measured")
	}
	if att > 0 {
		parts = append(parts, strconv.Itoa(att)+" attested")
	}
	return strings.Join(parts, ", ")
}

// heldBack describes the dimension that holds a practice back, for a cell.
func (m *mdWriter) heldBack(d model.DimensionResult) string {
	s := mdCode(d.ID, true) + " " + dimensionLevel(d)
	if n := attestedNote(d); n != "" {
		s += " (" + mdText(n) + ")"
	}
	if d.NeedsAttestation {
		s += " — needs attestation"
	}
	if len(d.Reasons) > 0 {
		s += ": " + mdText(truncate(clean(whyHeld(d)), 160))
	}
	return s
}

// details writes a <details> block listing a practice's dimensions.
func (m *mdWriter) details(p model.PracticeResult) {
	if len(p.Dimensions) == 0 {
		return
	}
	m.line("")
	m.line("<details>")
	m.line("<summary>" + htmlText(m.nm.practice(p.ID)) + " (" + htmlText(p.ID) + "): " +
		htmlText(practiceLevel(p)) + "</summary>")
	m.line("")
	for _, d := range p.Dimensions {
		m.dimension(p.ID, d)
	}
	m.line("")
	m.line("</details>")
}

func (m *mdWriter) dimension(practice string, d model.DimensionResult) {
	head := "- " + mdCode(d.ID, false) + ": "
	if n := m.nm.dimension(practice, d.ID); n != d.ID && n != "" {
		head = "- **" + mdText(n) + "** " + mdCode(d.ID, false) + ": "
	}
	lv := dimensionLevel(d)
	if d.Level != nil {
		lv = "**" + lv + "**"
	}
	head += lv
	var info []string
	switch d.Basis {
	case model.BasisAttested:
		n := attestedNote(d)
		if n == "" {
			n = "attested"
		}
		info = append(info, mdText(n+measuredNote(d)))
	case "":
	default:
		info = append(info, mdText(string(d.Basis)))
	}
	if d.AutomaticMax > 0 {
		info = append(info, "automatic max "+strconv.Itoa(d.AutomaticMax))
	}
	if d.NeedsAttestation {
		info = append(info, "needs attestation to go higher")
	}
	if len(info) > 0 {
		head += " — " + strings.Join(info, " · ")
	}
	m.line(head)
	achieved := model.DimensionLevel(d).Lo // the level, else the lower bound
	if achieved > 0 {
		label := "Achieved"
		if d.Level == nil {
			label = "Proven so far"
		}
		if c := m.nm.criterion(practice, d.ID, achieved); c != "" {
			m.line("  - " + label + ", L" + strconv.Itoa(achieved) + ": " + mdText(c))
		}
	}
	if next := achieved + 1; achieved > 0 && next <= 5 {
		if c := m.nm.criterion(practice, d.ID, next); c != "" {
			m.line("  - Next, L" + strconv.Itoa(next) + ": " + mdText(c))
		}
	}
	if d.HeldBack != "" {
		m.line("  - Held back by: " + mdText(d.HeldBack))
	}
	if len(d.Reasons) > 0 {
		m.line("  - Reasons:")
		for _, r := range d.Reasons {
			m.line("    - " + mdText(r))
		}
	}
	if a := d.Attestation; a != nil {
		s := "  - Attestation: level " + strconv.Itoa(a.Level) + " by " + mdText(a.Signer())
		if !a.Date.IsZero() {
			s += " on " + a.Date.UTC().Format("2006-01-02")
		}
		if !a.Expires.IsZero() {
			s += ", expires " + a.Expires.UTC().Format("2006-01-02")
		}
		if a.Evidence != "" {
			if _, ok := safeURL(a.Evidence); ok {
				s += ": " + mdLink(mdText(redactURL(a.Evidence)), a.Evidence)
			} else {
				s += ": " + mdText(a.Evidence)
			}
		}
		m.line(s)
	}
	if len(d.Evidence) > 0 {
		var es []string
		for i, e := range d.Evidence {
			if i == maxMarkdownEvidence {
				es = append(es, "and "+strconv.Itoa(len(d.Evidence)-i)+" more in the JSON report")
				break
			}
			es = append(es, mdRef(e))
		}
		m.line("  - Evidence: " + strings.Join(es, " · "))
	}
}

// mdRef writes an evidence reference: its kind and the reference as code,
// linked when it has an http(s) URL.
func mdRef(e model.Ref) string {
	return mdText(string(e.Kind)) + " " + mdLink(mdCode(refText(e), false), e.URL)
}

func (m *mdWriter) measurements(tr *model.TargetResult) {
	var rows []string
	for _, id := range keyMeasurements() {
		ms, ok := tr.Measurements[id]
		if !ok {
			continue
		}
		v, n := "unknown", ""
		if ms.Known {
			v, n = mdText(formatValue(ms.Value, ms.Unit)), strconv.Itoa(ms.N)
		}
		rows = append(rows, "| "+mdCode(id, true)+" | "+v+" | "+n+" | "+mdText(ms.Note)+" |")
	}
	if len(rows) > 0 {
		m.line("")
		m.line("### Key measurements")
		m.line("")
		m.line("| Measurement | Value | n | Note |")
		m.line("|---|---|---|---|")
		for _, r := range rows {
			m.line(r)
		}
	}
	keys := doraKeys(tr.DORA)
	if len(keys) == 0 {
		return
	}
	m.line("")
	m.line("### DORA keys")
	m.line("")
	m.line("| Key | Value | Cluster (DORA 2023) | Note |")
	m.line("|---|---|---|---|")
	for _, k := range keys {
		v, cl := "unknown", mdText(k.key.Cluster)
		if k.key.Value != nil {
			v = mdText(formatValue(*k.key.Value, k.key.Unit) + sampleNote(tr, k.key.Measurement))
		}
		if cl == "" {
			cl = "—"
		}
		m.line("| " + k.name + " | " + v + " | " + cl + " | " + mdText(k.key.Note) + " |")
	}
}
