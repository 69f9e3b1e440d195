package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	cdmodel "github.com/cdaudit/cdaudit/model"
)

// sampleHostileProm has two targets with different label sets, hostile
// names and values, dynamic measurement ids and a repeated target.
func sampleHostileProm() []Audit {
	at := time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)
	ms := cdmodel.Measurements{}
	ms.Set("ci.trigger.push.runs", 10, 10)
	ms.Set("ci.trigger.my-custom-trigger.runs", 3, 3)
	ms.Set("ci.stage_duration_seconds.test.p50", 90, 12)
	ms.Set("ci.stage_duration_seconds.integration tests.p50", 300, 12)
	ms["Weird\nID"] = cdmodel.Measurement{ID: "Weird\nID", Value: 1, Known: true, Unit: "x", N: 1}
	ms.SetUnknown("git.commits", "not collected")
	quoted := "acme/\"quoted\"\nname\\x"
	return []Audit{
		{At: at.Add(-time.Hour), Result: cdmodel.TargetResult{Name: quoted}}, // older audit of the same target: dropped
		{
			At: at, Duration: 1500 * time.Millisecond,
			Result: cdmodel.TargetResult{
				Name: quoted,
				Labels: map[string]string{
					"team": "pay\"ments\"\nline2\\", "costCenter": "loses", "cost-center": "first", "1st": "x",
					"job": "j", "": "empty", "bad": "\xff\xfe", "system": strings.Repeat("é", 200),
				},
				Error: "every collector failed",
				Sources: []cdmodel.SourceStatus{
					{Kind: "github", Status: cdmodel.StatusOK, Requests: &cdmodel.RequestStats{Counted: 5, Errors: 1}},
					{Kind: "github", Status: cdmodel.StatusFailed, Requests: &cdmodel.RequestStats{Counted: 2, RateLimited: 2}},
				},
				Measurements: ms,
			},
		},
		{
			Result: cdmodel.TargetResult{
				Name:   "acme/other",
				Labels: map[string]string{"owner": "ops"},
				Practices: []cdmodel.PracticeResult{
					{ID: "build", Level: cdmodel.IntPtr(3)},
					{ID: "build", Level: cdmodel.IntPtr(1)}, // duplicate: ignored
				},
				DORA: &cdmodel.DORA{
					DeploymentFrequency: cdmodel.DORAKey{Value: fptr(2), Unit: "days/week", Cluster: "high"},
					LeadTime:            cdmodel.DORAKey{Value: fptr(90), Unit: "minutes", Cluster: "elite"},
					ChangeFailureRate:   cdmodel.DORAKey{Value: fptr(12), Unit: "%", Cluster: "bogus"},
					RecoveryTime:        cdmodel.DORAKey{Value: fptr(3), Unit: "fortnights"},
				},
			},
		},
	}
}

func TestGoldenPrometheus(t *testing.T) {
	cases := []struct {
		name   string
		audits []Audit
	}{
		{"hostile", sampleHostileProm()},
	}
	for _, s := range samples() {
		cases = append(cases, struct {
			name   string
			audits []Audit
		}{s.name, AuditsOf(s.r)})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WritePrometheus(&buf, tc.audits); err != nil {
				t.Fatal(err)
			}
			golden(t, "prom-"+tc.name, buf.Bytes())
			lintExposition(t, buf.Bytes())
			promtoolCheck(t, buf.Bytes())
		})
	}
}

// TestRenderPrometheus checks the registered renderer writes what
// WritePrometheus writes.
func TestRenderPrometheus(t *testing.T) {
	f, err := ParseFormat("prometheus")
	if err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	if err := Render(&got, sampleMeasured(), f, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WritePrometheus(&want, AuditsOf(sampleMeasured())); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.String(), got.String()); diff != "" {
		t.Error(diff)
	}
}

// lintExposition parses an exposition, lints it with promlint (the checks
// promtool check metrics runs) and checks every family is documented.
func lintExposition(t *testing.T, b []byte) map[string]*dto.MetricFamily {
	t.Helper()
	mfs := parseExposition(t, b)
	var list []*dto.MetricFamily
	for _, name := range slices.Sorted(mapKeys(mfs)) {
		list = append(list, mfs[name])
		if !slices.ContainsFunc(PrometheusFamilies(), func(f PrometheusFamily) bool {
			return f.Name == name && f.Help == mfs[name].GetHelp() && strings.EqualFold(f.Type, mfs[name].GetType().String())
		}) {
			t.Errorf("family %s (%s) is not in PrometheusFamilies", name, mfs[name].GetType())
		}
	}
	problems, err := promlint.NewWithMetricFamilies(list).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	return mfs
}

