package gate

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// testCatalogue is a hand-built catalogue (the embedded one is filled in
// elsewhere).
func testCatalogue() *model.Catalogue {
	d := func(id string) model.Dimension { return model.Dimension{ID: id, AutomaticMax: 3} }
	return &model.Catalogue{Practices: []model.Practice{
		{ID: "version-control", Dimensions: []model.Dimension{d("vcs"), d("branching"), d("artifacts")}},
		{ID: "ci", Dimensions: []model.Dimension{d("frequency"), d("method")}},
		{ID: "testing", Dimensions: []model.Dimension{d("coverage")}},
	}}
}

func TestParseRequirements(t *testing.T) {
	cases := []struct {
		in      string
		want    []Requirement
		wantErr string // substring of the error
	}{
		{in: "", want: nil},
		{in: " , ", want: nil},
		{in: "ci=3", want: []Requirement{{Practice: "ci", Level: 3}}},
		{in: "ci=3,version-control.branching=3", want: []Requirement{
			{Practice: "ci", Level: 3}, {Practice: "version-control", Dimension: "branching", Level: 3}}},
		{in: " CI = 2 , testing.coverage=1,", want: []Requirement{
			{Practice: "ci", Level: 2}, {Practice: "testing", Dimension: "coverage", Level: 1}}},
		{in: "ci", wantErr: `requirement "ci": want PRACTICE=LEVEL or PRACTICE.DIMENSION=LEVEL`},
		{in: "=3", wantErr: "want PRACTICE=LEVEL"},
		{in: "ci=", wantErr: "want PRACTICE=LEVEL"},
		{in: "ci=three", wantErr: `level "three" is not a whole number from 1 to 5`},
		{in: "ci=6", wantErr: "level 6 is out of range: levels run from 1 to 5"},
		{in: "ci=0", wantErr: "level 0 is out of range"},
		{in: "cj=3", wantErr: `unknown practice "cj"; did you mean "ci"? (practices: version-control, ci, testing)`},
		{in: "deploy=3", wantErr: `unknown practice "deploy" (practices: version-control, ci, testing)`},
		{in: "ci.freqency=3", wantErr: `practice "ci" has no dimension "freqency"; did you mean "frequency"? (its dimensions: frequency, method)`},
		{in: "ci=3,ci=4", wantErr: "ci is required twice (ci=3 and ci=4)"},
		{in: "ci.method=3, ci.method=3", wantErr: "required twice"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRequirements(tc.in, testCatalogue())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				var re *RequirementError
				if !errors.As(err, &re) {
					t.Errorf("error %T, want *RequirementError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := ParseRequirements("ci=3", nil); err == nil {
		t.Error("nil catalogue accepted")
	}
}

func TestRequirementString(t *testing.T) {
	for _, r := range []Requirement{{Practice: "ci", Level: 3}, {Practice: "version-control", Dimension: "branching", Level: 2}} {
		back, err := ParseRequirements(r.String(), testCatalogue())
		if err != nil || len(back) != 1 || back[0] != r {
			t.Errorf("%v → %q → %v, %v", r, r.String(), back, err)
		}
	}
}

func TestParseUnknownPolicy(t *testing.T) {
	cases := []struct {
		in   string
		want UnknownPolicy
		err  bool
	}{
		{"", UnknownIgnore, false}, {"ignore", UnknownIgnore, false}, {"FAIL", UnknownFail, false}, {"warn", "", true},
	}
	for _, tc := range cases {
		got, err := ParseUnknownPolicy(tc.in)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("ParseUnknownPolicy(%q) = %q, %v", tc.in, got, err)
		}
	}
}
