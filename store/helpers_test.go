package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/cdaudit/cdaudit/model"
)

// pgEnv names the PostgreSQL DSN the PostgreSQL half of the suite runs against.
const pgEnv = "CDAUDIT_TEST_POSTGRES"

// dialectCase opens fresh, empty stores of one dialect.
type dialectCase struct {
	name string
	// dsn returns the DSN of a new empty store, removed when t ends.
	dsn func(t *testing.T) string
}

var pgSchemaSeq atomic.Int64

// dialects returns SQLite, and PostgreSQL when CDAUDIT_TEST_POSTGRES is set.
func dialects(t *testing.T) []dialectCase {
	cs := []dialectCase{{name: "sqlite", dsn: func(t *testing.T) string {
		return filepath.Join(t.TempDir(), "history.db")
	}}}
	if admin := os.Getenv(pgEnv); admin != "" {
		cs = append(cs, dialectCase{name: "postgres", dsn: func(t *testing.T) string { return pgSchemaDSN(t, admin) }})
	}
	return cs
}

// forDialects runs f once per dialect as a subtest.
func forDialects(t *testing.T, f func(t *testing.T, dsn func(t *testing.T) string)) {
	t.Helper()
	for _, d := range dialects(t) {
		t.Run(d.name, func(t *testing.T) { f(t, d.dsn) })
	}
}

// pgSchemaDSN creates a schema of its own for one test and returns a DSN
// whose search_path selects it.
func pgSchemaDSN(t *testing.T, admin string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(admin)
	if err != nil {
		t.Fatalf("%s: %v", pgEnv, err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	name := fmt.Sprintf("cdaudit_test_%d_%d", os.Getpid(), pgSchemaSeq.Add(1))
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+name+` CASCADE; CREATE SCHEMA `+name); err != nil {
		t.Fatalf("creating schema: %v", err)
	}
	t.Cleanup(func() { db.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+name+` CASCADE`) })
	sep := "?"
	if strings.Contains(admin, "?") {
		sep = "&"
	}
	return admin + sep + "search_path=" + name
}

// testClock is a settable clock.
type testClock struct{ now atomic.Int64 }

func newClock(t time.Time) *testClock {
	c := &testClock{}
	c.now.Store(t.UnixNano())
	return c
}

func (c *testClock) Now() time.Time      { return time.Unix(0, c.now.Load()).UTC() }
func (c *testClock) Set(t time.Time)     { c.now.Store(t.UnixNano()) }
func (c *testClock) Add(d time.Duration) { c.now.Add(int64(d)) }
func mustOpen(t *testing.T, dsn string, o Options) *Store {
	t.Helper()
	s, err := OpenWith(context.Background(), dsn, o)
	if err != nil {
		t.Fatalf("Open(%s): %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

// sampleResult builds a target result whose levels and measurements depend
// on k, with every kind of field filled.
func sampleResult(name string, k int) model.TargetResult {
	ms := model.Measurements{}
	ms["git.integrations_per_dev_day"] = model.Measurement{ID: "git.integrations_per_dev_day", Value: 0.4 + float64(k)/10,
		Known: true, Unit: "integrations/dev/day", N: 10 + k,
		Evidence: []model.Ref{{Kind: model.RefCommit, Ref: fmt.Sprintf("%040x", k)}}}
	ms["dora.deployment_frequency"] = model.Measurement{ID: "dora.deployment_frequency", Value: float64(k), Known: true,
		Unit: "deployments/day", N: k}
	ms["ci.feedback_seconds"] = model.Measurement{ID: "ci.feedback_seconds", Unit: "seconds", Note: "no CI runs collected"}
	lv := 1 + k%5
	return model.TargetResult{
		Name:          name,
		Labels:        map[string]string{"team": "core"},
		DefaultBranch: "main",
		Sources: []model.SourceStatus{
			{Kind: "git", Status: model.StatusOK, Duration: 1.5},
			{Kind: "github", Name: "acme/app", Status: model.StatusPartial, Error: "rate limited", Duration: 12.25,
				Warnings: []string{"runs truncated"},
				Requests: &model.RequestStats{Total: 120, Counted: 100, NotModified: 20, CacheHits: 3, Errors: 1, Retries: 2, RateLimited: 1}},
		},
		Measurements: ms,
		Practices: []model.PracticeResult{
			{ID: "ci", Level: model.IntPtr(lv), UpperBound: model.IntPtr(lv), Dimensions: []model.DimensionResult{
				{ID: "frequency", Level: model.IntPtr(lv), Basis: model.BasisMeasured, MeasuredLevel: model.IntPtr(lv), AutomaticMax: 4,
					Reasons:  []string{"integrations per developer-day"},
					Evidence: []model.Ref{{Kind: model.RefMeasure, Ref: "git.integrations_per_dev_day"}}},
				{ID: "method", Level: model.IntPtr(lv + 1), Basis: model.BasisAttested, MeasuredLevel: model.IntPtr(lv), AutomaticMax: 3,
					NeedsAttestation: true, Reasons: []string{"attested"}, Evidence: []model.Ref{},
					Attestation: &model.Attestation{Practice: "ci", Dimension: "method", Level: lv + 1, By: "lead", Date: t0, Expires: t0.AddDate(1, 0, 0), Evidence: "https://wiki/x"}},
			}},
			{ID: "testing", UpperBound: model.IntPtr(2), Dimensions: []model.DimensionResult{
				{ID: "coverage", Basis: model.BasisUnknown, LowerBound: model.IntPtr(1), AutomaticMax: 3, Reasons: []string{"no test reports"}, Evidence: []model.Ref{}},
				{ID: "pyramid", Level: model.IntPtr(2), Basis: model.BasisMeasured, MeasuredLevel: model.IntPtr(2), AutomaticMax: 3, Reasons: []string{}, Evidence: []model.Ref{}},
			}},
		},
		DORA: &model.DORA{
			DeploymentFrequency: model.DORAKey{Measurement: "dora.deployment_frequency", Value: ptrF(float64(k)), Unit: "deployments/day", Cluster: "high"},
			LeadTime:            model.DORAKey{Measurement: "dora.lead_time_seconds", Unit: "seconds"},
		},
		Warnings: []string{"shallow clone"},
	}
}

func ptrF(v float64) *float64 { return &v }

// sampleReport builds a report generated at t with the given targets.
func sampleReport(at time.Time, k int, targets ...string) *model.Report {
	r := &model.Report{Schema: model.ReportSchema, Version: "test", GeneratedAt: at,
		Window: model.Window{Since: at.AddDate(0, 0, -90), Until: at}}
	for _, name := range targets {
		r.Targets = append(r.Targets, sampleResult(name, k))
	}
	return r
}

// count returns the number of rows of a table.
func count(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// rawDB opens a SQLite file without the store, for tests that tamper with it.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", sqliteDSN(path, 50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
