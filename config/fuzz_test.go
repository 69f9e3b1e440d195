package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/model"
)

// FuzzParse feeds configuration files: Parse never panics, never hangs on
// aliases, and every error is one line.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("../examples/audit.yaml"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"since: 90d\ntargets:\n  - {name: a, path: ., labels: {team: x}}\n",
		"targets:\n  - name: a\n    github: o/r\n    gitlab: g/p\n",
		"thresholds:\n  ci:\n    stale_after_days: 3\n",
		"attestations:\n  - {practice: ci, dimension: frequency, level: 3, by: a@b, date: 2026-01-01, expires: 2027-01-01}\n",
		"a: &a [*a, *a]\nb: &b [*a, *a]\nc: [*b, *b]\n", "- 1\n- 2\n", "store: postgres://u:p@h/db\n",
		"targets: {a: 1}\n", "since: 99999y\n", "targets:\n  - name: a\n    name: b\n", "\t", "%YAML 1.1\n---\n",
	} {
		f.Add([]byte(s))
	}
	cat := model.MustCatalogue()
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := config.Parse("fuzz.yaml", b, cat)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("error is not one line: %q", err)
		}
	})
}
