package gate

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sampleReport() *model.Report {
	r := result(map[string]float64{"git.integrations_per_dev_day": 1.2, "ci.feedback_seconds": -1},
		prac("ci", cites(dim("frequency", 3, measured), "git.integrations_per_dev_day"), dim("method", 0, "")))
	return &model.Report{
		Schema: model.ReportSchema, Version: "1.0.0",
		GeneratedAt: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC),
		Window:      model.Window{Since: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)},
		Targets:     []model.TargetResult{*r},
	}
}

func TestBaselineRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "baseline.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("baseline differs from %s (-want +got):\n%s", golden, diff)
	}
	got, err := ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sampleReport(), got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	// A report without a schema is written with the current one.
	r := sampleReport()
	r.Schema = ""
	buf.Reset()
	if err := WriteBaseline(&buf, r); err != nil || !strings.Contains(buf.String(), `"schema": "cdaudit.report/v1"`) {
		t.Errorf("WriteBaseline(no schema) = %v:\n%s", err, buf.String())
	}
}

func TestReadBaselineErrors(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		mismatch bool
		want     string
	}{
		{"other schema", `{"schema": "cdaudit.report/v2", "targets": []}`, true,
			`baseline has schema "cdaudit.report/v2", but this cdaudit reads "cdaudit.report/v1": write a new baseline with ` + "`cdaudit baseline`"},
		{"no schema", `{"targets": []}`, true, `baseline is not a cdaudit report: it has no "schema" field (want "cdaudit.report/v1")`},
		{"other document", `{"name": "package.json"}`, true, `no "schema" field`},
		{"array", `[1, 2]`, false, "baseline is not a valid cdaudit report: line 1, column"},
		{"broken JSON", "{\n  \"schema\": \"cdaudit.report/v1\",\n  \"targets\": [\n}", false, "line 4, column 1"},
		{"wrong types", "{\"schema\": \"cdaudit.report/v1\",\n\"targets\": {\"a\": 1}}", false, "line 2"},
		{"empty", "  \n", false, "baseline is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBaseline(strings.NewReader(tc.in))
			if err == nil {
				t.Fatal("ReadBaseline succeeded")
			}
			if got := errors.Is(err, ErrSchemaMismatch); got != tc.mismatch {
				t.Errorf("errors.Is(ErrSchemaMismatch) = %v for %v", got, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
	if err := WriteBaseline(&bytes.Buffer{}, &model.Report{Schema: "other/v9"}); !errors.Is(err, ErrSchemaMismatch) {
		t.Errorf("WriteBaseline(other schema) = %v", err)
	}
	if err := WriteBaseline(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteBaseline(nil) succeeded")
	}
}

func TestBaselineGate(t *testing.T) {
	// The end-to-end use: a committed baseline, a later audit that fell.
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	base, err := ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	cur := sampleReport()
	cur.Targets[0].Practices[0].Dimensions[0].Level = model.IntPtr(2)
	cur.Targets[0].Measurements.Set("git.integrations_per_dev_day", 0.4, 1)
	res := CheckReport(cur, base, nil, UnknownIgnore)
	if res.Holds || len(res.Failures) != 1 {
		t.Fatalf("CheckReport = %+v, want one failure", res)
	}
	want := "app: ci.frequency fell from 3 to 2 (measured): git.integrations_per_dev_day 1.2 → 0.4"
	if got := res.Failures[0].String(); got != want {
		t.Errorf("failure %q, want %q", got, want)
	}
}
