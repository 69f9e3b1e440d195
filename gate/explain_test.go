package gate

import "testing"

func TestFailureString(t *testing.T) {
	cases := []struct {
		f    Failure
		want string
	}{
		{Failure{Practice: "ci", Dimension: "frequency", Kind: KindRegression, From: ip(3), To: ip(2), FromBasis: measured, ToBasis: measured,
			EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → 0.4"}},
			"ci.frequency fell from 3 to 2 (measured): git.integrations_per_dev_day 1.2 → 0.4"},
		{Failure{Target: "app", Practice: "ci", Dimension: "method", Kind: KindRegression, From: ip(4), To: ip(3), FromBasis: attested, ToBasis: measured},
			"app: ci.method fell from 4 (attested) to 3 (measured)"},
		{Failure{Practice: "ci", Kind: KindRegression, From: ip(3), To: ip(2), ToAtMost: true, FromBasis: measured, ToBasis: unknown,
			EvidenceChanged: []string{"a 1 → 2", "b unknown → 3"}},
			"ci fell from 3 (measured) to at most 2 (unknown): a 1 → 2; b unknown → 3"},
		{Failure{Practice: "ci", Kind: KindBelowMinimum, To: ip(2), ToBasis: measured, Required: 3},
			"ci is 2 (measured), below the required 3"},
		{Failure{Practice: "ci", Kind: KindBelowMinimum, To: ip(2), ToAtMost: true, ToBasis: unknown, Required: 3},
			"ci is at most 2 (unknown), below the required 3"},
		{Failure{Practice: "ci", Dimension: "frequency", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown},
			"ci.frequency is unknown now, was 3 (measured)"},
		{Failure{Practice: "ci", Kind: KindUnknown, From: ip(3), To: ip(3), ToAtMost: true, FromBasis: attested, Required: 2},
			"ci is unknown now (at most 3), was 3 (attested), required 2"},
		{Failure{Practice: "testing", Kind: KindUnknown, Required: 2}, "testing is unknown now, required 2"},
		{Failure{Practice: "x", Kind: "odd"}, "x odd"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.f.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestValueText(t *testing.T) {
	cases := []struct {
		v     float64
		known bool
		unit  string
		want  string
	}{
		{1.2, true, "", "1.2"}, {0.4, true, "", "0.4"}, {0.123456, true, "", "0.123"}, {123.456, true, "", "123.46"},
		{86400, true, "", "86400"}, {1234567.8, true, "", "1234567.8"}, {0, true, "", "0"}, {0, false, "", "unknown"},
		{-2.5, true, "", "-2.5"}, {0.8, true, "ratio", "80 %"}, {300, true, "seconds", "5 min"}, {5, true, "commits", "5"},
	}
	for _, tc := range cases {
		if got := valueText(tc.v, tc.known, tc.unit); got != tc.want {
			t.Errorf("valueText(%v, %v, %q) = %q, want %q", tc.v, tc.known, tc.unit, got, tc.want)
		}
	}
}

func TestMentions(t *testing.T) {
	cases := []struct {
		text, id string
		want     bool
	}{
		{"git.commits: 40", "git.commits", true},
		{"see git.commits.", "git.commits", true},
		{"git.commits_per_day is 3", "git.commits", false},
		{"xgit.commits", "git.commits", false},
		{"git.commits.total", "git.commits", false},
		{"a git.commits_x and git.commits", "git.commits", true},
		{"anything", "", false},
	}
	for _, tc := range cases {
		if got := mentions(tc.text, tc.id); got != tc.want {
			t.Errorf("mentions(%q, %q) = %v, want %v", tc.text, tc.id, got, tc.want)
		}
	}
}
