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

// todaysEnvs judges a step on environment records. The host lists its
// environments (names, tiers, the dynamic flag, protection rules) only as
// they are now, like branch protection; for a window that ended before the
// audit only the window's own records (its deployments) count: a step that
// holds only with today's list does not raise the level (unknown), and
// either way the reason says the list is today's.
func (j *judge) todaysEnvs(judgeWith func(today bool) step) step {
	if !pastWindow(j.ev) {
		return judgeWith(true)
	}
	s := judgeWith(false)
	if s.out == holds || !j.ev.Has(model.KindEnvironments) {
		return s
	}
	when := fmt.Sprintf("the host's environments are today's (read %s), the window ended %s",
		j.ev.CollectedAt.UTC().Format(time.DateOnly), j.ev.Window.Until.UTC().Format(time.DateOnly))
	if t := judgeWith(true); t.out == holds {
		return unk(s.level, t.reason+"; but "+when+": they cannot show the window had them, and its deployments do not ("+s.reason+")")
	}
	s.reason += " (" + when + ")"
	return s
}
