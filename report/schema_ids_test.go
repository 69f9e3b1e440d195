package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// measurementIDSchema is the schema's measurement_id definition, generated
// from the measurement catalogue: an id of the catalogue, or a member of one
// of its families.
func measurementIDSchema(t *testing.T) string {
	t.Helper()
	var ids []string
	var fams []map[string]any
	for _, d := range model.MeasurementCatalogue() {
		if !d.Family() {
			ids = append(ids, string(d.ID))
			continue
		}
		pat := regexp.QuoteMeta(string(d.ID))
		pat = regexp.MustCompile(`<[a-z]+>`).ReplaceAllString(pat, "[a-z0-9_]+")
		fams = append(fams, map[string]any{"pattern": "^" + pat + "$"})
	}
	def := map[string]any{
		"description": "A measurement id of the catalogue (docs/measurements.md, docs/measurements-ci.md).",
		"anyOf":       append([]map[string]any{{"enum": ids}}, fams...),
	}
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSchemaMeasurementIDs: the schema's measurement_id enum is generated
// from the catalogue (go test ./report -run TestSchemaMeasurementIDs -update).
func TestSchemaMeasurementIDs(t *testing.T) {
	path := filepath.Join("schema", "report.v1.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const key = `    "measurement_id": `
	doc := string(b)
	i := strings.Index(doc, key)
	if i < 0 {
		t.Fatal("schema lacks $defs.measurement_id")
	}
	j := i + strings.Index(doc[i:], "\n")
	want := doc[:i] + key + measurementIDSchema(t) + ",\n" + doc[j+1:]
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is out of date with the catalogue (-file +catalogue):\n%s", path, cmp.Diff(doc, want))
}

func TestSchemaRejectsUnknownMeasurementID(t *testing.T) {
	tests := []struct {
		id string
		ok bool
	}{
		{"git.commits", true},
		{"ci.trigger.nightly_build.runs", true},
		{"ci.stage_duration_seconds.e2e.p50", true},
		{"ci.pr_head_coverage_rati", false},
		{"ci.trigger.Push.runs", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			doc := `{"schema":"cdaudit.report/v1","generated_at":"2026-01-01T00:00:00Z",` +
				`"window":{"since":"2025-10-01T00:00:00Z","until":"2026-01-01T00:00:00Z"},` +
				`"targets":[{"name":"t","sources":[],"practices":[],"measurements":{"` + tt.id + `":{"value":1,"unit":"x","n":1}}}]}`
			err := Validate([]byte(doc))
			if (err == nil) != tt.ok {
				t.Errorf("Validate with %q: %v, want ok=%v", tt.id, err, tt.ok)
			}
		})
	}
}
