package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cdaudit/cdaudit/model"
)

// casebookCase is one file of testdata/casebook: an assessor's reading of a
// real repository, written before the tool was run on it.
type casebookCase struct {
	Repo   string `yaml:"repo"`
	Mirror string `yaml:"mirror"`
	Commit string `yaml:"commit"`
	Branch string `yaml:"branch"`
	Window struct {
		Since string `yaml:"since"`
		Until string `yaml:"until"`
	} `yaml:"window"`
	Style    string `yaml:"style"`
	Readings map[string]struct {
		Level string `yaml:"level"`
		Why   string `yaml:"why"`
	} `yaml:"readings"`
}

// reading is one alternative of a casebook level: a range of judged levels,
// or unknown with a minimum proven floor.
type reading struct {
	unknown bool
	lo, hi  int // the range when judged; lo is the floor when unknown
}

func parseReading(s string) ([]reading, error) {
	var out []reading
	for _, alt := range strings.Split(s, "|") {
		alt = strings.TrimSpace(alt)
		switch {
		case alt == "unknown":
			out = append(out, reading{unknown: true})
		case strings.HasPrefix(alt, "unknown>="):
			n, err := strconv.Atoi(strings.TrimPrefix(alt, "unknown>="))
			if err != nil {
				return nil, fmt.Errorf("reading %q: %w", alt, err)
			}
			out = append(out, reading{unknown: true, lo: n})
		default:
			lo, hi, found := strings.Cut(alt, "-")
			a, err := strconv.Atoi(lo)
			if err != nil {
				return nil, fmt.Errorf("reading %q: %w", alt, err)
			}
			b := a
			if found {
				if b, err = strconv.Atoi(hi); err != nil {
					return nil, fmt.Errorf("reading %q: %w", alt, err)
				}
			}
			out = append(out, reading{lo: a, hi: b})
		}
	}
	return out, nil
}

// agrees says whether the tool's result for a dimension is one the reading
// accepts.
func agrees(alts []reading, d model.DimensionResult) bool {
	for _, r := range alts {
		switch {
		case r.unknown && d.Level == nil:
			floor := 1
			if d.LowerBound != nil {
				floor = *d.LowerBound
			}
			if floor >= r.lo {
				return true
			}
		case !r.unknown && d.Level != nil && *d.Level >= r.lo && *d.Level <= r.hi:
			return true
		}
	}
	return false
}

func describe(d model.DimensionResult) string {
	if d.Level != nil {
		return "L" + strconv.Itoa(*d.Level)
	}
	if d.LowerBound != nil {
		return "unknown (≥" + strconv.Itoa(*d.LowerBound) + ")"
	}
	return "unknown"
}

func TestParseReading(t *testing.T) {
	three, two := 3, 2
	for _, c := range []struct {
		in   string
		d    model.DimensionResult
		want bool
	}{
		{"3", model.DimensionResult{Level: &three}, true},
		{"1-2", model.DimensionResult{Level: &three}, false},
		{"unknown", model.DimensionResult{LowerBound: &two}, true},
		{"unknown>=3", model.DimensionResult{LowerBound: &two}, false},
		{"2|unknown>=2", model.DimensionResult{LowerBound: &two}, true},
		{"unknown", model.DimensionResult{Level: &two}, false},
	} {
		alts, err := parseReading(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := agrees(alts, c.d); got != c.want {
			t.Errorf("%q vs %s: %v, want %v", c.in, describe(c.d), got, c.want)
		}
	}
}

// TestCasebook audits the real repositories of testdata/casebook (mirrors
// in $CDAUDIT_CASEBOOK) and compares each dimension with the assessor's
// reading. CDAUDIT_CASEBOOK_OUT names a Markdown file for the table.
func TestCasebook(t *testing.T) {
	dir := os.Getenv("CDAUDIT_CASEBOOK")
	if dir == "" {
		t.Skip("set CDAUDIT_CASEBOOK to a directory of mirrors (owner+name/repo or owner+name.git)")
	}
	files, err := filepath.Glob("../../testdata/casebook/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no casebook files: %v", err)
	}
	var table strings.Builder
	cells, agreed := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c casebookCase
		if err := yaml.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		mirror := filepath.Join(dir, c.Mirror, "repo")
		if _, err := os.Stat(mirror); err != nil {
			mirror = filepath.Join(dir, c.Mirror+".git")
		}
		if _, err := os.Stat(mirror); err != nil {
			t.Errorf("%s: no mirror of %s in %s", filepath.Base(f), c.Repo, dir)
			continue
		}
		args := []string{"audit", mirror, "--since", c.Window.Since, "--until", c.Window.Until,
			"--format", "json", "--quiet", "--no-store"}
		if c.Branch != "" {
			args = append(args, "--branch", c.Branch)
		}
		rep, _ := runJSON(t, args...)
		dims := map[string]model.DimensionResult{}
		for _, p := range rep.Targets[0].Practices {
			for _, d := range p.Dimensions {
				dims[p.ID+"."+d.ID] = d
			}
		}
		fmt.Fprintf(&table, "\n### %s (%s … %s)\n\n| dimension | reading | cdaudit | agree |\n|---|---|---|---|\n", c.Repo, c.Window.Since, c.Window.Until)
		ids := make([]string, 0, len(c.Readings))
		for id := range c.Readings {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r := c.Readings[id]
			alts, err := parseReading(r.Level)
			if err != nil {
				t.Fatalf("%s: %s: %v", f, id, err)
			}
			d, ok := dims[id]
			if !ok {
				t.Errorf("%s: no dimension %s in the report", filepath.Base(f), id)
				continue
			}
			cells++
			mark := "no"
			if agrees(alts, d) {
				agreed++
				mark = "yes"
			} else {
				t.Logf("%s %s: reading %s, cdaudit %s (%s)", c.Mirror, id, r.Level, describe(d), strings.Join(d.Reasons, "; "))
			}
			fmt.Fprintf(&table, "| `%s` | %s | %s | %s |\n", id, r.Level, describe(d), mark)
		}
	}
	share := float64(agreed) / float64(max(cells, 1))
	summary := fmt.Sprintf("%d of %d cells agree (%.0f %%)", agreed, cells, 100*share)
	t.Log(summary)
	if out := os.Getenv("CDAUDIT_CASEBOOK_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(summary+"\n"+table.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if share < 0.9 {
		t.Errorf("agreement %s is below the 90 %% target", summary)
	}
}
