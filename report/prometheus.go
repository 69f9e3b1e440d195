package report

import (
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/cdaudit/cdaudit/model"
)

// FormatPrometheus is the Prometheus text exposition format (docs/metrics.md).
const FormatPrometheus Format = "prometheus"

// Audit is one target's audit as the Prometheus metrics see it.
type Audit struct {
	Result model.TargetResult
	// At is when the audit ran; zero omits cdaudit_audit_timestamp_seconds.
	At time.Time
	// Duration is how long collecting took; ≤ 0 omits
	// cdaudit_audit_duration_seconds.
	Duration time.Duration
}

// AuditsOf returns the audits of r: every target at r.GeneratedAt, lasting
// the sum of its sources' durations (collectors run one after another).
func AuditsOf(r *model.Report) []Audit {
	if r == nil {
		return nil
	}
	out := make([]Audit, 0, len(r.Targets))
	for _, t := range r.Targets {
		out = append(out, Audit{Result: t, At: r.GeneratedAt, Duration: SourcesDuration(t)})
	}
	return out
}

// SourcesDuration is the sum of t's source durations.
func SourcesDuration(t model.TargetResult) time.Duration {
	var s float64
	for _, src := range t.Sources {
		if src.Duration > 0 && !math.IsInf(src.Duration, 0) {
			s += src.Duration
		}
	}
	return time.Duration(s * float64(time.Second))
}

func renderPrometheus(w io.Writer, r *model.Report, _ Options) error {
	return WritePrometheus(w, AuditsOf(r))
}

// WritePrometheus writes the metrics of audits in the Prometheus text
// exposition format (version 0.0.4), families sorted by name.
func WritePrometheus(w io.Writer, audits []Audit) error {
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(NewPrometheusCollector(audits)); err != nil {
		return fmt.Errorf("prometheus metrics: %w", err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		return fmt.Errorf("prometheus metrics: %w", err)
	}
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(w, mf); err != nil {
			return fmt.Errorf("writing metric family %s: %w", mf.GetName(), err)
		}
	}
	return nil
}

