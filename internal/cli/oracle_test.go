package cli

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// oracle runs scripts/oracle.py, which computes the six checked
// measurements with the git CLI alone.
func oracle(t *testing.T, repo string, since, until time.Time, trunk string) map[string]*float64 {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	out, err := exec.Command(py, "../../scripts/oracle.py", repo, fmt.Sprint(since.Unix()), fmt.Sprint(until.Unix()), trunk).CombinedOutput()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, out)
	}
	m := map[string]*float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		if f[1] == "null" {
			m[f[0]] = nil
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			t.Fatalf("oracle line %q: %v", line, err)
		}
		m[f[0]] = &v
	}
	return m
}

// compareWithGit audits repo and compares the six measurements with git's.
func compareWithGit(t *testing.T, repo string, since, until time.Time, trunk string) {
	t.Helper()
	want := oracle(t, repo, since, until, trunk)
	args := []string{"audit", repo, "--since", since.Format(time.RFC3339), "--until", until.Format(time.RFC3339),
		"--format", "json", "--quiet", "--no-store"}
	if trunk != "HEAD" {
		args = append(args, "--branch", trunk)
	}
	r, _ := runJSON(t, args...)
	ms := r.Targets[0].Measurements
	for id, w := range want {
		m, ok := ms[id]
		switch {
		case !ok:
			t.Errorf("%s missing", id)
		case w == nil && m.Known:
			t.Errorf("%s = %v, git has none", id, m.Value)
		case w != nil && !m.Known:
			t.Errorf("%s unknown (%s), git says %v", id, m.Note, *w)
		case w != nil && math.Abs(m.Value-*w) > 1e-4*math.Max(1, math.Abs(*w)):
			t.Errorf("%s = %v, git says %v", id, m.Value, *w)
		}
	}
}

func TestMeasurementsEqualGit(t *testing.T) {
	t.Run("trunk-based", func(t *testing.T) {
		compareWithGit(t, trunkBased(t), start, start.AddDate(0, 0, 28), "HEAD")
	})
	t.Run("long-lived branches", func(t *testing.T) {
		compareWithGit(t, longLived(t), start, start.AddDate(0, 3, 0), "HEAD")
	})
	t.Run("window cuts through branches", func(t *testing.T) {
		compareWithGit(t, longLived(t), start.AddDate(0, 0, 20), start.AddDate(0, 1, 10), "HEAD")
	})
}

// TestMeasurementsEqualGitOnRealRepository compares the six measurements
// with git's on a real clone: CDAUDIT_TEST_REPO=/path/to/mirror.git
// [CDAUDIT_TEST_SINCE=2024-01-01 CDAUDIT_TEST_UNTIL=2025-01-01 CDAUDIT_TEST_BRANCH=main].
func TestMeasurementsEqualGitOnRealRepository(t *testing.T) {
	repo := os.Getenv("CDAUDIT_TEST_REPO")
	if repo == "" {
		t.Skip("set CDAUDIT_TEST_REPO to a clone (e.g. a bare mirror of a public project) to run")
	}
	until := time.Now().UTC()
	since := until.AddDate(0, 0, -365)
	if s := os.Getenv("CDAUDIT_TEST_SINCE"); s != "" {
		since, _ = time.Parse("2006-01-02", s)
	}
	if s := os.Getenv("CDAUDIT_TEST_UNTIL"); s != "" {
		until, _ = time.Parse("2006-01-02", s)
	}
	compareWithGit(t, repo, since, until, firstNonEmpty(os.Getenv("CDAUDIT_TEST_BRANCH"), "HEAD"))
}
