package gate

import (
	"strings"

	"github.com/cdaudit/cdaudit/model"
)

// Holder is a dimension that holds a level below a required minimum: its
// level, the criterion it does not meet, and the measurements behind it.
type Holder struct {
	Dimension string `json:"dimension"` // practice.dimension
	Level     *int   `json:"level"`     // nil when unknown
	// Criterion is what keeps the dimension from its next level (the
	// judgement's held_back, else its last reason).
	Criterion string `json:"criterion,omitempty"`
	// Measurements are the values the dimension cites, as "id value".
	Measurements []string `json:"measurements,omitempty"`
}

// holders lists the dimensions of r that hold practice (or its dimension
// dim) below req: the dimension itself, or every dimension of the
// practice whose level is proven below req.
func holders(r *model.TargetResult, practice, dim string, req int) []Holder {
	var out []Holder
	for _, d := range dimensionsOf(r, practice, dim) {
		l := model.DimensionLevel(d)
		if dim == "" && !l.Below(req) {
			continue
		}
		h := Holder{Dimension: practice + "." + d.ID, Level: d.Level, Criterion: d.HeldBack}
		if h.Criterion == "" && len(d.Reasons) > 0 {
			h.Criterion = d.Reasons[len(d.Reasons)-1]
		}
		for _, id := range citedBy(r, d) {
			if v, ok := r.Measurements.Get(model.MeasurementID(id)); ok {
				h.Measurements = append(h.Measurements, id+" "+model.FormatValue(v, r.Measurements[id].Unit))
			} else {
				h.Measurements = append(h.Measurements, id+" unknown")
			}
		}
		out = append(out, h)
	}
	return out
}

// citedBy lists the measurements a dimension cites: its measurement
// evidence references and the ids its reasons mention.
func citedBy(r *model.TargetResult, d model.DimensionResult) []string {
	cited := map[string]bool{}
	for _, ref := range d.Evidence {
		if ref.Kind == model.RefMeasure && ref.Ref != "" {
			cited[ref.Ref] = true
		}
	}
	for _, reason := range d.Reasons {
		for id := range r.Measurements {
			if mentions(reason, id) {
				cited[id] = true
			}
		}
	}
	return sortedKeys(cited)
}

// explain renders a holder for the failure of key: "; held down by
// ci.frequency at 2: <criterion> [git.x 1.2]", or for the dimension
// itself "; not met: <criterion> [git.x 1.2]".
func (h Holder) explain(key string) string {
	var b strings.Builder
	switch {
	case h.Dimension != key:
		b.WriteString("; held down by " + h.Dimension + " at " + levelText(h.Level, false))
		if h.Criterion != "" {
			b.WriteString(": " + h.Criterion)
		}
	case h.Criterion != "":
		b.WriteString("; not met: " + h.Criterion)
	case len(h.Measurements) > 0:
		b.WriteString("; from")
	}
	if len(h.Measurements) > 0 {
		b.WriteString(" [" + strings.Join(h.Measurements, "; ") + "]")
	}
	return b.String()
}
