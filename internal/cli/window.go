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
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 100000 {
			return time.Time{}, fmt.Errorf("%q is out of range", s)
		}
		switch m[2] {
		case "h":
			return now.Add(-time.Duration(n) * time.Hour), nil
		case "d":
			return now.AddDate(0, 0, -n), nil
		case "w":
			return now.AddDate(0, 0, -7*n), nil
		default:
			return now.AddDate(-n, 0, 0), nil
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither a duration like 90d / 12w / 1y nor a date (YYYY-MM-DD or RFC 3339)", s)
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
