package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/store"
)

// TestBackfill: weekly audits of the past from one walk, each saved at its
// point in time with the figures one `audit --until` of the same window
// gives.
func TestBackfill(t *testing.T) {
	repo := longLived(t)
	db := filepath.Join(t.TempDir(), "history.db")
	until := start.AddDate(0, 2, 14)
	code, out, errs := runCLI(t, "backfill", repo, "--every", "1w", "--since", "5w", "--until", until.Format(time.DateOnly),
		"--window", "30d", "--store", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "backfilled 6 audits of long.git") {
		t.Errorf("stdout %q", out)
	}
	st, err := store.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snaps, err := st.History(context.Background(), "long.git", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 6 {
		t.Fatalf("%d audits stored, want 6", len(snaps))
	}
	ids := []string{"git.commits", "git.authors", "git.trunk_merges", "git.open_branches", "git.branch_lifetime_hours.p50", "git.tags"}
	for _, s := range snaps {
		if !s.At.Equal(s.Window.Until) {
			t.Errorf("audit of the window ending %v saved at %v", s.Window.Until, s.At)
		}
		one, _ := runJSON(t, "audit", repo, "--since", "30d", "--until", s.Window.Until.Format(time.RFC3339),
			"--format", "json", "--quiet", "--no-store")
		want, got := map[string]any{}, map[string]any{}
		for _, id := range ids {
			w, g := one.Targets[0].Measurements[id], s.Result.Measurements[id]
			want[id], got[id] = [2]any{w.Known, w.Value}, [2]any{g.Known, g.Value}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("window ending %v: backfill differs from audit --until (-audit +backfill):\n%s", s.Window.Until, d)
		}
	}
}

func TestBackfillBadInput(t *testing.T) {
	repo := longLived(t)
	db := filepath.Join(t.TempDir(), "history.db")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"every", []string{"--every", "weekly"}, "--every"},
		{"window", []string{"--window", "x"}, "--window"},
		{"no store", []string{"--no-store"}, "--no-store"},
		{"future", []string{"--until", "2999-01-01"}, "future"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"backfill", repo, "--store", db}, tc.args...)
			code, _, errs := runCLI(t, args...)
			if code != 2 || !strings.Contains(errs, tc.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want 2 and one line naming %s", code, errs, tc.want)
			}
		})
	}
	// Points before the first commit are left out, not audited.
	code, out, errs := runCLI(t, "backfill", repo, "--store", db, "--every", "4w", "--since", "1y",
		"--until", start.AddDate(0, 1, 0).Format(time.DateOnly))
	if code != 0 || !strings.Contains(out, "before the first commit left out") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestBackfillTwice: a backfill run again skips the points the store
// already holds (same target, same window) and says so; a later --until
// adds only the new points.
func TestBackfillTwice(t *testing.T) {
	repo := longLived(t)
	db := filepath.Join(t.TempDir(), "history.db")
	until := start.AddDate(0, 2, 14)
	run := func(until time.Time) string {
		t.Helper()
		code, out, errs := runCLI(t, "backfill", repo, "--every", "1w", "--since", "3w", "--until", until.Format(time.DateOnly),
			"--window", "30d", "--store", db)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		return out
	}
	count := func() int {
		t.Helper()
		st, err := store.Open(context.Background(), db, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		snaps, err := st.History(context.Background(), "long.git", 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(snaps)
	}
	for _, tc := range []struct {
		name   string
		until  time.Time
		says   string
		stored int
	}{
		{"first run", until, "backfilled 4 audits", 4},
		{"same run again", until, "backfilled 0 audits of long.git, every 1w from " + until.AddDate(0, 0, -21).Format(time.DateOnly) +
			" to " + until.Format(time.DateOnly) + " (windows of 30d); 4 points already in the store skipped", 4},
		{"a week later", until.AddDate(0, 0, 7), "backfilled 1 audits of long.git", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := run(tc.until)
			if !strings.Contains(out, tc.says) {
				t.Errorf("stdout %q does not say %q", out, tc.says)
			}
			if skipped := strings.Contains(out, "already in the store skipped"); skipped == (tc.name == "first run") {
				t.Errorf("stdout %q: skipped points said %v", out, skipped)
			}
			if d := cmp.Diff(tc.stored, count()); d != "" {
				t.Errorf("audits stored (-want +got):\n%s", d)
			}
		})
	}
}