// WriteTextfile writes the metrics of audits to dir/name for node_exporter's
// textfile collector, atomically: into a temporary file in dir (whose name
// does not end in .prom, so the collector never reads it half-written),
// then renamed over the target. ".prom" is appended to name when missing.
func WriteTextfile(dir, name string, audits []Audit) (err error) {
	if name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("textfile name %q: want a plain file name such as cdaudit.prom", name)
	}
	if !strings.HasSuffix(name, ".prom") {
		name += ".prom"
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("textfile %s: %w", filepath.Join(dir, name), err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = WritePrometheus(tmp, audits); err != nil {
		return fmt.Errorf("textfile %s: %w", filepath.Join(dir, name), err)
	}
	if err = tmp.Chmod(0o644); err == nil {
		if err = tmp.Sync(); err == nil {
			err = tmp.Close()
		}
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		return fmt.Errorf("textfile %s: %w", filepath.Join(dir, name), err)
	}
	return nil
}

// NewPrometheusCollector returns an unchecked prometheus.Collector (its
// Describe sends nothing, as the label names of cdaudit_target_info vary)
// that emits PrometheusMetrics(audits) on every collection.
func NewPrometheusCollector(audits []Audit) prometheus.Collector {
	return auditCollector(audits)
}

type auditCollector []Audit

func (auditCollector) Describe(chan<- *prometheus.Desc) {}

func (c auditCollector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range PrometheusMetrics(c) {
		ch <- m
	}
}

// PrometheusFamily describes one metric family cdaudit emits.
type PrometheusFamily struct {
	Name string
	Type string // gauge or counter
	Help string
	// Labels are the family's label names; cdaudit_target_info adds the
	// target labels of the configuration to its "target".
	Labels []string
}

// PrometheusFamilies lists every family cdaudit emits, sorted by name;
// docs/metrics.md documents each.
func PrometheusFamilies() []PrometheusFamily {
	t := []string{"target"}
	fs := []PrometheusFamily{
		{targetInfoName, "gauge", "Labels of a target (team, system…) from the configuration; always 1. Join on target.", t},
		{"cdaudit_practice_level", "gauge", "Judged maturity level (1-5) of a practice; absent when a dimension is unknown.", []string{"target", "practice"}},
		{"cdaudit_practice_level_upper_bound", "gauge", "Highest level a practice can have when some dimension is unknown (the lowest known dimension level).", []string{"target", "practice"}},
		{"cdaudit_practice_unknown_dimensions", "gauge", "Number of a practice's dimensions whose level is unknown for want of evidence.", []string{"target", "practice"}},
		{"cdaudit_evidence_level", "gauge", "Evidence level (1-5): the lowest level evidence alone proves over the dimensions evidence can judge (automatic max >= 2; attestations left out); absent when unknown. Shown beside the practice levels, which count every dimension.", t},
		{"cdaudit_evidence_level_upper_bound", "gauge", "Highest the evidence level can be when some dimension evidence can judge is unknown (the lowest measured level).", t},
		{"cdaudit_dimension_level", "gauge", "Effective maturity level (1-5) of a dimension; basis says whether evidence or an attestation shows it.", []string{"target", "practice", "dimension", "basis"}},
		{"cdaudit_dimension_measured_level", "gauge", "Maturity level (1-5) of a dimension shown by evidence alone.", []string{"target", "practice", "dimension"}},
		{"cdaudit_measurement", "gauge", "Known measurement from the evidence, in the unit of its unit label (see docs/measurements.md).", []string{"target", "measurement", "unit"}},
		{"cdaudit_dora_deployment_frequency_per_day", "gauge", "DORA deployment frequency: production deployments per day.", t},
		{"cdaudit_dora_lead_time_seconds", "gauge", "DORA lead time for changes (median), in seconds.", t},
		{"cdaudit_dora_change_failure_ratio", "gauge", "DORA change failure rate (0-1).", t},
		{"cdaudit_dora_recovery_time_seconds", "gauge", "DORA failed deployment recovery time (median), in seconds.", t},
		{"cdaudit_dora_cluster", "gauge", "DORA 2023 performance cluster of a key: 1 for the current cluster, 0 for the others.", []string{"target", "key", "cluster"}},
		{"cdaudit_audit_timestamp_seconds", "gauge", "Unix time of the target's latest audit.", t},
		{"cdaudit_audit_duration_seconds", "gauge", "Time the target's latest audit spent collecting evidence.", t},
		{"cdaudit_audit_deferred", "gauge", "1 when the run deferred the target to a later run (its audit did not fit the request budget); its other families are then absent.", t},
		{"cdaudit_audit_success", "gauge", "1 when the latest audit collected evidence, 0 when every source failed.", t},
		{"cdaudit_source_up", "gauge", "1 when the source answered (ok or partial) in the latest audit, 0 when it failed.", []string{"target", "source"}},
		{"cdaudit_source_partial", "gauge", "1 when the source's evidence was incomplete in the latest audit.", []string{"target", "source"}},
		{"cdaudit_api_requests_total", "counter", "Host API requests of the latest audit by outcome (outcomes overlap; the counter restarts with each audit).", []string{"target", "source", "outcome"}},
	}
	fs = append(fs, groupFamilies()...)
	slices.SortFunc(fs, func(a, b PrometheusFamily) int { return strings.Compare(a.Name, b.Name) })
	return fs
}

const targetInfoName = "cdaudit_target_info"

// doraClusters are the DORA 2023 clusters, best first.
func doraClusters() []string { return []string{"elite", "high", "medium", "low"} }

// PrometheusMetrics turns audits into const metrics: it is pure, and the
// same audits give the same metrics. Only the newest audit of each target
// counts. Unknown levels, measurements and DORA keys emit no sample.
func PrometheusMetrics(audits []Audit) []prometheus.Metric {
	audits = latestPerTarget(audits)
	e := &promEmitter{descs: map[string]*prometheus.Desc{}}
	for _, f := range PrometheusFamilies() {
		if f.Name == targetInfoName {
			e.infoHelp = f.Help // its labels vary: see info
			continue
		}
		e.descs[f.Name] = prometheus.NewDesc(f.Name, f.Help, f.Labels, nil)
		if f.Type == "counter" {
			e.counters = append(e.counters, f.Name)
		}
	}
	e.info(audits)
	for _, a := range audits {
		e.audit(a)
	}
	e.groups(audits)
	return e.out
}

// latestPerTarget keeps the newest audit of each target (the later one on
// a tie), in their original order: two series with the same labels would
// make the whole scrape fail. Targets are told apart by their label value,
// so two names that only differ past maxLabelValue bytes count as one.
func latestPerTarget(audits []Audit) []Audit {
	best := map[string]int{}
	for i, a := range audits {
		k := promLabelValue(a.Result.Name)
		if j, ok := best[k]; !ok || !a.At.Before(audits[j].At) {
			best[k] = i
		}
	}
	var out []Audit
	for i, a := range audits {
		if best[promLabelValue(a.Result.Name)] == i {
			out = append(out, a)
		}
	}
	return out
}

type promEmitter struct {
	descs    map[string]*prometheus.Desc
	counters []string
	infoHelp string
	out      []prometheus.Metric
}

// emit appends one sample; a counter whose audit time is known carries it
// as its created timestamp.
func (e *promEmitter) emit(name string, v float64, created time.Time, lvs ...string) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	for i := range lvs {
		lvs[i] = promLabelValue(lvs[i])
	}
	d := e.descs[name]
	var (
		m   prometheus.Metric
		err error
	)
	switch {
	case !slices.Contains(e.counters, name):
		m, err = prometheus.NewConstMetric(d, prometheus.GaugeValue, v, lvs...)
	case created.IsZero():
		m, err = prometheus.NewConstMetric(d, prometheus.CounterValue, v, lvs...)
	default:
		m, err = prometheus.NewConstMetricWithCreatedTimestamp(d, prometheus.CounterValue, v, created, lvs...)
	}
	if err != nil {
		m = prometheus.NewInvalidMetric(d, err)
	}
	e.out = append(e.out, m)
}

