package cli

import (
	"net/url"

	"github.com/cdaudit/cdaudit/collectors/httpx"
	"github.com/cdaudit/cdaudit/model"
)

// budgetFor returns the request budget of an API origin and token, shared
// by every target of the run (nil when the URL does not parse: the
// collector then refuses it with its own error).
func (h hostFlags) budgetFor(origin, token string) *httpx.Budget {
	u, err := url.Parse(origin)
	if err != nil || h.budgets == nil {
		return nil
	}
	return h.budgets.For(u, token)
}

// withoutDeferred returns rep without its deferred targets: they were not
// audited, so the store keeps their last audit as their latest.
func withoutDeferred(rep *model.Report) *model.Report {
	n := 0
	for i := range rep.Targets {
		if !rep.Targets[i].IsDeferred() {
			n++
		}
	}
	if n == len(rep.Targets) {
		return rep
	}
	out := *rep
	out.Targets = make([]model.TargetResult, 0, n)
	for _, t := range rep.Targets {
		if !t.IsDeferred() {
			out.Targets = append(out.Targets, t)
		}
	}
	return &out
}
