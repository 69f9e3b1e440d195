package config

import (
	"strings"
	"testing"
)

// TestStaleAfterDaysOneKey: thresholds.branching.stale_after_days is the
// key; the top-level stale_after_days is its alias; both at once is an
// error whatever their order (it used to be "the later one wins").
func TestStaleAfterDaysOneKey(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    int
		wantErr string
	}{
		{"default", "version: 1\n", 30, ""},
		{"the key", "version: 1\nthresholds:\n  branching:\n    stale_after_days: 14\n", 14, ""},
		{"the alias", "version: 1\nstale_after_days: 21\n", 21, ""},
		{"alias before the key", "version: 1\nstale_after_days: 21\nthresholds:\n  branching:\n    stale_after_days: 14\n", 0,
			"audit.yaml:2:19: stale_after_days is set twice, here and as thresholds.branching.stale_after_days (line 5)"},
		{"key before the alias", "version: 1\nthresholds:\n  branching:\n    stale_after_days: 14\nstale_after_days: 21\n", 0,
			"stale_after_days is set twice"},
		{"alias below 1", "version: 1\nstale_after_days: 0\n", 0, "stale_after_days must be at least 1"},
		{"alias not a number", "version: 1\nstale_after_days: soon\n", 0, "stale_after_days"},
		{"alias reaches targets", "version: 1\nstale_after_days: 7\ntargets:\n  - name: a\n    path: /srv/a.git\n", 7, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("audit.yaml", []byte(tt.text), cat(t))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Thresholds.Branching.StaleAfterDays; got != tt.want {
				t.Errorf("stale_after_days = %d, want %d", got, tt.want)
			}
			for _, tg := range c.Targets {
				if got := tg.Thresholds.Branching.StaleAfterDays; got != tt.want {
					t.Errorf("target %s: stale_after_days = %d, want %d", tg.Name, got, tt.want)
				}
			}
		})
	}
}
