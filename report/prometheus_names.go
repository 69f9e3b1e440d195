package report

import (
	"slices"
	"strings"
	"unicode"

	"github.com/cdaudit/cdaudit/model"
)

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// secondsPer is the number of seconds in a time unit.
func secondsPer(unit string) (float64, bool) {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "s", "sec", "second", "seconds":
		return 1, true
	case "min", "minute", "minutes":
		return 60, true
	case "h", "hour", "hours":
		return 3600, true
	case "d", "day", "days":
		return 86400, true
	}
	return 0, false
}

// ratioPer converts a ratio unit to a 0-1 ratio.
func ratioPer(unit string) (float64, bool) {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "", "ratio":
		return 1, true
	case "%", "percent":
		return 0.01, true
	}
	return 0, false
}

// perDay reports whether a frequency unit counts deployments per day (not
// deployment days per week).
func perDay(unit string) bool {
	u := strings.ToLower(strings.TrimSpace(unit))
	return u == "per day" || u == "deployments/day" || u == "/day"
}

// measurementExported reports whether measurement id becomes a label value:
// the measurement catalogue is the allow-list, and a family member (a CI
// trigger or stage) is exported only for the family's listed segments, so
// that custom trigger or stage names cannot make label values unbounded.
func measurementExported(id string) bool {
	d, ok := model.LookupMeasurement(model.MeasurementID(id))
	if !ok {
		return false
	}
	if seg, family := d.Segment(model.MeasurementID(id)); family {
		return slices.Contains(d.Segments, seg)
	}
	return true
}

// reservedLabels would clash with cdaudit's own labels or the ones
// Prometheus and the Pushgateway attach.
func reservedLabels() []string { return []string{"target", "job", "instance"} }

// promLabels turns target labels into Prometheus label names (snake_case:
// "costCenter" and "cost-center" both become cost_center; a leading digit
// or a reserved name gets the prefix label_). When two keys map to one
// name, the key that sorts first wins.
func promLabels(in map[string]string) map[string]string {
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := map[string]string{}
	for _, k := range keys {
		n := promLabelName(k)
		if _, dup := out[n]; n == "" || dup {
			continue
		}
		out[n] = in[k]
	}
	return out
}

func promLabelName(k string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range k {
		switch {
		case r >= 'A' && r <= 'Z':
			if unicode.IsLower(prev) || unicode.IsDigit(prev) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		prev = r
	}
	parts := strings.FieldsFunc(b.String(), func(r rune) bool { return r == '_' })
	n := strings.Join(parts, "_")
	if n == "" {
		return ""
	}
	if n[0] >= '0' && n[0] <= '9' || slices.Contains(reservedLabels(), n) {
		n = "label_" + n
	}
	return n
}

// maxLabelValue bounds a label value's length (bytes).
const maxLabelValue = 256

// promLabelValue makes v valid UTF-8 and at most maxLabelValue bytes;
// quotes, backslashes and newlines are escaped by the exposition format.
func promLabelValue(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	if len(v) <= maxLabelValue {
		return v
	}
	cut := maxLabelValue
	for cut > 0 && !utf8Start(v[cut]) {
		cut--
	}
	return v[:cut]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