func parseExposition(t *testing.T, b []byte) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, b)
	}
	return mfs
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// promtoolCheck runs promtool check metrics when promtool is on PATH.
func promtoolCheck(t *testing.T, b []byte) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("promtool not on PATH: skipping promtool check metrics")
		return
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = bytes.NewReader(b)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestPrometheusHostileValues(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePrometheus(&buf, sampleHostileProm()); err != nil {
		t.Fatal(err)
	}
	mfs := parseExposition(t, buf.Bytes())
	info := mfs["cdaudit_target_info"]
	if info == nil || len(info.Metric) != 2 {
		t.Fatalf("cdaudit_target_info = %v, want 2 series", info)
	}
	labels := func(m *dto.Metric) map[string]string {
		out := map[string]string{}
		for _, l := range m.Label {
			out[l.GetName()] = l.GetValue()
		}
		return out
	}
	var quoted map[string]string
	for _, m := range info.Metric {
		if l := labels(m); l["target"] != "acme/other" {
			quoted = l
		}
		if n := len(m.Label); n != len(info.Metric[0].Label) {
			t.Errorf("cdaudit_target_info series have different label sets")
		}
	}
	want := map[string]string{
		"target": "acme/\"quoted\"\nname\\x", "team": "pay\"ments\"\nline2\\", "cost_center": "first",
		"label_1st": "x", "label_job": "j", "bad": "\uFFFD", "system": strings.Repeat("é", 128), "owner": "",
	}
	if diff := cmp.Diff(want, quoted); diff != "" {
		t.Errorf("hostile target labels (-want +got):\n%s", diff)
	}
}

func TestPrometheusValues(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePrometheus(&buf, sampleHostileProm()); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for name, mf := range parseExposition(t, buf.Bytes()) {
		for _, m := range mf.Metric {
			var ls []string
			for _, l := range m.Label {
				if l.GetName() != "target" {
					ls = append(ls, l.GetName()+"="+l.GetValue())
				}
			}
			if name == "cdaudit_target_info" {
				continue
			}
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			got[name+"{"+strings.Join(ls, ",")+"}"+map[bool]string{true: " other"}[labelsOf(m)["target"] == "acme/other"]] = v
		}
	}
	want := map[string]float64{
		"cdaudit_audit_timestamp_seconds{}":                                                1751356800,
		"cdaudit_audit_duration_seconds{}":                                                 1.5,
		"cdaudit_audit_success{}":                                                          0,
		"cdaudit_audit_success{} other":                                                    1,
		"cdaudit_source_up{source=github}":                                                 0,
		"cdaudit_source_partial{source=github}":                                            0,
		"cdaudit_api_requests_total{outcome=counted,source=github}":                        7,
		"cdaudit_api_requests_total{outcome=errors,source=github}":                         1,
		"cdaudit_api_requests_total{outcome=rate_limited,source=github}":                   2,
		"cdaudit_api_requests_total{outcome=retries,source=github}":                        0,
		"cdaudit_api_requests_total{outcome=not_modified,source=github}":                   0,
		"cdaudit_api_requests_total{outcome=cache_hits,source=github}":                     0,
		"cdaudit_measurement{measurement=ci.trigger.push.runs,unit=runs}":                  10,
		"cdaudit_measurement{measurement=ci.stage_duration_seconds.test.p50,unit=seconds}": 90,
		"cdaudit_practice_level{practice=build} other":                                     3,
		"cdaudit_dora_lead_time_seconds{} other":                                           5400,
		"cdaudit_dora_change_failure_ratio{} other":                                        0.12,
		"cdaudit_dora_cluster{cluster=elite,key=deployment_frequency} other":               0,
		"cdaudit_dora_cluster{cluster=high,key=deployment_frequency} other":                1,
		"cdaudit_dora_cluster{cluster=medium,key=deployment_frequency} other":              0,
		"cdaudit_dora_cluster{cluster=low,key=deployment_frequency} other":                 0,
		"cdaudit_dora_cluster{cluster=elite,key=lead_time} other":                          1,
		"cdaudit_dora_cluster{cluster=high,key=lead_time} other":                           0,
		"cdaudit_dora_cluster{cluster=medium,key=lead_time} other":                         0,
		"cdaudit_dora_cluster{cluster=low,key=lead_time} other":                            0,
		"cdaudit_group_practice_level_mean{label=owner,practice=build,value=ops}":          2,
		"cdaudit_group_practice_level_min{label=owner,practice=build,value=ops}":           1,
		"cdaudit_group_targets{label=bad,value=\uFFFD}":                                    1,
		"cdaudit_group_targets{label=cost_center,value=first}":                             1,
		"cdaudit_group_targets{label=label_1st,value=x}":                                   1,
		"cdaudit_group_targets{label=label_job,value=j}":                                   1,
		"cdaudit_group_targets{label=owner,value=ops}":                                     1,
		"cdaudit_group_targets{label=system,value=" + strings.Repeat("é", 128) + "}":       1,
		"cdaudit_group_targets{label=team,value=pay\"ments\"\nline2\\}":                    1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.Label {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func TestPrometheusDORAFromReport(t *testing.T) {
	var buf bytes.Buffer
	if err := WritePrometheus(&buf, AuditsOf(sampleMeasured())); err != nil {
		t.Fatal(err)
	}
	mfs := parseExposition(t, buf.Bytes())
	want := map[string]float64{
		"cdaudit_dora_deployment_frequency_per_day": 3.2,
		"cdaudit_dora_lead_time_seconds":            20.5 * 3600,
		"cdaudit_dora_change_failure_ratio":         0.12,
		"cdaudit_dora_recovery_time_seconds":        30 * 3600,
		"cdaudit_audit_duration_seconds":            1.234 + 8.4,
	}
	for name, v := range want {
		mf := mfs[name]
		if mf == nil || len(mf.Metric) != 1 {
			t.Errorf("%s: %v, want one sample", name, mf)
			continue
		}
		if got := mf.Metric[0].GetGauge().GetValue(); got < v-1e-6 || got > v+1e-6 {
			t.Errorf("%s = %v, want %v", name, got, v)
		}
	}
}

func TestMeasurementExported(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"git.commits", true},
		{"dora.lead_time_hours.p50", true},
		{"ci.trigger.push.runs", true},
		{"ci.trigger.pull_request.runs", true},
		{"ci.trigger.nightly.runs", false},
		{"ci.trigger.push", false},
		{"ci.triggers", true},
		{"ci.stage_duration_seconds.build.p50", true},
		{"ci.stage_duration_seconds.e2e.p50", false},
		{"ci.stage_duration_seconds.build.p90", false},
		{"", false},
		{"Git.Commits", false},
		{"git..commits", false},
		{".git", false},
		{"git commits", false},
		{strings.Repeat("a", 65), false},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			if got := measurementExported(tc.id); got != tc.want {
				t.Errorf("measurementExported(%q) = %v, want %v", tc.id, got, tc.want)
			}
		})
	}
}

