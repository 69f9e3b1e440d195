package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cdaudit/cdaudit/model"
)

func TestSaveAndReport(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		s := mustOpen(t, dsn(t), Options{})
		want := sampleReport(t0, 2, "app", "lib")
		id, err := s.Save(ctx, want)
		if err != nil {
			t.Fatalf("Save: %v", err)
		}
		got, err := s.Report(ctx, id)
		if err != nil {
			t.Fatalf("Report: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Report(%d) mismatch (-want +got):\n%s", id, diff)
		}
		if _, err := s.Report(ctx, id+100); !errors.Is(err, ErrNotFound) {
			t.Errorf("Report(missing) error = %v, want ErrNotFound", err)
		}
	})
}

func TestLatestHistoryTargets(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		s := mustOpen(t, dsn(t), Options{})
		// Saved out of order: the generation time decides what is latest.
		saves := []struct {
			at      time.Time
			k       int
			targets []string
		}{
			{t0, 1, []string{"app", "lib"}},
			{t0.Add(48 * time.Hour), 3, []string{"app"}},
			{t0.Add(24 * time.Hour), 2, []string{"app", "lib", "web"}},
		}
		ids := map[int]int64{}
		for _, sv := range saves {
			id, err := s.Save(ctx, sampleReport(sv.at, sv.k, sv.targets...))
			if err != nil {
				t.Fatal(err)
			}
			ids[sv.k] = id
		}

		res, at, err := s.Latest(ctx, "app")
		if err != nil {
			t.Fatalf("Latest: %v", err)
		}
		if !at.Equal(t0.Add(48*time.Hour)) || res.Measurements["dora.deployment_frequency"].Value != 3 {
			t.Errorf("Latest(app) = at %v, k %v; want the audit of k=3", at, res.Measurements["dora.deployment_frequency"].Value)
		}
		if got := res.Measurements["git.integrations_per_dev_day"].ID; got != "git.integrations_per_dev_day" {
			t.Errorf("measurement id not restored: %q", got)
		}
		if _, _, err := s.Latest(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Latest(nope) error = %v, want ErrNotFound", err)
		}

		all, err := s.LatestAll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		type brief struct {
			Target string
			ID     int64
		}
		var gotAll []brief
		for _, sn := range all {
			gotAll = append(gotAll, brief{sn.Target, sn.ID})
		}
		wantAll := []brief{{"app", ids[3]}, {"lib", ids[2]}, {"web", ids[2]}}
		if diff := cmp.Diff(wantAll, gotAll); diff != "" {
			t.Errorf("LatestAll (-want +got):\n%s", diff)
		}

		for _, tc := range []struct {
			target string
			limit  int
			want   []int64
		}{
			{"app", 0, []int64{ids[3], ids[2], ids[1]}},
			{"app", 2, []int64{ids[3], ids[2]}},
			{"lib", -1, []int64{ids[2], ids[1]}},
			{"none", 0, nil},
		} {
			t.Run(fmt.Sprintf("history/%s/%d", tc.target, tc.limit), func(t *testing.T) {
				h, err := s.History(ctx, tc.target, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, sn := range h {
					got = append(got, sn.ID)
					if sn.Target != tc.target || sn.Result.Name != tc.target {
						t.Errorf("snapshot of %q/%q in history of %q", sn.Target, sn.Result.Name, tc.target)
					}
					if !sn.Window.Until.Equal(sn.At) || !sn.Window.Since.Equal(sn.At.AddDate(0, 0, -90)) {
						t.Errorf("window %v not restored for %v", sn.Window, sn.At)
					}
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("History ids (-want +got):\n%s", diff)
				}
			})
		}

		targets, err := s.Targets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"app", "lib", "web"}, targets); diff != "" {
			t.Errorf("Targets (-want +got):\n%s", diff)
		}
	})
}

