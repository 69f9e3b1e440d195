package gate_test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/gate"
	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
)

// FuzzParseRequirements feeds --require values: an accepted list holds only
// catalogue ids with levels 1–5, and every error is one line.
func FuzzParseRequirements(f *testing.F) {
	for _, s := range []string{"ci=3", "ci=3,version-control.branching=3", "ci.frequency=5", " ci = 2 ,", "ci=0",
		"ci=9999999999999999999", "ci", "=3", "ci=3,ci=4", "ci.=3", ".x=1", "ci=-1", "ci=3\n"} {
		f.Add(s)
	}
	cat := model.MustCatalogue()
	f.Fuzz(func(t *testing.T, s string) {
		reqs, err := gate.ParseRequirements(s, cat)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		for _, r := range reqs {
			if r.Level < 1 || r.Level > 5 {
				t.Fatalf("%q accepted level %d", s, r.Level)
			}
			if _, ok := cat.Practice(r.Practice); !ok {
				t.Fatalf("%q accepted unknown practice %q", s, r.Practice)
			}
		}
	})
}

// FuzzReadReport feeds report JSON (a baseline or `check --report FILE`): a
// report that reads must survive the gate and every renderer without a panic.
func FuzzReadReport(f *testing.F) {
	if b, err := os.ReadFile("testdata/baseline.golden.json"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{`{"schema":"` + model.ReportSchema + `"}`, `{"schema":"` + model.ReportSchema + `","targets":[{}]}`,
		`{"schema":"` + model.ReportSchema + `","targets":[{"practices":[{"id":"ci","level":9,"dimensions":[{"id":"x","level":-3}]}]}]}`,
		`{"schema":"` + model.ReportSchema + `","targets":[{"measurements":{"a":{"value":null}}}]}`, `[]`, `{"schema":1}`, ``} {
		f.Add([]byte(s))
	}
	cat := model.MustCatalogue()
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := gate.ReadBaseline(bytes.NewReader(b))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		reqs, _ := gate.ParseRequirements("ci=3,version-control.branching=2", cat)
		for _, p := range []gate.UnknownPolicy{gate.UnknownIgnore, gate.UnknownFail} {
			gate.CheckReport(rep, rep, reqs, p)
		}
		for _, fm := range report.Formats() {
			_ = report.Render(io.Discard, rep, fm, report.Options{Catalogue: cat})
		}
	})
}
