package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/gate"
	"github.com/cdaudit/cdaudit/model"
)

// cloneAs clones src to DIR/name with the given origin URL.
func cloneAs(t *testing.T, src, name, origin string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command("git", "clone", "-q", "--mirror", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("clone: %v %s", err, out)
	}
	if out, err := exec.Command("git", "-C", dst, "remote", "set-url", "origin", origin).CombinedOutput(); err != nil {
		t.Fatalf("set-url: %v %s", err, out)
	}
	return dst
}

// TestGatePaths runs every way `cdaudit check` ends, with real repositories
// and the CLI: it fails closed (exit 2) on a baseline it cannot compare,
// and every failure names its evidence.
func TestGatePaths(t *testing.T) {
	src := trunkBased(t)
	app := cloneAs(t, src, "app.git", "git@git.example.com:acme/app.git")
	renamed := cloneAs(t, src, "app-ci-build-17", "https://ci-token:s3cret@git.example.com/acme/app.git")
	other := cloneAs(t, src, "app.git", "https://git.example.com/other/app.git")
	win := []string{"--since", "2026-03-02", "--until", "2026-03-30", "--quiet"}
	dir := t.TempDir()
	base := filepath.Join(dir, "baseline.json")
	db := filepath.Join(dir, "history.db")
	run := func(args ...string) (int, string, string) {
		t.Helper()
		// The command, the window, then the case's flags (which win).
		return runWithStore(t, db, append(append([]string{args[0]}, win...), args[1:]...)...)
	}
	if code, _, stderr := run("baseline", app, "-o", base); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(base)
	var rep model.Report
	if err := json.Unmarshal(b, &rep); err != nil || rep.Catalogue != model.CatalogueVersion() || len(rep.Targets) != 1 ||
		rep.Targets[0].Identity == nil || *rep.Targets[0].Identity != (model.Identity{Kind: "git", Location: "git.example.com/acme/app"}) {
		t.Fatalf("the baseline does not record the target identity and catalogue: %v %+v", err, rep.Targets[0].Identity)
	}
	// A dimension the git evidence alone leaves unknown.
	var unknownDim string
	for _, p := range rep.Targets[0].Practices {
		for _, d := range p.Dimensions {
			if d.Level == nil && unknownDim == "" {
				unknownDim = p.ID + "." + d.ID
			}
		}
	}
	if unknownDim == "" {
		t.Fatal("no unknown dimension to require")
	}
	badCat := filepath.Join(dir, "cat.json")
	os.WriteFile(badCat, []byte(strings.Replace(string(b), rep.Catalogue, "sha256:000000000000", 1)), 0o644)

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"the baseline's own target holds", []string{"check", app, "--baseline", base}, ExitOK, []string{"gate holds"}, nil},
		{"a renamed clone of the same origin holds", []string{"check", renamed, "--baseline", base}, ExitOK, []string{"gate holds"}, nil},
		{"another target: no entry, both identities named", []string{"check", other, "--baseline", base}, ExitError, nil,
			[]string{`"app.git" (git git.example.com/acme/app)`, `"app.git" (git git.example.com/other/app)`, "cdaudit baseline"}},
		{"another window length", []string{"check", app, "--baseline", base, "--since", "2026-03-16"}, ExitError, nil,
			[]string{"28-day window, this audit 14-day", "--since 28d"}},
		{"another catalogue", []string{"check", app, "--baseline", badCat}, ExitError, nil, []string{"sha256:000000000000", "catalogue"}},
		{"nothing to check", []string{"check", app, "--no-store"}, ExitError, nil, []string{"nothing to check", "--baseline FILE", "--require"}},
		{"required and unknown: said, not failed", []string{"check", app, "--baseline", base, "--require", unknownDim + "=2"}, ExitOK,
			[]string{"could not be checked", "? app.git: " + unknownDim + " is unknown now"}, nil},
		{"required and unknown, --unknown=fail", []string{"check", app, "--baseline", base, "--require", unknownDim + "=2", "--unknown", "fail"},
			ExitGateFailed, []string{"✗ app.git: " + unknownDim + " is unknown now"}, nil},
		{"below a required minimum: what holds it down", []string{"check", app, "--baseline", base, "--require", "ci=5"}, ExitGateFailed,
			[]string{"✗ app.git: ci is ", "below the required 5; held down by ci."}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout, stderr)
			}
			if code == ExitError && (strings.Contains(stdout, "gate holds") || strings.Count(stderr, "\n") != 1) {
				t.Errorf("an error must be one line, and never say the gate holds:\n%s\n%s", stdout, stderr)
			}
			if strings.Contains(stderr, "s3cret") || strings.Contains(stdout, "s3cret") {
				t.Error("the origin URL's credentials were printed")
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout does not say %q:\n%s", s, stdout)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not say %q:\n%s", s, stderr)
				}
			}
		})
	}

	t.Run("JSON verdict and Markdown summary name the evidence", func(t *testing.T) {
		summary := filepath.Join(t.TempDir(), "summary.md")
		code, stdout, stderr := run("check", app, "--baseline", base, "--require", "ci=5", "--format", "json", "--summary", summary)
		if code != ExitGateFailed {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var v struct {
			Holds    bool           `json:"holds"`
			Baseline string         `json:"baseline"`
			Failures []gate.Failure `json:"failures"`
		}
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, stdout)
		}
		evidenced := false
		for _, f := range v.Failures {
			for _, h := range f.HeldBy {
				evidenced = evidenced || h.Criterion != "" && len(h.Measurements) > 0
			}
		}
		if v.Holds || v.Baseline != base || len(v.Failures) != 1 || !evidenced {
			t.Fatalf("the JSON verdict lacks what holds ci down, with criterion and measurements: %s", stdout)
		}
		md, _ := os.ReadFile(summary)
		if !strings.Contains(string(md), "held down by "+v.Failures[0].HeldBy[0].Dimension) {
			t.Errorf("the summary does not name what holds ci down:\n%.600s", md)
		}
	})
	t.Run("baseline says what it wrote", func(t *testing.T) {
		code, _, stderr := runWithStore(t, db, "baseline", app, "-o", filepath.Join(t.TempDir(), "b.json"), "--since", "2026-03-02", "--until", "2026-03-30")
		if code != 0 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `wrote baseline`) ||
			!strings.Contains(stderr, "28-day window") || !strings.Contains(stderr, "git.example.com/acme/app") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}
