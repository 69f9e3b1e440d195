package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	cdmodel "github.com/cdaudit/cdaudit/model"
)

// Control characters in target names and label values (C0 with NUL, tab,
// CR and LF, ESC, DEL, C1, line separators) give an exposition that
// parses, passes promtool check metrics, and keeps every value exactly:
// the format escapes \, " and newline, and carries the rest as UTF-8.
func TestPrometheusControlCharacters(t *testing.T) {
	hostile := "a\x00b\tc\rd\ne\x1b[31mf\x7fg\u0085h\u2028i\\j\"k"
	audits := []Audit{{
		At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Result: cdmodel.TargetResult{
			Name:    "acme/" + hostile,
			Labels:  map[string]string{"team": hostile, "owner": "\x1b]0;title\x07"},
			Sources: []cdmodel.SourceStatus{{Kind: "git", Status: cdmodel.StatusOK}},
		},
	}}
	var buf bytes.Buffer
	if err := WritePrometheus(&buf, audits); err != nil {
		t.Fatal(err)
	}
	promtoolCheck(t, buf.Bytes())
	mfs := parseExposition(t, buf.Bytes())
	info := mfs[targetInfoName]
	if info == nil || len(info.Metric) != 1 {
		t.Fatalf("%s = %v, want one series", targetInfoName, info)
	}
	want := map[string]string{"target": "acme/" + hostile, "team": hostile, "owner": "\x1b]0;title\x07"}
	if diff := cmp.Diff(want, labelsOf(info.Metric[0])); diff != "" {
		t.Errorf("label values (-want +got):\n%s", diff)
	}
	for _, name := range []string{"cdaudit_audit_success", "cdaudit_source_up"} {
		if mf := mfs[name]; mf == nil || len(mf.Metric) != 1 || labelsOf(mf.Metric[0])["target"] != "acme/"+hostile {
			t.Errorf("%s does not carry the target name intact: %v", name, mf)
		}
	}
}
