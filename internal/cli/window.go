package cli

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

var relRE = regexp.MustCompile(`^(\d+)([hdwy])$`)

// parseWhen reads "90d", "12w", "1y", "36h" (before now), a date
// (YYYY-MM-DD, UTC midnight) or an RFC 3339 time.
func parseWhen(s string, now time.Time) (time.Time, error) {
	if m := relRE.FindStringSubmatch(s); m != nil {
		// Anything more than 10000 years back is out of range; the cap
		// keeps the arithmetic below from overflowing.
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 10000*366*24 {
			return time.Time{}, fmt.Errorf("%q is out of range: the earliest time is %s", s, minTime().Format(time.DateOnly))
		}
		var t time.Time
		switch m[2] {
		case "h":
			t = now.AddDate(0, 0, -n/24).Add(-time.Duration(n%24) * time.Hour)
		case "d":
			t = now.AddDate(0, 0, -n)
		case "w":
			t = now.AddDate(0, 0, -7*n)
		default:
			t = now.AddDate(-n, 0, 0)
		}
		return inRange(s, t)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return inRange(s, t)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return inRange(s, t)
	}
	return time.Time{}, fmt.Errorf("%q is neither a duration like 90d / 12w / 1y nor a date (YYYY-MM-DD or RFC 3339)", s)
}

// minTime and maxTime bound every time cdaudit accepts (maxTime
// exclusive): reports and the store keep Unix times and four-digit years.
func minTime() time.Time { return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) }
func maxTime() time.Time { return time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }

// inRange returns t when it lies in [minTime, maxTime); s is what the user wrote.
func inRange(s string, t time.Time) (time.Time, error) {
	if t.Before(minTime()) || !t.Before(maxTime()) {
		return time.Time{}, fmt.Errorf("%q is out of range: times must lie between %s and %s", s,
			minTime().Format(time.DateOnly), maxTime().Add(-time.Nanosecond).Format(time.DateOnly))
	}
	return t, nil
}

// parseWindow builds [since, until) from the flags; until defaults to now.
func parseWindow(since, until string, now time.Time) (model.Window, error) {
	u := now
	if until != "" {
		t, err := parseWhen(until, now)
		if err != nil {
			return model.Window{}, fmt.Errorf("--until: %w", err)
		}
		u = t
	}
	s, err := parseWhen(since, u)
	if err != nil {
		return model.Window{}, fmt.Errorf("--since: %w", err)
	}
	if !s.Before(u) {
		return model.Window{}, fmt.Errorf("impossible window: --since %s is not before --until %s",
			s.UTC().Format(time.RFC3339), u.UTC().Format(time.RFC3339))
	}
	if u.After(now.Add(24 * time.Hour)) {
		return model.Window{}, fmt.Errorf("impossible window: --until %s lies in the future", u.UTC().Format(time.RFC3339))
	}
	return model.Window{Since: s.UTC(), Until: u.UTC()}, nil
}
