package metrics

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Ticker is the part of *time.Ticker the scheduler uses; tests inject one.
type Ticker interface {
	C() <-chan time.Time
	Stop()
}

type timeTicker struct{ t *time.Ticker }

func (t timeTicker) C() <-chan time.Time { return t.t.C }
func (t timeTicker) Stop()               { t.t.Stop() }

// NewTimeTicker returns a Ticker backed by time.NewTicker.
func NewTimeTicker(d time.Duration) Ticker { return timeTicker{time.NewTicker(d)} }

// Scheduler re-runs an audit every Every (the --every flag of `cdaudit
// serve`). Runs never overlap: when a run outlasts the interval, the next
// one starts as soon as it ends and the other ticks that fell during it are
// dropped (a time.Ticker keeps at most one).
type Scheduler struct {
	// Every is the interval between runs; it must be positive.
	Every time.Duration
	// Audit runs one audit (and saves it); its error is logged and the
	// schedule goes on.
	Audit func(ctx context.Context) error
	// Skip the run at start: the first audit then waits a whole interval.
	SkipFirst bool
	// NewTicker makes the ticker; nil uses NewTimeTicker.
	NewTicker func(d time.Duration) Ticker
	// Logger receives run outcomes; nil discards them.
	Logger *slog.Logger
}

// Run audits once at start (unless SkipFirst), then on every tick, until
// ctx is done. The run in progress sees ctx cancelled. Run returns nil after
// ctx is done and starts no goroutine, so nothing outlives it.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.Every <= 0 {
		return errors.New("scheduler: the interval must be positive")
	}
	if s.Audit == nil {
		return errors.New("scheduler: no audit to run")
	}
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	newTicker := s.NewTicker
	if newTicker == nil {
		newTicker = NewTimeTicker
	}
	run := func() {
		log.Info("scheduled audit starting")
		if err := s.Audit(ctx); err != nil && ctx.Err() == nil {
			log.Error("scheduled audit failed", "err", err)
			return
		}
		log.Info("scheduled audit done")
	}
	if !s.SkipFirst {
		if ctx.Err() != nil {
			return nil
		}
		run()
	}
	t := newTicker(s.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C():
			// A tick and cancellation can be ready together; prefer stopping.
			if ctx.Err() != nil {
				return nil
			}
			run()
		}
	}
}
