package git

import (
	"context"
	"errors"
	"fmt"

	"github.com/cdaudit/cdaudit/collectors"
	"github.com/cdaudit/cdaudit/model"
)

// CollectSeries fills one evidence per window (each ev's Window set) from
// a single walk of the repository over the span the windows cover: what a
// backfill of past audits needs, at a fraction of one Collect per window.
// Each evidence is what Collect gives for its window. errs holds the error
// of each window that could not be filled (a window ending before trunk's
// first commit: ErrWindowBeforeHistory); err is an error of the whole walk.
func (c *Collector) CollectSeries(ctx context.Context, evs []*model.Evidence) (res []collectors.Result, errs []error, err error) {
	if len(evs) == 0 {
		return nil, nil, nil
	}
	span := evs[0].Window
	for _, ev := range evs[1:] {
		if ev.Window.Since.Before(span.Since) {
			span.Since = ev.Window.Since
		}
		if ev.Window.Until.After(span.Until) {
			span.Until = ev.Window.Until
		}
	}
	s, err := c.open(ctx, span)
	if err != nil {
		if errors.Is(err, ErrNotRepository) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("git %s: %w", c.path, err)
	}
	defer s.close()
	res, errs = make([]collectors.Result, len(evs)), make([]error, len(evs))
	for k, ev := range evs {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if err := c.fill(ctx, s, ev, &res[k]); err != nil {
			errs[k] = fmt.Errorf("git %s: %w", c.path, err)
		}
	}
	return res, errs, nil
}
