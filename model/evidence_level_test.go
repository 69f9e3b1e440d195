package model

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEvidenceLevelOf(t *testing.T) {
	meas := func(id string, l int) DimensionResult {
		return DimensionResult{ID: id, Level: IntPtr(l), MeasuredLevel: IntPtr(l), Basis: BasisMeasured, AutomaticMax: 4}
	}
	unknown := func(id string, lb int) DimensionResult {
		return DimensionResult{ID: id, LowerBound: IntPtr(lb), Basis: BasisUnknown, AutomaticMax: 4}
	}
	// Only a person can say more: left out of the evidence level.
	attOnly := DimensionResult{ID: "ownership", LowerBound: IntPtr(1), Basis: BasisUnknown, AutomaticMax: 1, NeedsAttestation: true}
	attested := DimensionResult{ID: "service", Level: IntPtr(4), MeasuredLevel: IntPtr(2), Basis: BasisAttested, AutomaticMax: 2}
	tests := []struct {
		name string
		ps   []PracticeResult
		want EvidenceLevel
	}{
		{"attestation-only dimensions do not pin it at L1",
			[]PracticeResult{{ID: "build", Dimensions: []DimensionResult{meas("method", 3), attOnly}}},
			EvidenceLevel{Level: IntPtr(3), Dimensions: 1, HeldBy: []string{"build.method"}}},
		{"an attestation does not raise it",
			[]PracticeResult{{ID: "ci", Dimensions: []DimensionResult{meas("frequency", 3), attested}}},
			EvidenceLevel{Level: IntPtr(2), Dimensions: 2, HeldBy: []string{"ci.service"}}},
		{"an unknown dimension that proved as much leaves it certain",
			[]PracticeResult{{ID: "ci", Dimensions: []DimensionResult{meas("frequency", 2), unknown("method", 2)}}},
			EvidenceLevel{Level: IntPtr(2), Dimensions: 2, Unknown: 1, HeldBy: []string{"ci.frequency"}}},
		{"an unknown dimension below the lowest measured bounds it",
			[]PracticeResult{{ID: "ci", Dimensions: []DimensionResult{meas("frequency", 3), unknown("method", 1)}}},
			EvidenceLevel{LowerBound: IntPtr(1), UpperBound: IntPtr(3), Dimensions: 2, Unknown: 1, HeldBy: []string{"ci.frequency"}}},
		{"nothing measured",
			[]PracticeResult{{ID: "ci", Dimensions: []DimensionResult{unknown("method", 2), unknown("feedback", 1)}}},
			EvidenceLevel{LowerBound: IntPtr(1), Dimensions: 2, Unknown: 2, HeldBy: []string{"ci.feedback"}}},
		{"no dimension evidence can judge", []PracticeResult{{ID: "build", Dimensions: []DimensionResult{attOnly}}}, EvidenceLevel{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, EvidenceLevelOf(tt.ps)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if got := (EvidenceLevel{LowerBound: IntPtr(1), UpperBound: IntPtr(3)}).Value().Chip(); got != "≤3 unknown" {
		t.Errorf("chip = %q", got)
	}
}
