package store

import (
	"context"
	"errors"
	"time"
)

// Bounds of the retries of a transaction that met a lock.
const (
	retryFirstDelay = 5 * time.Millisecond
	retryMaxDelay   = 250 * time.Millisecond
)

// retryBusy runs f, and again after a short, growing pause while it fails
// with ErrLocked, until s.busy has passed since the first attempt (at least
// two attempts are made). SQLite's busy_timeout already makes one statement
// wait for a lock, but some lock conflicts come back at once without
// waiting: the switch of a new file to WAL racing another process's, or a
// lock upgrade SQLite refuses to avoid a deadlock. Retrying the whole
// transaction is what saves the audit then. f must be safe to repeat: one
// transaction that rolled back when it failed.
func (s *Store) retryBusy(ctx context.Context, f func() error) error {
	start := time.Now()
	delay := retryFirstDelay
	for attempt := 1; ; attempt++ {
		err := f()
		if err == nil || !errors.Is(err, ErrLocked) {
			return err
		}
		left := s.busy - time.Since(start)
		if attempt >= 2 && left <= 0 {
			return err
		}
		d := min(delay, max(left, retryFirstDelay))
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(2*delay, retryMaxDelay)
	}
}
