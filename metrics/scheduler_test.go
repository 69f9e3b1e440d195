package metrics

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fakeTicker ticks when the test sends on c.
type fakeTicker struct {
	c       chan time.Time
	every   time.Duration
	stopped chan struct{}
}

func (f *fakeTicker) C() <-chan time.Time { return f.c }
func (f *fakeTicker) Stop()               { close(f.stopped) }

// schedulerRig runs a Scheduler in a goroutine with a fake ticker; every
// audit reports on runs and then waits for the test's answer on results.
type schedulerRig struct {
	ticker  *fakeTicker
	runs    chan context.Context
	results chan error
	done    chan error
	cancel  context.CancelFunc
}

func startScheduler(t *testing.T, skipFirst bool) *schedulerRig {
	t.Helper()
	r := &schedulerRig{
		ticker:  &fakeTicker{c: make(chan time.Time), stopped: make(chan struct{})},
		runs:    make(chan context.Context),
		results: make(chan error),
		done:    make(chan error, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	s := &Scheduler{
		Every:     time.Hour,
		SkipFirst: skipFirst,
		Audit: func(ctx context.Context) error {
			r.runs <- ctx
			return <-r.results
		},
		NewTicker: func(d time.Duration) Ticker { r.ticker.every = d; return r.ticker },
	}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

// tick delivers one tick and waits for the audit it starts.
func (r *schedulerRig) tick(t *testing.T) context.Context {
	t.Helper()
	r.ticker.c <- time.Time{}
	return <-r.runs
}

func TestSchedulerRunsAtStartAndOnTicks(t *testing.T) {
	r := startScheduler(t, false)
	<-r.runs // the run at start
	r.results <- nil
	r.tick(t)
	r.results <- errors.New("github: 502") // logged; the schedule goes on
	r.tick(t)
	r.results <- nil
	if r.ticker.every != time.Hour {
		t.Errorf("ticker interval = %v", r.ticker.every)
	}
	r.cancel()
	if err := <-r.done; err != nil {
		t.Errorf("Run = %v, want nil after cancellation", err)
	}
	r.done <- nil // for the cleanup
	select {
	case <-r.ticker.stopped:
	default:
		t.Error("ticker not stopped")
	}
}

func TestSchedulerSkipFirst(t *testing.T) {
	r := startScheduler(t, true)
	r.tick(t) // the first run comes from a tick, not from the start
	r.results <- nil
}

// TestSchedulerCancelsTheRunInProgress cancels while an audit runs: the
// audit sees its context done and Run returns without another run.
func TestSchedulerCancelsTheRunInProgress(t *testing.T) {
	r := startScheduler(t, false)
	ctx := <-r.runs
	r.cancel()
	<-ctx.Done()
	r.results <- ctx.Err()
	if err := <-r.done; err != nil {
		t.Errorf("Run = %v", err)
	}
	r.done <- nil
	select {
	case <-r.ticker.stopped:
	default:
		t.Error("ticker not stopped")
	}
}

func TestSchedulerErrors(t *testing.T) {
	audit := func(context.Context) error { return nil }
	tests := []struct {
		name string
		s    Scheduler
	}{
		{"no interval", Scheduler{Audit: audit}},
		{"negative interval", Scheduler{Every: -time.Second, Audit: audit}},
		{"no audit", Scheduler{Every: time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.s.Run(context.Background()); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestSchedulerCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	s := Scheduler{Every: time.Hour, Audit: func(context.Context) error { ran = true; return nil }}
	if err := s.Run(ctx); err != nil || ran {
		t.Errorf("Run = %v, ran = %v; want nil, false", err, ran)
	}
}
