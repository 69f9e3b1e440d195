//go:build linux

package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// The crash test re-executes the test binary as a child that saves audits
// in a loop; these variables tell the child where and from which sequence
// number.
const (
	crashChildEnv = "CDAUDIT_STORE_CRASH_CHILD"
	crashStartEnv = "CDAUDIT_STORE_CRASH_START"
	crashTargets  = 25 // targets per report: long enough transactions to be killed in
)

// crashReport is the report the child saves as its i-th audit.
func crashReport(i int) *model.Report {
	names := make([]string, crashTargets)
	for k := range names {
		names[k] = fmt.Sprintf("repo-%02d", k)
	}
	return sampleReport(t0.Add(time.Duration(i)*time.Minute), i, names...)
}

// crashChild saves audits until it is killed, printing "saved ID I" after
// each commit.
func crashChild(t *testing.T, path string) {
	start, _ := strconv.Atoi(os.Getenv(crashStartEnv))
	s, err := Open(context.Background(), path, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(3)
	}
	for i := start; i < start+5000; i++ { // bounded, should the parent vanish
		id, err := s.Save(context.Background(), crashReport(i))
		if err != nil {
			fmt.Fprintln(os.Stderr, "child save:", err)
			os.Exit(4)
		}
		fmt.Fprintf(os.Stdout, "saved %d %d\n", id, i)
	}
	os.Exit(0)
}

func TestCrashSafety(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	path := filepath.Join(t.TempDir(), "history.db")
	saved := map[int64]int{} // audit id → sequence number, as reported by the children
	next := 0
	const rounds = 8
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSafety$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path, crashStartEnv+"="+strconv.Itoa(next))
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		record := func(l string) {
			var id int64
			var i int
			if _, err := fmt.Sscanf(l, "saved %d %d", &id, &i); err != nil {
				t.Errorf("round %d: child said %q", round, l)
				return
			}
			saved[id] = i
			if i >= next {
				next = i + 1
			}
		}
		// Let the child save a few audits, then kill it at a random moment.
		for range 1 + rng.IntN(3) {
			l, ok := <-lines
			if !ok {
				t.Fatalf("round %d: child ended early", round)
			}
			record(l)
		}
		time.Sleep(time.Duration(rng.IntN(15000)) * time.Microsecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		for l := range lines {
			record(l)
		}
		cmd.Wait()
		next++ // the child may have committed one more audit without saying so

		checkStore(t, path, saved)
	}
	if len(saved) < rounds {
		t.Errorf("only %d audits reported saved", len(saved))
	}
}

// checkStore opens the store after a kill and checks that it is intact,
// that every reported audit is there in full, and that no audit is partial.
func checkStore(t *testing.T, path string, saved map[int64]int) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatalf("Open after kill: %v", err)
	}
	defer s.Close()
	var check string
	if err := s.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	for id, i := range saved {
		got, err := s.Report(ctx, id)
		if err != nil {
			t.Fatalf("reported audit %d (#%d): %v", id, i, err)
		}
		if diff := cmp.Diff(crashReport(i), got); diff != "" {
			t.Fatalf("audit %d (#%d) differs (-want +got):\n%s", id, i, diff)
		}
	}
	// Every audit in the store, reported or not, is complete.
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.target_count,
  (SELECT count(*) FROM target_results t WHERE t.audit_id = a.id),
  (SELECT count(*) FROM levels l JOIN target_results t ON t.id = l.target_result_id WHERE t.audit_id = a.id),
  (SELECT count(*) FROM measurements m JOIN target_results t ON t.id = m.target_result_id WHERE t.audit_id = a.id),
  (SELECT count(*) FROM sources x JOIN target_results t ON t.id = x.target_result_id WHERE t.audit_id = a.id)
  FROM audits a`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var targets, results, levels, measurements, sources int
		if err := rows.Scan(&id, &targets, &results, &levels, &measurements, &sources); err != nil {
			t.Fatal(err)
		}
		n++
		want := [4]int{crashTargets, 6 * crashTargets, 3 * crashTargets, 2 * crashTargets}
		if got := [4]int{results, levels, measurements, sources}; targets != crashTargets || got != want {
			t.Errorf("audit %d is partial: %d targets, rows %v, want %v", id, targets, got, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < len(saved) {
		t.Errorf("%d audits in the store, %d reported saved", n, len(saved))
	}
}
