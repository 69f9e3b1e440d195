package rules

import (
	"fmt"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// pastSlack is how long before the audit a window may end and still be
// judged on settings as they are now.
const pastSlack = 24 * time.Hour

// pastWindow reports whether the window ended before the evidence was
// collected (an audit of the past, a backfill).
func pastWindow(ev *model.Evidence) bool {
	return !ev.CollectedAt.IsZero() && ev.Window.Until.Add(pastSlack).Before(ev.CollectedAt)
}

// todays adjusts a step judged on a setting the host reports only as it is
// now (branch protection) for a window that ended before the audit: a
// setting that holds today cannot show that the window had it, so it does
// not raise the level (unknown); either way the reason says the setting is
// today's.
func (j *judge) todays(s step) step {
	if !pastWindow(j.ev) || s.out == unknown {
		return s
	}
	when := fmt.Sprintf("the setting is today's (read %s), the window ended %s",
		j.ev.CollectedAt.UTC().Format(time.DateOnly), j.ev.Window.Until.UTC().Format(time.DateOnly))
	if s.out == holds {
		s.out = unknown
		s.reason += "; but " + when + ": it cannot show the window had it"
		return s
	}
	s.reason += " (" + when + ")"
	return s
}
