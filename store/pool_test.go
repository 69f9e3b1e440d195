package store

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"
)

func TestChangeToken(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		clock := newClock(t0.Add(72 * time.Hour))
		s := mustOpen(t, dsn(t), Options{Now: clock.Now})
		token := func() string {
			t.Helper()
			tok, err := s.ChangeToken(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		seen := map[string]string{}
		step := func(what string) {
			t.Helper()
			tok := token()
			if prev, ok := seen[tok]; ok {
				t.Errorf("after %s the token %q is the one of %s", what, tok, prev)
			}
			seen[tok] = what
			if again := token(); again != tok {
				t.Errorf("after %s the token moved without a change: %q then %q", what, tok, again)
			}
		}
		step("opening")
		for d := range 3 {
			if _, err := s.Save(ctx, sampleReport(t0.Add(time.Duration(d)*24*time.Hour), d, "app")); err != nil {
				t.Fatal(err)
			}
			step("save " + string(rune('0'+d)))
		}
		if n, err := s.Prune(ctx, Retention{KeepLast: 1}); err != nil || n != 2 {
			t.Fatalf("Prune = %d, %v", n, err)
		}
		step("prune")
	})
}

// TestPoolBounded: a burst of concurrent readers never opens more
// connections than the pool allows, and idle ones are closed.
func TestPoolBounded(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		s := mustOpen(t, dsn(t), Options{})
		if _, err := s.Save(ctx, sampleReport(t0, 1, "app", "lib")); err != nil {
			t.Fatal(err)
		}
		const limit = 3
		s.SetPool(Pool{MaxOpen: limit, MaxIdle: 2, MaxIdleTime: time.Minute})
		// Hold every connection, so that the burst has to queue.
		var held []*sql.Conn
		for range limit {
			c, err := s.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for range 32 {
			wg.Go(func() {
				if _, err := s.LatestAll(ctx); err != nil {
					errs <- err
				}
				if _, err := s.ChangeToken(ctx); err != nil {
					errs <- err
				}
			})
		}
		for deadline := time.Now().Add(10 * time.Second); s.Stats().WaitCount < 32 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if st := s.Stats(); st.OpenConnections > limit || st.WaitCount < 32 {
			t.Errorf("during the burst: %d open (limit %d), %d waited (want 32)", st.OpenConnections, limit, st.WaitCount)
		}
		for _, c := range held {
			c.Close()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if st := s.Stats(); st.MaxOpenConnections != limit || st.OpenConnections > 2 {
			t.Errorf("after the burst: max open %d (want %d), open %d (want ≤ 2 idle)", st.MaxOpenConnections, limit, st.OpenConnections)
		}
	})
}
