package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// TestTodaysSettingsDoNotRaiseAPastWindow: branch protection is read as it
// is today; for a window that ended earlier it cannot prove the window had
// it, and the reason says so.
func TestTodaysSettingsDoNotRaiseAPastWindow(t *testing.T) {
	until := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		collected time.Time
		requirePR bool
		want      outcome
		reason    string
	}{
		{"window ending now, required", until.Add(time.Hour), true, holds, ""},
		{"past window, required today", until.AddDate(0, 5, 0), true, unknown, "cannot show the window had it"},
		{"past window, not required today", until.AddDate(0, 5, 0), false, fails, "the setting is today's"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := &model.Evidence{Window: model.Window{Since: until.AddDate(0, -3, 0), Until: until}, CollectedAt: tc.collected,
				Protection: &model.Protection{Branch: "main", Protected: true, RequirePR: tc.requirePR}}
			ev.Mark(model.KindProtection)
			j := &judge{ev: ev, ms: model.Measurements{}, cfg: &Config{}}
			s := j.requirePR(3)
			if d := cmp.Diff(tc.want, s.out); d != "" {
				t.Errorf("outcome (-want +got):\n%s (reason %q)", d, s.reason)
			}
			if !strings.Contains(s.reason, tc.reason) {
				t.Errorf("reason %q does not say %q", s.reason, tc.reason)
			}
		})
	}
}
