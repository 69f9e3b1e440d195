package github

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// Estimated counted requests of one collection, for the fleet's budget
// (docs/benchmarks.md): a repeat of a repository with incremental state
// asks for what changed (1–7 counted requests in the benchmarks), a first
// audit reads the window's history (28–41 counted through GraphQL, about
// 240 through REST only).
const (
	RepeatCost        = 5
	FirstCost         = 60
	FirstCostRESTOnly = 250
)

var _ collectors.Budgeted = (*Collector)(nil)

// Cost estimates the counted requests of the next Collect from the
// repository's incremental state.
func (c *Collector) Cost() int {
	st, err := httpx.LoadState(c.opt.CacheDir, c.base.Host+c.base.Path, c.owner+"/"+c.name)
	switch {
	case err == nil && !st.Fresh():
		return RepeatCost
	case c.opt.NoGraphQL || !c.authenticated():
		return FirstCostRESTOnly
	}
	return FirstCost
}

// Reserve books Cost against Options.Budget (see collectors.Budgeted);
// without a budget it always fits.
func (c *Collector) Reserve() error {
	return c.http.Reserve(c.Cost(), c.base.Host)
}

// Settle returns the unspent part of the booking.
func (c *Collector) Settle() { c.http.Settle() }
