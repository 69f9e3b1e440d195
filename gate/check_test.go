package gate

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

// dim builds a dimension; level 0 means unknown.
func dim(id string, level int, basis model.Basis) model.DimensionResult {
	d := model.DimensionResult{ID: id, Basis: basis, AutomaticMax: 4}
	if level > 0 {
		d.Level = model.IntPtr(level)
		if basis == model.BasisMeasured {
			d.MeasuredLevel = model.IntPtr(level)
		}
	} else {
		d.Basis = model.BasisUnknown
	}
	return d
}

func lowerBound(d model.DimensionResult, lb int) model.DimensionResult {
	d.LowerBound = model.IntPtr(lb)
	return d
}

func cites(d model.DimensionResult, ids ...string) model.DimensionResult {
	for _, id := range ids {
		d.Evidence = append(d.Evidence, model.Ref{Kind: model.RefMeasure, Ref: id})
	}
	return d
}

func reason(d model.DimensionResult, r string) model.DimensionResult {
	d.Reasons = append(d.Reasons, r)
	return d
}

// prac builds a practice the way rules do: the lowest dimension level when
// all are known, else the lowest known one as upper bound.
func prac(id string, dims ...model.DimensionResult) model.PracticeResult {
	p := model.PracticeResult{ID: id, Dimensions: dims}
	all := true
	for _, d := range dims {
		if d.Level == nil {
			all = false
			continue
		}
		if p.UpperBound == nil || *d.Level < *p.UpperBound {
			p.UpperBound = model.IntPtr(*d.Level)
		}
	}
	if all && p.UpperBound != nil {
		p.Level = model.IntPtr(*p.UpperBound)
	}
	return p
}

func result(ms map[string]float64, ps ...model.PracticeResult) *model.TargetResult {
	r := &model.TargetResult{Name: "app", Measurements: model.Measurements{}, Practices: ps}
	for id, v := range ms {
		if v < 0 {
			r.Measurements[id] = model.Measurement{ID: id, Note: "not collected"}
			continue
		}
		r.Measurements[id] = model.Measurement{ID: id, Value: v, Known: true, N: 1}
	}
	return r
}

func ip(v int) *int { return &v }

const (
	measured = model.BasisMeasured
	attested = model.BasisAttested
	unknown  = model.BasisUnknown
)

