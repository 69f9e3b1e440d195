package cli

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseWindow feeds --since/--until: an accepted window is non-empty and
// lies within 1970–9999; every error is one line.
func FuzzParseWindow(f *testing.F) {
	for _, p := range [][2]string{{"90d", ""}, {"12w", "2026-01-01"}, {"1y", "2025-07-01T00:00:00Z"}, {"99999y", ""},
		{"1600-01-01", ""}, {"36h", "36h"}, {"9999999999d", ""}, {"2026-02-30", ""}, {"0d", ""}, {"1969-12-31", "1970-01-02"},
		{"9999-12-30", "9999-12-31"}, {"2025-01-01T00:00:00+14:00", "2025-01-01T00:00:00-12:00"}} {
		f.Add(p[0], p[1])
	}
	now := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	lo, hi := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, since, until string) {
		w, err := parseWindow(since, until, now)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if !w.Since.Before(w.Until) {
			t.Fatalf("(%q, %q) gave an empty window %v", since, until, w)
		}
		if w.Since.Before(lo) || !w.Until.Before(hi) {
			t.Fatalf("(%q, %q) gave a window outside 1970–9999: %v – %v", since, until, w.Since, w.Until)
		}
	})
}
