// Package metrics exposes cdaudit's stored audits to Prometheus: a
// collector over the latest audit of every target in the store, the HTTP
// handler of `cdaudit serve` (/metrics, /healthz and the HTML report on /),
// a scheduler that re-runs the audit at an interval, and pushing to a
// Pushgateway. The metric families themselves are built by
// report.PrometheusMetrics; docs/metrics.md documents them.
//
// Nothing here touches the default Prometheus registry: callers create a
// registry and register the collector on it.
//
// Import rules: model, report and store of cdaudit, the Prometheus client;
// never a collector or os/exec.
package metrics

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cdaudit/cdaudit/report"
	"github.com/cdaudit/cdaudit/store"
)

// Source provides the latest saved audit of every target; *store.Store is
// one.
type Source interface {
	LatestAll(ctx context.Context) ([]store.Snapshot, error)
}

// DefaultReadTimeout bounds reading the store during one scrape.
const DefaultReadTimeout = 10 * time.Second

// The one family the collector adds to report's.
const (
	storeUpName = "cdaudit_store_up"
	storeUpHelp = "1 when the audit store answered this scrape, 0 when it could not be read (the audit families are then absent)."
)

// Collector is a prometheus.Collector that reads the latest audits from a
// Source on every scrape and emits report.PrometheusMetrics of them, plus
// cdaudit_store_up. It is unchecked (Describe sends nothing) because the
// label names of cdaudit_target_info follow the configuration.
type Collector struct {
	src     Source
	timeout time.Duration
	log     *slog.Logger
	up      *prometheus.Desc
}

// NewCollector returns a collector over src; each scrape reads src with a
// deadline of timeout (≤ 0: DefaultReadTimeout). A nil logger discards.
func NewCollector(src Source, timeout time.Duration, logger *slog.Logger) *Collector {
	if timeout <= 0 {
		timeout = DefaultReadTimeout
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Collector{src: src, timeout: timeout, log: logger,
		up: prometheus.NewDesc(storeUpName, storeUpHelp, nil, nil)}
}

// Register creates a collector over src and registers it on reg.
func Register(reg prometheus.Registerer, src Source, timeout time.Duration, logger *slog.Logger) (*Collector, error) {
	c := NewCollector(src, timeout, logger)
	if err := reg.Register(c); err != nil {
		return nil, fmt.Errorf("register cdaudit collector: %w", err)
	}
	return c, nil
}

// Describe sends nothing: the collector is unchecked.
func (c *Collector) Describe(chan<- *prometheus.Desc) {}

// Collect reads the store and sends the metrics of its latest audits. A
// store that cannot be read gives cdaudit_store_up 0 and no audit metrics,
// so the scrape itself still succeeds and alerts can tell the two apart.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	// Collect has no context of its own; the deadline bounds a hung store.
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	snaps, err := c.src.LatestAll(ctx)
	if err != nil {
		c.log.Warn("reading the latest audits for a scrape", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, m := range report.PrometheusMetrics(Audits(snaps)) {
		ch <- m
	}
}

// Audits turns snapshots into the audits report.PrometheusMetrics reads:
// each at its audit's time, lasting the sum of its sources' durations.
func Audits(snaps []store.Snapshot) []report.Audit {
	out := make([]report.Audit, 0, len(snaps))
	for _, s := range snaps {
		r := s.Result
		if r.Name == "" {
			r.Name = s.Target
		}
		out = append(out, report.Audit{Result: r, At: s.At, Duration: report.SourcesDuration(r)})
	}
	return out
}
