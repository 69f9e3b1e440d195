package model

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the generated tables in docs/")

// TestMeasurementCatalogue: ids are unique, every entry is complete, and
// every MeasurementID constant has an entry and vice versa.
func TestMeasurementCatalogue(t *testing.T) {
	seen := map[MeasurementID]bool{}
	defined := map[string]bool{}
	for _, d := range MeasurementCatalogue() {
		if seen[d.ID] {
			t.Errorf("%s defined twice", d.ID)
		}
		seen[d.ID] = true
		if !d.Family() {
			defined[string(d.ID)] = true
		}
		if d.Unit == "" || d.Kind == "" || d.Section == "" || d.Doc == "" {
			t.Errorf("%s: incomplete definition %+v", d.ID, d)
		}
		if _, pct := d.ID.Percentile(); pct != (d.Kind == MeasurePercentile) {
			t.Errorf("%s: kind %s, but the id says percentile=%v", d.ID, d.Kind, pct)
		}
	}
	f, err := parser.ParseFile(token.NewFileSet(), "measurement_ids.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, _ := strconv.Unquote(lit.Value)
			consts[s] = true
		}
		return true
	})
	if d := cmp.Diff(defined, consts); d != "" {
		t.Errorf("constants and catalogue entries differ (-entries +constants):\n%s", d)
	}
}

func TestLookupMeasurement(t *testing.T) {
	tests := []struct {
		id   MeasurementID
		want MeasurementID
		ok   bool
	}{
		{GitCommits, GitCommits, true},
		{TriggerRunsID(TriggerPush), "ci.trigger.<trigger>.runs", true},
		{StageDurationP50ID("build"), "ci.stage_duration_seconds.<stage>.p50", true},
		{"ci.trigger..runs", "", false},
		{"ci.stage_duration_seconds.build.p90", "", false},
		{"git.commit", "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			d, ok := LookupMeasurement(tt.id)
			if d.ID != tt.want || ok != tt.ok {
				t.Errorf("LookupMeasurement(%q) = %q, %v; want %q, %v", tt.id, d.ID, ok, tt.want, tt.ok)
			}
		})
	}
}

// docTable renders one section's table as the docs show it: consecutive
// entries with the same unit and definition share a row.
func docTable(sec Section) string {
	var b strings.Builder
	git := sec == SectionGit
	if git {
		b.WriteString("| id | unit | definition | the same figure with `git` |\n|---|---|---|---|\n")
	} else {
		b.WriteString("| id | unit | definition |\n|---|---|---|\n")
	}
	var row []MeasurementDef
	flush := func() {
		if len(row) == 0 {
			return
		}
		ids := make([]string, len(row))
		base := func(id MeasurementID) string {
			if _, ok := id.Percentile(); ok {
				return string(id[:strings.LastIndex(string(id), ".")])
			}
			return string(id)
		}
		for i, d := range row {
			ids[i] = "`" + string(d.ID) + "`"
			if i > 0 && base(d.ID) == base(row[0].ID) && base(d.ID) != string(d.ID) {
				ids[i] = "`" + string(d.ID[len(base(d.ID)):]) + "`"
			}
		}
		d := row[0]
		fmt.Fprintf(&b, "| %s | %s | %s |", strings.Join(ids, ", "), d.Unit, d.Doc)
		if git {
			if d.Git != "" {
				fmt.Fprintf(&b, " %s |", d.Git)
			} else {
				b.WriteString(" |")
			}
		}
		b.WriteString("\n")
		row = nil
	}
	for _, d := range MeasurementCatalogue() {
		if d.Section != sec {
			continue
		}
		if len(row) > 0 && (row[0].Unit != d.Unit || row[0].Doc != d.Doc || row[0].Git != d.Git) {
			flush()
		}
		row = append(row, d)
	}
	flush()
	return b.String()
}

// TestMeasurementDocs: the measurement tables in docs/ are generated from
// the catalogue (go test ./model -run TestMeasurementDocs -update rewrites them).
func TestMeasurementDocs(t *testing.T) {
	files := map[string][]Section{
		"measurements.md":    {SectionGit},
		"measurements-ci.md": {SectionCI, SectionTests, SectionChanges, SectionProtection, SectionDelivery},
	}
	for name, secs := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "docs", name)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc := string(b)
			want := doc
			for _, sec := range secs {
				begin := "<!-- BEGIN generated measurement table: " + string(sec) + " -->\n"
				end := "<!-- END generated measurement table: " + string(sec) + " -->"
				i, j := strings.Index(want, begin), strings.Index(want, end)
				if i < 0 || j < i {
					t.Fatalf("%s: markers for section %s not found", name, sec)
				}
				want = want[:i+len(begin)] + docTable(sec) + want[j:]
			}
			if want == doc {
				return
			}
			if *update {
				if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("docs/%s is out of date with the catalogue; run go test ./model -run TestMeasurementDocs -update (-file +catalogue):\n%s",
				name, cmp.Diff(doc, want))
		})
	}
}
