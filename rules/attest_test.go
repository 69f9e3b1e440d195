package rules

import (
	"strings"
	"testing"

	"github.com/cdaudit/cdaudit/model"
)

// Unverified (config) attestations are reported but raise no level unless
// allowed; signed ones raise it and name their signer.
func TestUnverifiedAttestations(t *testing.T) {
	day := func(d int) model.Attestation {
		return model.Attestation{Practice: "build", Dimension: "ownership", Level: 3, By: "lead@example.com",
			Date: window.Until.AddDate(0, 0, d), Expires: window.Until.AddDate(0, 0, 100), Evidence: "https://wiki.example.com/b"}
	}
	unsigned, signed := day(-10), day(-10)
	unsigned.Unverified = true
	signed.Key, signed.File = "SHA256:abc", ".cdaudit/attestations/build.yaml"
	for _, tc := range []struct {
		name       string
		att        model.Attestation
		allow      bool
		want, note string
		warn       bool
	}{
		{"unsigned raises nothing", unsigned, false, "unknown ≥1", "unverified attestation of L3 by lead@example.com", true},
		{"unsigned allowed", unsigned, true, "L3 attested", "attested by lead@example.com (unverified)", false},
		{"signed", signed, false, "L3 attested", "attested by lead@example.com (SSH-signed)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := gitEvidence()
			ev.Window = window
			ps, warns := Judge(Input{Catalogue: cat(t), Evidence: ev, Measurements: model.Measurements{},
				Attestations: []model.Attestation{tc.att}, AllowUnsigned: tc.allow, Now: window.Until})
			var d model.DimensionResult
			for _, p := range ps {
				for _, x := range p.Dimensions {
					if p.ID == "build" && x.ID == "ownership" {
						d = x
					}
				}
			}
			if g := got(d); g != tc.want {
				t.Errorf("got %s, want %s", g, tc.want)
			}
			if !strings.Contains(strings.Join(d.Reasons, "\n"), tc.note) {
				t.Errorf("reasons %q lack %q", d.Reasons, tc.note)
			}
			if (len(warns) > 0) != tc.warn {
				t.Errorf("warnings = %q, want warning %v", warns, tc.warn)
			}
		})
	}
}
