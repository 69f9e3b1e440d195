// Package measure derives measurements from collected evidence. It is pure:
// no I/O, no clock (the window and options carry every date it needs).
package measure

import "github.com/cdaudit/cdaudit/model"

// Options tunes how evidence is measured.
type Options struct{}

// Compute derives every measurement the evidence allows. Measurements whose
// evidence was not collected are stored as unknown with the reason.
func Compute(ev *model.Evidence, opt Options) model.Measurements {
	return model.Measurements{}
}
