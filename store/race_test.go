//go:build linux

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The store-creation race: raceWriters writers (goroutines, or processes
// re-executing the test binary) open one fresh store at the same moment
// and each save raceSaves audits. Before migrations ran under the write
// lock and the schema was read in one snapshot, about one round in 20 lost
// a writer: "not a cdaudit store" (a store being created by another
// writer, seen half-way between two reads of the catalogue; the
// deterministic TestSchemaStateOneSnapshot catches that every time) or
// "locked" (the switch of the new file to WAL, refused at once without
// waiting).
const (
	raceWriters = 8
	raceSaves   = 3

	raceChildEnv  = "CDAUDIT_STORE_RACE_CHILD"  // the child's store DSN
	raceWriterEnv = "CDAUDIT_STORE_RACE_WRITER" // the child's writer number
	raceStartEnv  = "CDAUDIT_STORE_RACE_START"  // when the children start, Unix ns
)

func raceTarget(w int) string { return fmt.Sprintf("app-%d", w) }

// raceWriter is one writer: it opens the store and saves its audits.
func raceWriter(ctx context.Context, dsn string, w int) error {
	s, err := Open(ctx, dsn, nil)
	if err != nil {
		return fmt.Errorf("writer %d: %w", w, err)
	}
	defer s.Close()
	var errs []error
	for i := range raceSaves {
		if _, err := s.Save(ctx, sampleReport(t0.Add(time.Duration(i)*time.Hour), i, raceTarget(w))); err != nil {
			errs = append(errs, fmt.Errorf("writer %d, save %d: %w", w, i, err))
		}
	}
	return errors.Join(errs...)
}

// checkRace checks that every writer's every audit is in the store.
func checkRace(t *testing.T, dsn string, round int) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, dsn, nil)
	if err != nil {
		t.Fatalf("round %d: opening after the race: %v", round, err)
	}
	defer s.Close()
	if got, want := count(t, s, "schema_migrations"), KnownSchemaVersion(s.Dialect()); got != want {
		t.Errorf("round %d: %d migration rows, want %d", round, got, want)
	}
	for w := range raceWriters {
		if h, err := s.History(ctx, raceTarget(w), 0); err != nil || len(h) != raceSaves {
			t.Errorf("round %d: writer %d has %d audits saved (%v), want %d", round, w, len(h), err, raceSaves)
		}
	}
}

// raceRounds is how many fresh stores a race test creates: the race is
// won or lost in the first milliseconds, so many short rounds find it.
func raceRounds(n int) int {
	if testing.Short() {
		return 2
	}
	return n
}

func TestConcurrentCreate(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		for round := range raceRounds(12) {
			d := dsn(t)
			start := make(chan struct{})
			errs := make(chan error, raceWriters)
			var wg sync.WaitGroup
			for w := range raceWriters {
				wg.Go(func() {
					<-start
					errs <- raceWriter(context.Background(), d, w)
				})
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("round %d: %v", round, err)
				}
			}
			checkRace(t, d, round)
		}
	})
}

func TestConcurrentCreateProcesses(t *testing.T) {
	if d := os.Getenv(raceChildEnv); d != "" {
		raceChild(d)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		for round := range raceRounds(10) {
			d := dsn(t)
			// The children start together, once all are running.
			at := time.Now().Add(300 * time.Millisecond).UnixNano()
			var wg sync.WaitGroup
			for w := range raceWriters {
				cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentCreateProcesses$", "-test.count=1")
				cmd.Env = append(os.Environ(), raceChildEnv+"="+d, raceWriterEnv+"="+strconv.Itoa(w),
					raceStartEnv+"="+strconv.FormatInt(at, 10))
				cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
				wg.Go(func() {
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Errorf("round %d: writer %d: %v: %s", round, w, err, out)
					}
				})
			}
			wg.Wait()
			checkRace(t, d, round)
		}
	})
}

// raceChild is a writer process: it waits for the common start, writes,
// and exits 0, or 3 after printing its error.
func raceChild(dsn string) {
	w, _ := strconv.Atoi(os.Getenv(raceWriterEnv))
	at, _ := strconv.ParseInt(os.Getenv(raceStartEnv), 10, 64)
	time.Sleep(time.Until(time.Unix(0, at)))
	if err := raceWriter(context.Background(), dsn, w); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	os.Exit(0)
}

// TestSchemaStateOneSnapshot: while another connection creates and drops
// a store's tables, each in one transaction, the schema check never sees
// the tables without schema_migrations (which read "not a cdaudit store").
func TestSchemaStateOneSnapshot(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	writer := rawDB(t, path)
	if _, err := writer.ExecContext(ctx, `PRAGMA journal_mode=WAL`); err != nil {
		t.Fatal(err)
	}
	s := &Store{loc: location{dialect: SQLite, path: path, display: path}, db: rawDB(t, path), busy: time.Second}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, q := range []string{
				`BEGIN IMMEDIATE; CREATE TABLE schema_migrations (version INTEGER); CREATE TABLE audits (id INTEGER);
 INSERT INTO schema_migrations VALUES (1); COMMIT`,
				`BEGIN IMMEDIATE; DROP TABLE audits; DROP TABLE schema_migrations; COMMIT`,
			} {
				if _, err := writer.ExecContext(ctx, q); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	misfires := 0
	for range 3000 {
		_, exists, foreign, err := s.schemaState(ctx, s.db)
		if err != nil && !errors.Is(err, ErrNotAStore) { // max(version) may meet the table dropped
			t.Fatal(err)
		}
		if !exists && foreign > 0 {
			misfires++
		}
	}
	close(stop)
	wg.Wait()
	if misfires > 0 {
		t.Errorf("%d of 3000 schema reads saw tables without schema_migrations", misfires)
	}
}

func TestRetryBusy(t *testing.T) {
	locked := &LockedError{Store: "x", Err: errors.New("database is locked")}
	other := errors.New("disk full")
	cases := []struct {
		name      string
		fails     []error // what the attempts return, in order; nil after
		wantCalls int
		want      error
	}{
		{"first attempt", nil, 1, nil},
		{"locked twice, then saved", []error{locked, locked}, 3, nil},
		{"other errors are not retried", []error{other}, 1, other},
		{"locked beyond the bound", []error{locked, locked, locked, locked, locked, locked, locked, locked, locked, locked,
			locked, locked, locked, locked, locked, locked, locked, locked, locked, locked}, 0, ErrLocked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &Store{busy: 40 * time.Millisecond}
			calls := 0
			err := s.retryBusy(context.Background(), func() error {
				calls++
				if calls <= len(tc.fails) {
					return tc.fails[calls-1]
				}
				return nil
			})
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
			if tc.wantCalls > 0 && calls != tc.wantCalls {
				t.Errorf("%d attempts, want %d", calls, tc.wantCalls)
			}
			if tc.wantCalls == 0 && (calls < 2 || calls >= len(tc.fails)) {
				t.Errorf("%d attempts: want a few, stopping at the bound", calls)
			}
		})
	}
}