func TestCheck(t *testing.T) {
	freq := func(level int) model.DimensionResult {
		return cites(dim("frequency", level, measured), "git.integrations_per_dev_day")
	}
	ms := func(v float64) map[string]float64 {
		return map[string]float64{"git.integrations_per_dev_day": v, "git.commits": 40}
	}
	base := result(ms(1.2), prac("ci", freq(3), dim("method", 3, measured)))

	cases := []struct {
		name     string
		current  *model.TargetResult
		baseline *model.TargetResult
		reqs     []Requirement
		policy   UnknownPolicy
		want     Result
	}{
		{
			name: "unchanged", current: result(ms(1.2), prac("ci", freq(3), dim("method", 3, measured))), baseline: base,
			want: Result{Holds: true},
		},
		{
			name: "improved", current: result(ms(2), prac("ci", freq(4), dim("method", 3, measured))), baseline: base,
			want: Result{Holds: true},
		},
		{
			name: "dimension fell", current: result(ms(0.4), prac("ci", freq(2), dim("method", 3, measured))), baseline: base,
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindRegression, From: ip(3), To: ip(2), FromBasis: measured, ToBasis: measured,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → 0.4"}},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindRegression, From: ip(3), To: ip(2),
					FromBasis: measured, ToBasis: measured, EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → 0.4"}},
			}},
		},
		{
			name: "attestation expired", current: result(ms(1.2), prac("ci", freq(3), dim("method", 2, measured))),
			baseline: result(ms(1.2), prac("ci", freq(3), dim("method", 4, attested))),
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindRegression, From: ip(3), To: ip(2), FromBasis: measured, ToBasis: measured},
				{Target: "app", Practice: "ci", Dimension: "method", Kind: KindRegression, From: ip(4), To: ip(2),
					FromBasis: attested, ToBasis: measured},
			}},
		},
		{
			name: "attested practice level", current: result(ms(1.2), prac("ci", freq(3), dim("method", 2, measured))),
			baseline: result(ms(1.2), prac("ci", freq(4), dim("method", 3, attested))),
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindRegression, From: ip(3), To: ip(2), FromBasis: attested, ToBasis: measured},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindRegression, From: ip(4), To: ip(3),
					FromBasis: measured, ToBasis: measured},
				{Target: "app", Practice: "ci", Dimension: "method", Kind: KindRegression, From: ip(3), To: ip(2),
					FromBasis: attested, ToBasis: measured},
			}},
		},
		{
			name: "unknown now is ignored by default", current: result(ms(-1), prac("ci", freq(0), dim("method", 3, measured))), baseline: base,
			want: Result{Holds: true, Ignored: []Failure{
				{Target: "app", Practice: "ci", Kind: KindUnknown, From: ip(3), To: ip(3), ToAtMost: true, FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
			}},
		},
		{
			name: "unknown now fails with policy fail", current: result(ms(-1), prac("ci", freq(0), dim("method", 3, measured))), baseline: base,
			policy: UnknownFail,
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindUnknown, From: ip(3), To: ip(3), ToAtMost: true, FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
			}},
		},
		{
			name: "proven lower bound keeps the baseline", policy: UnknownFail, baseline: base,
			current: result(ms(1.2), prac("ci", lowerBound(freq(0), 3), dim("method", 3, measured))),
			want:    Result{Holds: true},
		},
		{
			name: "upper bound below the baseline is a regression", baseline: base,
			current: result(ms(1.2), prac("ci", freq(0), dim("method", 2, measured))),
			want: Result{
				Failures: []Failure{
					{Target: "app", Practice: "ci", Kind: KindRegression, From: ip(3), To: ip(2), ToAtMost: true, FromBasis: measured, ToBasis: unknown},
					{Target: "app", Practice: "ci", Dimension: "method", Kind: KindRegression, From: ip(3), To: ip(2), FromBasis: measured, ToBasis: measured},
				},
				Ignored: []Failure{
					{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown},
				},
			},
		},
		{
			name: "below minimum without baseline", current: result(ms(0.4), prac("ci", freq(2), dim("method", 3, measured))),
			reqs: []Requirement{{Practice: "ci", Level: 3}, {Practice: "ci", Dimension: "method", Level: 3}},
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindBelowMinimum, To: ip(2), ToBasis: measured, Required: 3,
					HeldBy: []Holder{{Dimension: "ci.frequency", Level: ip(2), Measurements: []string{"git.integrations_per_dev_day 0.4"}}}},
			}},
		},
		{
			name: "regression and below minimum", current: result(ms(0.4), prac("ci", freq(2), dim("method", 3, measured))), baseline: base,
			reqs: []Requirement{{Practice: "ci", Dimension: "frequency", Level: 3}},
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindRegression, From: ip(3), To: ip(2), FromBasis: measured, ToBasis: measured,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → 0.4"}},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindRegression, From: ip(3), To: ip(2),
					FromBasis: measured, ToBasis: measured, EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → 0.4"}},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindBelowMinimum, From: ip(3), To: ip(2),
					FromBasis: measured, ToBasis: measured, Required: 3, EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → 0.4"},
					HeldBy: []Holder{{Dimension: "ci.frequency", Level: ip(2), Measurements: []string{"git.integrations_per_dev_day 0.4"}}}},
			}},
		},
		{
			name: "required and unknown, ignored", current: result(nil, prac("ci", freq(0), dim("method", 3, measured))),
			reqs: []Requirement{{Practice: "ci", Dimension: "frequency", Level: 2}},
			want: Result{Holds: true, Ignored: []Failure{
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindUnknown, ToBasis: unknown, Required: 2},
			}},
		},
		{
			name: "required and unknown, policy fail, merged with the baseline's", baseline: base, policy: UnknownFail,
			current: result(ms(1.2), prac("ci", lowerBound(freq(0), 2), dim("method", 3, measured))),
			reqs:    []Requirement{{Practice: "ci", Dimension: "frequency", Level: 3}},
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindUnknown, From: ip(3), To: ip(3), ToAtMost: true, FromBasis: measured, ToBasis: unknown},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown, Required: 3},
			}},
		},
		{
			name: "lower bound meets the requirement", policy: UnknownFail,
			current: result(nil, prac("ci", lowerBound(freq(0), 3), dim("method", 4, measured))),
			reqs:    []Requirement{{Practice: "ci", Dimension: "frequency", Level: 3}, {Practice: "ci", Level: 3}},
			want:    Result{Holds: true},
		},
		{
			name: "required practice missing from the result", policy: UnknownFail,
			current: result(nil, prac("ci", freq(3))),
			reqs:    []Requirement{{Practice: "testing", Level: 2}},
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "testing", Kind: KindUnknown, ToBasis: unknown, Required: 2},
			}},
		},
		{
			name: "practice gone from the current result", policy: UnknownFail, baseline: base,
			current: result(nil),
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
				{Target: "app", Practice: "ci", Dimension: "method", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown},
			}},
		},
		{
			name: "unknown baseline is no reference", policy: UnknownFail,
			baseline: result(nil, prac("ci", freq(0))), current: result(nil, prac("ci", freq(1))),
			want: Result{Holds: true},
		},
		{
			name: "no baseline, no requirements", current: result(nil, prac("ci", freq(1))),
			want: Result{Holds: true},
		},
		{
			name: "nil current", baseline: base, current: nil,
			want: Result{Holds: true, Ignored: []Failure{
				{Practice: "ci", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
				{Practice: "ci", Dimension: "frequency", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown,
					EvidenceChanged: []string{"git.integrations_per_dev_day 1.2 → unknown"}},
				{Practice: "ci", Dimension: "method", Kind: KindUnknown, From: ip(3), FromBasis: measured, ToBasis: unknown},
			}},
		},
		{
			name: "evidence cited in reasons", baseline: result(ms(1.2), prac("ci", reason(dim("frequency", 3, measured), "git.commits: 40 commits"))),
			current: result(map[string]float64{"git.integrations_per_dev_day": 0.4, "git.commits": 12},
				prac("ci", reason(dim("frequency", 2, measured), "git.commits: 12 commits; git.commits_per_day unknown"))),
			want: Result{Failures: []Failure{
				{Target: "app", Practice: "ci", Kind: KindRegression, From: ip(3), To: ip(2), FromBasis: measured, ToBasis: measured,
					EvidenceChanged: []string{"git.commits 40 → 12"}},
				{Target: "app", Practice: "ci", Dimension: "frequency", Kind: KindRegression, From: ip(3), To: ip(2),
					FromBasis: measured, ToBasis: measured, EvidenceChanged: []string{"git.commits 40 → 12"}},
			}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Check(tc.current, tc.baseline, tc.reqs, tc.policy)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Check mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckReport(t *testing.T) {
	mk := func(name string, level int) model.TargetResult {
		r := result(nil, prac("ci", dim("frequency", level, measured)))
		r.Name = name
		return *r
	}
	base := &model.Report{Targets: []model.TargetResult{mk("a", 3), mk("b", 3), mk("gone", 5)}}
	cur := &model.Report{Targets: []model.TargetResult{mk("a", 3), mk("b", 2), mk("new", 1)}}
	got := CheckReport(cur, base, []Requirement{{Practice: "ci", Level: 2}}, UnknownIgnore)
	var lines []string
	for _, f := range got.Failures {
		lines = append(lines, f.String())
	}
	want := []string{
		"b: ci fell from 3 to 2 (measured)",
		"b: ci.frequency fell from 3 to 2 (measured)",
		"new: ci is 1 (measured), below the required 2; held down by ci.frequency at 1",
	}
	if diff := cmp.Diff(want, lines); diff != "" || got.Holds {
		t.Errorf("CheckReport holds=%v (-want +got):\n%s", got.Holds, diff)
	}
	if r := CheckReport(nil, base, nil, UnknownFail); !r.Holds {
		t.Errorf("CheckReport(nil current) = %+v", r)
	}
	if r := CheckReport(base, nil, nil, UnknownFail); !r.Holds {
		t.Errorf("CheckReport(no baseline) = %+v", r)
	}
}
