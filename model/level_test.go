package model

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPracticeAndDimensionLevel(t *testing.T) {
	dim := func(level, lb *int, basis Basis) DimensionResult {
		return DimensionResult{ID: "d", Level: level, LowerBound: lb, Basis: basis}
	}
	tests := []struct {
		name   string
		got    Level
		want   Level
		str    string
		short  string
		chip   string
		floor  int
		below3 bool
	}{
		{"known dimension", DimensionLevel(dim(IntPtr(3), nil, BasisMeasured)), Level{Known: true, Lo: 3, Hi: 3, Basis: BasisMeasured}, "3", "3", "L3", 3, false},
		{"attested dimension", DimensionLevel(dim(IntPtr(4), nil, BasisAttested)), Level{Known: true, Lo: 4, Hi: 4, Basis: BasisAttested}, "4", "4", "L4", 4, false},
		{"dimension with a lower bound", DimensionLevel(dim(nil, IntPtr(2), BasisUnknown)), Level{Lo: 2, Basis: BasisUnknown}, "unknown (≥ 2)", "≥2?", "≥2 unknown", 2, false},
		{"unknown dimension", DimensionLevel(dim(nil, nil, BasisUnknown)), Level{Basis: BasisUnknown}, "unknown", "?", "unknown", 1, false},
		{"known practice, attested at its level",
			PracticeLevel(PracticeResult{Level: IntPtr(2), Dimensions: []DimensionResult{dim(IntPtr(2), nil, BasisAttested), dim(IntPtr(3), nil, BasisMeasured)}}),
			Level{Known: true, Lo: 2, Hi: 2, Basis: BasisAttested}, "2", "2", "L2", 2, true},
		{"unknown practice with both bounds",
			PracticeResult{UpperBound: IntPtr(3), Dimensions: []DimensionResult{dim(IntPtr(3), nil, BasisMeasured), dim(nil, IntPtr(2), BasisUnknown)}}.level(),
			Level{Lo: 2, Hi: 3, Basis: BasisUnknown}, "unknown (≤ 3)", "≤3", "≤3 unknown", 2, false},
		{"unknown practice, one dimension without a bound",
			PracticeResult{Dimensions: []DimensionResult{dim(nil, IntPtr(2), BasisUnknown), dim(nil, nil, BasisUnknown)}}.level(),
			Level{Basis: BasisUnknown}, "unknown", "?", "unknown", 1, false},
		{"unknown practice bounded above by 2",
			PracticeResult{UpperBound: IntPtr(2), Dimensions: []DimensionResult{dim(IntPtr(2), nil, BasisMeasured), dim(nil, nil, BasisUnknown)}}.level(),
			Level{Hi: 2, Basis: BasisUnknown}, "unknown (≤ 2)", "≤2", "≤2 unknown", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, tt.got); d != "" {
				t.Fatalf("level (-want +got):\n%s", d)
			}
			got := []any{tt.got.String(), tt.got.Short(), tt.got.Chip(), tt.got.Floor(), tt.got.Below(3)}
			want := []any{tt.str, tt.short, tt.chip, tt.floor, tt.below3}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("String, Short, Chip, Floor, Below(3) (-want +got):\n%s", d)
			}
		})
	}
}

func (p PracticeResult) level() Level { return PracticeLevel(p) }

func TestLevelCompare(t *testing.T) {
	ordered := []Level{
		{Hi: 2, Basis: BasisUnknown}, // at most 2: below a level that could be anything
		{Basis: BasisUnknown},
		{Lo: 2, Hi: 3, Basis: BasisUnknown},
		{Lo: 2, Basis: BasisUnknown},
		KnownLevel(2, BasisMeasured),
		KnownLevel(3, BasisAttested),
	}
	for i, a := range ordered {
		for j, b := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("%+v.Compare(%+v) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v          float64
		unit       string
		want, bare string
	}{
		{412, "commits", "412 commits", "412"},
		{412, "count", "412", "412"},
		{0.8, UnitRatio, "80 %", "80 %"},
		{12.0 / 13.0, UnitRatio, "92.3 %", "92.3 %"},
		{0.095, "", "0.095", "0.095"},
		{18.5, UnitHours, "18.5 h", "18.5 h"},
		{90, UnitSeconds, "90 s", "90 s"},
		{300, UnitSeconds, "5 min", "5 min"},
		{45, UnitPercent, "45 %", "45 %"},
		{3, "per day", "3 per day", "3"},
		{-0.0, "", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatValue(tt.v, tt.unit); got != tt.want {
				t.Errorf("FormatValue(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
			}
			if got := FormatValueBare(tt.v, tt.unit); got != tt.bare {
				t.Errorf("FormatValueBare(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.bare)
			}
		})
	}
}
