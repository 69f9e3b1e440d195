package gate

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// ErrBaselineMismatch is matched by a *MismatchError.
var ErrBaselineMismatch = errors.New("baseline does not match the audit")

// MismatchError says why a baseline cannot be compared with an audit: it
// holds no entry for a target, or was judged on another window length or
// level catalogue. Its message ends with the fix.
type MismatchError struct {
	What string // "target", "window" or "catalogue"
	Msg  string
}

func (e *MismatchError) Error() string { return e.Msg }

// Is matches ErrBaselineMismatch.
func (e *MismatchError) Is(target error) bool { return target == ErrBaselineMismatch }

// windowSlack is how far two window lengths may differ and still compare
// (a relative --since measured at two times of day).
const windowSlack = time.Hour

// MatchBaseline checks that baseline can be compared with current: the
// same level catalogue, the same window length, and an entry for every
// audited target, matched by identity (kind and location; the display name
// is only a label). With strict (a baseline file), a target without an
// entry, or a baseline that records no identity or catalogue, is an error;
// otherwise (the store's last audits) a target without one simply has no
// baseline, and only what both record is compared. A baseline entry of the
// same name but another identity is an error either way.
func MatchBaseline(current, baseline *model.Report, strict bool) error {
	if current == nil || baseline == nil {
		return nil
	}
	fix := "write a new baseline with `cdaudit baseline`"
	switch {
	case baseline.Catalogue == "" && strict:
		return &MismatchError{What: "catalogue", Msg: "the baseline records no level catalogue version (an older cdaudit wrote it): " + fix}
	case baseline.Catalogue != "" && current.Catalogue != "" && baseline.Catalogue != current.Catalogue:
		return &MismatchError{What: "catalogue", Msg: fmt.Sprintf("the baseline was judged on level catalogue %s, this audit on %s: "+
			"levels of different catalogues do not compare; %s", baseline.Catalogue, current.Catalogue, fix)}
	}
	bw, cw := windowLength(baseline.Window), windowLength(current.Window)
	if bw > 0 && cw > 0 && math.Abs(float64(bw-cw)) > float64(windowSlack) {
		return &MismatchError{What: "window", Msg: fmt.Sprintf("the baseline covers a %s window, this audit %s: levels of different "+
			"windows do not compare; audit with --since %s (or the config's since), or %s", days(bw), days(cw), sinceFlag(bw), fix)}
	}
	for i := range current.Targets {
		cur := &current.Targets[i]
		if b := findBase(cur, baseline); b != nil {
			if b.Identity == nil && strict {
				return &MismatchError{What: "target", Msg: fmt.Sprintf("the baseline's entry %s records no target identity "+
					"(an older cdaudit wrote it): %s", label(b), fix)}
			}
			continue
		}
		for j := range baseline.Targets {
			b := &baseline.Targets[j]
			if b.Name == cur.Name {
				return &MismatchError{What: "target", Msg: fmt.Sprintf("the baseline's %s is another target than this audit's %s: "+
					"check the target the baseline was written for, or %s", label(b), label(cur), fix)}
			}
		}
		if !strict {
			continue
		}
		var held []string
		for j := range baseline.Targets {
			held = append(held, label(&baseline.Targets[j]))
		}
		if len(held) == 0 {
			held = []string{"no target"}
		}
		return &MismatchError{What: "target", Msg: fmt.Sprintf("the baseline holds no entry for %s (it holds %s): a renamed or "+
			"moved clone keeps its origin URL, another one does not; check the target the baseline was written for, or %s",
			label(cur), strings.Join(held, ", "), fix)}
	}
	return nil
}

// findBase is the baseline entry of a target: the one of the same identity,
// or, where either side records none, the one of the same name.
func findBase(cur *model.TargetResult, baseline *model.Report) *model.TargetResult {
	if baseline == nil {
		return nil
	}
	if cur.Identity != nil {
		for j := range baseline.Targets {
			if b := &baseline.Targets[j]; b.Identity != nil && *b.Identity == *cur.Identity {
				return b
			}
		}
	}
	for j := range baseline.Targets {
		if b := &baseline.Targets[j]; b.Name == cur.Name && (b.Identity == nil || cur.Identity == nil) {
			return b
		}
	}
	return nil
}

// label is `"name" (kind location)`.
func label(t *model.TargetResult) string {
	s := fmt.Sprintf("%q", t.Name)
	if t.Identity != nil {
		s += " (" + t.Identity.String() + ")"
	}
	return s
}

func windowLength(w model.Window) time.Duration {
	if w.Since.IsZero() || w.Until.IsZero() {
		return 0
	}
	return w.Until.Sub(w.Since)
}

// days renders a window length: "90-day", or hours when not whole days.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d-day", d/(24*time.Hour))
	}
	return fmt.Sprintf("%.1f-hour", d.Hours())
}

func sinceFlag(d time.Duration) string {
	return fmt.Sprintf("%dd", int(math.Round(d.Hours()/24)))
}