func TestNormalisedRows(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		s := mustOpen(t, dsn(t), Options{})
		if _, err := s.Save(ctx, sampleReport(t0, 2, "app", "lib")); err != nil {
			t.Fatal(err)
		}
		for table, want := range map[string]int{"audits": 1, "target_results": 2, "measurements": 6, "levels": 12, "sources": 4} {
			if got := count(t, s, table); got != want {
				t.Errorf("%s rows = %d, want %d", table, got, want)
			}
		}
		type level struct {
			Practice, Dimension, Basis string
			Level, Measured, Lower     *int64
			Upper                      *int64
		}
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT l.practice, l.dimension, l.basis, l.level, l.measured_level, l.lower_bound, l.upper_bound
  FROM levels l JOIN target_results t ON t.id = l.target_result_id WHERE t.target = ? ORDER BY l.seq`), "app")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []level
		for rows.Next() {
			var l level
			if err := rows.Scan(&l.Practice, &l.Dimension, &l.Basis, &l.Level, &l.Measured, &l.Lower, &l.Upper); err != nil {
				t.Fatal(err)
			}
			got = append(got, l)
		}
		i := func(v int64) *int64 { return &v }
		want := []level{
			{"ci", "", "", i(3), nil, nil, i(3)},
			{"ci", "frequency", "measured", i(3), i(3), nil, nil},
			{"ci", "method", "attested", i(4), i(3), nil, nil},
			{"testing", "", "", nil, nil, nil, i(2)},
			{"testing", "coverage", "unknown", nil, nil, i(1), nil},
			{"testing", "pyramid", "measured", i(2), i(2), nil, nil},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("levels (-want +got):\n%s", diff)
		}

		var unknown, known *float64
		if err := s.db.QueryRowContext(ctx, s.q(`SELECT
  (SELECT value FROM measurements m WHERE m.target_result_id = t.id AND measurement = 'ci.feedback_seconds'),
  (SELECT value FROM measurements m WHERE m.target_result_id = t.id AND measurement = 'git.integrations_per_dev_day')
  FROM target_results t WHERE t.target = ?`), "lib").Scan(&unknown, &known); err != nil {
			t.Fatal(err)
		}
		if unknown != nil || known == nil || math.Abs(*known-0.6) > 1e-9 {
			t.Errorf("measurement values = %v, %v; want NULL and 0.6", unknown, known)
		}

		var gitReq, ghReq, ghCounted *int64
		var status, errText string
		if err := s.db.QueryRowContext(ctx, s.q(`SELECT
  (SELECT requests_total FROM sources WHERE target_result_id = t.id AND seq = 0),
  (SELECT requests_total FROM sources WHERE target_result_id = t.id AND seq = 1),
  (SELECT requests_counted FROM sources WHERE target_result_id = t.id AND seq = 1),
  (SELECT status FROM sources WHERE target_result_id = t.id AND seq = 1),
  (SELECT error FROM sources WHERE target_result_id = t.id AND seq = 1)
  FROM target_results t WHERE t.target = ?`), "app").Scan(&gitReq, &ghReq, &ghCounted, &status, &errText); err != nil {
			t.Fatal(err)
		}
		if gitReq != nil || ghReq == nil || *ghReq != 120 || *ghCounted != 100 || status != "partial" || errText != "rate limited" {
			t.Errorf("sources = %v %v %v %q %q", gitReq, ghReq, ghCounted, status, errText)
		}
	})
}

func TestSaveOddInput(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		clock := newClock(t0)
		s := mustOpen(t, dsn(t), Options{Now: clock.Now})
		hostile := "evil\x00name\xff<script>"
		r := &model.Report{Targets: []model.TargetResult{
			{Name: hostile, Error: "boom\x00\xfe", Sources: []model.SourceStatus{{Kind: "git", Status: "failed", Error: "\x00"}}},
			{Name: "dup"}, {Name: "dup"},
		}}
		id, err := s.Save(ctx, r)
		if err != nil {
			t.Fatalf("Save: %v", err)
		}
		got, err := s.Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !got.GeneratedAt.Equal(t0) || got.Schema != model.ReportSchema {
			t.Errorf("unstamped report saved as %v %q, want %v %q", got.GeneratedAt, got.Schema, t0, model.ReportSchema)
		}
		if len(got.Targets) != 3 {
			t.Fatalf("%d targets back, want 3", len(got.Targets))
		}
		if _, _, err := s.Latest(ctx, hostile); err != nil {
			t.Errorf("Latest(hostile name): %v", err)
		}
		if _, err := s.Save(ctx, nil); err == nil {
			t.Error("Save(nil) succeeded")
		}
	})
}

func TestConcurrentSaves(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		path := dsn(t)
		a := mustOpen(t, path, Options{})
		b := mustOpen(t, path, Options{})
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Go(func() {
				_, err := s.Save(ctx, sampleReport(t0.Add(time.Duration(i)*time.Hour), i, "app"))
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if h, err := a.History(ctx, "app", 0); err != nil || len(h) != 20 {
			t.Errorf("History: %d snapshots, %v; want 20", len(h), err)
		}
	})
}

func TestPrune(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name      string
		ret       Retention
		removed   int
		wantApp   int // snapshots of app left
		wantLib   int
		wantAudit int
	}{
		{"keep everything", Retention{}, 0, 5, 1, 5},
		{"keep last 2", Retention{KeepLast: 2}, 3, 2, 1, 3},
		{"max age 2.5 days", Retention{MaxAge: 60 * time.Hour}, 2, 3, 1, 4},
		{"max age tiny keeps the newest", Retention{MaxAge: time.Hour}, 4, 1, 1, 2},
		{"both", Retention{MaxAge: 60 * time.Hour, KeepLast: 1}, 4, 1, 1, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
				ctx := context.Background()
				clock := newClock(t0.Add(4 * day))
				s := mustOpen(t, dsn(t), Options{Now: clock.Now})
				// app at days 0..4; lib only in the first audit.
				for d := range 5 {
					targets := []string{"app"}
					if d == 0 {
						targets = append(targets, "lib")
					}
					if _, err := s.Save(ctx, sampleReport(t0.Add(time.Duration(d)*day), d, targets...)); err != nil {
						t.Fatal(err)
					}
				}
				n, err := s.Prune(ctx, tc.ret)
				if err != nil {
					t.Fatalf("Prune: %v", err)
				}
				if n != tc.removed {
					t.Errorf("removed %d, want %d", n, tc.removed)
				}
				for target, want := range map[string]int{"app": tc.wantApp, "lib": tc.wantLib} {
					h, err := s.History(ctx, target, 0)
					if err != nil {
						t.Fatal(err)
					}
					if len(h) != want {
						t.Errorf("%s: %d snapshots left, want %d", target, len(h), want)
					}
				}
				if got := count(t, s, "audits"); got != tc.wantAudit {
					t.Errorf("%d audits left, want %d", got, tc.wantAudit)
				}
				// The normalised rows went with their results.
				if got, want := count(t, s, "levels"), 6*(tc.wantApp+tc.wantLib); got != want {
					t.Errorf("%d level rows left, want %d", got, want)
				}
			})
		})
	}
	t.Run("negative", func(t *testing.T) {
		s := mustOpen(t, dialects(t)[0].dsn(t), Options{})
		if _, err := s.Prune(context.Background(), Retention{KeepLast: -1}); err == nil {
			t.Error("negative retention accepted")
		}
	})
}

func TestPointsAndTrend(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		s := mustOpen(t, dsn(t), Options{})
		for k := range 3 {
			if _, err := s.Save(ctx, sampleReport(t0.Add(time.Duration(k)*time.Hour), k, "app")); err != nil {
				t.Fatal(err)
			}
		}
		h, err := s.History(ctx, "app", 2)
		if err != nil {
			t.Fatal(err)
		}
		keys := KeyMeasurements(&h[0].Result)
		if diff := cmp.Diff([]string{"dora.deployment_frequency", "dora.lead_time_seconds"}, keys); diff != "" {
			t.Errorf("KeyMeasurements (-want +got):\n%s", diff)
		}
		pts := Points(h, keys...)
		want := []model.HistoryPoint{
			{At: t0.Add(time.Hour), Levels: levelsFor(1), Measurements: map[string]float64{"dora.deployment_frequency": 1}},
			{At: t0.Add(2 * time.Hour), Levels: levelsFor(2), Measurements: map[string]float64{"dora.deployment_frequency": 2}},
		}
		if diff := cmp.Diff(want, pts); diff != "" {
			t.Errorf("Points (-want +got):\n%s", diff)
		}
		tr, err := s.Trend(ctx, "app", 2, keys...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, tr); diff != "" {
			t.Errorf("Trend (-want +got):\n%s", diff)
		}
		all, err := s.Trend(ctx, "app", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || len(all[0].Measurements) != 2 {
			t.Errorf("Trend(all) = %d points, %d measurements; want 3 points with 2 known measurements", len(all), len(all[0].Measurements))
		}
	})
}

// levelsFor is the Levels map of sampleResult(_, k).
func levelsFor(k int) map[string]*int {
	lv := 1 + k%5
	return map[string]*int{
		"ci": model.IntPtr(lv), "ci.frequency": model.IntPtr(lv), "ci.method": model.IntPtr(lv + 1),
		"testing": nil, "testing.coverage": nil, "testing.pyramid": model.IntPtr(2),
	}
}

func TestMigrations(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		ctx := context.Background()
		d := dsn(t)
		s := mustOpen(t, d, Options{})
		known := KnownSchemaVersion(s.Dialect())
		if known < 1 || s.SchemaVersion() != known {
			t.Fatalf("schema version %d, known %d", s.SchemaVersion(), known)
		}
		if _, err := s.Save(ctx, sampleReport(t0, 1, "app")); err != nil {
			t.Fatal(err)
		}
		// Reopening applies nothing and keeps the data.
		s2 := mustOpen(t, d, Options{})
		if got := count(t, s2, "schema_migrations"); got != known {
			t.Errorf("%d migration rows, want %d", got, known)
		}
		if _, _, err := s2.Latest(ctx, "app"); err != nil {
			t.Errorf("after reopening: %v", err)
		}
		// A store from a newer cdaudit is refused.
		if _, err := s2.db.ExecContext(ctx, s2.q(`INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (?, ?, ?)`),
			known+1, "9999_future", int64(0)); err != nil {
			t.Fatal(err)
		}
		_, err := Open(ctx, d, nil)
		var tooNew *SchemaTooNewError
		if !errors.As(err, &tooNew) || !errors.Is(err, ErrSchemaTooNew) || tooNew.Version != known+1 || tooNew.Known != known {
			t.Fatalf("Open(newer store) error = %v, want SchemaTooNewError{%d, %d}", err, known+1, known)
		}
	})
}

func TestEmbeddedMigrationsMatch(t *testing.T) {
	for _, d := range []Dialect{SQLite, Postgres} {
		ms, err := migrations(d)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		if len(ms) == 0 {
			t.Fatalf("%s: no migrations", d)
		}
	}
	a, _ := migrations(SQLite)
	b, _ := migrations(Postgres)
	var na, nb []string
	for _, m := range a {
		na = append(na, m.name)
	}
	for _, m := range b {
		nb = append(nb, m.name)
	}
	if diff := cmp.Diff(na, nb); diff != "" {
		t.Errorf("dialects have different migrations (-sqlite +postgres):\n%s", diff)
	}
}

func TestConcurrentFirstOpen(t *testing.T) {
	forDialects(t, func(t *testing.T, dsn func(*testing.T) string) {
		d := dsn(t)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				s, err := Open(context.Background(), d, nil)
				if err == nil {
					_, err = s.Save(context.Background(), sampleReport(t0, 1, "app"))
					s.Close()
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		s := mustOpen(t, d, Options{})
		if got := count(t, s, "schema_migrations"); got != KnownSchemaVersion(s.Dialect()) {
			t.Errorf("%d migration rows after concurrent opens", got)
		}
	})
}
