package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/internal/gittest"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
)

var (
	alice = gittest.Person{Name: "Alice", Email: "alice@example.com"}
	bob   = gittest.Person{Name: "Bob", Email: "Bob@Example.com"}
	chen  = gittest.Person{Name: "Chen", Email: "chen@example.com"}
	devs  = []gittest.Person{alice, bob, chen}
	// start is a Monday.
	start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
)

func baseTree(b *gittest.Builder) {
	b.Commit("main", "", alice, start.Add(-48*time.Hour), "initial import", map[string]string{
		"go.mod":                   "module example.com/app\n",
		"Makefile":                 "test:\n\tgo test ./...\n",
		"main.go":                  "package main\n",
		".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n",
	})
}

// trunkBased: every developer merges a branch that lived two hours into
// main on every working day for four weeks; issue keys; semver tags.
func trunkBased(t *testing.T) string {
	b := gittest.New()
	baseTree(b)
	n := 0
	for day := 0; day < 28; day++ {
		d := start.AddDate(0, 0, day)
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for i, dev := range devs {
			n++
			br := fmt.Sprintf("feature/%d", n)
			at := d.Add(time.Duration(9+i) * time.Hour)
			b.Commit(br, "main", dev, at, fmt.Sprintf("PAY-%d: change %d", n, n), map[string]string{
				fmt.Sprintf("pkg/f%d.go", n): "package pkg\n", fmt.Sprintf("pkg/f%d_test.go", n): "package pkg\n"})
			m := b.Merge("main", br, dev, at.Add(2*time.Hour), fmt.Sprintf("Merge branch '%s'", br))
			b.DeleteBranch(br)
			if d.Weekday() == time.Friday && i == 2 {
				b.Tag(fmt.Sprintf("v1.%d.0", day/7), m)
			}
		}
	}
	return b.Write(t, filepath.Join(t.TempDir(), "trunk.git"), true, "main")
}

// longLived: each developer works a month on a branch; the branches are
// merged together at each month's end.
func longLived(t *testing.T) string {
	b := gittest.New()
	baseTree(b)
	for month := 0; month < 3; month++ {
		ms := start.AddDate(0, month, 0)
		for i, dev := range devs {
			br := fmt.Sprintf("release-work/%d-%d", month, i)
			for day := 0; day < 26; day += 3 {
				at := ms.AddDate(0, 0, day).Add(time.Duration(10+i) * time.Hour)
				b.Commit(br, "main", dev, at, fmt.Sprintf("work on %s day %d", br, day),
					map[string]string{fmt.Sprintf("mod%d/f%d_%d.go", i, month, day): "package mod\n"})
			}
		}
		for i, dev := range devs {
			br := fmt.Sprintf("release-work/%d-%d", month, i)
			b.Merge("main", br, dev, ms.AddDate(0, 0, 27).Add(time.Duration(i)*time.Hour), "Merge branch '"+br+"'")
			b.DeleteBranch(br)
		}
	}
	return b.Write(t, filepath.Join(t.TempDir(), "long.git"), true, "main")
}

func runJSON(t *testing.T, args ...string) (*model.Report, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), testEnv(t, args, &out, &errb))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if err := report.Validate(out.Bytes()); err != nil {
		t.Errorf("the JSON report does not match its schema: %v", err)
	}
	var r model.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out.String())
	}
	return &r, errb.String()
}

func dim(r *model.Report, practice, id string) model.DimensionResult {
	for _, p := range r.Targets[0].Practices {
		if p.ID != practice {
			continue
		}
		for _, d := range p.Dimensions {
			if d.ID == id {
				return d
			}
		}
	}
	return model.DimensionResult{}
}

func levelOf(d model.DimensionResult) string {
	if d.Level == nil {
		return "unknown"
	}
	return fmt.Sprintf("L%d %s", *d.Level, d.Basis)
}

func TestScenarioHistories(t *testing.T) {
	tests := []struct {
		name          string
		repo          func(*testing.T) string
		since, until  string
		wantBranching string
		wantFrequency string
		wantTiming    string
		wantMeasures  map[string]float64
	}{
		{
			name: "trunk-based", repo: trunkBased, since: "2026-03-02", until: "2026-03-30",
			wantBranching: "L4 measured", wantFrequency: "L3 measured",
			// Every branch commit carries its test: tests in the same commit (L4),
			// though every trunk commit is a merge.
			wantTiming: "L4 measured",
			wantMeasures: map[string]float64{"git.commits_with_tests_ratio": 1, "git.changes_with_tests_ratio": 1, "git.commits": 60, "git.authors": 3, "git.trunk_merges": 60,
				"git.branch_lifetime_hours.p50": 2, "git.branch_lifetime_hours.p90": 2, "git.tags": 4,
				"git.tags_semver_ratio": 1, "git.issue_ref_ratio": 1, "git.integrations_per_dev_day": 1},
		},
		{
			name: "long-lived branches", repo: longLived, since: "2026-03-02", until: "2026-06-01",
			wantBranching: "L2 measured", wantFrequency: "L1 measured",
			wantMeasures: map[string]float64{"git.trunk_merges": 9, "git.authors": 3, "git.issue_ref_ratio": 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := tt.repo(t)
			r, _ := runJSON(t, "audit", repo, "--since", tt.since, "--until", tt.until, "--format", "json", "--quiet")
			br, fr := dim(r, "version-control", "branching"), dim(r, "ci", "frequency")
			if got := levelOf(br); got != tt.wantBranching {
				t.Errorf("branching = %s, want %s:\n%s", got, tt.wantBranching, strings.Join(br.Reasons, "\n"))
			}
			if got := levelOf(fr); got != tt.wantFrequency {
				t.Errorf("ci.frequency = %s, want %s:\n%s", got, tt.wantFrequency, strings.Join(fr.Reasons, "\n"))
			}
			if tt.wantTiming != "" {
				if tm := dim(r, "test-layering", "timing"); levelOf(tm) != tt.wantTiming {
					t.Errorf("test-layering.timing = %s, want %s:\n%s", levelOf(tm), tt.wantTiming, strings.Join(tm.Reasons, "\n"))
				}
			}
			for id, want := range tt.wantMeasures {
				m, ok := r.Targets[0].Measurements[id]
				if !ok || !m.Known || m.Value != want {
					t.Errorf("%s = %+v, want %v", id, m, want)
				}
			}
		})
	}
}
