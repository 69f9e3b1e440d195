package model

import "strings"

// MeasurementID names a measurement, e.g. "git.commits". Every id measure
// produces is a constant of this type (measurement_ids.go) or is built by one
// of the family functions (TriggerRunsID, StageDurationP50ID); rules read
// measurements only through these values.
type MeasurementID string

// MeasureKind says what sort of figure a measurement is.
type MeasureKind string

// Measurement kinds.
const (
	MeasureCount      MeasureKind = "count"      // a number of things in the window
	MeasureRatio      MeasureKind = "ratio"      // a share, 0..1 (or a percentage, unit "percent")
	MeasureRate       MeasureKind = "rate"       // things per unit of time
	MeasurePercentile MeasureKind = "percentile" // a nearest-rank percentile of a sample (durations, lifetimes, sizes)
	MeasureFlag       MeasureKind = "flag"       // 1 or 0
)

// Units the value formatter treats specially; other units are counted nouns
// ("commits", "runs", …).
const (
	UnitRatio   = "ratio"
	UnitPercent = "percent"
	UnitSeconds = "seconds"
	UnitHours   = "hours"
	UnitDays    = "days"
	UnitBool    = "bool"
)

// Section is the docs table a measurement is defined in.
type Section string

// Sections, in the docs' order.
const (
	SectionGit        Section = "git"        // docs/measurements.md
	SectionCI         Section = "ci"         // docs/measurements-ci.md, CI runs
	SectionTests      Section = "tests"      // docs/measurements-ci.md, tests and coverage
	SectionChanges    Section = "changes"    // docs/measurements-ci.md, changes
	SectionProtection Section = "protection" // docs/measurements-ci.md, protection
	SectionDelivery   Section = "delivery"   // docs/measurements-ci.md, deployments and DORA
)

// MeasurementDef defines one measurement (or one family, whose ID holds a
// <placeholder>): its unit, kind, the evidence kinds it is computed from,
// and its definition (Markdown, as the docs show it). Git, when set, is the
// git command that gives the same figure.
type MeasurementDef struct {
	ID       MeasurementID
	Unit     string
	Kind     MeasureKind
	Section  Section
	Evidence []Kind
	Doc      string
	Git      string
	// Segments, for a family, are the placeholder values whose members are
	// exported as Prometheus label values; other members (a custom trigger
	// or stage name) stay in the reports only, so label values stay bounded.
	Segments []string
}

// Family reports whether the definition covers a family of ids
// (ci.trigger.<trigger>.runs) rather than one id.
func (d MeasurementDef) Family() bool { return strings.Contains(string(d.ID), "<") }

// Segment returns the placeholder's value in id when id is a member of d's
// family ("push" in ci.trigger.push.runs), and whether it is one.
func (d MeasurementDef) Segment(id MeasurementID) (string, bool) {
	if !d.Family() {
		return "", false
	}
	s, pat := string(id), string(d.ID)
	open, end := strings.IndexByte(pat, '<'), strings.IndexByte(pat, '>')
	pre, suf := pat[:open], pat[end+1:]
	if len(s) <= len(pre)+len(suf) || !strings.HasPrefix(s, pre) || !strings.HasSuffix(s, suf) {
		return "", false
	}
	return s[len(pre) : len(s)-len(suf)], true
}

// matches reports whether id is d's id or a member of d's family.
func (d MeasurementDef) matches(id MeasurementID) bool {
	if !d.Family() {
		return d.ID == id
	}
	_, ok := d.Segment(id)
	return ok
}

// MeasurementCatalogue returns every measurement definition in the docs'
// order (a fresh slice).
func MeasurementCatalogue() []MeasurementDef {
	out := make([]MeasurementDef, 0, len(gitDefs)+len(hostDefs))
	return append(append(out, gitDefs...), hostDefs...)
}

// LookupMeasurement returns the definition of id (a family's, for a family
// member) and whether there is one.
func LookupMeasurement(id MeasurementID) (MeasurementDef, bool) {
	for _, d := range MeasurementCatalogue() {
		if d.matches(id) {
			return d, true
		}
	}
	return MeasurementDef{}, false
}

// Unit is the catalogue's unit of id ("" for an id not in the catalogue).
func (id MeasurementID) Unit() string {
	d, _ := LookupMeasurement(id)
	return d.Unit
}

// TriggerRunsID is the id of the number of runs with trigger t
// (ci.trigger.<trigger>.runs).
func TriggerRunsID(t Trigger) MeasurementID {
	return MeasurementID("ci.trigger." + string(t) + ".runs")
}

// StageDurationP50ID is the id of the median duration of a CI stage
// (ci.stage_duration_seconds.<stage>.p50); stage is already normalised.
func StageDurationP50ID(stage string) MeasurementID {
	return MeasurementID("ci.stage_duration_seconds." + stage + ".p50")
}

// Percentile returns p for an id ending in ".p<p>" (a percentile
// measurement) and whether it is one.
func (id MeasurementID) Percentile() (int, bool) {
	s := string(id)
	i := strings.LastIndex(s, ".p")
	if i < 0 || i+2 == len(s) {
		return 0, false
	}
	p := 0
	for _, c := range s[i+2:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		p = p*10 + int(c-'0')
	}
	return p, p > 0 && p <= 100
}