// info emits cdaudit_target_info: one series per target whose labels are
// the target's labels, under the union of all targets' label names (empty
// when a target lacks one) so the family's label set is consistent.
func (e *promEmitter) info(audits []Audit) {
	per := make([]map[string]string, len(audits))
	var names []string
	for i, a := range audits {
		per[i] = promLabels(a.Result.Labels)
		for n := range per[i] {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	if len(audits) == 0 {
		return
	}
	slices.Sort(names)
	e.descs[targetInfoName] = prometheus.NewDesc(targetInfoName, e.infoHelp, append([]string{"target"}, names...), nil)
	for i, a := range audits {
		lvs := []string{a.Result.Name}
		for _, n := range names {
			lvs = append(lvs, per[i][n])
		}
		e.emit(targetInfoName, 1, time.Time{}, lvs...)
	}
}

func (e *promEmitter) audit(a Audit) {
	t := a.Result
	if t.IsDeferred() {
		e.emit("cdaudit_audit_deferred", 1, time.Time{}, t.Name)
		return
	}
	if !a.At.IsZero() {
		e.emit("cdaudit_audit_timestamp_seconds", float64(a.At.Unix())+float64(a.At.Nanosecond())/1e9, time.Time{}, t.Name)
	}
	if a.Duration > 0 {
		e.emit("cdaudit_audit_duration_seconds", a.Duration.Seconds(), time.Time{}, t.Name)
	}
	e.emit("cdaudit_audit_success", boolValue(t.Error == ""), time.Time{}, t.Name)
	e.sources(a)
	e.practices(t)
	for _, id := range slices.Sorted(maps.Keys(t.Measurements)) {
		if m := t.Measurements[id]; m.Known && measurementExported(id) {
			e.emit("cdaudit_measurement", m.Value, time.Time{}, t.Name, id, m.Unit)
		}
	}
	e.dora(t)
}

// sources emits the health and request counts of each source kind; two
// sources of one kind are merged (up only if both answered).
func (e *promEmitter) sources(a Audit) {
	type agg struct {
		up, partial bool
		req         *model.RequestStats
	}
	var kinds []string
	by := map[string]*agg{}
	for _, s := range a.Result.Sources {
		g, ok := by[s.Kind]
		if !ok {
			g = &agg{up: true}
			by[s.Kind] = g
			kinds = append(kinds, s.Kind)
		}
		g.up = g.up && s.Status != model.StatusFailed
		g.partial = g.partial || s.Status == model.StatusPartial
		if r := s.Requests; r != nil {
			if g.req == nil {
				g.req = &model.RequestStats{}
			}
			g.req.Counted += r.Counted
			g.req.NotModified += r.NotModified
			g.req.CacheHits += r.CacheHits
			g.req.Errors += r.Errors
			g.req.Retries += r.Retries
			g.req.RateLimited += r.RateLimited
		}
	}
	name := a.Result.Name
	for _, k := range kinds {
		g := by[k]
		e.emit("cdaudit_source_up", boolValue(g.up), time.Time{}, name, k)
		e.emit("cdaudit_source_partial", boolValue(g.partial), time.Time{}, name, k)
		if r := g.req; r != nil {
			for _, o := range []struct {
				outcome string
				n       int
			}{
				{"counted", r.Counted}, {"not_modified", r.NotModified}, {"cache_hits", r.CacheHits},
				{"errors", r.Errors}, {"retries", r.Retries}, {"rate_limited", r.RateLimited},
			} {
				e.emit("cdaudit_api_requests_total", float64(o.n), a.At, name, k, o.outcome)
			}
		}
	}
}

func (e *promEmitter) practices(t model.TargetResult) {
	if len(t.Practices) > 0 {
		switch l := headlineOf(&t).evidence.Value(); {
		case l.Known:
			e.emit("cdaudit_evidence_level", float64(l.Lo), time.Time{}, t.Name)
		case l.Hi > 0:
			e.emit("cdaudit_evidence_level_upper_bound", float64(l.Hi), time.Time{}, t.Name)
		}
	}
	seen := map[string]bool{}
	for _, p := range t.Practices {
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		switch l := model.PracticeLevel(p); {
		case l.Known:
			e.emit("cdaudit_practice_level", float64(l.Lo), time.Time{}, t.Name, p.ID)
		case l.Hi > 0:
			e.emit("cdaudit_practice_level_upper_bound", float64(l.Hi), time.Time{}, t.Name, p.ID)
		}
		dseen := map[string]bool{}
		unknown := 0
		for _, d := range p.Dimensions {
			if dseen[d.ID] {
				continue
			}
			dseen[d.ID] = true
			if d.Level == nil {
				unknown++
			}
			if d.Level != nil {
				e.emit("cdaudit_dimension_level", float64(*d.Level), time.Time{}, t.Name, p.ID, d.ID, string(d.Basis))
			}
			if d.MeasuredLevel != nil {
				e.emit("cdaudit_dimension_measured_level", float64(*d.MeasuredLevel), time.Time{}, t.Name, p.ID, d.ID)
			}
		}
		if len(dseen) > 0 {
			e.emit("cdaudit_practice_unknown_dimensions", float64(unknown), time.Time{}, t.Name, p.ID)
		}
	}
}

// dora emits the four keys in base units and their clusters. The
// frequency is deployments per day; the cluster is judged on deployment
// days per week (cdaudit_measurement deploy.production.days_per_week).
func (e *promEmitter) dora(t model.TargetResult) {
	if v, ok := t.Measurements.Get(model.DORADeploymentFrequencyPerDay); ok {
		e.emit("cdaudit_dora_deployment_frequency_per_day", v, time.Time{}, t.Name)
	} else if t.DORA != nil && t.DORA.DeploymentFrequency.Value != nil && perDay(t.DORA.DeploymentFrequency.Unit) {
		e.emit("cdaudit_dora_deployment_frequency_per_day", *t.DORA.DeploymentFrequency.Value, time.Time{}, t.Name)
	}
	if t.DORA == nil {
		return
	}
	d := t.DORA
	if f, ok := secondsPer(d.LeadTime.Unit); ok && d.LeadTime.Value != nil {
		e.emit("cdaudit_dora_lead_time_seconds", *d.LeadTime.Value*f, time.Time{}, t.Name)
	}
	if f, ok := ratioPer(d.ChangeFailureRate.Unit); ok && d.ChangeFailureRate.Value != nil {
		e.emit("cdaudit_dora_change_failure_ratio", *d.ChangeFailureRate.Value*f, time.Time{}, t.Name)
	}
	if f, ok := secondsPer(d.RecoveryTime.Unit); ok && d.RecoveryTime.Value != nil {
		e.emit("cdaudit_dora_recovery_time_seconds", *d.RecoveryTime.Value*f, time.Time{}, t.Name)
	}
	for _, k := range []struct {
		key string
		k   model.DORAKey
	}{
		{"deployment_frequency", d.DeploymentFrequency}, {"lead_time", d.LeadTime},
		{"change_failure_rate", d.ChangeFailureRate}, {"recovery_time", d.RecoveryTime},
	} {
		if !slices.Contains(doraClusters(), k.k.Cluster) {
			continue
		}
		for _, c := range doraClusters() {
			e.emit("cdaudit_dora_cluster", boolValue(c == k.k.Cluster), time.Time{}, t.Name, k.key, c)
		}
	}
}