func TestPromLabelName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"team", "team"},
		{"costCenter", "cost_center"},
		{"cost-center", "cost_center"},
		{"HTTPServer", "httpserver"},
		{"v2Team", "v2_team"},
		{"__meta", "meta"},
		{"1st", "label_1st"},
		{"target", "label_target"},
		{"Job", "label_job"},
		{"instance", "label_instance"},
		{"équipe", "quipe"},
		{"--", ""},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := promLabelName(tc.in); got != tc.want {
				t.Errorf("promLabelName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWriteTextfile(t *testing.T) {
	dir := t.TempDir()
	audits := AuditsOf(sampleMeasured())
	for _, name := range []string{"cdaudit", "cdaudit.prom"} {
		if err := WriteTextfile(dir, name, audits); err != nil {
			t.Fatal(err)
		}
	}
	var want bytes.Buffer
	if err := WritePrometheus(&want, audits); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "cdaudit.prom"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.String(), string(got)); diff != "" {
		t.Error(diff)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d files, want only cdaudit.prom (no temporary file left)", len(entries))
	}
	if fi, err := os.Stat(filepath.Join(dir, "cdaudit.prom")); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, %v; want 0644", fi.Mode(), err)
	}
}

func TestWriteTextfileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, dir, file string }{
		{"empty name", dir, ""},
		{"path in name", dir, "sub/cdaudit.prom"},
		{"hidden", dir, ".cdaudit.prom"},
		{"dotdot", dir, ".."},
		{"missing dir", filepath.Join(dir, "nope"), "cdaudit.prom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := WriteTextfile(tc.dir, tc.file, nil); err == nil {
				t.Error("no error")
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed writes left %d files", len(entries))
	}
}

func TestPrometheusFamilies(t *testing.T) {
	fs := PrometheusFamilies()
	if !slices.IsSortedFunc(fs, func(a, b PrometheusFamily) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("families not sorted")
	}
	for _, f := range fs {
		if !model.LegacyValidation.IsValidMetricName(f.Name) || !strings.HasPrefix(f.Name, "cdaudit_") {
			t.Errorf("bad family name %q", f.Name)
		}
		if f.Help == "" || (f.Type == "counter") != strings.HasSuffix(f.Name, "_total") || len(f.Labels) == 0 ||
			(f.Labels[0] != "target" && !strings.HasPrefix(f.Name, "cdaudit_group_")) {
			t.Errorf("family %+v", f)
		}
	}
}

// TestPrometheusLongNamesCollide: two target names that only differ past
// the label value limit become one target, not a failed scrape.
func TestPrometheusLongNamesCollide(t *testing.T) {
	long := strings.Repeat("a", maxLabelValue)
	at := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	audits := []Audit{
		{At: at.Add(time.Hour), Result: cdmodel.TargetResult{Name: long + "-new"}},
		{At: at, Result: cdmodel.TargetResult{Name: long + "-old"}},
	}
	var buf bytes.Buffer
	if err := WritePrometheus(&buf, audits); err != nil {
		t.Fatal(err)
	}
	mfs := parseExposition(t, buf.Bytes())
	ts := mfs["cdaudit_audit_timestamp_seconds"].GetMetric()
	if len(ts) != 1 || ts[0].GetGauge().GetValue() != float64(at.Add(time.Hour).Unix()) {
		t.Errorf("timestamps = %v, want the newer audit only", ts)
	}
}
