package metrics

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/cdaudit/cdaudit/model"
	"github.com/cdaudit/cdaudit/report"
	"github.com/cdaudit/cdaudit/store"
)

// gatherText gathers reg into the text exposition format.
func gatherText(t *testing.T, reg prometheus.Gatherer) []byte {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var buf bytes.Buffer
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(&buf, mf); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func TestCollector(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	src := &fakeSource{snaps: sampleSnapshots()}
	if _, err := Register(reg, src, 0, nil); err != nil {
		t.Fatal(err)
	}
	mfs := checkExposition(t, gatherText(t, reg))
	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"cdaudit_store_up", nil, 1},
		{"cdaudit_target_info", map[string]string{"target": "acme/api", "team": "payments", "system": "checkout", "owner": ""}, 1},
		{"cdaudit_target_info", map[string]string{"target": "evil/\"repo\"\n{x=\"1\"}\\", "owner": "a\"b\nc\\d", "team": ""}, 1},
		{"cdaudit_practice_level", map[string]string{"target": "acme/api", "practice": "version-control"}, 3},
		{"cdaudit_practice_level_upper_bound", map[string]string{"target": "acme/api", "practice": "ci"}, 2},
		{"cdaudit_practice_unknown_dimensions", map[string]string{"target": "acme/api", "practice": "ci"}, 1},
		{"cdaudit_dimension_level", map[string]string{"dimension": "vcs", "basis": "attested"}, 4},
		{"cdaudit_dimension_measured_level", map[string]string{"dimension": "vcs"}, 3},
		{"cdaudit_measurement", map[string]string{"measurement": "git.commits", "unit": "commits"}, 412},
		{"cdaudit_dora_lead_time_seconds", nil, 7200},
		{"cdaudit_dora_change_failure_ratio", nil, 0.2},
		{"cdaudit_dora_cluster", map[string]string{"key": "change_failure_rate", "cluster": "low"}, 1},
		{"cdaudit_dora_cluster", map[string]string{"key": "change_failure_rate", "cluster": "elite"}, 0},
		{"cdaudit_audit_timestamp_seconds", map[string]string{"target": "acme/api"}, float64(auditAt.Unix())},
		{"cdaudit_audit_duration_seconds", map[string]string{"target": "acme/api"}, 3.75},
		{"cdaudit_audit_success", map[string]string{"target": "acme/api"}, 1},
		{"cdaudit_audit_success", map[string]string{"target": "evil/\"repo\"\n{x=\"1\"}\\"}, 0},
		{"cdaudit_source_up", map[string]string{"target": "acme/api", "source": "github"}, 1},
		{"cdaudit_source_partial", map[string]string{"target": "acme/api", "source": "github"}, 1},
		{"cdaudit_source_up", map[string]string{"target": "evil/\"repo\"\n{x=\"1\"}\\", "source": "git"}, 0},
		{"cdaudit_api_requests_total", map[string]string{"source": "github", "outcome": "not_modified"}, 2},
		{"cdaudit_api_requests_total", map[string]string{"source": "github", "outcome": "rate_limited"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := value(mfs, tc.name, tc.labels)
			if !ok || got != tc.want {
				t.Errorf("%s%v = %v (found: %v), want %v", tc.name, tc.labels, got, ok, tc.want)
			}
		})
	}
	// Absent: an unknown DORA key, days/week as a per-day frequency, a
	// dynamic measurement id outside the allowlist, unknown dimensions.
	for _, name := range []string{"cdaudit_dora_recovery_time_seconds", "cdaudit_dora_deployment_frequency_per_day"} {
		if mfs[name] != nil {
			t.Errorf("%s emitted: %v", name, mfs[name])
		}
	}
	if _, ok := value(mfs, "cdaudit_measurement", map[string]string{"measurement": "ci.trigger.nightly-build.runs"}); ok {
		t.Error("a dynamic measurement id outside the allowlist was emitted")
	}
	if _, ok := value(mfs, "cdaudit_dimension_level", map[string]string{"dimension": "feedback"}); ok {
		t.Error("an unknown dimension has a level")
	}
}

