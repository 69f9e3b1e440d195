package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestRecordDeployments(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		d := dsn(t)
		s := mustOpen(t, d, Options{Now: newClock(t0).Now})
		sha := "0123456789abcdef0123456789abcdef01234567"
		recs := []model.Deployment{
			{Environment: "production", SHA: "ABCDEF1", Status: "failure", CreatedAt: t0.Add(2 * time.Hour)},
			{Environment: "production", SHA: sha, Ref: "v1.2.0", Status: "success", URL: "https://ci/1", CreatedAt: t0.Add(time.Hour)},
		}
		for _, r := range recs {
			if _, err := s.RecordDeployment(ctx, "app", r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.RecordDeployment(ctx, "other", recs[0]); err != nil {
			t.Fatal(err)
		}
		got, err := s.Deployments(ctx, "app", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		want := []model.Deployment{
			{ID: "recorded-2", Source: model.DeploySourceRecorded, Environment: "production", SHA: sha, Ref: "v1.2.0",
				Status: "success", URL: "https://ci/1", CreatedAt: t0.Add(time.Hour)},
			{ID: "recorded-1", Source: model.DeploySourceRecorded, Environment: "production", SHA: "abcdef1",
				Status: "failure", CreatedAt: t0.Add(2 * time.Hour)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Deployments (-want +got):\n%s", diff)
		}
		later, err := s.Deployments(ctx, "app", t0.Add(90*time.Minute))
		if err != nil || len(later) != 1 || later[0].ID != "recorded-1" {
			t.Errorf("Deployments since = %v, %v", later, err)
		}

		// A read-only store refuses to record.
		ro := mustOpen(t, d, Options{ReadOnly: true})
		if _, err := ro.RecordDeployment(ctx, "app", recs[0]); !errors.Is(err, ErrReadOnly) {
			t.Errorf("read-only RecordDeployment error = %v", err)
		}
		if got, err := ro.Deployments(ctx, "app", time.Time{}); err != nil || len(got) != 2 {
			t.Errorf("read-only Deployments = %d, %v", len(got), err)
		}
	})
}

func TestRecordDeploymentRefused(t *testing.T) {
	s := mustOpen(t, t.TempDir()+"/h.db", Options{})
	ok := model.Deployment{Environment: "production", SHA: "abcdef1", Status: "success", CreatedAt: t0}
	for _, c := range []struct {
		name   string
		target string
		edit   func(*model.Deployment)
	}{
		{"no target", " ", func(*model.Deployment) {}},
		{"no environment", "app", func(d *model.Deployment) { d.Environment = "" }},
		{"short sha", "app", func(d *model.Deployment) { d.SHA = "abc" }},
		{"not hex", "app", func(d *model.Deployment) { d.SHA = "main-branch" }},
		{"status", "app", func(d *model.Deployment) { d.Status = "done" }},
		{"no time", "app", func(d *model.Deployment) { d.CreatedAt = time.Time{} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := ok
			c.edit(&d)
			if _, err := s.RecordDeployment(context.Background(), c.target, d); !errors.Is(err, ErrBadDeployment) {
				t.Errorf("error = %v, want ErrBadDeployment", err)
			}
		})
	}
	if got, _ := s.Deployments(context.Background(), "app", time.Time{}); len(got) != 0 {
		t.Errorf("refused records were kept: %v", got)
	}
}

// A store of schema version 1 gains the deployments table and keeps its audits.
func TestMigrateToDeployments(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		d := dsn(t)
		s := mustOpen(t, d, Options{})
		if _, err := s.Save(ctx, sampleReport(t0, 1, "app")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, `DROP TABLE deployments`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM schema_migrations WHERE version >= ?`), 2); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s2 := mustOpen(t, d, Options{})
		if s2.SchemaVersion() != KnownSchemaVersion(s2.Dialect()) {
			t.Fatalf("schema %d after reopening", s2.SchemaVersion())
		}
		if _, _, err := s2.Latest(ctx, "app"); err != nil {
			t.Errorf("audit lost: %v", err)
		}
		if _, err := s2.RecordDeployment(ctx, "app", model.Deployment{Environment: "production", SHA: "abcdef1",
			Status: "success", CreatedAt: t0}); err != nil {
			t.Errorf("after migrating: %v", err)
		}
	})
}
