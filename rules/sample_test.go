package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/cdaudit/cdaudit/model"
)

// TestTooFewIsUnknown: a share over fewer events than the documented
// minimum sample is unknown, "too few", not a level decided by one event.
func TestTooFewIsUnknown(t *testing.T) {
	sample := func(id string, v float64, n int) model.Measurements {
		ms := set("git.commits", 10, "git.integrations", 10, "git.tags", 1)
		ms.Set(model.MeasurementID(id), v, n)
		return ms
	}
	for _, tc := range []struct {
		name, dim string
		ms        model.Measurements
		want      string
		tooFew    bool
	}{
		{"one tag shows no version rule", "traceability.change-tracing", sample("git.tags_semver_ratio", 1, 1), "unknown ≥1", true},
		{"three tags do", "traceability.change-tracing", sample("git.tags_semver_ratio", 1, 3), "unknown ≥2", false},
		{"four human commits show no linking habit", "traceability.change-process", sample("git.issue_ref_ratio", 0, 4), "unknown ≥1", true},
		// ten are judged: none references an issue (still unknown: a host's
		// linked changes could show more)
		{"ten do", "traceability.change-process", sample("git.issue_ref_ratio", 0, 10), "unknown ≥1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Tags = []model.Tag{{Name: "v1.0.0", Committed: window.Since.Add(time.Hour)}}
			dims, _, _ := judgeAll(t, ev, tc.ms)
			d := dims[tc.dim]
			if g := got(d); g != tc.want {
				t.Errorf("%s = %s, want %s; reasons:\n%v", tc.dim, g, tc.want, d.Reasons)
			}
			if strings.Contains(strings.Join(d.Reasons, " "), "too few") != tc.tooFew {
				t.Errorf("too few = %v, want %v: %v", !tc.tooFew, tc.tooFew, d.Reasons)
			}
		})
	}
}