func TestCollectorStoreDown(t *testing.T) {
	tests := []struct {
		name string
		src  *fakeSource
	}{
		{"error", &fakeSource{err: errors.New("database is locked")}},
		{"hangs past the deadline", &fakeSource{block: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewPedanticRegistry()
			reg.MustRegister(NewCollector(tc.src, time.Millisecond, nil))
			b := gatherText(t, reg)
			mfs := checkExposition(t, b)
			if v, ok := value(mfs, "cdaudit_store_up", nil); !ok || v != 0 {
				t.Errorf("cdaudit_store_up = %v, %v; want 0", v, ok)
			}
			if len(mfs) != 1 {
				t.Errorf("families besides cdaudit_store_up:\n%s", b)
			}
		})
	}
}

func TestCollectorReadsEveryScrape(t *testing.T) {
	src := &fakeSource{}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(src, 0, nil))
	if mfs := parseText(t, gatherText(t, reg)); len(mfs) != 1 || mfs["cdaudit_store_up"] == nil {
		t.Errorf("empty store: families %v, want only cdaudit_store_up", mfs)
	}
	src.snaps = sampleSnapshots()
	if n := len(parseText(t, gatherText(t, reg))["cdaudit_target_info"].GetMetric()); n != 2 {
		t.Errorf("cdaudit_target_info: %d series, want 2", n)
	}
	if src.calls != 2 {
		t.Errorf("store read %d times for 2 scrapes", src.calls)
	}
}

func TestAudits(t *testing.T) {
	snaps := []store.Snapshot{{At: auditAt, Target: "named-by-store",
		Result: model.TargetResult{Sources: []model.SourceStatus{{Duration: 1.5}, {Duration: 0.5}}}}}
	got := Audits(snaps)
	want := []report.Audit{{At: auditAt, Duration: 2 * time.Second,
		Result: model.TargetResult{Name: "named-by-store", Sources: snaps[0].Result.Sources}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

// TestCollectorOverStore runs the collector over a real SQLite store with
// two audits of one target: only the newer one is exposed.
func TestCollectorOverStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "history.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, commits := range []float64{10, 20} {
		ms := model.Measurements{}
		ms.Set("git.commits", commits, int(commits))
		r := &model.Report{GeneratedAt: auditAt.Add(time.Duration(i) * time.Hour), Targets: []model.TargetResult{
			{Name: "acme/api", Labels: map[string]string{"team": "payments"}, Measurements: ms,
				Sources: []model.SourceStatus{{Kind: "git", Status: model.StatusOK, Duration: 1}}},
		}}
		if _, err := st.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewPedanticRegistry()
	if _, err := Register(reg, st, 0, nil); err != nil {
		t.Fatal(err)
	}
	mfs := checkExposition(t, gatherText(t, reg))
	if v, ok := value(mfs, "cdaudit_measurement", map[string]string{"target": "acme/api", "measurement": "git.commits"}); !ok || v != 20 {
		t.Errorf("git.commits = %v, %v; want the newer audit's 20", v, ok)
	}
	if v, _ := value(mfs, "cdaudit_audit_timestamp_seconds", nil); v != float64(auditAt.Add(time.Hour).Unix()) {
		t.Errorf("timestamp = %v", v)
	}
}

func TestFamilies(t *testing.T) {
	fs := Families()
	if len(fs) != len(report.PrometheusFamilies())+1 {
		t.Fatalf("Families() has %d entries", len(fs))
	}
	for i := 1; i < len(fs); i++ {
		if fs[i-1].Name >= fs[i].Name {
			t.Errorf("not sorted or duplicated: %s, %s", fs[i-1].Name, fs[i].Name)
		}
	}
}
