package gitlab

import (
	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// Estimated counted requests of one collection, for the fleet's budget
// (docs/benchmarks.md): a repeat of a project with incremental state asks
// for what changed; a first audit reads the window's merge requests,
// pipelines and jobs one by one and grows with the history.
const (
	RepeatCost = 10
	FirstCost  = 300
)

var _ collectors.Budgeted = (*Collector)(nil)

// Cost estimates the counted requests of the next Collect from the
// project's incremental state.
func (c *Collector) Cost() int {
	st := c.state
	if st == nil {
		var err error
		if st, err = httpx.LoadState(c.opt.CacheDir, c.host, c.pid); err != nil {
			return FirstCost
		}
	}
	if st.Fresh() {
		return FirstCost
	}
	return RepeatCost
}

// Reserve books Cost against Options.Budget (see collectors.Budgeted);
// without a budget (or with Options.HTTP) it always fits.
func (c *Collector) Reserve() error {
	if c.hx == nil {
		return nil
	}
	return c.hx.Reserve(c.Cost(), c.host)
}

// Settle returns the unspent part of the booking.
func (c *Collector) Settle() {
	if c.hx != nil {
		c.hx.Settle()
	}
}
