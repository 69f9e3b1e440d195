package model

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber writes v for people: two decimals at most without trailing
// zeros, but three significant digits below 1 so that a value beside a
// bound never rounds to it (0.095, not 0.1).
func FormatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	if v != 0 && v > -1 && v < 1 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// FormatValue is the one way values are written for people, in reasons,
// reports and gate messages: ratios as percentages ("92.3 %", "80 %"),
// percent as "45 %", seconds as "90 s" or, from two minutes, "5 min",
// hours as "18.5 h", no unit (or "count") bare, any other unit after the
// number ("412 commits").
func FormatValue(v float64, unit string) string {
	switch unit {
	case UnitRatio, "fraction":
		pct := v * 100
		if pct == math.Trunc(pct) || math.IsNaN(pct) || math.IsInf(pct, 0) {
			return FormatNumber(pct) + " %"
		}
		return strconv.FormatFloat(pct, 'f', 1, 64) + " %"
	case UnitPercent, "%":
		return FormatNumber(v) + " %"
	case UnitSeconds, "s":
		if v >= 120 {
			return FormatNumber(v/60) + " min"
		}
		return FormatNumber(v) + " s"
	case UnitHours, "h":
		return FormatNumber(v) + " h"
	case "", "count":
		return FormatNumber(v)
	}
	return FormatNumber(v) + " " + unit
}

// FormatValueBare is FormatValue without a counted noun ("412", not "412
// commits"), for sentences that already name what they count.
func FormatValueBare(v float64, unit string) string {
	switch unit {
	case UnitRatio, "fraction", UnitPercent, "%", UnitSeconds, "s", UnitHours, "h":
		return FormatValue(v, unit)
	}
	return FormatNumber(v)
}
