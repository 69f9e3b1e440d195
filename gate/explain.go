package gate

import (
	"math"
	"strconv"
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// String explains the failure in one line, e.g.
// "app: ci.frequency fell from 3 to 2 (measured): git.integrations_per_dev_day 1.2 → 0.4".
func (f Failure) String() string {
	var b strings.Builder
	if f.Target != "" {
		b.WriteString(f.Target + ": ")
	}
	b.WriteString(f.Key())
	switch f.Kind {
	case KindRegression:
		b.WriteString(" fell from " + levelText(f.From, false) + bases(f.FromBasis, f.ToBasis, levelText(f.To, f.ToAtMost)))
	case KindBelowMinimum:
		b.WriteString(" is " + levelText(f.To, f.ToAtMost) + basisText(f.ToBasis) +
			", below the required " + strconv.Itoa(f.Required))
	case KindUnknown:
		b.WriteString(" is unknown now")
		if f.To != nil && f.ToAtMost {
			b.WriteString(" (at most " + strconv.Itoa(*f.To) + ")")
		}
		if f.From != nil {
			b.WriteString(", was " + strconv.Itoa(*f.From) + basisText(f.FromBasis))
		}
		if f.Required > 0 {
			b.WriteString(", required " + strconv.Itoa(f.Required))
		}
	default:
		b.WriteString(" " + string(f.Kind))
	}
	if len(f.EvidenceChanged) > 0 {
		b.WriteString(": " + strings.Join(f.EvidenceChanged, "; "))
	}
	for _, h := range f.HeldBy {
		b.WriteString(h.explain(f.Key()))
	}
	return b.String()
}

func levelText(l *int, atMost bool) string {
	switch {
	case l == nil:
		return "unknown"
	case atMost:
		return "at most " + strconv.Itoa(*l)
	}
	return strconv.Itoa(*l)
}

func basisText(b model.Basis) string {
	if b == "" {
		return ""
	}
	return " (" + string(b) + ")"
}

// bases renders "from X" … " to Y (basis)" when both bases agree, else
// " (from-basis) to Y (to-basis)".
func bases(from, to model.Basis, toText string) string {
	if from == to {
		return " to " + toText + basisText(to)
	}
	return basisText(from) + " to " + toText + basisText(to)
}

// changed lists the measurements cited by the item (a dimension, or every
// dimension of a practice) in the current or the baseline result whose
// value differs between the two, as "id old → new".
func (c *checker) changed(practice, dim string) []string {
	if c.noBase {
		return nil
	}
	cited := map[string]bool{}
	for _, r := range []*model.TargetResult{c.cur, c.base} {
		for _, d := range dimensionsOf(r, practice, dim) {
			for _, ref := range d.Evidence {
				if ref.Kind == model.RefMeasure && ref.Ref != "" {
					cited[ref.Ref] = true
				}
			}
			for _, reason := range d.Reasons {
				for _, ms := range []model.Measurements{c.cur.Measurements, c.base.Measurements} {
					for id := range ms {
						if mentions(reason, id) {
							cited[id] = true
						}
					}
				}
			}
		}
	}
	var out []string
	for _, id := range sortedKeys(cited) {
		old, oldOK := c.base.Measurements.Get(model.MeasurementID(id))
		now, nowOK := c.cur.Measurements.Get(model.MeasurementID(id))
		if oldOK == nowOK && (!oldOK || sameValue(old, now)) {
			continue
		}
		unit := c.cur.Measurements[id].Unit
		if unit == "" {
			unit = c.base.Measurements[id].Unit
		}
		out = append(out, id+" "+valueText(old, oldOK, unit)+" → "+valueText(now, nowOK, unit))
	}
	return out
}

// dimensionsOf returns the named dimension, or all of a practice's
// dimensions when dim is "".
func dimensionsOf(r *model.TargetResult, practice, dim string) []model.DimensionResult {
	for _, p := range r.Practices {
		if p.ID != practice {
			continue
		}
		if dim == "" {
			return p.Dimensions
		}
		for _, d := range p.Dimensions {
			if d.ID == dim {
				return []model.DimensionResult{d}
			}
		}
	}
	return nil
}

// mentions reports whether text contains id as a whole word (not as part
// of a longer id).
func mentions(text, id string) bool {
	if id == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(text[from:], id)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(id)
		if (i == 0 || !idChar(text[i-1])) && (end == len(text) || !idChar(text[end]) ||
			(text[end] == '.' && (end+1 == len(text) || !idChar(text[end+1])))) {
			return true
		}
		from = i + 1
	}
}

func idChar(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func sameValue(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// valueText formats a measurement value as reports do, without a counted
// noun (model.FormatValueBare): the id names what is counted.
func valueText(v float64, known bool, unit string) string {
	if !known {
		return "unknown"
	}
	return model.FormatValueBare(v, unit)
}
