package metrics

import (
	"bytes"
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
	"github.com/cdaudit/cdaudit/store"
)

var auditAt = time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)

// fakeSource is a hand-written Source.
type fakeSource struct {
	snaps []store.Snapshot
	err   error
	block bool // wait for the context to end
	calls int
}

func (f *fakeSource) LatestAll(ctx context.Context) ([]store.Snapshot, error) {
	f.calls++
	if f.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return f.snaps, f.err
}

// sampleSnapshots holds two targets, one with a hostile name.
func sampleSnapshots() []store.Snapshot {
	ms := model.Measurements{}
	ms.Set("git.commits", 412, 412)
	ms.Set("ci.trigger.nightly-build.runs", 3, 3)
	api := model.TargetResult{
		Name:   "acme/api",
		Labels: map[string]string{"team": "payments", "system": "checkout"},
		Sources: []model.SourceStatus{
			{Kind: "git", Status: model.StatusOK, Duration: 1.25},
			{Kind: "github", Status: model.StatusPartial, Duration: 2.5,
				Requests: &model.RequestStats{Total: 12, Counted: 10, NotModified: 2, RateLimited: 1}},
		},
		Measurements: ms,
		Practices: []model.PracticeResult{
			{ID: "version-control", Level: model.IntPtr(3), Dimensions: []model.DimensionResult{
				{ID: "vcs", Level: model.IntPtr(4), Basis: model.BasisAttested, MeasuredLevel: model.IntPtr(3)},
				{ID: "branching", Level: model.IntPtr(3), Basis: model.BasisMeasured, MeasuredLevel: model.IntPtr(3)},
			}},
			{ID: "ci", UpperBound: model.IntPtr(2), Dimensions: []model.DimensionResult{
				{ID: "frequency", Level: model.IntPtr(2), Basis: model.BasisMeasured, MeasuredLevel: model.IntPtr(2)},
				{ID: "feedback", Basis: model.BasisUnknown},
			}},
		},
		DORA: &model.DORA{
			DeploymentFrequency: model.DORAKey{Measurement: "deploy.production.days_per_week", Value: fptr(5.5), Unit: "days/week", Cluster: "elite"},
			LeadTime:            model.DORAKey{Measurement: "dora.lead_time_hours.p50", Value: fptr(2), Unit: "hours", Cluster: "elite"},
			ChangeFailureRate:   model.DORAKey{Measurement: "dora.change_failure_ratio", Value: fptr(0.2), Unit: "ratio", Cluster: "low"},
			RecoveryTime:        model.DORAKey{Measurement: "dora.recovery_hours.p50", Unit: "hours"},
		},
	}
	hostile := model.TargetResult{
		Name:    "evil/\"repo\"\n{x=\"1\"}\\",
		Labels:  map[string]string{"owner": "a\"b\nc\\d"},
		Error:   "clone failed",
		Sources: []model.SourceStatus{{Kind: "git", Status: model.StatusFailed, Duration: 0.5}},
	}
	return []store.Snapshot{
		{ID: 1, At: auditAt, Target: api.Name, Result: api},
		{ID: 1, At: auditAt, Target: hostile.Name, Result: hostile},
	}
}

func fptr(v float64) *float64 { return &v }

// parseText parses a text exposition, failing the test when it does not.
func parseText(t *testing.T, b []byte) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(pmodel.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, b)
	}
	return mfs
}

// checkExposition lints an exposition with promlint and, when it is on
// PATH, promtool check metrics; every family must be one of Families().
func checkExposition(t *testing.T, b []byte) map[string]*dto.MetricFamily {
	t.Helper()
	mfs := parseText(t, b)
	var list []*dto.MetricFamily
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range mfs {
			if !yield(k) {
				return
			}
		}
	}) {
		list = append(list, mfs[name])
		if !slices.ContainsFunc(Families(), func(f report.PrometheusFamily) bool { return f.Name == name }) {
			t.Errorf("family %s is not listed by Families()", name)
		}
	}
	problems, err := promlint.NewWithMetricFamilies(list).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	promtool(t, b)
	return mfs
}

func promtool(t *testing.T, b []byte) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("promtool not on PATH: promtool check metrics skipped")
		return
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = bytes.NewReader(b)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// value returns the value of the series of family name whose labels
// include want, and whether there is exactly one.
func value(mfs map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	var got []float64
	for _, m := range mfs[name].GetMetric() {
		ok := true
		for k, v := range want {
			if !slices.ContainsFunc(m.Label, func(l *dto.LabelPair) bool { return l.GetName() == k && l.GetValue() == v }) {
				ok = false
			}
		}
		if ok {
			got = append(got, m.GetGauge().GetValue()+m.GetCounter().GetValue()+m.GetUntyped().GetValue())
		}
	}
	if len(got) != 1 {
		return 0, false
	}
	return got[0], true
}

// Families lists every family `cdaudit serve` exposes: report's and
// cdaudit_store_up, sorted by name.
func Families() []report.PrometheusFamily {
	fs := append(report.PrometheusFamilies(), report.PrometheusFamily{
		Name: storeUpName, Type: "gauge", Help: storeUpHelp,
	})
	slices.SortFunc(fs, func(a, b report.PrometheusFamily) int { return strings.Compare(a.Name, b.Name) })
	return fs
}
