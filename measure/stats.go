package measure

import (
	"math"
	"sort"
	"time"
)

// percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of vals:
// the smallest value such that at least p % of the values are ≤ it. vals is
// sorted in place. It returns false for an empty sample.
func percentile(vals []float64, p float64) (float64, bool) {
	if len(vals) == 0 {
		return 0, false
	}
	sort.Float64s(vals)
	rank := int(math.Ceil(p / 100 * float64(len(vals))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(vals) {
		rank = len(vals)
	}
	return vals[rank-1], true
}

// ratio returns num/den, and false when den is 0.
func ratio(num, den int) (float64, bool) {
	if den == 0 {
		return 0, false
	}
	return float64(num) / float64(den), true
}

// workingDays counts the Monday–Friday UTC calendar days in [since, until).
func workingDays(since, until time.Time) int {
	if !until.After(since) {
		return 0
	}
	d := time.Date(since.UTC().Year(), since.UTC().Month(), since.UTC().Day(), 0, 0, 0, 0, time.UTC)
	n := 0
	for ; d.Before(until); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// hours converts a duration to hours.
func hours(d time.Duration) float64 { return d.Hours() }
