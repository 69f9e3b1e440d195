package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// TestTrunkAtTheWindowsEnd: every report format names the commit the tree
// and CI configuration were read at, and its date; JSON as a field of the
// target.
func TestTrunkAtTheWindowsEnd(t *testing.T) {
	r := sampleMeasured()
	r.Targets[0].Trunk = &model.TrunkAt{Commit: "0123456789abcdef0123456789abcdef01234567",
		Committed: time.Date(2025, 6, 30, 17, 4, 0, 0, time.UTC)}
	for _, f := range []Format{FormatText, FormatMarkdown, FormatHTML, FormatJSON} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, r, f, Options{Catalogue: fixtureCatalogue()}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			want := []string{"0123456789ab", "2025-06-30"}
			if f == FormatJSON {
				want = []string{`"trunk": {`, `"commit": "0123456789abcdef0123456789abcdef01234567"`, `"committed": "2025-06-30T17:04:00Z"`}
				if err := Validate(buf.Bytes()); err != nil {
					t.Errorf("schema: %v", err)
				}
			}
			for _, w := range want {
				if !strings.Contains(out, w) {
					t.Errorf("%s report does not name %q", f, w)
				}
			}
		})
	}
}
