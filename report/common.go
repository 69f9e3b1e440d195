package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// keyMeasurements lists the measurements the summaries show, in order.
func keyMeasurements() []string {
	return []string{
		"git.commits",
		"git.authors",
		"git.trunk_merges",
		"git.branch_lifetime_hours.p50",
		"git.branch_lifetime_hours.p90",
		"git.tags",
		"git.tags_semver_ratio",
		"git.issue_ref_ratio",
	}
}

// doraKey is one DORA key with its display name.
type doraKey struct {
	name string
	key  model.DORAKey
}

// doraKeys lists the four keys in the usual order.
func doraKeys(d *model.DORA) []doraKey {
	if d == nil {
		return nil
	}
	return []doraKey{
		{"deployment frequency", d.DeploymentFrequency},
		{"lead time for changes", d.LeadTime},
		{"change failure rate", d.ChangeFailureRate},
		{"failed deployment recovery time", d.RecoveryTime},
	}
}

// heldBack returns the dimension that caps a practice: the first of the
// lowest known level (the practice is at most that, whatever the unknown
// ones prove), else, when no dimension is known, the first unknown one with
// the lowest proven floor; false when every dimension is at level 5 or there
// are none.
func heldBack(p model.PracticeResult) (model.DimensionResult, bool) {
	var low, unk *model.DimensionResult
	for i := range p.Dimensions {
		d := &p.Dimensions[i]
		if d.Level == nil {
			if unk == nil || model.DimensionLevel(*d).Floor() < model.DimensionLevel(*unk).Floor() {
				unk = d
			}
			continue
		}
		if low == nil || *d.Level < *low.Level {
			low = d
		}
	}
	switch {
	case low != nil && *low.Level < 5:
		return *low, true
	case unk != nil:
		return *unk, true
	}
	return model.DimensionResult{}, false
}

// practiceLevel describes a practice level: "3", "unknown (≤ 2)",
// "unknown (≥ 1)", "unknown" (model.Level).
func practiceLevel(p model.PracticeResult) string { return model.PracticeLevel(p).String() }

// dimensionLevel describes a dimension level: "4", "unknown (≥ 2)", "unknown".
func dimensionLevel(d model.DimensionResult) string { return model.DimensionLevel(d).String() }

// attestedNote is "attested by X until DATE" (without parentheses), or ""
// when the dimension does not rest on an attestation.
func attestedNote(d model.DimensionResult) string {
	if d.Basis != model.BasisAttested || d.Attestation == nil {
		return ""
	}
	a := d.Attestation
	s := "attested by " + a.Signer()
	if !a.Expires.IsZero() {
		s += " until " + a.Expires.UTC().Format(time.DateOnly)
	}
	return s
}

// attestedCount counts the dimensions of p whose level rests on an attestation.
func attestedCount(p model.PracticeResult) int {
	n := 0
	for _, d := range p.Dimensions {
		if d.Basis == model.BasisAttested {
			n++
		}
	}
	return n
}

// unknownCount counts the dimensions of p without a level.
func unknownCount(p model.PracticeResult) int {
	n := 0
	for _, d := range p.Dimensions {
		if d.Level == nil {
			n++
		}
	}
	return n
}

// formatValue prints a value with its unit (model.FormatValue).
func formatValue(v float64, unit string) string { return model.FormatValue(v, unit) }

// refText is how a person reads an evidence reference: commit hashes
// shortened to 12 characters.
func refText(r model.Ref) string {
	if r.Kind == model.RefCommit {
		return shortHash(r.Ref)
	}
	return r.Ref
}

// shortHash shortens a hexadecimal hash longer than 12 characters.
func shortHash(s string) string {
	if len(s) <= 12 {
		return s
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return s
		}
	}
	return s[:12]
}

// names looks up catalogue names, falling back to ids.
type names struct {
	cat  *model.Catalogue
	lang string
}

func (n names) practice(id string) string {
	if n.cat != nil {
		if p, ok := n.cat.Practice(id); ok {
			if s := p.Name.In(n.lang); s != "" {
				return s
			}
		}
	}
	return id
}

func (n names) dimension(practice, id string) string {
	if n.cat != nil {
		if d, ok := n.cat.Lookup(practice, id); ok {
			if s := d.Name.In(n.lang); s != "" {
				return s
			}
		}
	}
	return id
}

// criterion returns the criterion text of level l of a dimension, "" when
// the catalogue lacks it.
func (n names) criterion(practice, id string, l int) string {
	if n.cat == nil {
		return ""
	}
	d, ok := n.cat.Lookup(practice, id)
	if !ok {
		return ""
	}
	return d.Criterion(l).In(n.lang)
}

// windowText is "2025-04-01 → 2025-07-01 (91 days)".
func windowText(w model.Window) string {
	s := w.Since.UTC().Format(time.DateOnly) + " → " + w.Until.UTC().Format(time.DateOnly)
	if d := w.Duration(); d > 0 {
		days := int(math.Round(d.Hours() / 24))
		s += " (" + strconv.Itoa(days) + " days)"
	}
	return s
}

// whyHeld says what keeps a dimension from its next level: the rules'
// held_back text, else its first reason.
func whyHeld(d model.DimensionResult) string {
	if d.HeldBack != "" {
		return d.HeldBack
	}
	if len(d.Reasons) > 0 {
		return d.Reasons[0]
	}
	return ""
}
